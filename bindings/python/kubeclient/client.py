"""Client and Resource: every dynamic verb, discovery, manifests and raw requests."""
from __future__ import annotations

import copy
import ctypes
import json
import os
import threading
import time
from pathlib import Path
from typing import (TYPE_CHECKING, Any, Callable, Dict, Generic, List, Literal, Mapping, NamedTuple, Optional, Set,
                    Type, TypeVar, Union, overload)

from ._status import Status
from ._call import call_on_helper_if_main, call_string, check, last_error
from .errors import ApiError, InvalidArgument, Timeout
from . import _json, lazylist
from ._native import (APPLY_OPTIONS_VERSION, CLIENT_OPTIONS_VERSION, DELETE_OPTIONS_VERSION, LIST_OPTIONS_VERSION,
                      WRITE_OPTIONS_VERSION, encode, encode_bytes, kc_apply_options, kc_client_options,
                      kc_delete_options, kc_list_options, kc_write_options, lib, take_string)
from .config import Config
from .watch import DEFAULT_QUEUE_SIZE, Watch
from ._handle import NativeHandle
from ._typing import ObjectT

if TYPE_CHECKING:
    from .models import ObjectList, common, meta_v1
    from .lazylist import LazyObjectList
    # Typing overloads of Client.resource, generated: literal built-in resources give their model.
    from .models._typed import TypedResources as _ResourceTyping
    from .exec import Command, ExecResult, ExecSession, StdinData
    from .logs import PodLogStream, SinceTime
    from .portforward import PortForwarder, PortForwardSocket
else:
    _ResourceTyping = object

PATCH_TYPES = {"json": 0, "merge": 1, "strategic": 2}

#: API groups served by kube-apiserver itself (v1.3x), whose types support strategic merge
#: patch. Exact names, not a ".k8s.io" suffix rule: custom resources may use such a group too
#: (the samples' networks.samplecrd.k8s.io), and strategic merge patch of a custom resource
#: is refused (415).
BUILTIN_GROUPS = frozenset((
    "", "apps", "autoscaling", "batch", "policy", "extensions",
    "admissionregistration.k8s.io", "apiextensions.k8s.io", "apiregistration.k8s.io",
    "authentication.k8s.io", "authorization.k8s.io", "certificates.k8s.io", "coordination.k8s.io",
    "discovery.k8s.io", "events.k8s.io", "flowcontrol.apiserver.k8s.io", "internal.apiserver.k8s.io",
    "networking.k8s.io", "node.k8s.io", "rbac.authorization.k8s.io", "resource.k8s.io",
    "scheduling.k8s.io", "storage.k8s.io", "storagemigration.k8s.io",
))

Body = Union[Mapping[str, Any], str, bytes]


def _json_text(body: Body) -> bytes:
    """A body as the C string the library takes: JSON (or YAML) text; NUL refused."""
    if isinstance(body, bytes):
        return encode_bytes(body)
    if isinstance(body, str):
        return encode(body)  # type: ignore[return-value]
    if not isinstance(body, dict):
        body = dict(body)  # any Mapping, e.g. an informer's LazyObject: json.dumps takes dicts
    return json.dumps(body, separators=(",", ":")).encode("utf-8")


def _list_options(label_selector: Optional[str] = None, field_selector: Optional[str] = None,
                  limit: Optional[int] = None, continue_token: Optional[str] = None,
                  resource_version: Optional[str] = None, resource_version_match: Optional[str] = None,
                  timeout_seconds: Optional[int] = None, allow_watch_bookmarks: bool = False) -> kc_list_options:
    return kc_list_options(LIST_OPTIONS_VERSION, encode(label_selector), encode(field_selector), limit or 0,
                           encode(continue_token), encode(resource_version), encode(resource_version_match),
                           (timeout_seconds or 0) * 1000, 1 if allow_watch_bookmarks else 0)


def _delete_options(grace_period_seconds: Optional[int] = None, propagation_policy: Optional[str] = None,
                    precondition_uid: Optional[str] = None, precondition_resource_version: Optional[str] = None,
                    dry_run: bool = False) -> kc_delete_options:
    # The C struct counts milliseconds and flags "set" apart, so that 0 can mean "immediately".
    return kc_delete_options(DELETE_OPTIONS_VERSION, 0 if grace_period_seconds is None else 1,
                             0 if grace_period_seconds is None else grace_period_seconds * 1000,
                             encode(propagation_policy), encode(precondition_uid),
                             encode(precondition_resource_version), 1 if dry_run else 0)


#: The values of ``field_validation=``: what the server does with unknown or duplicate fields.
FIELD_VALIDATIONS = ("Ignore", "Warn", "Strict")


