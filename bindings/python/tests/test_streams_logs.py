"""Issue 18: pod logs from Python — the whole log as text (``pod_logs``) and as a stream of
lines or bytes (``stream_pod_logs``), sync and ``async for``, ending within 0.5 s on
``close()`` or Ctrl-C with no thread or descriptor left behind."""
from __future__ import annotations

import asyncio
import datetime
import threading
import time
import uuid

import pytest

import kubeclient
from streams_support import CloseWhenBlocked, CtrlC, Resources, append_log, create_pod, eventually


@pytest.fixture
def talker(client, namespace) -> str:
    """A one-container pod whose log holds three lines."""
    create_pod(client, namespace, "talker")
    append_log(client, namespace, "talker", "first", "second", "third")
    return "talker"


def test_pod_logs_returns_the_whole_log_as_text(client, namespace, talker):
    assert client.pod_logs(talker, namespace) == "first\nsecond\nthird\n"


def test_pod_logs_takes_kubectls_options(client, namespace, talker):
    assert client.pod_logs(talker, namespace, tail_lines=2) == "second\nthird\n"
    assert client.pod_logs(talker, namespace, tail_lines=0) == ""
    assert client.pod_logs(talker, namespace, limit_bytes=8) == "first\nse"
    assert client.pod_logs(talker, namespace, container="main", since_seconds=3600) == "first\nsecond\nthird\n"
    stamped = client.pod_logs(talker, namespace, timestamps=True).splitlines()
    assert len(stamped) == 3
    stamp, _, text = stamped[0].partition(" ")
    assert text == "first"
    assert datetime.datetime.fromisoformat(stamp.replace("Z", "+00:00")).tzinfo is not None
    future = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=1)
    assert client.pod_logs(talker, namespace, since_time=future) == ""
    past = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(hours=1)
    assert client.pod_logs(talker, namespace, since_time=past.strftime("%Y-%m-%dT%H:%M:%SZ")).count("\n") == 3


def test_bad_log_options_are_refused_before_anything_is_sent(client, namespace, talker):
    for options in ({"tail_lines": -1}, {"since_seconds": 0}, {"limit_bytes": -5},
                    {"since_time": datetime.datetime(2024, 1, 1)}, {"container": "a\x00b"}):
        with pytest.raises(kubeclient.InvalidArgument):
            client.pod_logs(talker, namespace, **options)
        with pytest.raises(kubeclient.InvalidArgument):
            client.stream_pod_logs(talker, namespace, **options)


def test_a_missing_pod_raises_not_found_and_an_unknown_container_api_error_400(client, namespace, talker):
    missing = "missing-" + uuid.uuid4().hex[:6]
    with pytest.raises(kubeclient.NotFound):
        client.pod_logs(missing, namespace)
    with pytest.raises(kubeclient.NotFound):
        client.stream_pod_logs(missing, namespace, follow=True)
    for call in (client.pod_logs, client.stream_pod_logs):
        with pytest.raises(kubeclient.ApiError) as raised:
            call(talker, namespace, container="sidecar")
        assert raised.value.http_code == 400
        assert "sidecar" in raised.value.message


def test_a_pod_with_several_containers_needs_the_container(client, namespace):
    create_pod(client, namespace, "pair", ["app", "proxy"])
    append_log(client, namespace, "pair", "from proxy", container="proxy")
    with pytest.raises(kubeclient.ApiError) as raised:
        client.pod_logs("pair", namespace)
    assert raised.value.http_code == 400
    assert client.pod_logs("pair", namespace, container="proxy") == "from proxy\n"
    with client.stream_pod_logs("pair", namespace, container="proxy") as log:
        assert list(log) == ["from proxy"]


def test_iterating_a_log_stream_yields_its_lines_without_the_newline(client, namespace, talker):
    with client.stream_pod_logs(talker, namespace) as log:
        assert list(log) == ["first", "second", "third"]
    assert log.closed


def test_iter_bytes_yields_the_raw_log(client, namespace, talker):
    with client.stream_pod_logs(talker, namespace, tail_lines=2) as log:
        chunks = list(log.iter_bytes())
    assert all(isinstance(chunk, bytes) and chunk for chunk in chunks)
    assert b"".join(chunks) == b"second\nthird\n"


def test_lines_and_bytes_can_be_mixed(client, namespace, talker):
    with client.stream_pod_logs(talker, namespace) as log:
        assert next(log) == "first"
        assert log.read() == b"second\nthird\n"


def test_a_last_line_without_newline_and_undecodable_bytes_are_kept(client, namespace, talker):
    append_log(client, namespace, talker, "caf\u00e9 \u2603")
    with client.stream_pod_logs(talker, namespace, limit_bytes=len("first\nsecond\nthird\ncaf\u00e9 ".encode()) + 1) as log:
        lines = list(log)
    # The limit cuts the snowman's three UTF-8 bytes after the first: a replacement character.
    assert lines == ["first", "second", "third", "caf\u00e9 \ufffd"]


def test_a_followed_stream_yields_lines_as_they_are_appended(client, namespace, talker):
    with client.stream_pod_logs(talker, namespace, follow=True, tail_lines=1) as log:
        assert next(log) == "third"
        appended = threading.Thread(target=append_log, args=(client, namespace, talker, "fourth", "fifth"))
        appended.start()
        assert next(log) == "fourth"
        assert next(log) == "fifth"
        appended.join()


