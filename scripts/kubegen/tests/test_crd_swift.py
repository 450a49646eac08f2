"""kubeclient-gen crd (Swift): the committed generated models are current, diagnostics for
schemas without a single type, errors for malformed input, naming rules.

Run: python3 -m unittest discover -s scripts/kubegen/tests -t scripts   (scripts/test.sh does)
Needs PyYAML (scripts/setup.sh installs it in .venv).

When a test says the committed files are stale, regenerate them:
  scripts/kubeclient-gen crd --embed-crd --clientset --out Tests/KubeCRDTests/Generated \\
      Tests/KubeCRDTests/CRDs/* examples/swift/network_controller/network-crd.yaml
  scripts/kubeclient-gen crd --embed-crd --clientset --out examples/swift/network_controller \\
      examples/swift/network_controller/network-crd.yaml
"""

import contextlib
import io
import json
import os
import tempfile
import unittest

from kubegen.__main__ import main
from kubegen.crd import CRDError, load_crds
from kubegen.schema import Diagnostics, build_root, namespace_name

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
TEST_CRDS = os.path.join("Tests", "KubeCRDTests", "CRDs")
TEST_GENERATED = os.path.join("Tests", "KubeCRDTests", "Generated")
EXAMPLE = os.path.join("examples", "swift", "network_controller")
NETWORK_CRD = os.path.join(EXAMPLE, "network-crd.yaml")


def run(*argv):
    """(exit status, stderr) of the CLI, from the repository root (file names in headers are base names)."""
    err = io.StringIO()
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        with contextlib.redirect_stderr(err):
            status = main(list(argv))
    finally:
        os.chdir(cwd)
    return status, err.getvalue()


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def read_tree(folder):
    return {name: read(os.path.join(folder, name)) for name in sorted(os.listdir(folder)) if name.endswith(".swift")}


class CommittedOutputIsCurrent(unittest.TestCase):
    def assert_current(self, committed, argv, whole_folder=True):
        with tempfile.TemporaryDirectory() as tmp:
            status, err = run("crd", "--embed-crd", "--clientset", "--out", tmp, *argv)
            self.assertEqual(status, 0, err)
            fresh = read_tree(tmp)
        old = read_tree(os.path.join(ROOT, committed))
        if not whole_folder:  # the example's folder also holds its hand-written main.swift
            old = {name: text for name, text in old.items() if name in fresh}
        self.assertEqual(sorted(old), sorted(fresh), f"files differ in {committed}; see this file's docstring")
        for name in fresh:
            self.assertEqual(old[name], fresh[name], f"{committed}/{name} is stale; see this file's docstring")

    def test_the_test_targets_models_match_their_crds(self):
        crds = sorted(os.path.join(TEST_CRDS, f) for f in os.listdir(os.path.join(ROOT, TEST_CRDS)))
        self.assert_current(TEST_GENERATED, crds + [NETWORK_CRD])

    def test_the_network_controllers_model_matches_its_crd(self):
        self.assert_current(EXAMPLE, [NETWORK_CRD], whole_folder=False)

    def test_output_is_deterministic(self):
        with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
            files = [os.path.join(TEST_CRDS, "release.json"), os.path.join(TEST_CRDS, "certificate.yaml")]
            run("crd", "--out", a, *files)
            run("crd", "--out", b, *reversed(files))
            self.assertEqual(read_tree(a), read_tree(b))


class Diagnostics_(unittest.TestCase):
    def test_constructs_without_a_single_type_become_json_with_one_warning_each(self):
        with tempfile.TemporaryDirectory() as tmp:
            status, err = run("crd", "--out", tmp, os.path.join(TEST_CRDS, "unsupported.yaml"))
            self.assertEqual(status, 0, err)
            source = read(os.path.join(tmp, "LegacyV1.swift"))
        prefix = "kubeclient-gen: warning: Tests/KubeCRDTests/CRDs/unsupported.yaml"
        where = f"{prefix}: Widget legacy.example.org/v1"
        self.assertEqual(err.splitlines()[:-1], [
            f"{prefix}: document 2: skipped: a ConfigMap, not a CustomResourceDefinition",
            f"{where}: .spec.anything: no type; generated as free-form JSON",
            f"{where}: .spec.color: anyOf with typed alternatives has no single type; generated as free-form JSON",
            f"{where}: .spec.custom: unknown type 'tuple'; generated as free-form JSON",
            f"{where}: .spec.mixed: both properties and additionalProperties; generated as free-form JSON",
            f"{where}: .spec.pair: tuple items (a list of schemas); generated as free-form JSON",
            f"{where}: .spec.parent: $ref is not allowed in CRD schemas; generated as free-form JSON",
            f"{where}: .spec.size: oneOf with typed alternatives has no single type; generated as free-form JSON",
            f"{where}: .spec.tags[]: nullable elements; generated as free-form JSON",
        ])
        for field in ("anything", "color", "custom", "mixed", "pair", "parent", "size"):
            self.assertIn(f"public var {field}: JSON?", source)
        self.assertIn("public var levels: [Int64]?", source)  # an integer enum is just integers
        self.assertIn("public var label: String?", source)
        self.assertIn("public var tags: [JSON]?", source)

    def test_validation_only_unions_and_int_or_string_are_typed_without_warnings(self):
        diagnostics = Diagnostics(stream=None)
        versions = load_crds([os.path.join(ROOT, TEST_CRDS, "release.json")], diagnostics)
        root = build_root(versions[0], diagnostics)
        self.assertEqual(diagnostics.items, [])
        spec = next(f.node for f in root.fields if f.json_name == "spec")
        kinds = {f.json_name: f.node.kind for f in spec.fields}
        self.assertEqual(kinds["maxUnavailable"], "int-or-string")
        self.assertEqual(kinds["port"], "int-or-string")
        self.assertEqual(kinds["values"], "json")
        self.assertEqual(kinds["source"], "object")  # spec's oneOf only says which of chart/manifests is set
        resources = next(f.node for f in spec.fields if f.json_name == "resources")
        self.assertEqual({f.json_name: (f.node.kind, f.node.values and f.node.values.kind) for f in resources.fields},
                         {"limits": ("map", "quantity"), "storage": ("quantity", None)})

    def test_strict_fails_when_anything_was_generated_as_json(self):
        with tempfile.TemporaryDirectory() as tmp:
            status, _ = run("crd", "--strict", "--out", tmp, os.path.join(TEST_CRDS, "unsupported.yaml"))
            self.assertEqual(status, 2)
            status, err = run("crd", "--strict", "--out", tmp, NETWORK_CRD)
            self.assertEqual(status, 0, err)