def _field_validation(value: Optional[str]) -> Optional[bytes]:
    if value is None:
        return None
    if value not in FIELD_VALIDATIONS:
        raise ValueError(f"field_validation must be one of {FIELD_VALIDATIONS} or None, not {value!r}")
    return value.encode()


def _apply_options(field_manager: Optional[str], force: bool, dry_run: bool = False,
                   field_validation: Optional[str] = None) -> kc_apply_options:
    return kc_apply_options(APPLY_OPTIONS_VERSION, encode(field_manager), 1 if force else 0, 1 if dry_run else 0,
                            _field_validation(field_validation))


def _write_options(dry_run: bool, field_manager: Optional[str], field_validation: Optional[str]) -> Any:
    """A ``kc_write_options`` by reference, or None (server defaults) when nothing is set."""
    if not dry_run and field_manager is None and field_validation is None:
        return None
    return ctypes.byref(kc_write_options(WRITE_OPTIONS_VERSION, encode(field_manager), 1 if dry_run else 0,
                                         _field_validation(field_validation)))


class Response(NamedTuple):
    """The answer of ``Client.request``: any HTTP status, with the body as bytes."""
    status_code: int
    body: bytes

    def json(self) -> Any:
        """The body decoded; ``DecodeError`` when it is not JSON."""
        return _json.loads(self.body, "the response body")


