"""Shared by test_streams_*.py: pods to stream from, Ctrl-C aimed at a blocked call, and
counts of the process's threads and descriptors to show that nothing leaked."""
from __future__ import annotations

import os
import signal
import sys
import threading
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional

import pytest

import kubeclient
import waiting

ROOT = Path(__file__).resolve().parents[3]

#: How long a condition that should come true at once may take before a test fails.
PATIENCE = 10.0


def pod(name: str, containers: List[str] = ["main"]) -> dict:  # noqa: B006 - never mutated
    return {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name},
            "spec": {"containers": [{"name": c, "image": "busybox"} for c in containers]}}


def create_pod(client: kubeclient.Client, namespace: str, name: str, containers: List[str] = ["main"]) -> None:  # noqa: B006
    client.resource("v1", "pods", namespace).create(pod(name, containers))


def append_log(client: kubeclient.Client, namespace: str, name: str, *lines: str, container: str = "main") -> None:
    response = client.request("POST", "/_testserver/logs",
                              {"namespace": namespace, "pod": name, "container": container, "lines": list(lines)})
    assert response.status_code < 300, response.body


def eventually(condition: Callable[[], bool], what: str, patience: float = PATIENCE) -> None:
    """Awaits ``condition`` (polling); fails naming ``what`` after ``patience`` seconds."""
    if not waiting.eventually(condition, patience):
        raise AssertionError(f"not within {patience} s: {what}")


def os_threads() -> int:
    """Threads of this process as the kernel counts them (library threads included)."""
    return len(os.listdir("/proc/self/task"))


def open_fds() -> int:
    return len(os.listdir("/proc/self/fd"))


class Resources:
    """Python threads, OS threads and descriptors now, to compare with after a close."""

    def __init__(self) -> None:
        self.before = self.now()

    @staticmethod
    def now() -> Dict[str, int]:
        return {"python threads": threading.active_count(), "os threads": os_threads(), "fds": open_fds()}

    def assert_released(self) -> None:
        """Awaits every count back at (or below) where it was: an ended worker thread may
        take a moment to be gone, a leaked one never goes."""
        try:
            eventually(lambda: all(self.now()[k] <= v for k, v in self.before.items()), "resources released")
        except AssertionError:
            raise AssertionError(f"leaked: before {self.before}, after {self.now()}") from None


def _blocked_in(frame_names: List[str], thread_id: int, module: str = "kubeclient") -> bool:
    frame = sys._current_frames().get(thread_id)
    while frame is not None:
        if frame.f_code.co_name in frame_names and module in frame.f_code.co_filename:
            return True
        frame = frame.f_back
    return False


def await_blocked(thread_id: int, frame_names: List[str], module: str = "kubeclient",
                  cancelled: Optional[threading.Event] = None) -> bool:
    """Awaits thread ``thread_id`` blocked inside one of the functions ``frame_names`` of
    ``module`` (the binding unless told otherwise); False when it never was within PATIENCE."""
    deadline = time.monotonic() + PATIENCE
    while not (cancelled and cancelled.is_set()) and time.monotonic() < deadline:
        if _blocked_in(frame_names, thread_id, module):
            # Still blocked a moment later: waiting, not passing through.
            time.sleep(0.05)
            if _blocked_in(frame_names, thread_id, module):
                return True
        time.sleep(0.005)
    return False


class CloseWhenBlocked:
    """Calls ``close`` from another thread once this (main) thread is blocked inside one of
    ``frame_names`` (see ``await_blocked``): the close then ends a call that nothing else would
    end, instead of racing it after a fixed sleep. ``join()`` says whether it was blocked."""

    def __init__(self, close: Callable[[], None], *frame_names: str, module: str = "kubeclient") -> None:
        self._target = threading.main_thread().ident or 0
        self._close = close
        self._args = (list(frame_names), module)
        self.was_blocked = False
        self._thread = threading.Thread(target=self._run, name="closer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        names, module = self._args
        self.was_blocked = await_blocked(self._target, names, module)
        self._close()

    def join(self) -> bool:
        self._thread.join()
        return self.was_blocked


class CtrlC:
    """Sends SIGINT to this (main) thread once it is blocked inside one of the binding's
    functions named ``frame_names`` — so the KeyboardInterrupt lands in the blocking call, never
    before or after it — and records when (``sent``)."""

    def __init__(self, *frame_names: str) -> None:
        assert threading.current_thread() is threading.main_thread()
        self.sent: Optional[float] = None
        self._target = threading.main_thread().ident or 0
        self._names = list(frame_names)
        self._cancelled = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ctrl-c", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        if await_blocked(self._target, self._names, cancelled=self._cancelled):
            self.sent = time.monotonic()
            signal.pthread_kill(self._target, signal.SIGINT)

    def assert_sent(self) -> None:
        """The call blocks for an hour unless the SIGINT ends it: reaching here after the
        KeyboardInterrupt is the proof, with no clock in the assertion."""
        assert self.sent is not None, "SIGINT was never sent"

    def join(self) -> None:
        self._cancelled.set()
        self._thread.join()


LANGUAGES = ["python", "c", "swift"]
#: How an example may end on Ctrl-C: Python raises KeyboardInterrupt (130), C and Swift
#: return normally, or die of the signal.
INTERRUPTED = (0, 130, -signal.SIGINT)


def example(name: str, *args: str, language: str = "python") -> List[str]:
    """The command line of example `name` in `language`; skips the test when it is not built."""
    if language == "python":
        return [sys.executable, str(ROOT / "examples/python" / f"{name}.py"), *args]
    if language == "c":
        binary = ROOT / ".build/examples-c" / name
        hint = "make -C examples/c"
    else:
        binary = next((ROOT / folder / name for folder in (".build/debug", ".build/release")
                       if (ROOT / folder / name).is_file()), ROOT / ".build/debug" / name)
        hint = f"swift build --product {name}"
    if not binary.is_file():
        pytest.skip(f"the {language} example {name} is not built ({hint})")
    return [str(binary), *args]
