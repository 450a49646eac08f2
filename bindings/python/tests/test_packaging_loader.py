"""Where the binding looks for libkubeclient.so: the copy bundled in the package (a wheel)
first, then KUBECLIENT_LIBRARY, then a checkout's build folders. The wheel itself is tested
end to end by scripts/test-packaging.sh."""
from pathlib import Path

from kubeclient import _native


def test_bundled_library_comes_first(monkeypatch):
    monkeypatch.delenv("KUBECLIENT_LIBRARY", raising=False)
    paths = _native.candidate_paths()
    assert paths[0] == Path(_native.__file__).resolve().parent / "libkubeclient.so"
    assert paths[0] == _native.bundled_path()
    checkout = [p for p in paths[1:] if p.parent.name in ("release", "debug")]
    assert checkout == paths[1:] and len(checkout) == 3


def test_override_comes_after_the_bundled_library_and_excludes_the_checkout(monkeypatch, tmp_path):
    library = tmp_path / "libkubeclient.so"
    monkeypatch.setenv("KUBECLIENT_LIBRARY", str(library))
    assert _native.candidate_paths() == [_native.bundled_path(), library]
    monkeypatch.setenv("KUBECLIENT_LIBRARY", str(tmp_path))  # a folder holding the library
    assert _native.candidate_paths() == [_native.bundled_path(), library]


def test_a_checkout_has_no_bundled_library():
    # Only scripts/build-wheel.sh's staging tree holds one; a stray copy here would shadow the
    # freshly built library in every test run.
    assert not _native.bundled_path().exists()
