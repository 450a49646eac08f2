"""LazyObject: one Kubernetes object as a read-only mapping over its JSON bytes, decoded on
first access. Informer handlers, index functions and pulled events receive these.

    def on_update(old: LazyObject, new: LazyObject) -> None:
        if old.resource_version != new.resource_version:   # no full decode
            queue.add(new.key)                              # "namespace/name" or "name"
        replicas = new["spec"]["replicas"]                  # decodes new (once), not old

Why not a dict: most handlers read an object's key, or nothing, and enqueue it; decoding a
7 KB pod costs 50-100 µs, a whole update (old and new) twice that, which capped the watch
throughput into a Python handler below the issue's 10,000 events/s.
"""
from __future__ import annotations

import gc
import json
import re
import threading
from collections.abc import ItemsView, Iterator, KeysView, Mapping, ValuesView
from typing import Any, Callable, Dict, Generic, Optional, Tuple, Union, cast

from . import _json
from ._typing import ObjectT

# The stdlib's own JSON scanners (C-accelerated), so the metadata walk below reads exactly
# what json.loads would.
_scan_value: Callable[[str, int], Tuple[Any, int]] = getattr(json.JSONDecoder(), "scan_once")
_scan_string: Callable[[str, int], Tuple[str, int]] = getattr(json.decoder, "scanstring")
_whitespace_run = re.compile(r"[ \t\n\r]*")
_WHITESPACE = " \t\n\r"
_METADATA_FIELDS = frozenset(("name", "namespace", "resourceVersion"))
_MISSING = object()
# Guards the decoding state of every LazyObject (one lock, not one per object: objects are
# many and short-lived, and the GIL serialises decoding anyway). Held only while scanning;
# no user code runs under it.
_decoding = threading.Lock()


