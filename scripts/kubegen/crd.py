"""Reading CustomResourceDefinition manifests: YAML (several documents) or JSON (one object or a List)."""

import json
from dataclasses import dataclass, field
from typing import Optional


class CRDError(Exception):
    """Input that cannot be read as CRD manifests (the message names the file and document)."""


@dataclass(frozen=True)
class CRDVersion:
    """One served version of a CRD: what a generator needs to write one model."""
    group: str
    version: str
    kind: str
    list_kind: str
    plural: str
    singular: str
    namespaced: bool
    schema: dict = field(compare=False)
    storage: bool = False
    source: str = ""
    # The whole CRD (apiVersion, kind, metadata.name, spec), for generators that embed it.
    manifest: Optional[dict] = field(default=None, compare=False)

    @property
    def api_version(self):
        return f"{self.group}/{self.version}"

    @property
    def where(self):
        """Prefix for diagnostics: 'crds/network.yaml: Network samplecrd.k8s.io/v1'."""
        return f"{self.source}: {self.kind} {self.api_version}"


def read_documents(path):
    """Every document of a manifest file; `List` documents are flattened into their items."""
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as e:
        raise CRDError(f"{path}: {e.strerror}") from None
    stripped = text.lstrip()
    if stripped.startswith(("{", "[")):
        try:
            docs = [json.loads(text)]
        except json.JSONDecodeError as e:
            raise CRDError(f"{path}: invalid JSON: {e}") from None
    else:
        try:
            import yaml  # PyYAML, only needed for YAML input
        except ImportError:
            raise CRDError(f"{path}: reading YAML needs PyYAML (pip install pyyaml), or pass JSON") from None
        try:
            # BaseLoader would keep every scalar a string; SafeLoader gives JSON's types, as the API server does.
            docs = list(yaml.safe_load_all(text))
        except yaml.YAMLError as e:
            raise CRDError(f"{path}: invalid YAML: {e}") from None
    out = []
    for doc in docs:
        if isinstance(doc, list):
            out.extend(doc)
        elif isinstance(doc, dict) and doc.get("kind", "").endswith("List") and isinstance(doc.get("items"), list):
            out.extend(doc["items"])
        elif doc is not None:
            out.append(doc)
    return out


def _text(value, what, where):
    if not isinstance(value, str) or not value:
        raise CRDError(f"{where}: {what} must be a non-empty string")
    return value


def versions_of(doc, source):
    """The served versions of one CRD document."""
    where = f"{source}: {doc.get('metadata', {}).get('name', '<unnamed CRD>')}"
    spec = doc.get("spec")
    if not isinstance(spec, dict):
        raise CRDError(f"{where}: spec is missing")
    group = _text(spec.get("group"), "spec.group", where)
    names = spec.get("names") or {}
    kind = _text(names.get("kind"), "spec.names.kind", where)
    plural = _text(names.get("plural"), "spec.names.plural", where)
    singular = names.get("singular") or kind.lower()
    list_kind = names.get("listKind") or f"{kind}List"
    scope = spec.get("scope", "Namespaced")
    if scope not in ("Namespaced", "Cluster"):
        raise CRDError(f"{where}: spec.scope must be Namespaced or Cluster, not {scope!r}")
    versions = spec.get("versions")
    if not isinstance(versions, list) or not versions:
        raise CRDError(f"{where}: spec.versions is missing (apiextensions.k8s.io/v1 CRDs list their versions)")
    # v1beta1 CRDs could share one schema across versions; v1 allows only per-version schemas.
    shared = (spec.get("validation") or {}).get("openAPIV3Schema")
    manifest = {"apiVersion": doc.get("apiVersion", "apiextensions.k8s.io/v1"), "kind": "CustomResourceDefinition",
                "metadata": {"name": (doc.get("metadata") or {}).get("name") or f"{plural}.{group}"}, "spec": spec}
    out = []
    for v in versions:
        name = _text(v.get("name"), "spec.versions[].name", where)
        if not v.get("served", True):
            continue
        schema = (v.get("schema") or {}).get("openAPIV3Schema", shared) or {}
        if not isinstance(schema, dict):
            raise CRDError(f"{where}: version {name}: openAPIV3Schema must be an object")
        out.append(CRDVersion(group=group, version=name, kind=kind, list_kind=list_kind, plural=plural,
                              singular=singular, namespaced=scope == "Namespaced", schema=schema,
                              storage=bool(v.get("storage")), source=source, manifest=manifest))
    return out


def load_crds(paths, diagnostics=None):
    """Every served version of every CRD in `paths`, sorted by group, version and kind.

    Documents that are not CRDs are skipped (with a diagnostic when `diagnostics` is given),
    so a controller's whole manifest directory can be passed."""
    found = {}
    for path in paths:
        for index, doc in enumerate(read_documents(path)):
            if not isinstance(doc, dict) or doc.get("kind") != "CustomResourceDefinition":
                if diagnostics is not None:
                    kind = doc.get("kind", "?") if isinstance(doc, dict) else type(doc).__name__
                    diagnostics.warn(f"{path}: document {index + 1}", f"skipped: a {kind}, not a CustomResourceDefinition")
                continue
            for v in versions_of(doc, path):
                key = (v.group, v.version, v.kind)
                if key in found:
                    raise CRDError(f"{path}: {v.kind} {v.api_version} is also defined in {found[key].source}")
                found[key] = v
    return [found[k] for k in sorted(found)]
