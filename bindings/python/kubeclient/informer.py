"""Informers: local caches of Kubernetes objects kept in sync by list + watch.

    import kubeclient
    from kubeclient.informer import InformerFactory

    with kubeclient.Client(kubeclient.Config.load()) as client, InformerFactory(client) as factory:
        nodes = factory.informer("v1", "nodes")

        @nodes.on_add
        def added(node, is_initial_list):
            print("add a node:", node["metadata"]["name"])

        factory.start()
        factory.wait_for_sync(timeout=30)
        for node in nodes.list():
            print(node["metadata"]["name"])

Guarantees (the library's, see include/kubeclient/informer.h): the cache converges to the
server's state and swaps to a relist in one step; each handler gets events one at a time, in
order for each object, on its own library thread, so a slow handler delays only itself; a
deletion missed while the watch was down arrives with ``final_state_unknown=True`` and the
last known object; a handler added late first gets an add for every cached object.

Handlers run on library threads (they take the GIL). An exception in a handler is logged on
the ``kubeclient.informer`` logger, delivery continues, and the first one is raised again by
the next ``stop()``/``shutdown()``/``close()`` (see kubeclient/_callback_errors.py). At interpreter exit open factories
are shut down; one whose handler never returns is abandoned after ``EXIT_TIMEOUT`` seconds,
with a warning naming it, so the exit itself never hangs.

Objects given to handlers, index functions and pulled events are ``LazyObject``s: read-only
mappings over a copy of the cache's JSON, parsed on first access, with ``.key``, ``.name``,
``.namespace`` and ``.resource_version`` read without a full parse (see
kubeclient/lazyobject.py for why they are not dicts, and ``add_handler(..., lazy=False)``
for plain dicts). Lister reads (``get``, ``list``, ``by_index``) return plain dicts; ``get``
and ``list`` default to the informer's namespace, and selectors are keyword-only.
Changing an object never changes the cache.

``async for event in informer.events()`` consumes events on the asyncio loop through a
pollable descriptor, with no callback thread at all.
"""
from __future__ import annotations

import asyncio
import atexit
import ctypes
import logging
import re
import threading
import time
import weakref
from ctypes import c_int, c_void_p
from typing import (TYPE_CHECKING, Any, AsyncIterator, Callable, Dict, Generic, List, Literal, NamedTuple, Optional,
                    Tuple, overload)

from ._status import Status
from ._c_informer import (ADD_CB as ADD_CB, DELETE_CB as DELETE_CB, FACTORY_OPTIONS_VERSION as FACTORY_OPTIONS_VERSION,
                          HANDLERS_VERSION as HANDLERS_VERSION, INDEX_EMIT as INDEX_EMIT, INDEX_FN as INDEX_FN,
                          INFORMER_OPTIONS_VERSION as INFORMER_OPTIONS_VERSION, PROTOTYPES as PROTOTYPES,
                          UPDATE_CB as UPDATE_CB, WATCH_ERROR_CB as WATCH_ERROR_CB,
                          kc_informer_event as kc_informer_event,
                          kc_informer_factory_options as kc_informer_factory_options,
                          kc_informer_handlers as kc_informer_handlers, kc_informer_options as kc_informer_options)
from ._call import call_string_local, check, last_error
from . import _json
from ._native import declare, encode, lib
from .errors import Closed, InvalidArgument, KubeClientError, from_record
from .lazyobject import LazyObject, ObjectArgument
from ._handle import NativeHandle
from ._callback_errors import CallbackErrors
from ._typing import ObjectT

if TYPE_CHECKING:
    # Typing overloads of InformerFactory.informer, generated: literal built-in resources give
    # their model (Informer[Pod]).
    from .models._typed import TypedInformers as _InformerTyping
else:
    _InformerTyping = object

__all__ = ["Informer", "InformerEvent", "InformerFactory", "LazyObject", "ObjectArgument", "Registration"]

log = logging.getLogger("kubeclient.informer")