def test_a_followed_stream_ends_when_the_pod_is_deleted(client, namespace, talker):
    with client.stream_pod_logs(talker, namespace, follow=True) as log:
        assert next(log) == "first"
        client.resource("v1", "pods", namespace).delete(talker)
        assert list(log) == ["second", "third"]


def test_close_from_another_thread_ends_a_followed_stream(client, namespace, talker):
    resources = Resources()
    log = client.stream_pod_logs(talker, namespace, follow=True)
    assert [next(log) for _ in range(3)] == ["first", "second", "third"]
    # The followed log has no more lines and never ends by itself: only the close ends the read.
    closer = CloseWhenBlocked(log.close, "read_blocking")
    with pytest.raises(StopIteration):
        next(log)
    assert closer.join(), "closed before the read blocked"
    assert log.closed
    resources.assert_released()


def test_ctrl_c_while_iterating_ends_the_stream(client, namespace, talker):
    resources = Resources()
    log = client.stream_pod_logs(talker, namespace, follow=True)
    seen = []
    interrupt = CtrlC("read_blocking")
    try:
        with pytest.raises(KeyboardInterrupt):
            for line in log:
                seen.append(line)
        interrupt.assert_sent()
    finally:
        interrupt.join()
    assert seen == ["first", "second", "third"]
    assert log.closed  # the interrupted iteration closed it
    resources.assert_released()


def test_ctrl_c_during_a_followed_pod_logs_call_raises(client, namespace, talker):
    resources = Resources()
    interrupt = CtrlC("_run_interruptibly")
    try:
        with pytest.raises(KeyboardInterrupt):
            client.pod_logs(talker, namespace, follow=True)
        interrupt.assert_sent()
    finally:
        interrupt.join()
    resources.assert_released()


def test_a_followed_pod_logs_call_with_a_timeout_raises_timeout(client, namespace, talker):
    resources = Resources()
    with pytest.raises(kubeclient.Timeout):
        client.pod_logs(talker, namespace, follow=True, timeout=0.3)
    resources.assert_released()


def test_many_streams_opened_and_closed_leave_nothing_behind(client, namespace, talker):
    with client.stream_pod_logs(talker, namespace) as warm_up:
        list(warm_up)
    resources = Resources()
    for _ in range(20):
        with client.stream_pod_logs(talker, namespace, follow=True) as log:
            assert next(log) == "first"
    for _ in range(5):
        log = client.stream_pod_logs(talker, namespace, follow=True)
        del log  # garbage collection closes what was left open
    resources.assert_released()


def test_async_for_yields_lines_and_close_ends_it(client, namespace, talker):
    async def main() -> list:
        seen = []
        async with client.stream_pod_logs(talker, namespace, follow=True) as log:
            loop = asyncio.get_running_loop()
            # The followed log never ends by itself: only the close ends the iteration.
            async for line in log:
                seen.append(line)
                if line == "third":
                    loop.call_soon(log.close)
        return seen

    resources = Resources()
    assert asyncio.run(main()) == ["first", "second", "third"]
    resources.assert_released()


def test_async_iteration_sees_appended_lines_and_bytes(client, namespace, talker):
    async def main() -> bytes:
        log = client.stream_pod_logs(talker, namespace, follow=True, tail_lines=1)
        received = b""
        async for chunk in log.aiter_bytes():
            received += chunk
            if received == b"third\n":  # the server follows the log now: append
                threading.Thread(target=append_log, args=(client, namespace, talker, "late")).start()
            if received.endswith(b"late\n"):
                log.close()
        return received

    assert asyncio.run(main()) == b"third\nlate\n"


def test_async_iteration_ends_when_cancelled(client, namespace, talker):
    async def main() -> None:
        log = client.stream_pod_logs(talker, namespace, follow=True, tail_lines=0)

        async def consume() -> None:
            async for _ in log:
                pass

        task = asyncio.ensure_future(consume())
        loop = asyncio.get_running_loop()
        # Cancelled once the loop sleeps in its selector, the consumer waiting for a line that
        # never comes (the followed log is empty).
        canceller = CloseWhenBlocked(lambda: loop.call_soon_threadsafe(task.cancel), "select", module="selectors")
        with pytest.raises(asyncio.CancelledError):
            await task
        assert canceller.join(), "cancelled before the loop waited"
        assert log.closed  # the cancelled iteration closed it

    resources = Resources()
    asyncio.run(main())
    resources.assert_released()


def test_async_close_from_another_thread_wakes_the_loop(client, namespace, talker):
    async def main() -> bool:
        log = client.stream_pod_logs(talker, namespace, follow=True, tail_lines=0)
        # Closed once the loop sleeps in its selector: only the close can wake it and end the
        # iteration (the followed log has no lines).
        closer = CloseWhenBlocked(log.close, "select", module="selectors")
        async for _ in log:
            pass
        return closer.join()

    assert asyncio.run(main()), "closed before the loop waited"


def test_a_log_read_after_close_raises_closed_or_ends(client, namespace, talker):
    log = client.stream_pod_logs(talker, namespace)
    log.close()
    log.close()  # idempotent
    assert list(log) == []
    eventually(lambda: log.closed, "closed")