class LazyObject(Mapping[str, Any], Generic[ObjectT]):
    """A read-only ``Mapping[str, Any]`` over one object's JSON text, decoded on access.

    Reading it like a dict works: ``obj["metadata"]["name"]``, ``obj.get("spec")``, ``in``,
    ``len``, iteration, ``keys()``/``values()``/``items()``, ``dict(obj)``, ``{**obj}``,
    ``obj | {...}``, ``obj.copy()``, and ``obj == some_dict`` (by value). ``obj[k]`` and
    ``obj.get(k)`` decode the top-level members up to ``k`` only (``obj["metadata"]`` of a
    pod: a third of the work of a full parse); the other reads parse the whole object once.
    Decoding runs with the cyclic GC paused (see ``_json.loads``). Values below the top
    level are plain dicts and lists.

    Without decoding: ``raw`` (the JSON bytes), ``name``, ``namespace``,
    ``resource_version``, ``key`` ("namespace/name", or "name" when cluster-scoped) —
    read from the top-level ``metadata`` with the stdlib's JSON scanner, stopping once those
    three members were seen — and ``bool(obj)``. Comparing two unread LazyObjects with
    identical bytes (a resync delivers ``old == new``) compares bytes.

    Not a ``dict`` subclass, on purpose: a dict subclass whose storage fills on first access
    looks *empty* to C code that reads dict storage directly — ``json.dumps`` (its C encoder
    writes ``{}`` for an empty dict without calling any method), orjson, ``PyDict_Next`` in
    extensions — so it would serialise an unread object as ``{}`` without an error. As a
    Mapping those uses fail loudly instead (``TypeError: Object of type LazyObject is not
    JSON serializable``) and the fix is explicit. What differs from the dicts handlers got
    before:

    - ``isinstance(obj, dict)`` is False: test ``isinstance(obj, collections.abc.Mapping)``.
    - ``json.dumps(obj)`` and other serialisers need a dict: ``json.dumps(obj.to_dict())``,
      ``json.dumps(dict(obj))`` or ``json.dumps(obj, default=dict)``; or write ``obj.raw``.
    - No item assignment at the top level. ``obj.to_dict()`` returns a new, fully independent
      dict to change and send (``dict(obj)`` is a shallow copy: its nested values are this
      object's). Nested values are mutable but belong to this object only: changing them
      never changes the cache or what other handlers receive.
    - Type hints: annotate handler parameters as ``LazyObject`` (``LazyObject[Pod]`` on a typed
      informer) or ``Mapping[str, Any]``. Reading through the mapping gives ``Any``; ``typed``
      gives the same object typed as its TypedDict, so ``obj.typed["spec"]["replicas"]`` is
      completed and checked (see ``typed`` for what that annotation promises).

    Handlers that want plain dicts can register with ``Informer.add_handler(..., lazy=False)``.
    Objects are safe to keep after the handler returns (the bytes are a private copy) and to
    read from several threads.
    """

    __slots__ = ("_raw", "_dict", "_partial", "_text", "_position", "_meta")

    def __init__(self, raw: bytes) -> None:
        self._raw = raw
        self._dict: Optional[Dict[str, Any]] = None  # the whole object, once decoded
        self._partial: Optional[Dict[str, Any]] = None  # the top-level members decoded so far
        self._text = ""  # raw as str, while members are decoded one by one
        self._position = 0  # in _text: where the next top-level member starts
        self._meta: Optional[Dict[str, Any]] = None  # from _scan_metadata

    # -- without decoding

    @property
    def raw(self) -> bytes:
        """The object's JSON text (UTF-8), as the informer's cache holds it."""
        return self._raw

    @property
    def name(self) -> str:
        """``metadata.name`` ("" when absent)."""
        return self._field("name")

    @property
    def namespace(self) -> str:
        """``metadata.namespace`` ("" for a cluster-scoped object)."""
        return self._field("namespace")

    @property
    def resource_version(self) -> str:
        """``metadata.resourceVersion`` ("" when absent)."""
        return self._field("resourceVersion")

    @property
    def key(self) -> str:
        """The cache key: "namespace/name", or "name" for a cluster-scoped object (as
        ``Informer.index_keys`` returns keys and client-go's MetaNamespaceKeyFunc)."""
        namespace = self._field("namespace")
        name = self._field("name")
        return f"{namespace}/{name}" if namespace else name

    @property
    def typed(self) -> ObjectT:
        """This object, typed as its model (``Pod`` for a ``LazyObject[Pod]``): for type checkers
        only, it is ``self``, no copy and no conversion.

        The annotation is true for every read — ``[]``, ``get``, ``in``, ``keys``/``items``,
        iteration, ``len``, ``|``, ``copy()``, values below the top level (plain dicts and lists) —
        and for writes below the top level. What it does not show: a TypedDict is also a dict,
        so a type checker accepts ``obj.typed["status"] = ...``, ``del``, ``update``,
        ``setdefault`` and ``pop`` at the top level, which this read-only mapping refuses at run
        time with ``TypeError`` (loudly, never silently); and ``isinstance(obj.typed, dict)`` is
        False. Change ``obj.to_dict()`` instead, which is a real dict of the same type. The
        LazyObject's own properties (``key``, ``resource_version``, ``raw``) stay on ``obj``."""
        return cast(ObjectT, self)

    @property
    def is_decoded(self) -> bool:
        """True once the whole object was decoded."""
        return self._dict is not None

    def to_dict(self) -> ObjectT:
        """A new dict of the whole object, independent of this one (a fresh parse)."""
        result: ObjectT = _json.loads(self._raw, "the object")
        return result

    def copy(self) -> Dict[str, Any]:
        """A shallow copy as a plain dict, like ``dict.copy``."""
        return dict(self._data())

    # -- Mapping

    def __getitem__(self, key: str) -> Any:
        data = self._dict
        value = data.get(key, _MISSING) if data is not None else self._member(key)
        if value is _MISSING:
            raise KeyError(key)
        return value

    def get(self, key: str, default: Any = None) -> Any:
        data = self._dict
        value = data.get(key, _MISSING) if data is not None else self._member(key)
        return default if value is _MISSING else value

    def __contains__(self, key: object) -> bool:
        data = self._dict
        if data is not None:
            return key in data
        return isinstance(key, str) and self._member(key) is not _MISSING

    def __iter__(self) -> Iterator[str]:
        return iter(self._data())

    def __reversed__(self) -> Iterator[str]:
        return reversed(self._data())

    def __len__(self) -> int:
        return len(self._data())

    def keys(self) -> KeysView[str]:
        return self._data().keys()

    def values(self) -> ValuesView[Any]:
        return self._data().values()

    def items(self) -> ItemsView[str, Any]:
        return self._data().items()

    def __bool__(self) -> bool:
        if self._dict is not None:
            return bool(self._dict)
        text = self._raw.strip()
        if text[:1] == b"{":
            return text[1:].lstrip()[:1] != b"}"
        return bool(self._data())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, LazyObject):
            if self._unread() and other._unread() and self._raw == other._raw:
                return True
            return self._data() == other._data()
        if isinstance(other, dict):
            return self._data() == other
        if isinstance(other, Mapping):
            return self._data() == dict(other.items())
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]  # unhashable, like dict

    def __or__(self, other: Mapping[str, Any]) -> Dict[str, Any]:
        if not isinstance(other, Mapping):
            return NotImplemented
        result = dict(self._data())
        result.update(other)
        return result

    def __ror__(self, other: Mapping[str, Any]) -> Dict[str, Any]:
        if not isinstance(other, Mapping):
            return NotImplemented
        result = dict(other)
        result.update(self._data())
        return result

    def __repr__(self) -> str:
        return repr(self._data())

    def __reduce__(self) -> Tuple[Any, Tuple[bytes]]:
        return (type(self), (self._raw,))

    # -- decoding

    def _unread(self) -> bool:
        """No decoded value was handed out (so none can have been changed)."""
        return self._dict is None and self._partial is None

    def _data(self) -> Dict[str, Any]:
        """The whole object, decoded once."""
        data = self._dict
        if data is not None:
            return data
        with _decoding:
            if self._dict is None:
                if self._partial is None:
                    parsed = _json.loads(self._raw, "the object")
                    if not isinstance(parsed, dict):
                        raise TypeError(f"not a JSON object: {self._raw[:60]!r}")
                    self._dict = parsed
                else:
                    self._advance(None)
            data = self._dict
        assert data is not None
        return data

    def _member(self, key: str) -> Any:
        """The top-level member ``key`` (or _MISSING), decoding members up to it."""
        partial = self._partial
        if partial is not None:
            value = partial.get(key, _MISSING)
            if value is not _MISSING:
                return value
        with _decoding:
            data = self._dict
            if data is None:
                if self._partial is None:
                    self._start()
                return self._advance(key)
        return data.get(key, _MISSING)

    def _start(self) -> None:
        """Sets up member-by-member decoding (under _decoding)."""
        text = self._raw.decode("utf-8")
        i = _end_of_whitespace(text, 0)
        if text[i:i + 1] != "{":
            _json.loads(self._raw, "the object")  # raises DecodeError when malformed
            raise TypeError(f"not a JSON object: {self._raw[:60]!r}")
        self._text = text
        self._position = _end_of_whitespace(text, i + 1)
        self._partial = {}

    def _advance(self, key: Optional[str]) -> Any:
        """Decodes top-level members until ``key`` (None: to the end); returns its value or
        _MISSING. At the end the partial dict becomes the whole object. Under _decoding."""
        partial = self._partial
        assert partial is not None
        value: Any = _MISSING
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            text, i = self._text, self._position
            try:
                if text[i] == "}":
                    i += 1
                else:
                    while True:
                        member, i = _member_name(text, i)
                        item, i = _scan_value(text, i)
                        partial[member] = item
                        i = _skip(text, i)
                        if text[i] == ",":
                            i = _skip(text, i + 1)
                        elif text[i] == "}":
                            i += 1
                            break
                        else:
                            raise ValueError("expected ',' or '}'")
                        if member == key:
                            self._position = i
                            return item
                if text[i:].strip(_WHITESPACE):
                    raise ValueError("extra data")
            except (IndexError, ValueError, StopIteration, RecursionError):
                # Malformed (or nested too deeply): _json.loads raises DecodeError (and would
                # decide, were this scan ever wrong about valid JSON).
                self._partial, self._text = None, ""
                partial = _json.loads(self._raw, "the object")
                if not isinstance(partial, dict):
                    raise TypeError(f"not a JSON object: {self._raw[:60]!r}") from None
            self._dict = partial
            self._partial, self._text = None, ""
            if key is not None:
                value = partial.get(key, _MISSING)
        finally:
            if was_enabled:
                gc.enable()
        return value

    def _field(self, member: str) -> str:
        """A metadata string member: from what is decoded, else from a metadata scan."""
        source = self._dict
        if source is None:
            partial = self._partial
            if partial is not None and "metadata" in partial:
                source = partial
        if source is None:
            meta = self._meta
            if meta is None:
                meta = _scan_metadata(self._raw)
                if meta is None:  # not the expected shape: let decoding decide
                    source = self._data()
                else:
                    self._meta = meta
        if source is not None:
            meta = source.get("metadata")
            if not isinstance(meta, dict):
                return ""
        assert meta is not None
        value = meta.get(member)
        return value if isinstance(value, str) else ""