# A namespace name: an RFC 1123 DNS label.
_NAMESPACE = re.compile(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")

# The C declarations (include/kubeclient/informer_types.h, informer.h) are in _c_informer.
declare(lib, PROTOTYPES, "informer")


#: The longest a blocking wait stays inside the library at a time. Python runs signal handlers
#: only between bytecodes, so a wait in C for minutes would hold off Ctrl-C for minutes; waiting
#: in slices this short raises KeyboardInterrupt well within 0.5 s.
WAIT_SLICE = 0.1


def _wait_in_slices(wait: Callable[[int], int], timeout: Optional[float]) -> bool:
    """Calls ``wait(milliseconds)`` (a kc_*_wait_for_sync) in slices of at most ``WAIT_SLICE``
    until it succeeds (True) or ``timeout`` seconds passed (False; None: no limit)."""
    if timeout is not None and (timeout != timeout or timeout < 0):  # NaN or negative
        raise InvalidArgument(f"timeout must be a non-negative number of seconds, not {timeout!r}")
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        remaining = WAIT_SLICE if deadline is None else min(WAIT_SLICE, deadline - time.monotonic())
        status = wait(max(0, int(remaining * 1000)))
        if status != Status.TIMEOUT:  # synced, or an error to raise
            check(status)
            return True
        if deadline is not None and time.monotonic() >= deadline:
            return False


def _decode(pointer: Optional[int], length: int) -> Any:
    """The borrowed object at ``pointer`` as a dict (eager: ``add_handler(lazy=False)``)."""
    return _json.loads(ctypes.string_at(pointer, length)) if pointer else None


def _lazy(pointer: Optional[int], length: int) -> Any:
    """The borrowed object at ``pointer`` as a LazyObject over a copy of its bytes (the
    library's pointer is valid only during the call)."""
    return LazyObject(ctypes.string_at(pointer, length)) if pointer else None


# ---- events ------------------------------------------------------------------------------


if TYPE_CHECKING:
    # For type checkers: generic, so that an Informer[Pod]'s events carry LazyObject[Pod]. (A
    # generic NamedTuple needs Python 3.11 at run time; the run-time class is the same tuple.)
    class InformerEvent(NamedTuple, Generic[ObjectT]):
        """One notification: ``type`` is "ADDED", "UPDATED" or "DELETED"; ``object`` the object
        (new state for updates, last known state for deletes); ``old_object`` the previous state
        of an update; the flags as in the C API. Objects are LazyObjects (decoded on access)."""
        type: str
        object: LazyObject[ObjectT]
        old_object: Optional[LazyObject[ObjectT]] = None
        is_initial_list: bool = False
        final_state_unknown: bool = False
else:
    class InformerEvent(NamedTuple):
        """One notification: ``type`` is "ADDED", "UPDATED" or "DELETED"; ``object`` the object
        (new state for updates, last known state for deletes); ``old_object`` the previous state
        of an update; the flags as in the C API. Objects are LazyObjects (decoded on access),
        typed ``LazyObject[Pod]`` for an ``Informer[Pod]``'s events."""
        type: str
        object: LazyObject
        old_object: Optional[LazyObject] = None
        is_initial_list: bool = False
        final_state_unknown: bool = False


_EVENT_TYPES = {1: "ADDED", 2: "UPDATED", 3: "DELETED"}


# ---- registration ------------------------------------------------------------------------


class Registration(NativeHandle, Generic[ObjectT]):
    """A handler set (or pull queue) added to an informer, from ``add_handler`` or ``add_pull``.

    Lifetime: owns one kc_informer_registration, and keeps its informer's factory (and so the
    client) alive. ``remove()`` stops deliveries and joins its thread (not when called from its
    own handler, which then ends after returning); the registration stays readable
    (``has_synced``). ``close()`` (also on leaving a ``with`` block) removes and frees it:
    afterwards ``fileno`` and ``next_event`` raise ``Closed``, ``has_synced`` is False, and
    ``remove``/``close`` do nothing. Its handlers are never called after ``remove()`` or
    ``close()`` returned (from another thread than theirs). Exceptions its handlers raise
    belong to the informer (raised again by ``Informer.stop()``).

    Garbage collection does not close a registration: a handler added and forgotten (the
    ``on_add`` decorator keeps no registration) goes on receiving events until its factory is
    closed, which ends every registration's deliveries."""

    _what = "registration"

    def __init__(self, informer: "Informer[Any]", handle: int, keepalive: Any = None) -> None:
        self._informer = informer  # keeps the factory (and the C informer) alive
        self._handle: Optional[int] = handle
        self._keepalive = keepalive  # CFUNCTYPE objects the library may still call

    @property
    def has_synced(self) -> bool:
        """True once every event of the initial list was delivered to this registration."""
        return bool(self._handle) and lib.kc_informer_registration_has_synced(self._handle) == 1

    def fileno(self) -> int:
        """Pull mode: the descriptor that polls readable while events wait."""
        fd = c_int(-1)
        check(lib.kc_informer_registration_fd(self._require(), ctypes.byref(fd)))
        return fd.value

    def next_event(self) -> Optional[InformerEvent[ObjectT]]:
        """Pull mode, non-blocking: the next event, or None when nothing waits.
        Raises ``kubeclient.Closed`` once the registration was removed or the informer stopped."""
        event = kc_informer_event()
        check(lib.kc_informer_registration_next(self._require(), ctypes.byref(event)))
        if event.type == 0:
            return None
        return InformerEvent(_EVENT_TYPES.get(event.type, str(event.type)), _lazy(event.object, event.object_len),
                             _lazy(event.old_object, event.old_object_len), bool(event.is_initial_list),
                             bool(event.final_state_unknown))

    def remove(self) -> None:
        """Stops deliveries. Idempotent."""
        if self._handle:
            check(lib.kc_informer_registration_remove(self._handle))

    def close(self) -> None:
        """Removes and frees the registration. Idempotent."""
        super().close()

    def _release(self, handle: int) -> None:
        lib.kc_informer_registration_free(handle)

    def _require(self) -> int:
        return self._live()

    def __del__(self) -> None:
        pass  # see the class docstring: forgotten handlers keep running until the factory closes


# ---- informer ----------------------------------------------------------------------------


def _pin_thread_state(pinned: List[int]) -> None:
    """Keeps the calling library thread's Python thread state for the thread's lifetime.

    ctypes wraps each callback from a thread Python did not start in PyGILState_Ensure/Release,
    which creates a thread state and destroys it again on every call, and with it (CPython 3.11+)
    the frame stack chunk, mmap'd and munmap'd: measured as a fifth of the delivery thread's time
    at 30k events/s (the munmaps also flush the TLB of the other core). One extra Ensure, never
    released, keeps the state, so later callbacks only take the GIL. Cost: one thread state per
    registration thread, left when the library thread ends."""
    ctypes.pythonapi.PyGILState_Ensure()
    pinned[0] = threading.get_ident()


def _callbacks(on_add: Optional[Callable[[Any, bool], Any]], on_update: Optional[Callable[[Any, Any], Any]],
               on_delete: Optional[Callable[[Any, bool], Any]], lazy: bool, running: List[Any],
               errors: CallbackErrors) -> Tuple[Any, Any, Any]:
    """The ctypes callbacks of a handler set: each copies the borrowed bytes into the object
    the handler gets (a LazyObject, or a dict when ``lazy`` is False) and runs the handler;
    an exception goes to ``errors`` (logged, kept for stop()), never into the library. ``running[0]`` names the
    handler running and since when (for the exit-time report of what could not be stopped).
    Kept flat (no helper call per event): this is the path of every watch event."""
    make = _lazy if lazy else _decode
    clock = time.monotonic
    ident = threading.get_ident
    pinned = [0]  # the library thread whose Python thread state is kept (see _pin_thread_state)

    def add(pointer: Optional[int], length: int, initial: int, _user: Optional[int]) -> None:
        if pinned[0] != ident():
            _pin_thread_state(pinned)
        running[0] = (on_add, clock())
        try:
            on_add(make(pointer, length), bool(initial))  # type: ignore[misc]
        except BaseException as error:  # noqa: BLE001 - a handler must not kill delivery
            errors.record(error, "informer handler on_add")
        finally:
            running[0] = None

    def update(old: Optional[int], old_length: int, new: Optional[int], new_length: int,
               _user: Optional[int]) -> None:
        if pinned[0] != ident():
            _pin_thread_state(pinned)
        running[0] = (on_update, clock())
        try:
            on_update(make(old, old_length), make(new, new_length))  # type: ignore[misc]
        except BaseException as error:  # noqa: BLE001
            errors.record(error, "informer handler on_update")
        finally:
            running[0] = None

    def delete(pointer: Optional[int], length: int, unknown: int, _user: Optional[int]) -> None:
        if pinned[0] != ident():
            _pin_thread_state(pinned)
        running[0] = (on_delete, clock())
        try:
            on_delete(make(pointer, length), bool(unknown))  # type: ignore[misc]
        except BaseException as error:  # noqa: BLE001
            errors.record(error, "informer handler on_delete")
        finally:
            running[0] = None

    return (ADD_CB(add) if on_add else ADD_CB(), UPDATE_CB(update) if on_update else UPDATE_CB(),
            DELETE_CB(delete) if on_delete else DELETE_CB())


class Informer(Generic[ObjectT]):
    """A cache of one resource, from ``InformerFactory.informer``. Also the lister:
    ``get``, ``list``, ``by_index``, ``index_keys`` read the cache, never the server.

    Typed by ``ObjectT`` for type checkers (no run-time effect): ``factory.informer("v1",
    "pods")`` is an ``Informer[Pod]``, whose lister reads return ``Pod``s (plain dicts) and
    whose handlers get ``LazyObject[Pod]``s (``obj.typed`` is the object typed as ``Pod``);
    ``model=`` types a custom resource's informer."""

    def __init__(self, factory: "InformerFactory", handle: int, namespace: Optional[str] = None,
                 api_version: str = "", resource: str = "") -> None:
        self._factory = factory
        self._handle = handle
        #: The namespace this informer caches (None or "": every namespace, or cluster-scoped).
        self.namespace = namespace or None
        self.api_version = api_version
        self.resource = resource
        self._keepalive: List[Any] = []
        self._running: List[List[Any]] = []  # per handler registration: see _callbacks
        self._callback_errors = CallbackErrors(log)  # what its handlers raised, for stop()

    def __repr__(self) -> str:
        where = f" in namespace {self.namespace}" if self.namespace else ""
        return f"<Informer {self.api_version} {self.resource}{where}>"

    def _busy_handlers(self) -> List[str]:
        """The handlers running now, with how long they have run ("on_add for 12.0 s")."""
        now = time.monotonic()
        busy = []
        for running in self._running:
            current = running[0]
            if current is not None:
                function, since = current
                busy.append(f"{getattr(function, '__qualname__', function)!s} for {now - since:.1f} s")
        return busy

    # -- handlers

    @overload
    def add_handler(self, on_add: Optional[Callable[[LazyObject[ObjectT], bool], Any]] = None,
                    on_update: Optional[Callable[[LazyObject[ObjectT], LazyObject[ObjectT]], Any]] = None,
                    on_delete: Optional[Callable[[LazyObject[ObjectT], bool], Any]] = None, *,
                    resync_period: Optional[float] = None, lazy: Literal[True] = True) -> Registration[ObjectT]: ...

    @overload
    def add_handler(self, on_add: Optional[Callable[[ObjectT, bool], Any]] = None,
                    on_update: Optional[Callable[[ObjectT, ObjectT], Any]] = None,
                    on_delete: Optional[Callable[[ObjectT, bool], Any]] = None, *,
                    resync_period: Optional[float] = None, lazy: Literal[False]) -> Registration[ObjectT]: ...

    def add_handler(self, on_add: Optional[Callable[[Any, bool], Any]] = None,
                    on_update: Optional[Callable[[Any, Any], Any]] = None,
                    on_delete: Optional[Callable[[Any, bool], Any]] = None, *,
                    resync_period: Optional[float] = None, lazy: bool = True) -> Registration[ObjectT]:
        """Registers callables: ``on_add(obj, is_initial_list)``, ``on_update(old, new)``,
        ``on_delete(obj, final_state_unknown)``; any may be None. They run on the
        registration's own library thread.

        Objects are ``LazyObject``s (read-only mappings parsed on first access; ``.key`` and
        the other metadata properties need no full parse), so an update whose handler reads
        only the key, or nothing, decodes neither side. ``lazy=False`` hands plain dicts,
        both decoded before the call, as before.

        An exception a handler raises is logged at once (ERROR, ``kubeclient.informer``, with
        its traceback), deliveries go on, and the first one is raised again by this informer's
        next ``stop()`` or its factory's next ``shutdown()``/``close()`` (bindings/python/README.md,
        "Exceptions in callbacks")."""
        running: List[Any] = [None]
        add_cb, update_cb, delete_cb = _callbacks(on_add, on_update, on_delete, lazy, running, self._callback_errors)
        handlers = kc_informer_handlers(HANDLERS_VERSION, add_cb, update_cb, delete_cb,
                                        0 if resync_period is None else int(resync_period * 1000))
        out = c_void_p()
        check(lib.kc_informer_add_handlers(self._handle, ctypes.byref(handlers), None, ctypes.byref(out)))
        registration = Registration(self, out.value or 0, (add_cb, update_cb, delete_cb, handlers))
        self._running.append(running)
        # The library may call these until the factory is gone: keep them with the informer too.
        self._keepalive.append(registration._keepalive)
        return registration

    def on_add(self, function: Callable[[LazyObject[ObjectT], bool], Any]
               ) -> Callable[[LazyObject[ObjectT], bool], Any]:
        """Decorator: ``function(obj, is_initial_list)`` for each added object."""
        self.add_handler(on_add=function)
        return function

    def on_update(self, function: Callable[[LazyObject[ObjectT], LazyObject[ObjectT]], Any]
                  ) -> Callable[[LazyObject[ObjectT], LazyObject[ObjectT]], Any]:
        """Decorator: ``function(old, new)`` for each change."""
        self.add_handler(on_update=function)
        return function

    def on_delete(self, function: Callable[[LazyObject[ObjectT], bool], Any]
                  ) -> Callable[[LazyObject[ObjectT], bool], Any]:
        """Decorator: ``function(obj, final_state_unknown)`` for each deletion."""
        self.add_handler(on_delete=function)
        return function

    def add_pull(self, resync_period: Optional[float] = None) -> Registration[ObjectT]:
        """A pull-mode registration: poll ``fileno()``, take events with ``next_event()``."""
        out = c_void_p()
        check(lib.kc_informer_add_pull(self._handle, 0 if resync_period is None else int(resync_period * 1000),
                                       ctypes.byref(out)))
        return Registration(self, out.value or 0)

    async def events(self) -> AsyncIterator[InformerEvent[ObjectT]]:
        """Every event of a new pull registration, on the running asyncio loop (no callback
        thread). Ends when the informer stops; closing the iterator removes the registration."""
        registration = self.add_pull()
        loop = asyncio.get_running_loop()
        ready = asyncio.Event()
        fd = registration.fileno()
        loop.add_reader(fd, ready.set)
        try:
            while True:
                while True:
                    try:
                        event = registration.next_event()
                    except Closed:
                        return
                    if event is None:
                        break
                    yield event
                ready.clear()
                # The descriptor is level-triggered: if events arrived meanwhile it is still
                # readable and the reader fires again, so nothing is missed.
                await ready.wait()
        finally:
            loop.remove_reader(fd)
            registration.close()

    def add_index(self, name: str, function: Callable[[LazyObject[ObjectT]], Any]) -> None:
        """Adds index ``name``: ``function(obj)`` returns the object's index values (a list of
        strings, or one string, or None); ``obj`` is a LazyObject (``obj.namespace`` needs no
        full parse). Runs on the informer's processing thread with the cache locked: keep it
        quick and do not call the informer from it."""
        errors = self._callback_errors
        pinned = [0]
        ident = threading.get_ident

        def index(pointer: int, length: int, emit: Any, context: int, _user: int) -> None:
            if pinned[0] != ident():
                _pin_thread_state(pinned)  # runs per object on the processing thread
            try:
                values = function(_lazy(pointer, length))
                if values is None:
                    return
                if isinstance(values, str):
                    values = [values]
                for value in values:
                    emit(context, encode(str(value)))
            except BaseException as error:  # noqa: BLE001
                errors.record(error, f"informer index function {name}")
        callback = INDEX_FN(index)
        self._keepalive.append(callback)
        check(lib.kc_informer_add_index(self._handle, encode(name), callback, None))

    def on_watch_error(self, handler: Optional[Callable[[KubeClientError], None]]) -> Optional[Callable[[KubeClientError], None]]:
        """Sets the handler of list/watch failures (client-go's SetWatchErrorHandler): it gets
        the error as an exception object (``NotFound``, ``Gone``, ``TransportError``, ...) on
        the informer's reflector thread; the informer retries by itself after it returns.
        None restores the default (a log warning). Usable as a decorator. An exception it
        raises is logged and re-raised by ``stop()`` (see ``add_handler``)."""
        if handler is None:
            check(lib.kc_informer_set_watch_error_handler(self._handle, WATCH_ERROR_CB(), None))
            return None
        function = handler
        errors = self._callback_errors

        def report(record: Any, _user: int) -> None:
            try:
                function(from_record(record))
            except BaseException as error:  # noqa: BLE001
                errors.record(error, "informer watch-error handler")
        callback = WATCH_ERROR_CB(report)
        self._keepalive.append(callback)
        check(lib.kc_informer_set_watch_error_handler(self._handle, callback, None))
        return handler

    # -- lifecycle

    def start(self) -> None:
        check(lib.kc_informer_start(self._handle))

    def stop(self) -> None:
        """Stops and joins the informer's threads. Idempotent. Then raises the first exception
        one of its handlers raised since the last stop, if any."""
        check(lib.kc_informer_stop(self._handle))
        self._callback_errors.reraise()

    def wait_for_sync(self, timeout: Optional[float] = None) -> bool:
        """True once the cache and every registration synced; False when ``timeout`` seconds
        passed (None: no limit). Ctrl-C interrupts it (KeyboardInterrupt) within 0.1 s."""
        return _wait_in_slices(lambda ms: lib.kc_informer_wait_for_sync(self._handle, ms), timeout)

    @property
    def has_synced(self) -> bool:
        synced: bool = lib.kc_informer_has_synced(self._handle) == 1
        return synced

    # -- lister

    # Lister reads return plain dicts, decoded at once with the GC paused: callers often change
    # and send what they read, and a list comes as one JSON array, which the C decoder parses
    # faster than Python could cut it into per-object bytes for LazyObjects.

    # Argument order and defaults: C's kc_informer_get(informer, namespace, name) and
    # kc_informer_list(informer, namespace, label_selector). ``list`` takes the namespace first
    # as C does, the selector keyword-only (``list("app=x")`` used to read the selector as a
    # namespace and return nothing); ``get`` takes the name first so that ``get(name)`` works,
    # and the namespace keyword-only so the two cannot be swapped. Both default to the
    # informer's own namespace (``get(name)`` on a namespaced informer used to look in no
    # namespace and return None).

    def get(self, name: str, *, namespace: Optional[str] = None) -> Optional[ObjectT]:
        """The cached object ``name``, or None. ``namespace`` defaults to the informer's; a key
        "namespace/name" (``LazyObject.key``, a controller's work-queue key) also works."""
        if namespace is None:
            if "/" in name:  # names cannot contain "/": this is a key
                namespace, name = name.split("/", 1)
            else:
                namespace = self.namespace
        self._check_namespace(namespace)
        out = c_void_p()
        status = lib.kc_informer_get(self._handle, encode(namespace), encode(name), ctypes.byref(out))
        if status == Status.NOT_FOUND:
            return None
        if status != Status.OK:
            raise last_error(status)
        from ._native import take_string
        found: ObjectT = _json.loads(take_string(out), "the cached object")
        return found

    def list(self, namespace: Optional[str] = None, *, label_selector: Optional[str] = None) -> List[ObjectT]:
        """The cached objects of ``namespace`` (default: the informer's; all namespaces for
        an informer of every namespace) matching ``label_selector``."""
        if namespace is None:
            namespace = self.namespace
        self._check_namespace(namespace)
        found: List[ObjectT] = _json.loads(call_string_local(lib.kc_informer_list, self._handle, encode(namespace),
                                                             encode(label_selector)), "the cached objects")
        return found

    def _check_namespace(self, namespace: Optional[str]) -> None:
        """A namespace argument that cannot match anything is a mistake, not an empty answer."""
        if not namespace:
            return
        if not _NAMESPACE.fullmatch(namespace):
            hint = " (a label selector? pass label_selector=...)" if any(c in namespace for c in "=!(), ") else ""
            raise InvalidArgument(f"{namespace!r} is not a namespace name{hint}", status=Status.INVALID_ARGUMENT)
        if self.namespace and namespace != self.namespace:
            raise InvalidArgument(f"this informer caches namespace {self.namespace!r} only, not {namespace!r}",
                                  status=Status.INVALID_ARGUMENT)

    def by_index(self, index_name: str, value: str) -> List[ObjectT]:
        found: List[ObjectT] = _json.loads(call_string_local(lib.kc_informer_by_index, self._handle,
                                                             encode(index_name), encode(value)))
        return found

    def index_keys(self, index_name: str, value: str) -> List[str]:
        keys: List[str] = _json.loads(call_string_local(lib.kc_informer_index_keys, self._handle, encode(index_name),
                                                        encode(value)))
        return keys

    # ``with informer:`` starts and stops, unlike every NativeHandle's ``with`` (which closes):
    # an Informer is borrowed from its factory and has nothing to close, and code written
    # against this (tests/test_informer.py) keeps working. Prefer the factory's start and with.
    def __enter__(self) -> "Informer[ObjectT]":
        """Starts the informer (see ``__exit__``)."""
        self.start()
        return self

    def __exit__(self, exc_type: object, *exc: object) -> None:
        """Stops the informer, raising what a handler raised unless the block raised."""
        if exc_type is None:
            self.stop()
            return
        check(lib.kc_informer_stop(self._handle))  # threads joined: no handler raises after this
        self._callback_errors.take()  # logged; the block's own exception propagates


# ---- factory -----------------------------------------------------------------------------

_live_factories: "weakref.WeakSet[InformerFactory]" = weakref.WeakSet()

#: Seconds the interpreter waits at exit for open informer factories to stop (their threads
#: joined) before it gives up on them, logs what it abandoned and exits anyway.
EXIT_TIMEOUT = 5.0

# What exit abandoned: kept referenced (never freed) because their threads may still call in.
_abandoned: List[Any] = []


@atexit.register
def _shutdown_all() -> None:
    """Library threads must be joined before the interpreter finalises, but a handler that
    never returns would make that join, and the exit, wait forever. So each factory is closed
    on a helper thread and waited for at most ``EXIT_TIMEOUT`` seconds in all; one still
    closing then is abandoned with a warning naming its informers and running handlers. Its
    threads are left to end with the process; its callbacks stay allocated, as they may
    still be called."""
    closers = []
    for factory in list(_live_factories):
        closer = threading.Thread(target=_close_quietly, args=(factory,), name="kubeclient-exit", daemon=True)
        try:
            closer.start()
        except RuntimeError:  # no threads at this point of shutdown: close here, unbounded
            _close_quietly(factory)
            continue
        closers.append((factory, closer))
    deadline = time.monotonic() + EXIT_TIMEOUT
    for factory, closer in closers:
        closer.join(max(0.0, deadline - time.monotonic()))
        if closer.is_alive():
            _abandoned.append(factory)
            # One reference that nothing releases, not even the module teardown at
            # finalisation: the factory's informers hold the ctypes callbacks its threads use.
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(factory))
            informers = list(factory._informers.values())
            busy = [f"{informer!r}: {handler}" for informer in informers for handler in informer._busy_handlers()]
            log.warning("exiting without stopping an informer factory: it did not stop within %.1f s "
                        "(EXIT_TIMEOUT); abandoned informers: %s; handlers still running: %s",
                        EXIT_TIMEOUT, ", ".join(repr(i) for i in informers) or "none",
                        "; ".join(busy) or "none")


