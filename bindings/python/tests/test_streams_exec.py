"""Issue 18: exec and attach from Python — ``exec`` for the simple case (exit code, stdout,
stderr) and ``exec_stream``/``attach`` sessions with file-like stdin/stdout/stderr, against the
test server's built-in commands (echo, cat, env, sh -c 'exit N', sleep N, stty size, kc-bulk N)."""
from __future__ import annotations

import threading
import uuid

import pytest

import kubeclient
from streams_support import CloseWhenBlocked, CtrlC, Resources, append_log, create_pod


@pytest.fixture
def box(client, namespace) -> str:
    create_pod(client, namespace, "box")
    return "box"


def test_exec_returns_the_exit_code_and_the_output(client, namespace, box):
    result = client.exec(box, namespace, ["echo", "hello", "world"])
    assert result == kubeclient.ExecResult(0, "hello world\n", "")
    assert result.exit_code == 0 and result.stdout == "hello world\n"


def test_a_non_zero_exit_is_a_result_not_an_error(client, namespace, box):
    assert client.exec(box, namespace, ["sh", "-c", "exit 3"]).exit_code == 3
    assert client.exec(box, namespace, ["sh", "-c", "exit 0"]).exit_code == 0


def test_stdin_is_the_commands_whole_input(client, namespace, box):
    assert client.exec(box, namespace, ["cat"], stdin=b"one\ntwo\n").stdout == "one\ntwo\n"
    assert client.exec(box, namespace, ["cat"], stdin="caf\u00e9\n").stdout == "caf\u00e9\n"
    assert client.exec(box, namespace, ["cat"], stdin=b"").stdout == ""


def test_binary_output_with_text_false(client, namespace, box):
    result = client.exec(box, namespace, ["kc-bulk", "1000000"], text=False)
    assert result.exit_code == 0
    assert isinstance(result.stdout, bytes) and len(result.stdout) == 1_000_000
    raw = bytes(range(256)) * 64
    assert client.exec(box, namespace, ["cat"], stdin=raw, text=False).stdout == raw


def test_env_shows_the_containers_environment(client, namespace, box):
    assert client.exec(box, namespace, ["env"]).stdout.strip() != ""


def test_stdout_and_stderr_are_apart_and_a_tty_merges_them(client, namespace, box):
    script = ["sh", "-c", "echo out; echo err >&2"]
    assert client.exec(box, namespace, script) == (0, "out\n", "err\n")
    merged = client.exec(box, namespace, script, tty=True)
    assert merged.exit_code == 0 and merged.stderr == ""
    assert merged.stdout.replace("\r\n", "\n") == "out\nerr\n"


def test_an_unknown_command_fails_as_a_container_runtime_does(client, namespace, box):
    assert client.exec(box, namespace, ["sh", "-c", "no-such-thing"]).exit_code == 127
    with pytest.raises(kubeclient.ApiError) as raised:
        client.exec(box, namespace, ["no-such-thing"])
    assert "executable file not found" in raised.value.message


def test_a_missing_pod_raises_not_found_and_an_unknown_container_api_error_400(client, namespace, box):
    missing = "missing-" + uuid.uuid4().hex[:6]
    with pytest.raises(kubeclient.NotFound):
        client.exec(missing, namespace, ["echo"])
    with pytest.raises(kubeclient.NotFound):
        client.exec_stream(missing, namespace, ["echo"])
    with pytest.raises(kubeclient.ApiError) as raised:
        client.exec(box, namespace, ["echo"], container="sidecar")
    assert raised.value.http_code == 400
    with pytest.raises(kubeclient.ApiError) as raised:
        client.exec_stream(box, namespace, ["echo"], container="sidecar")
    assert raised.value.http_code == 400


def test_bad_commands_are_refused_before_anything_is_sent(client, namespace, box):
    for command in ([], ["echo", "a\x00b"], [b"echo"], None):
        with pytest.raises(kubeclient.InvalidArgument):
            client.exec(box, namespace, command)  # type: ignore[arg-type]


def test_an_interactive_session_echoes_stdin_line_by_line(client, namespace, box):
    resources = Resources()
    with client.exec_stream(box, namespace, ["cat"], stdin=True) as session:
        for word in (b"alpha", b"beta"):
            session.stdin.write(word + b"\n")
            assert session.stdout.readline() == word + b"\n"
        session.stdin.close()
        assert session.stdout.read() == b""
        assert session.wait() == 0
        assert session.exit_code == 0
    resources.assert_released()


def test_a_text_session_reads_and_writes_str(client, namespace, box):
    with client.exec_stream(box, namespace, ["cat"], stdin=True, text=True) as session:
        session.stdin.write("caf\u00e9\n")
        assert session.stdout.readline() == "caf\u00e9\n"
        session.stdin.close()
        assert list(session.stdout) == []
        assert session.wait(timeout=30) == 0


def test_session_output_iterates_by_line_and_reaches_end_of_file(client, namespace, box):
    with client.exec_stream(box, namespace, ["sh", "-c", "exit 7"]) as session:
        assert session.stdout.read() == b""
        assert session.stderr.read() == b""
        assert session.wait() == 7
    with client.exec_stream(box, namespace, ["echo", "a"]) as session:
        assert list(session.stdout) == [b"a\n"]
        assert session.stdin is None