class MalformedInput(unittest.TestCase):
    def write(self, folder, name, text):
        path = os.path.join(folder, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def test_errors_name_the_file_and_exit_1(self):
        with tempfile.TemporaryDirectory() as tmp:
            cases = {
                "missing.yaml": None,
                "bad.yaml": "kind: [unclosed\n",
                "bad.json": "{\"kind\": ",
                "nokind.yaml": "kind: CustomResourceDefinition\nmetadata: {name: x.example.com}\n"
                               "spec: {group: example.com, names: {plural: xs}, versions: [{name: v1}]}\n",
                "scope.yaml": "kind: CustomResourceDefinition\nspec: {group: g.io, scope: Global, "
                              "names: {plural: xs, kind: X}, versions: [{name: v1}]}\n",
                "nothing.yaml": "apiVersion: v1\nkind: ConfigMap\n",
                "typekind.yaml": "kind: CustomResourceDefinition\nspec: {group: g.io, names: {plural: types, kind: Type}, "
                                 "versions: [{name: v1}]}\n",
            }
            for name, text in cases.items():
                path = os.path.join(tmp, name) if text is None else self.write(tmp, name, text)
                status, err = run("crd", "--out", tmp, path)
                self.assertEqual(status, 1, f"{name}: {err}")
                self.assertIn("kubeclient-gen: error:", err)
                if name != "nothing.yaml":
                    self.assertIn(name, err)
                if name == "typekind.yaml":
                    self.assertIn("kind 'Type' cannot be a Swift type name", err)

    def test_the_same_kind_and_version_twice_is_an_error(self):
        with self.assertRaises(CRDError):
            load_crds([os.path.join(ROOT, NETWORK_CRD), os.path.join(ROOT, NETWORK_CRD)])

    def test_json_lists_and_unserved_versions(self):
        with tempfile.TemporaryDirectory() as tmp:
            crd = json.loads(read(os.path.join(ROOT, TEST_CRDS, "release.json")))
            path = self.write(tmp, "list.json", json.dumps({"apiVersion": "v1", "kind": "List", "items": [crd]}))
            self.assertEqual([v.kind for v in load_crds([path])], ["Release"])
        versions = load_crds([os.path.join(ROOT, TEST_CRDS, "crontab.yaml")])
        self.assertEqual([(v.kind, v.version) for v in versions],
                         [("CronPolicy", "v1"), ("CronTab", "v1"), ("CronTab", "v1beta1")])


class Naming(unittest.TestCase):
    def test_namespaces_avoid_built_in_and_taken_names(self):
        self.assertEqual(namespace_name("samplecrd.k8s.io", "v1"), "SamplecrdV1")
        self.assertEqual(namespace_name("cert-manager.io", "v1"), "CertManagerV1")
        self.assertEqual(namespace_name("networking.istio.io", "v1", {"NetworkingV1"}), "NetworkingIstioV1")
        self.assertEqual(namespace_name("a.io", "v1", {"AV1", "AIoV1"}), "AIoV1_2")
        self.assertEqual(namespace_name("samplecrd.k8s.io", "v1", prefix="My"), "MySamplecrdV1")

    def test_keyword_and_odd_property_names_are_usable_identifiers(self):
        with tempfile.TemporaryDirectory() as tmp:
            run("crd", "--out", tmp, os.path.join(TEST_CRDS, "release.json"))
            source = read(os.path.join(tmp, "AppsExampleV1.swift"))
        for declaration in ("public var `default`: Bool?", "public var `protocol`: ProtocolValue?",
                            "public var self_: String?", "public var init_: String?", "public var `where`: String?",
                            "public var type: TypeValue?", "public var xForwardedFor: String?",
                            "public var _2fa: Bool?", "public var name: String?", "public var name2: String?",
                            'public static let `none` = Self(rawValue: "none")',
                            'public static let empty = Self(rawValue: "")'):
            self.assertTrue(declaration in source, f"missing: {declaration}")
        self.assertIn('self.self_ = try r.optional("self")', source)


if __name__ == "__main__":
    unittest.main()