def _scan_metadata(raw: bytes) -> Optional[Dict[str, Any]]:
    """The ``name``, ``namespace`` and ``resourceVersion`` members of the top-level
    ``metadata`` object (those present), read with the stdlib's JSON scanner: the members
    before ``metadata`` and the other metadata members are scanned (decoded and dropped), the
    rest of the object is not looked at. None when ``raw`` is not a JSON object whose
    metadata is an object, or is not valid JSON where it was read: the caller then parses
    the whole object, so a malformed object fails with DecodeError.

    The first occurrence of a member wins, where json.loads keeps the last: the two differ
    only for JSON with duplicate member names, which API servers do not send (the cache
    keeps the server's bytes, whitespace removed)."""
    try:
        text = raw.decode("utf-8")
        i = _skip(text, 0)
        if text[i] != "{":
            return None
        i = _skip(text, i + 1)
        if text[i] == "}":
            return {}
        while True:
            member, i = _member_name(text, i)
            if member == "metadata":
                return _scan_fields(text, i)
            _, i = _scan_value(text, i)
            i = _skip(text, i)
            if text[i] == ",":
                i = _skip(text, i + 1)
            elif text[i] == "}":
                return {}
            else:
                return None
    except (IndexError, ValueError, StopIteration, RecursionError):
        return None