class Client(NativeHandle, _ResourceTyping):
    """A connection to one API server (kc_client). Thread-safe; close it (or use ``with``)."""

    #: Client-side rate limit of a Python client unless ``qps``/``burst`` say otherwise:
    #: kubectl's (50 requests/s, bursts of 300), not client-go's library default (5/10),
    #: because users of the official Python client, which has no limiter, would otherwise
    #: find ordinary scripts throttled. A request that waits over a second is logged.
    DEFAULT_QPS = 50.0
    DEFAULT_BURST = 300

    def __init__(self, config: Optional[Config] = None, *, qps: float = DEFAULT_QPS, burst: int = DEFAULT_BURST,
                 timeout: Optional[float] = None, user_agent: Optional[str] = None) -> None:
        """``config`` defaults to ``Config.load()``. ``qps``/``burst``: client-side rate limit
        (default ``DEFAULT_QPS``/``DEFAULT_BURST``, i.e. kubectl's 50/300; 0 = client-go's
        5/10; negative qps = unlimited); ``timeout``: seconds per request."""
        self._handle: Optional[int] = None
        # API groups seen refusing strategic merge patch (custom resources): see Resource.patch.
        self._merge_patch_groups: Set[str] = set()
        owned = config is None
        if config is None:
            config = Config.load()
        try:
            options = kc_client_options(CLIENT_OPTIONS_VERSION, float(qps), int(burst),
                                        int((timeout or 0) * 1000), encode(user_agent))
            out = ctypes.c_void_p()
            check(lib.kc_client_new(config.handle, ctypes.byref(options), ctypes.byref(out)))
            self._handle = out.value
        finally:
            if owned:
                config.close()

    @property
    def handle(self) -> int:
        return self._live()

    _what = "client"

    def _release(self, handle: int) -> None:
        # Stops this client's watches too.
        lib.kc_client_free(handle)

    # Dynamic client ---------------------------------------------------------------------------

    if not TYPE_CHECKING:  # type checkers see the overloads of models/_typed.pyi instead
        def resource(self, api_version, resource, namespace=None, *, model=None):
            """The verbs of one resource type, e.g. ``("apps/v1", "deployments", namespace="default")``.
            ``resource`` may name a subresource, "deployments/status".

            Typing (no effect at run time): with literal arguments naming a built-in resource the
            result is typed by its model (``Resource[Deployment]``); ``model=`` names any TypedDict
            (a CRD's, from ``kubeclient-gen crd --python``); otherwise objects are
            ``dict[str, Any]``. See ``Resource``."""
            return Resource(self, api_version, resource, namespace, model=model)

    # Discovery --------------------------------------------------------------------------------

    def server_version(self) -> "common.Info":
        info: common.Info = _json.loads(call_string(lib.kc_server_version, self.handle))
        return info

    def server_groups(self) -> "meta_v1.APIGroupList":
        """An APIGroupList: ``{"groups": [{"name", "versions", "preferredVersion"}, ...]}``."""
        groups: meta_v1.APIGroupList = _json.loads(call_string(lib.kc_server_groups, self.handle))
        return groups

    def server_resources(self, group_version: str) -> "meta_v1.APIResourceList":
        """An APIResourceList of ``group_version`` ("v1", "apps/v1")."""
        resources: meta_v1.APIResourceList = _json.loads(call_string(lib.kc_server_resources, self.handle,
                                                                     encode(group_version)))
        return resources

    def preferred_resources(self) -> "List[meta_v1.APIResourceList]":
        """One APIResourceList per group's preferred version, subresources excluded."""
        lists: List[meta_v1.APIResourceList] = _json.loads(call_string(lib.kc_server_preferred_resources,
                                                                       self.handle))
        return lists

    def invalidate_discovery(self) -> None:
        check(lib.kc_discovery_invalidate(self.handle))

    # Manifests and raw requests ---------------------------------------------------------------

    def apply_manifest(self, text_or_path: Union[str, "os.PathLike[str]"], *, namespace: Optional[str] = None,
                       field_manager: Optional[str] = None, force: bool = False) -> List[Dict[str, Any]]:
        """Server-side applies every object of a YAML/JSON manifest (text, or a file path) and
        returns them as the server stored them."""
        if isinstance(text_or_path, os.PathLike):
            text = _read_manifest(Path(text_or_path))
        elif _looks_like_path(text_or_path):
            # One line with no mapping or flow syntax cannot be a manifest: it names a file,
            # and a missing one must say so rather than fail to decode the name as YAML.
            text = _read_manifest(Path(text_or_path))
        else:
            text = text_or_path
        options = _apply_options(field_manager, force)
        applied: List[Dict[str, Any]] = _json.loads(call_string(lib.kc_apply_manifest, self.handle, encode(text),
                                                                encode(namespace), ctypes.byref(options)))
        return applied

    def request(self, method: str, path: str, body: Optional[Body] = None,
                content_type: Optional[str] = None) -> Response:
        """Any request by path; returns whatever status the server answered."""
        response: Response = call_on_helper_if_main(lambda: self._request(method, path, body, content_type))
        return response

    def _request(self, method: str, path: str, body: Optional[Body] = None, content_type: Optional[str] = None,
                 cancel: Optional["_CancelToken"] = None) -> Response:
        """``request``, cancellable through ``cancel`` (``Cancelled`` once it is cancelled)."""
        data = None if body is None else _json_text(body)
        code = ctypes.c_int()
        out = ctypes.c_void_p()
        length = ctypes.c_size_t()
        status = lib.kc_request_ext(self.handle, encode(method), encode(path), data, len(data or b""),
                                    encode(content_type), cancel._live() if cancel else None, ctypes.byref(code),
                                    ctypes.byref(out), ctypes.byref(length))
        if status != Status.OK:
            raise last_error(status)
        try:
            payload = ctypes.string_at(out.value, length.value) if out.value else b""
        finally:
            lib.kc_free(out.value)
        return Response(code.value, payload)

    # Pod logs, exec, attach, port-forward (streams.h) -------------------------------------------

    def pod_logs(self, name: str, namespace: str, *, container: Optional[str] = None,
                 follow: bool = False, previous: bool = False, since_seconds: Optional[int] = None,
                 since_time: Optional["SinceTime"] = None, timestamps: bool = False,
                 tail_lines: Optional[int] = None, limit_bytes: Optional[int] = None,
                 insecure_skip_tls_verify_backend: bool = False, timeout: Optional[float] = None) -> str:
        """The log of pod ``name`` (``GET .../pods/NAME/log``) as text (UTF-8; undecodable
        bytes become U+FFFD). For a log as it arrives, see ``stream_pod_logs``.

        Options, as ``kubectl logs``: ``container`` (needed when the pod has several),
        ``follow`` (``-f``: keep the request open for new lines and return the whole log when
        the stream ends — the container ended or the pod was deleted), ``previous`` (the
        previous, terminated container), ``since_seconds`` / ``since_time`` (only newer lines;
        ``since_time`` an RFC 3339 string or an aware ``datetime``), ``timestamps`` (prefix
        every line with its time), ``tail_lines`` (only the last N lines), ``limit_bytes``
        (stop after this many bytes), ``insecure_skip_tls_verify_backend``.

        ``timeout`` (seconds, None: no limit) raises ``Timeout``; Ctrl-C raises
        KeyboardInterrupt within 0.1 s, also while following. Either cancels the request (the
        library's ``kc_cancel``): its connection is closed, nothing goes on in the background.
        Errors: ``NotFound`` for a missing pod, ``ApiError`` (400) for an unknown container or
        a missing ``container`` on a pod with several, ``TransportError``, ``InvalidArgument``
        for a negative count.
        """
        from .logs import read_pod_logs
        return read_pod_logs(self, name, namespace, timeout, container=container, follow=follow,
                             previous=previous, since_seconds=since_seconds, since_time=since_time,
                             timestamps=timestamps, tail_lines=tail_lines, limit_bytes=limit_bytes,
                             insecure_skip_tls_verify_backend=insecure_skip_tls_verify_backend)

    def stream_pod_logs(self, name: str, namespace: str, *, container: Optional[str] = None,
                        follow: bool = False, previous: bool = False, since_seconds: Optional[int] = None,
                        since_time: Optional["SinceTime"] = None, timestamps: bool = False,
                        tail_lines: Optional[int] = None, limit_bytes: Optional[int] = None,
                        insecure_skip_tls_verify_backend: bool = False,
                        timeout: Optional[float] = None) -> "PodLogStream":
        """The log of pod ``name`` as a stream: ``for line in stream`` yields its lines
        (``str`` without the newline), ``stream.iter_bytes()`` its raw chunks, ``async for``
        both on an asyncio loop; see ``PodLogStream``. Like ``kubectl logs -f`` with
        ``follow=True``::

            with client.stream_pod_logs("web", "default", follow=True, tail_lines=10) as log:
                for line in log:
                    print(line)

        Options as for ``pod_logs``. Returns once the server answered, so a missing pod
        (``NotFound``) or container (``ApiError`` 400) is raised here; ``timeout`` bounds that
        wait only. ``close()`` or Ctrl-C end the stream within 0.5 s.
        """
        from .logs import open_pod_log_stream
        return open_pod_log_stream(self, name, namespace, timeout, container=container, follow=follow,
                                   previous=previous, since_seconds=since_seconds, since_time=since_time,
                                   timestamps=timestamps, tail_lines=tail_lines, limit_bytes=limit_bytes,
                                   insecure_skip_tls_verify_backend=insecure_skip_tls_verify_backend)

    def exec(self, name: str, namespace: str, command: "Command", *, container: Optional[str] = None,
             stdin: Optional["StdinData"] = None, tty: bool = False, text: bool = True,
             timeout: Optional[float] = None) -> "ExecResult":
        """Runs ``command`` in a container of pod ``name`` and returns its ``ExecResult``
        ``(exit_code, stdout, stderr)`` once it ended, like ``kubectl exec POD -- CMD``::

            result = client.exec("web", "default", ["sh", "-c", "ls /; exit 3"])
            result.exit_code, result.stdout    # (3, "bin\n...")

        ``command`` is a list of words (a single string is one word, not a shell line).
        ``stdin`` (bytes, or str sent as UTF-8) is the command's whole input, followed by
        end-of-file; None gives it none. ``tty=True`` runs it on a terminal (stderr merged into
        stdout). Output is ``str`` (UTF-8, undecodable bytes as U+FFFD), ``bytes`` with
        ``text=False``. A non-zero exit status is a result, not an error.

        ``timeout`` (seconds, None: no limit) raises ``Timeout``; Ctrl-C raises
        KeyboardInterrupt within 0.1 s; either ends the session. Errors: ``NotFound`` for a
        missing pod, ``ApiError`` (400) for an unknown container, ``TransportError`` for a
        refused upgrade or a broken connection. For an interactive session see ``exec_stream``.
        """
        from .exec import run_exec
        return run_exec(self, name, namespace, command, container=container, stdin=stdin, tty=tty,
                        timeout=timeout, text=text)

    def exec_stream(self, name: str, namespace: str, command: "Command", *, container: Optional[str] = None,
                    stdin: bool = False, tty: bool = False, text: bool = False,
                    timeout: Optional[float] = None) -> "ExecSession":
        """Starts ``command`` in a container of pod ``name`` and returns the running
        ``ExecSession``: file-like ``stdin`` (with ``stdin=True``), ``stdout``, ``stderr``
        (bytes, or str with ``text=True``), ``resize()``, ``wait() -> exit code``::

            with client.exec_stream("web", "default", ["cat"], stdin=True) as session:
                session.stdin.write(b"hello\n")
                print(session.stdout.readline())
                session.stdin.close()
                print(session.wait())

        Returns once the server accepted the session, so a missing pod (``NotFound``) or
        container (``ApiError`` 400) is raised here; ``timeout`` bounds that wait only.
        """
        from .exec import start_exec
        return start_exec(self, name, namespace, command, container=container, stdin=stdin, tty=tty, text=text,
                          timeout=timeout)

    def attach(self, name: str, namespace: str, *, container: Optional[str] = None, stdin: bool = False,
               tty: bool = False, text: bool = False, timeout: Optional[float] = None) -> "ExecSession":
        """Attaches to the main process of a container of pod ``name`` (``kubectl attach``):
        an ``ExecSession`` as ``exec_stream`` returns, on the process already running."""
        from .exec import start_attach
        return start_attach(self, name, namespace, container=container, stdin=stdin, tty=tty, text=text,
                            timeout=timeout)

    def port_forward(self, name: str, namespace: str, port: int, *,
                     timeout: Optional[float] = None) -> "PortForwardSocket":
        """Opens one connection to ``port`` of pod ``name`` over the API server and returns it
        as a socket-like ``PortForwardSocket`` (``sendall``, ``recv``, ``shutdown``, ``close``)::

            with client.port_forward("redis", "default", 6379) as conn:
                conn.sendall(b"PING\r\n")
                print(conn.recv(100))

        ``NotFound`` for a missing pod; nothing listening on the port is raised by the first
        ``recv`` (``ApiError``). ``timeout`` bounds the opening only.
        """
        from .portforward import open_port_forward
        return open_port_forward(self, name, namespace, port, timeout)

    def port_forwarder(self, name: str, namespace: str, remote_port: int, *, local_port: int = 0,
                       address: str = "127.0.0.1") -> "PortForwarder":
        """Listens on ``address:local_port`` (0: a free port, see ``.local_port``) and forwards
        every connection to ``remote_port`` of pod ``name``, like ``kubectl port-forward POD
        LOCAL:REMOTE``; returns the running ``PortForwarder``::

            with client.port_forwarder("web", "default", 8080) as forwarder:
                urllib.request.urlopen(f"http://127.0.0.1:{forwarder.local_port}/")

        ``TransportError`` when the address is in use. ``stop()``/``close()`` close every
        forwarded connection.
        """
        from .portforward import PortForwarder
        return PortForwarder(self, name, namespace, remote_port, local_port, address)