def _close_quietly(factory: "InformerFactory") -> None:
    try:
        factory.close()
    except BaseException:  # noqa: BLE001 - exiting anyway; a handler's exception was logged
        pass


def _ms(seconds: Optional[float]) -> int:
    """Seconds to the C options' milliseconds; None is 0, the library's default."""
    return 0 if seconds is None else int(seconds * 1000)


class InformerFactory(NativeHandle, _InformerTyping):
    """Hands out one shared ``Informer`` per (resource, namespace, selectors, metadata-only).
    As a context manager it shuts every informer down (joining their threads) on exit."""

    def __init__(self, client: Any, *, drop_managed_fields: bool = False, page_size: Optional[int] = None,
                 idle_timeout: Optional[float] = None, streaming_list: bool = False,
                 backoff_initial: Optional[float] = None, backoff_max: Optional[float] = None) -> None:
        """``page_size``: items per initial-list page (default 500; a negative value lists
        unpaged). ``idle_timeout``: seconds of silence after which a watch is re-established.
        ``streaming_list``: get the initial state from a streaming list (``sendInitialEvents``),
        falling back to paged lists where the server refuses. ``backoff_initial`` /
        ``backoff_max``: seconds between list/watch retries (default 0.8 doubling to 30)."""
        self._client = client  # the factory must not outlive its client
        options = kc_informer_factory_options(FACTORY_OPTIONS_VERSION, 1 if drop_managed_fields else 0,
                                              page_size or 0, _ms(idle_timeout), 1 if streaming_list else 0,
                                              _ms(backoff_initial), _ms(backoff_max))
        out = c_void_p()
        check(lib.kc_informer_factory_new(client.handle, ctypes.byref(options), ctypes.byref(out)))
        self._handle: Optional[int] = out.value
        self._informers: Dict[int, Informer[Any]] = {}
        _live_factories.add(self)

    if not TYPE_CHECKING:  # type checkers see the overloads of models/_typed.pyi instead
        def informer(self, api_version, resource, namespace=None, *, label_selector=None, field_selector=None,
                     metadata_only=False, model=None):
            """The shared informer for this resource (created on first request).

            Typing (no effect at run time): literal arguments naming a built-in resource give
            an ``Informer`` of its model (``Informer[Pod]``), ``model=`` any TypedDict (a CRD's),
            ``metadata_only=True`` ``Informer[PartialObjectMetadata]``, anything else
            ``Informer[dict[str, Any]]``."""
            return self._informer(api_version, resource, namespace, label_selector, field_selector, metadata_only)

    def _informer(self, api_version: str, resource: str, namespace: Optional[str], label_selector: Optional[str],
                  field_selector: Optional[str], metadata_only: bool) -> Informer[Any]:
        options = kc_informer_options(INFORMER_OPTIONS_VERSION, encode(label_selector), encode(field_selector),
                                      1 if metadata_only else 0)
        out = c_void_p()
        check(lib.kc_informer_factory_informer(self._require(), encode(api_version), encode(resource),
                                               encode(namespace), ctypes.byref(options), ctypes.byref(out)))
        handle = out.value or 0
        informer = self._informers.get(handle)
        if informer is None:
            informer = self._informers[handle] = Informer(self, handle, namespace, api_version, resource)
        return informer

    def start(self) -> None:
        check(lib.kc_informer_factory_start(self._require()))

    def wait_for_sync(self, timeout: Optional[float] = None) -> bool:
        """True once every informer and registration synced; False when ``timeout`` seconds
        passed (None: no limit). Ctrl-C interrupts it (KeyboardInterrupt) within 0.1 s."""
        return _wait_in_slices(lambda ms: lib.kc_informer_factory_wait_for_sync(self._require(), ms), timeout)

    def shutdown(self) -> None:
        """Stops every informer and joins their threads. Idempotent. Then raises the first
        exception a handler of its informers raised, if any (see ``Informer.add_handler``)."""
        if self._handle:
            check(lib.kc_informer_factory_shutdown(self._handle))
        self._reraise_callback_error()

    _what = "informer factory"

    def _release(self, handle: int) -> None:
        # Shuts down and frees the factory and its informers.
        lib.kc_informer_factory_free(handle)

    def close(self) -> None:
        """Shuts down and frees the factory and its informers. Idempotent. Then raises the
        first exception a handler raised, as ``shutdown`` does."""
        super().close()
        _live_factories.discard(self)
        self._reraise_callback_error()

    def _take_callback_error(self) -> Optional[BaseException]:
        first: Optional[BaseException] = None
        informers: Dict[int, Informer[Any]] = getattr(self, "_informers", {})  # {} when __init__ failed
        for informer in list(informers.values()):
            error = informer._callback_errors.take()
            first = first or error
        return first

    def _reraise_callback_error(self) -> None:
        self._raise_kept(self._take_callback_error())

    def _require(self) -> int:
        return self._live()