def _scan_fields(text: str, i: int) -> Optional[Dict[str, Any]]:
    """The wanted members of the object starting at ``text[i]`` (see _scan_metadata)."""
    if text[i] != "{":
        return None
    found: Dict[str, Any] = {}
    i = _skip(text, i + 1)
    if text[i] == "}":
        return found
    while True:
        member, i = _member_name(text, i)
        value, i = _scan_value(text, i)
        if member in _METADATA_FIELDS and member not in found:
            found[member] = value
            if len(found) == len(_METADATA_FIELDS):
                return found
        i = _skip(text, i)
        if text[i] == ",":
            i = _skip(text, i + 1)
        elif text[i] == "}":
            return found
        else:
            return None


def _member_name(text: str, i: int) -> Tuple[str, int]:
    """The member name at ``text[i]`` and the index of its value; ValueError if none."""
    if text[i] != '"':
        raise ValueError("expected a member name")
    name, i = _scan_string(text, i + 1)
    i = _skip(text, i)
    if text[i] != ":":
        raise ValueError("expected ':'")
    return name, _skip(text, i + 1)


def _skip(text: str, i: int) -> int:
    """The index of the first non-whitespace character from ``i`` (the cache's JSON is
    compact: usually ``i`` itself, found without the regex). IndexError past the end."""
    return _end_of_whitespace(text, i) if text[i] in _WHITESPACE else i


def _end_of_whitespace(text: str, i: int) -> int:
    match = _whitespace_run.match(text, i)
    return match.end() if match else i


ObjectArgument = Union[LazyObject[Any], Dict[str, Any]]
"""What a handler receives: a LazyObject (the default), or a dict with ``lazy=False``."""