class _CancelToken(NativeHandle):
    """A ``kc_cancel`` token. ``cancel()`` may come from another thread than the call using it;
    a lock keeps it from reaching the library after ``close()`` freed the token."""

    _what = "cancellation token"

    def __init__(self) -> None:
        self._lock = threading.Lock()
        handle = ctypes.c_void_p()
        check(lib.kc_cancel_new(ctypes.byref(handle)))
        self._handle = handle.value

    def cancel(self) -> None:
        """Ends the call using the token (with ``Cancelled``); a no-op once closed."""
        with self._lock:
            if self._handle:
                check(lib.kc_cancel_cancel(self._handle))

    def close(self) -> None:
        with self._lock:
            super().close()

    def _release(self, handle: int) -> None:
        lib.kc_cancel_free(handle)


#: How long a blocking call waits for its worker thread at a time: Python runs signal handlers
#: only between bytecodes of the main thread, so short slices let Ctrl-C through within 0.1 s.
WAIT_SLICE = 0.1
#: How long an interrupted call waits for its cancelled worker to end before raising: short,
#: so Ctrl-C still lands within 0.5 s. A cancelled request ends within about a second (curl's
#: progress tick; at once for streams); after this wait it ends on its daemon thread.
CANCEL_WAIT = 0.1

T = TypeVar("T")

