"""Randomized: the CRD → Swift generator never fails on any schema, however odd, and what it writes
type-checks as Swift 6 (`swiftc -typecheck` against swift_stubs.swift, stand-ins for the KubeCore
and KubeModels declarations, when swiftc is installed). The committed test CRDs compile against
the real modules; this covers the names and shapes nobody thought of.

KUBECLIENT_TEST_SEED=<n> replays a run; the default seed keeps every run the same.
"""

import os
import random
import shutil
import subprocess
import tempfile
import unittest

from kubegen import swift_crd
from kubegen.crd import CRDVersion
from kubegen.schema import Diagnostics

NAMES = ["name", "Name", "default", "self", "Self", "init", "type", "Type", "protocol", "Protocol", "o", "v", "r",
         "unknown", "unknownFields", "toJSON", "json", "JSON", "time", "quantity", "string", "list", "metadata",
         "spec", "status", "x-kubernetes-foo", "2fa", "a.b", "a_b", "", "_", "$ref", "ünïcode", "in", "where",
         "none", "true", "rawValue", "description", "items", "kind", "apiVersion", "List", "Metadata", "é"]
ENUM_VALUES = ["", "none", "None", "default", "True", "1.2", "1_2", "a b", "a-b", "\"quoted\"", "back\\slash",
               "new\nline", "ünï", "self", "init", "Type", "rawValue"]


def random_schema(rng, depth):
    roll = rng.random()
    if depth > 3 or roll < 0.3:
        choice = rng.choice(["string", "integer", "number", "boolean", "enum", "date-time", "int-or-string",
                             "quantity", "no-type", "ref", "bad-type", "int-enum", "nullable"])
        return {
            "string": {"type": "string"},
            "integer": {"type": "integer", "format": rng.choice([None, "int32", "int64"])},
            "number": {"type": "number"},
            "boolean": {"type": "boolean"},
            "enum": {"type": "string", "enum": rng.sample(ENUM_VALUES, rng.randint(1, 6))},
            "date-time": {"type": "string", "format": "date-time"},
            "int-or-string": {"x-kubernetes-int-or-string": True},
            "quantity": {"x-kubernetes-int-or-string": True, "anyOf": [{"type": "integer"}, {"type": "string"}]},
            "no-type": {"description": "*/ \"doc\" with \\ and\nnewlines"},
            "ref": {"$ref": "#/x"},
            "bad-type": {"type": rng.choice(["tuple", ["string", "integer"], 3])},
            "int-enum": {"type": "integer", "enum": [1, 2]},
            "nullable": {"type": ["string", "null"]},
        }[choice]
    if roll < 0.5:
        return {"type": "array", "items": random_schema(rng, depth + 1)}
    if roll < 0.6:
        return {"type": "object", "additionalProperties": random_schema(rng, depth + 1)}
    if roll < 0.65:
        return {"type": "object", "x-kubernetes-preserve-unknown-fields": True}
    if roll < 0.7:
        return {"oneOf": [random_schema(rng, depth + 1), random_schema(rng, depth + 1)]}
    props = {rng.choice(NAMES): random_schema(rng, depth + 1) for _ in range(rng.randint(1, 6))}
    schema = {"type": "object", "properties": props, "required": rng.sample(sorted(props), rng.randint(0, len(props)))}
    if rng.random() < 0.2:
        schema["x-kubernetes-preserve-unknown-fields"] = True
    if rng.random() < 0.1:
        schema["oneOf"] = [{"required": [k]} for k in props]
    return schema


class RandomSchemas(unittest.TestCase):
    def test_any_schema_generates_swift_that_parses(self):
        seed = int(os.environ.get("KUBECLIENT_TEST_SEED", "15"))
        rng = random.Random(seed)
        versions = []
        for i in range(40):
            kind = f"Kind{i}"
            versions.append(CRDVersion(group=f"g{i % 7}.example.com", version=rng.choice(["v1", "v1beta1"]),
                                       kind=kind, list_kind=f"{kind}List", plural=f"kind{i}s", singular=kind.lower(),
                                       namespaced=rng.random() < 0.5, schema=random_schema(rng, 0), storage=True,
                                       source=f"random-{seed}.yaml",
                                       manifest={"metadata": {"name": f"kind{i}s.example.com"}, "spec": {"x": "\"#"}}))
        # Same group-version twice with distinct kinds is fine; keep keys unique.
        unique = {}
        for v in versions:
            unique.setdefault((v.group, v.version, v.kind), v)
        files = swift_crd.generate(list(unique.values()), Diagnostics(stream=None), embed_crd=True, clientset=True)
        again = swift_crd.generate(list(unique.values()), Diagnostics(stream=None), embed_crd=True, clientset=True)
        self.assertEqual(files, again, "output must not depend on anything but the input")
        swiftc = shutil.which("swiftc")
        if swiftc is None:
            self.skipTest("swiftc not installed: generated, not parsed")
        with tempfile.TemporaryDirectory() as tmp:
            paths = [os.path.join(os.path.dirname(os.path.abspath(__file__)), "swift_stubs.swift")]
            for name, text in files.items():
                path = os.path.join(tmp, name)
                with open(path, "w", encoding="utf-8") as f:
                    # One module with the stubs: the imports of the real modules go.
                    f.write("".join(line for line in text.splitlines(keepends=True) if not line.startswith("import ")))
                paths.append(path)
            result = subprocess.run([swiftc, "-typecheck", "-swift-version", "6", "-module-name", "Generated",
                                     "-warnings-as-errors", *paths], capture_output=True, text=True)
            self.assertEqual(result.returncode, 0, f"seed {seed}: {result.stderr[:6000]}")


if __name__ == "__main__":
    unittest.main()