def test_bulk_output_arrives_whole_through_the_bounded_buffer(client, namespace, box):
    size = 20 * 1024 * 1024  # several times the session's buffer: the reader drives the stream
    with client.exec_stream(box, namespace, ["kc-bulk", str(size)]) as session:
        received = 0
        while True:
            chunk = session.stdout.read1(1 << 20)
            if not chunk:
                break
            received += len(chunk)
        assert received == size
        assert session.wait() == 0


def test_a_tty_session_can_be_resized(client, namespace, box):
    with client.exec_stream(box, namespace, ["stty", "size"], tty=True) as session:
        assert session.stderr is None
        session.resize(132, 43)
        assert session.stdout.read().split() == [b"43", b"132"]
        assert session.wait() == 0
    with client.exec_stream(box, namespace, ["kc-sizes"], stdin=True, tty=True, text=True) as session:
        for columns, rows in ((80, 24), (100, 30)):
            session.resize(columns, rows)
            assert session.stdout.readline().split() == [str(rows), str(columns)]
        session.stdin.close()
        assert session.wait() == 0
    with client.exec_stream(box, namespace, ["cat"], stdin=True) as session:
        with pytest.raises(kubeclient.InvalidArgument):
            session.resize(80, 24)  # no TTY


def test_writing_after_closing_stdin_raises_closed(client, namespace, box):
    with client.exec_stream(box, namespace, ["cat"], stdin=True) as session:
        session.stdin.close()
        session.stdin.close()  # idempotent
        with pytest.raises(kubeclient.Closed):
            session.stdin.write(b"late")
        assert session.wait() == 0


def test_wait_with_a_timeout_raises_timeout_and_the_session_goes_on(client, namespace, box):
    with client.exec_stream(box, namespace, ["cat"], stdin=True) as session:
        with pytest.raises(kubeclient.Timeout):
            session.wait(timeout=0.2)
        session.stdin.write(b"still here\n")
        assert session.stdout.readline() == b"still here\n"


def test_close_from_another_thread_ends_a_blocked_read(client, namespace, box):
    resources = Resources()
    session = client.exec_stream(box, namespace, ["sleep", "3600"])
    # The command prints nothing for an hour: only the close ends the read.
    closer = CloseWhenBlocked(session.close, "readinto")
    assert session.stdout.read() == b""
    assert closer.join(), "closed before the read blocked"
    with pytest.raises(kubeclient.Cancelled):
        session.wait()
    resources.assert_released()


@pytest.mark.parametrize("blocked_in", ["read", "wait"])
def test_ctrl_c_ends_a_session(client, namespace, box, blocked_in):
    resources = Resources()
    session = client.exec_stream(box, namespace, ["sleep", "3600"])
    interrupt = CtrlC("readinto" if blocked_in == "read" else "wait")
    try:
        with pytest.raises(KeyboardInterrupt):
            if blocked_in == "read":
                session.stdout.read()
            else:
                session.wait()
        interrupt.assert_sent()
    finally:
        interrupt.join()
    with pytest.raises(kubeclient.Cancelled):
        session.wait()
    resources.assert_released()


def test_ctrl_c_during_exec_raises(client, namespace, box):
    resources = Resources()
    interrupt = CtrlC("_run_interruptibly")
    try:
        with pytest.raises(KeyboardInterrupt):
            client.exec(box, namespace, ["sleep", "3600"])
        interrupt.assert_sent()
    finally:
        interrupt.join()
    resources.assert_released()


def test_exec_with_a_timeout_raises_timeout(client, namespace, box):
    resources = Resources()
    with pytest.raises(kubeclient.Timeout):
        client.exec(box, namespace, ["sleep", "3600"], timeout=0.3)
    resources.assert_released()


def test_many_sessions_leave_nothing_behind(client, namespace, box):
    client.exec(box, namespace, ["echo", "warm-up"])
    resources = Resources()
    for index in range(10):
        assert client.exec(box, namespace, ["echo", str(index)]).stdout == f"{index}\n"
        with client.exec_stream(box, namespace, ["sleep", "3600"]):
            pass
    session = client.exec_stream(box, namespace, ["sleep", "3600"])
    del session  # garbage collection closes what was left open
    resources.assert_released()


def test_attach_talks_to_the_main_process(client, namespace, box):
    with client.attach(box, namespace, stdin=True) as session:
        assert isinstance(session, kubeclient.ExecSession)
        session.stdin.write(b"ping\n")
        assert session.stdout.readline() == b"ping\n"
        session.stdin.close()
        assert session.wait() == 0
    with pytest.raises(kubeclient.NotFound):
        client.attach("missing-" + uuid.uuid4().hex[:6], namespace)
    with pytest.raises(kubeclient.ApiError) as raised:
        client.attach(box, namespace, container="sidecar")
    assert raised.value.http_code == 400


def test_attach_without_stdin_sees_the_containers_log_lines(client, namespace, box):
    with client.attach(box, namespace, text=True) as session:
        # The main process shows lines written after it was attached; lines are appended
        # until one arrives, since the session may start following just after the upgrade.
        arrived = threading.Event()

        def append_until_seen() -> None:
            while not arrived.wait(0.05):
                append_log(client, namespace, box, "hello from main")

        appender = threading.Thread(target=append_until_seen)
        appender.start()
        try:
            assert session.stdout.readline() == "hello from main\n"
        finally:
            arrived.set()
            appender.join()