def _run_interruptibly(call: Callable[[], T], timeout: Optional[float], what: str,
                       cancel: Optional[Callable[[], None]] = None) -> T:
    """Runs ``call`` on a worker thread and waits for it in ``WAIT_SLICE`` slices, so that
    Ctrl-C (KeyboardInterrupt) and ``timeout`` (``Timeout``) end the caller's wait promptly.

    On either, ``cancel`` (which makes ``call`` return soon, e.g. a ``kc_cancel`` token's cancel)
    is called and the worker awaited up to ``CANCEL_WAIT``, so the work really stops; without
    ``cancel`` the abandoned call would go on on its daemon thread until it ends by itself.
    """
    if timeout is not None and (timeout != timeout or timeout < 0):  # NaN or negative
        raise InvalidArgument(f"timeout must be a non-negative number of seconds, not {timeout!r}")
    outcome: List[Any] = []
    done = threading.Event()

    def run() -> None:
        # The library's last-error record is per thread: errors are built here, on this thread.
        try:
            outcome.append((True, call()))
        except BaseException as error:  # re-raised in the caller
            outcome.append((False, error))
        finally:
            done.set()

    threading.Thread(target=run, name=f"kubeclient {what}", daemon=True).start()
    deadline = None if timeout is None else time.monotonic() + timeout
    try:
        while not done.is_set():
            remaining = WAIT_SLICE if deadline is None else deadline - time.monotonic()
            if remaining <= 0:
                raise Timeout(f"{what}: no answer within {timeout:g} s", status=Status.TIMEOUT)
            done.wait(min(WAIT_SLICE, remaining))
    except BaseException:
        if cancel is not None:
            cancel()
            done.wait(CANCEL_WAIT)
        raise
    ok, value = outcome[0]
    if ok:
        result: T = value
        return result
    raise value


def _is_json_patch(body: Union[Body, List[Any]]) -> bool:
    if isinstance(body, list):
        return True
    if isinstance(body, (str, bytes)):
        return body.lstrip()[:1] in ("[", b"[")
    return False


class Resource(Generic[ObjectT]):
    """Every verb on one resource type (client-go's dynamic ResourceInterface); objects are dicts.

    Typed for type checkers by ``ObjectT``, the objects' TypedDict (kubeclient.models), without
    any run-time cost: ``client.resource("v1", "pods")`` is a ``Resource[Pod]`` whose ``get``
    returns a ``Pod`` and ``list`` an ``ObjectList[Pod]``, so ``pod["spec"]["containers"][0]``
    is completed and checked; ``client.resource(API, "networks", model=Network)`` does the same
    for a custom resource. The values are the plain dicts ``json.loads`` made, whatever the type.
    """

    @overload
    def __init__(self: "Resource[Dict[str, Any]]", client: Client, api_version: str, resource: str,
                 namespace: Optional[str] = None, *, model: None = None) -> None: ...

    @overload
    def __init__(self, client: Client, api_version: str, resource: str, namespace: Optional[str] = None, *,
                 model: Type[ObjectT]) -> None: ...

    def __init__(self, client: Client, api_version: str, resource: str, namespace: Optional[str] = None, *,
                 model: Optional[Type[ObjectT]] = None) -> None:
        self.client = client
        self.api_version = api_version
        self.resource = resource
        self.namespace = namespace
        #: The objects' TypedDict, if one was given: for type checkers and readers, unused at run time.
        self.model = model

    def __repr__(self) -> str:
        return f"Resource({self.api_version!r}, {self.resource!r}, namespace={self.namespace!r})"

    def in_namespace(self, namespace: Optional[str]) -> "Resource[ObjectT]":
        other = copy.copy(self)
        other.namespace = namespace
        return other

    def _args(self) -> "tuple[int, Optional[bytes], Optional[bytes], Optional[bytes]]":
        return (self.client.handle, encode(self.api_version), encode(self.resource), encode(self.namespace))

    def get(self, name: str) -> ObjectT:
        found: ObjectT = _json.loads(call_string(lib.kc_get, *self._args(), encode(name)))
        return found

    @overload
    def list(self, *, label_selector: Optional[str] = None, field_selector: Optional[str] = None,
             limit: Optional[int] = None, continue_token: Optional[str] = None,
             resource_version: Optional[str] = None, resource_version_match: Optional[str] = None,
             timeout_seconds: Optional[int] = None, lazy: Literal[False] = False) -> "ObjectList[ObjectT]": ...

    @overload
    def list(self, *, label_selector: Optional[str] = None, field_selector: Optional[str] = None,
             limit: Optional[int] = None, continue_token: Optional[str] = None,
             resource_version: Optional[str] = None, resource_version_match: Optional[str] = None,
             timeout_seconds: Optional[int] = None, lazy: Literal[True]) -> "LazyObjectList[ObjectT]": ...

    @overload
    def list(self, *, label_selector: Optional[str] = None, field_selector: Optional[str] = None,
             limit: Optional[int] = None, continue_token: Optional[str] = None,
             resource_version: Optional[str] = None, resource_version_match: Optional[str] = None,
             timeout_seconds: Optional[int] = None,
             lazy: bool) -> "Union[ObjectList[ObjectT], LazyObjectList[ObjectT]]": ...

    def list(self, *, label_selector: Optional[str] = None, field_selector: Optional[str] = None,
             limit: Optional[int] = None, continue_token: Optional[str] = None,
             resource_version: Optional[str] = None, resource_version_match: Optional[str] = None,
             timeout_seconds: Optional[int] = None,
             lazy: bool = False) -> "Union[ObjectList[ObjectT], LazyObjectList[ObjectT]]":
        """One LIST call (one page when ``limit`` is set; see ``metadata.continue``).

        ``lazy=True``: the items are ``LazyObject``s over each item's bytes, decoded when read
        (``kubeclient.lazylist``); the list is split by the library, not parsed. Much faster for
        big lists of which only some fields or items are read."""
        options = _list_options(label_selector, field_selector, limit, continue_token, resource_version,
                                resource_version_match, timeout_seconds)
        if lazy:
            lazy_found: LazyObjectList[ObjectT] = lazylist.fetch(lib.kc_list_items, *self._args(),
                                                                 ctypes.byref(options))
            return lazy_found
        found: ObjectList[ObjectT] = _json.loads(call_string(lib.kc_list, *self._args(), ctypes.byref(options)))
        return found

    @overload
    def list_all(self, *, label_selector: Optional[str] = None, field_selector: Optional[str] = None,
                 page_size: Optional[int] = None, lazy: Literal[False] = False) -> "ObjectList[ObjectT]": ...

    @overload
    def list_all(self, *, label_selector: Optional[str] = None, field_selector: Optional[str] = None,
                 page_size: Optional[int] = None, lazy: Literal[True]) -> "LazyObjectList[ObjectT]": ...

    @overload
    def list_all(self, *, label_selector: Optional[str] = None, field_selector: Optional[str] = None,
                 page_size: Optional[int] = None,
                 lazy: bool) -> "Union[ObjectList[ObjectT], LazyObjectList[ObjectT]]": ...

    def list_all(self, *, label_selector: Optional[str] = None, field_selector: Optional[str] = None,
                 page_size: Optional[int] = None,
                 lazy: bool = False) -> "Union[ObjectList[ObjectT], LazyObjectList[ObjectT]]":
        """Every item, following continue tokens. ``lazy=True``: items are ``LazyObject``s, as in ``list``."""
        options = _list_options(label_selector, field_selector, page_size)
        if lazy:
            lazy_found: LazyObjectList[ObjectT] = lazylist.fetch(lib.kc_list_all_items, *self._args(),
                                                                 ctypes.byref(options))
            return lazy_found
        found: ObjectList[ObjectT] = _json.loads(call_string(lib.kc_list_all, *self._args(), ctypes.byref(options)))
        return found

    def create(self, body: Body, *, dry_run: bool = False, field_manager: Optional[str] = None,
               field_validation: Optional[str] = None) -> ObjectT:
        """Creates an object (dict, or JSON/YAML text); returns it as stored.

        Write options, as in client-go's ``metav1.CreateOptions`` (all default to the server's):
        ``dry_run=True`` validates and admits without storing, returning the object as it would
        have been created; ``field_manager`` names the actor in ``metadata.managedFields``;
        ``field_validation`` is "Ignore", "Warn" (the server default: unknown fields dropped with
        a warning) or "Strict" (unknown fields refused with ``ApiError``, HTTP 400). The same
        keywords work on ``update``, ``patch`` and ``apply``."""
        options = _write_options(dry_run, field_manager, field_validation)
        created: ObjectT = _json.loads(call_string(lib.kc_create_ext, *self._args(), _json_text(body), options))
        return created

    def update(self, body: Body, *, dry_run: bool = False, field_manager: Optional[str] = None,
               field_validation: Optional[str] = None) -> ObjectT:
        """Replaces an object (its metadata.resourceVersion guards it: ``Conflict`` when it
        changed meanwhile). Write options as for ``create``."""
        options = _write_options(dry_run, field_manager, field_validation)
        updated: ObjectT = _json.loads(call_string(lib.kc_update_ext, *self._args(), _json_text(body), options))
        return updated

    def update_status(self, body: Body) -> ObjectT:
        updated: ObjectT = _json.loads(call_string(lib.kc_update_status, *self._args(), _json_text(body)))
        return updated

    def patch(self, name: str, body: Union[Body, List[Any]], patch_type: Optional[str] = None, *,
              type: Optional[str] = None, dry_run: bool = False, field_manager: Optional[str] = None,
              field_validation: Optional[str] = None) -> ObjectT:
        """Patches ``name``; returns the patched object. Write options (``dry_run``,
        ``field_manager``, ``field_validation``) as for ``create``.

        ``patch_type`` is "json" (RFC 6902, a list of operations), "merge" (RFC 7386) or
        "strategic" (Kubernetes strategic merge patch). Without it the body decides, as in the
        official Python client: a list (or JSON text starting with ``[``) is a JSON patch; an
        object is a strategic merge patch for built-in types — so patching one container's
        image keeps the other containers, where a merge patch would replace the whole list —
        and a merge patch for custom resources, which do not support strategic merge.

        Built-in or custom is told by the API group: the groups of ``BUILTIN_GROUPS`` are
        built-in; groups with a dot outside ``.k8s.io`` (``example.com``) are custom. For the
        rest (an unknown ``*.k8s.io`` or dot-less group) a strategic merge patch is tried
        first, and when the server refuses it (415 Unsupported Media Type, as for every custom
        resource) the patch is sent again as a merge patch and the group remembered by the
        client. ``type=`` is the former name of ``patch_type``."""
        if type is not None:
            if patch_type is not None and patch_type != type:
                raise TypeError("patch(): give patch_type or type, not both")
            patch_type = type
        text = encode_bytes(json.dumps(body).encode()) if isinstance(body, list) else _json_text(body)
        options = _write_options(dry_run, field_manager, field_validation)
        if patch_type is None:
            if _is_json_patch(body):
                patch_type = "json"
            else:
                return self._patch_object(name, text, options)
        if patch_type not in PATCH_TYPES:
            raise ValueError(f"patch type must be one of {sorted(PATCH_TYPES)}, not {patch_type!r}")
        return self._patch(name, patch_type, text, options)

    def _patch(self, name: str, patch_type: str, text: bytes, options: Any = None) -> ObjectT:
        patched: ObjectT = _json.loads(call_string(lib.kc_patch_ext, *self._args(), encode(name),
                                                   PATCH_TYPES[patch_type], text, options))
        return patched

    def _patch_object(self, name: str, text: bytes, options: Any = None) -> ObjectT:
        """An object patch without an explicit type: strategic for built-in types, merge for
        custom resources (see ``patch``)."""
        group = self.api_version.rpartition("/")[0]
        merge_groups = self.client._merge_patch_groups
        if group in BUILTIN_GROUPS:
            return self._patch(name, "strategic", text, options)
        if group in merge_groups or ("." in group and not group.endswith(".k8s.io")):
            return self._patch(name, "merge", text, options)
        try:
            return self._patch(name, "strategic", text, options)
        except ApiError as error:
            if error.http_code != 415:
                raise
        merge_groups.add(group)
        return self._patch(name, "merge", text, options)

    def apply(self, body: Body, *, field_manager: Optional[str] = None, force: bool = False,
              dry_run: bool = False, field_validation: Optional[str] = None) -> ObjectT:
        """Server-side apply of one object (dict, or JSON/YAML text). ``field_manager`` defaults
        to "kubeclient"; ``force`` takes over fields other managers own; ``dry_run`` and
        ``field_validation`` as for ``create``."""
        options = _apply_options(field_manager, force, dry_run, field_validation)
        applied: ObjectT = _json.loads(call_string(lib.kc_apply, *self._args(), _json_text(body),
                                                   ctypes.byref(options)))
        return applied

    def delete(self, name: str, *, grace_period_seconds: Optional[int] = None,
               propagation_policy: Optional[str] = None, precondition_uid: Optional[str] = None,
               precondition_resource_version: Optional[str] = None, dry_run: bool = False) -> Dict[str, Any]:
        """Deletes ``name``; returns the server's answer (the object, or a Status: so typed as a
        plain dict)."""
        options = _delete_options(grace_period_seconds, propagation_policy, precondition_uid,
                                  precondition_resource_version, dry_run)
        answer: Dict[str, Any] = _json.loads(call_string(lib.kc_delete, *self._args(), encode(name),
                                                         ctypes.byref(options)) or "{}")
        return answer

    def delete_collection(self, *, label_selector: Optional[str] = None, field_selector: Optional[str] = None,
                          grace_period_seconds: Optional[int] = None,
                          propagation_policy: Optional[str] = None) -> Dict[str, Any]:
        list_options = _list_options(label_selector, field_selector)
        options = _delete_options(grace_period_seconds, propagation_policy)
        text = call_string(lib.kc_delete_collection, *self._args(), ctypes.byref(list_options),
                           ctypes.byref(options))
        answer: Dict[str, Any] = _json.loads(text) if text else {}
        return answer

    def watch(self, *, resource_version: Optional[str] = None, label_selector: Optional[str] = None,
              field_selector: Optional[str] = None, timeout_seconds: Optional[int] = None,
              allow_watch_bookmarks: bool = False, queue_size: int = DEFAULT_QUEUE_SIZE,
              resume: bool = False) -> "Watch[ObjectT]":
        """Starts a watch; iterate the result for ``WatchEvent``s, ``stop()``/``close()`` to end it.
        At most ``queue_size`` events wait for the consumer; beyond that the stream is read
        only as fast as they are consumed (see ``Watch``).

        A plain watch ends with the stream, raising ``Gone`` when its resourceVersion is too
        old. With ``resume=True`` it does not end by itself (client-go's RetryWatcher): dropped
        streams are resumed from the last resourceVersion, a 410 makes it list again and yield
        what changed meanwhile as ADDED/MODIFIED/DELETED, and BOOKMARK events are yielded; with
        no ``resource_version`` it first yields every object as ADDED."""
        options = _list_options(label_selector, field_selector, None, None, resource_version, None,
                                timeout_seconds, allow_watch_bookmarks)
        return Watch(self.client, self.api_version, self.resource, self.namespace, ctypes.byref(options),
                     queue_size, resume=resume)


def _looks_like_path(text: str) -> bool:
    stripped = text.strip()
    return bool(stripped) and "\n" not in stripped and not any(c in stripped for c in ":{[")


def _read_manifest(path: Path) -> str:
    try:
        return path.read_text()
    except FileNotFoundError:
        raise FileNotFoundError(f"manifest file not found: {path}") from None

