/*
 * Exec and attach from C (include/kubeclient/stream.h): kc_exec_run's output and exit codes,
 * sessions with callbacks, stdin write and close, terminal resize, attach, stopping
 * (kc_exec_stop, kc_cancel, free from inside a callback) within the stop bound, errors and
 * argument checks. Uses the test server's built-in commands (Sources/KubeTestServer/Streams/README.md).
 * Run by Tests/c/run.sh, which starts kubeclient-testserver and sets KC_TEST_KUBECONFIG.
 */
#define _POSIX_C_SOURCE 200809L
#include "kc_test.h"
#include "stream_test.h"

int kc_test_failures = 0;

static const char *NS = "kc-exec";
#define ARGC(argv) (sizeof(argv) / sizeof((argv)[0]))

static void make_pod(kc_client *client, const char *name, const char *containers_json) {
    char json[512];
    snprintf(json, sizeof json,
             "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"%s\"},\"spec\":{\"containers\":%s}}", name,
             containers_json ? containers_json : "[{\"name\":\"main\",\"image\":\"busybox\"}]");
    kc_test_ensure(client, "v1", "pods", NS, json);
}

static kc_exec_handlers collecting_handlers(void) {
    kc_exec_handlers handlers = KC_EXEC_HANDLERS_INIT;
    handlers.on_stdout = collect_data;
    handlers.on_stderr = collect_err;
    handlers.on_done = collect_exec_done;
    return handlers;
}

static void test_options_init(void) {
    kc_exec_options options;
    memset(&options, 0xff, sizeof options);
    CHECK_OK(kc_exec_options_init(&options, KC_EXEC_OPTIONS_VERSION));
    CHECK(options.version == KC_EXEC_OPTIONS_VERSION);
    CHECK(options.container == NULL && options.stdin_enabled == 0 && options.tty == 0 && options.cancel == NULL);
    CHECK_STATUS(kc_exec_options_init(&options, 0), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_exec_options_init(&options, KC_EXEC_OPTIONS_VERSION + 1), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_exec_options_init(NULL, KC_EXEC_OPTIONS_VERSION), KC_ERR_INVALID_ARGUMENT);
    kc_exec_handlers handlers = KC_EXEC_HANDLERS_INIT;
    CHECK(handlers.version == KC_EXEC_HANDLERS_VERSION && handlers.on_stdout == NULL && handlers.on_done == NULL);
}

static void test_run_collects_output_and_exit_codes(kc_client *client) {
    make_pod(client, "runner", NULL);
    const char *echo[] = {"echo", "hello", "world"};
    int code = -5;
    char *out = NULL, *err = NULL;
    size_t out_len = 99, err_len = 99;
    CHECK_OK(kc_exec_run(client, NS, "runner", echo, ARGC(echo), NULL, NULL, 0, &code, &out, &out_len, &err, &err_len));
    CHECK(code == 0);
    CHECK_STR(out, "hello world\n");
    CHECK(out_len == 12);
    CHECK_STR(err, "");
    CHECK(err_len == 0);
    kc_free(out);
    kc_free(err);

    /* A non-zero exit is a result, not an error. */
    const char *fail[] = {"sh", "-c", "echo to-out; echo to-err >&2; exit 3"};
    CHECK_OK(kc_exec_run(client, NS, "runner", fail, ARGC(fail), NULL, NULL, 0, &code, &out, &out_len, &err, &err_len));
    CHECK(code == 3);
    CHECK_STR(out, "to-out\n");
    CHECK_STR(err, "to-err\n");
    kc_free(out);
    kc_free(err);

    /* stdin is fed and closed; the outputs one does not want may be NULL. */
    const char *cat[] = {"cat"};
    const char input[] = "line 1\nline 2\n";
    CHECK_OK(kc_exec_run(client, NS, "runner", cat, ARGC(cat), NULL, input, strlen(input), &code, &out, NULL, NULL, NULL));
    CHECK(code == 0);
    CHECK_STR(out, input);
    kc_free(out);
    CHECK_OK(kc_exec_run(client, NS, "runner", fail, ARGC(fail), NULL, NULL, 0, &code, NULL, NULL, NULL, NULL));
    CHECK(code == 3);

    /* With a terminal, stderr is merged into stdout. */
    kc_exec_options options;
    CHECK_OK(kc_exec_options_init(&options, KC_EXEC_OPTIONS_VERSION));
    options.tty = 1;
    const char *env[] = {"env"};
    CHECK_OK(kc_exec_run(client, NS, "runner", env, ARGC(env), &options, NULL, 0, &code, &out, NULL, &err, NULL));
    CHECK(code == 0);
    CHECK(out != NULL && strstr(out, "TERM=xterm") != NULL);
    CHECK_STR(err, "");
    kc_free(out);
    kc_free(err);
}

static void test_errors(kc_client *client) {
    make_pod(client, "pair", "[{\"name\":\"a\",\"image\":\"busybox\"},{\"name\":\"b\",\"image\":\"busybox\"}]");
    const char *echo[] = {"echo", "x"};
    int code = 0;
    char *out = (char *)1;
    CHECK_STATUS(kc_exec_run(client, NS, "missing", echo, ARGC(echo), NULL, NULL, 0, &code, &out, NULL, NULL, NULL),
                 KC_ERR_NOT_FOUND);
    CHECK(kc_error_last()->http_code == 404);
    CHECK(out == NULL && code == -1);
    kc_exec_options options;
    CHECK_OK(kc_exec_options_init(&options, KC_EXEC_OPTIONS_VERSION));
    options.container = "nope";
    CHECK_STATUS(kc_exec_run(client, NS, "pair", echo, ARGC(echo), &options, NULL, 0, &code, &out, NULL, NULL, NULL),
                 KC_ERR_API);
    CHECK(kc_error_last()->http_code == 400);
    printf("     unknown container: %s\n", kc_error_last()->message);

    collector c;
    collector_init(&c);
    kc_exec_handlers handlers = collecting_handlers();
    kc_exec *session = (kc_exec *)1;
    CHECK_STATUS(kc_exec_start(client, NS, "missing", echo, ARGC(echo), NULL, &handlers, &c, &session), KC_ERR_NOT_FOUND);
    CHECK(session == NULL);
    CHECK_STATUS(kc_exec_start(client, NS, "pair", echo, ARGC(echo), NULL, &handlers, &c, &session), KC_ERR_API);
    CHECK(kc_error_last()->http_code == 400);
    CHECK_STATUS(kc_attach_start(client, NS, "missing", NULL, &handlers, &c, &session), KC_ERR_NOT_FOUND);
    CHECK(session == NULL);
    CHECK(c.done_calls == 0);
    collector_destroy(&c);

    /* A command the container does not have: the runtime's failure, as kubectl reports it. */
    make_pod(client, "runner2", NULL);
    const char *unknown[] = {"no-such-command"};
    kc_status s = kc_exec_run(client, NS, "runner2", unknown, ARGC(unknown), NULL, NULL, 0, &code, NULL, NULL, NULL, NULL);
    CHECK(s != KC_OK);
    printf("     unknown command: %s (%s)\n", kc_status_str(s), kc_error_last()->message);
    CHECK(strstr(kc_error_last()->message, "no-such-command") != NULL);
}

static void test_session_callbacks_and_exit_code(kc_client *client) {
    make_pod(client, "cb", NULL);
    const char *script[] = {"sh", "-c", "echo out; echo err >&2; exit 7"};
    collector c;
    collector_init(&c);
    kc_exec_handlers handlers = collecting_handlers();
    kc_exec *session = NULL;
    CHECK_OK(kc_exec_start(client, NS, "cb", script, ARGC(script), NULL, &handlers, &c, &session));
    CHECK(collector_wait_done(&c, 10.0));
    int code = -5;
    CHECK_OK(kc_exec_wait(session, -1, &code));
    CHECK(code == 7);
    collector_lock(&c);
    CHECK(c.done_calls == 1 && c.done_status == KC_OK && c.exit_code == 7);
    CHECK(c.len == 4 && memcmp(c.data, "out\n", 4) == 0);
    CHECK(c.err_len == 4 && memcmp(c.err, "err\n", 4) == 0);
    CHECK(c.empty_chunks == 0);
    collector_unlock(&c);
    /* Ended: stdin cannot be written (it was not opened either), stop is harmless. */
    CHECK_STATUS(kc_exec_write_stdin(session, "x", 1), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_exec_resize(session, 80, 24), KC_ERR_INVALID_ARGUMENT);
    CHECK_OK(kc_exec_stop(session));
    CHECK_OK(kc_exec_wait(session, 0, NULL));
    kc_exec_free(session);
    collector_destroy(&c);

    /* Only stderr asked for (no on_stdout): stdout is not requested. */
    collector_init(&c);
    kc_exec_handlers only_err = KC_EXEC_HANDLERS_INIT;
    only_err.on_stderr = collect_err;
    only_err.on_done = collect_exec_done;
    CHECK_OK(kc_exec_start(client, NS, "cb", script, ARGC(script), NULL, &only_err, &c, &session));
    CHECK_OK(kc_exec_wait(session, -1, &code));
    CHECK(code == 7);
    collector_lock(&c);
    CHECK(c.len == 0 && c.err_len == 4);
    collector_unlock(&c);
    kc_exec_free(session);
    collector_destroy(&c);
}

static void test_stdin_write_and_close(kc_client *client) {
    make_pod(client, "cat", NULL);
    kc_exec_options options;
    CHECK_OK(kc_exec_options_init(&options, KC_EXEC_OPTIONS_VERSION));
    options.stdin_enabled = 1;
    const char *cat[] = {"cat"};
    collector c;
    collector_init(&c);
    kc_exec_handlers handlers = collecting_handlers();
    kc_exec *session = NULL;
    CHECK_OK(kc_exec_start(client, NS, "cat", cat, ARGC(cat), &options, &handlers, &c, &session));
    CHECK_OK(kc_exec_write_stdin(session, "ping\n", 5));
    CHECK(collector_wait_len(&c, 5, 10.0));
    CHECK_OK(kc_exec_write_stdin(session, "pong\n", 5));
    CHECK_OK(kc_exec_write_stdin(session, NULL, 0));
    CHECK(collector_wait_len(&c, 10, 10.0));
    CHECK_STATUS(kc_exec_wait(session, 20, NULL), KC_ERR_TIMEOUT);
    CHECK(!collector_done(&c));
    /* Closing stdin ends cat. */
    CHECK_OK(kc_exec_close_stdin(session));
    CHECK_OK(kc_exec_close_stdin(session));
    CHECK_STATUS(kc_exec_write_stdin(session, "late", 4), KC_ERR_CLOSED);
    int code = -5;
    CHECK_OK(kc_exec_wait(session, -1, &code));
    CHECK(code == 0);
    collector_lock(&c);
    CHECK(c.len == 10 && memcmp(c.data, "ping\npong\n", 10) == 0);
    CHECK(c.done_status == KC_OK && c.exit_code == 0);
    collector_unlock(&c);
    CHECK_STATUS(kc_exec_write_stdin(session, "x", 1), KC_ERR_CLOSED);
    kc_exec_free(session);
    collector_destroy(&c);
}

static void test_resize_reaches_the_terminal(kc_client *client) {
    make_pod(client, "tty", NULL);
    kc_exec_options options;
    CHECK_OK(kc_exec_options_init(&options, KC_EXEC_OPTIONS_VERSION));
    options.tty = 1;
    const char *stty[] = {"stty", "size"};
    collector c;
    collector_init(&c);
    kc_exec_handlers handlers = collecting_handlers();
    kc_exec *session = NULL;
    CHECK_OK(kc_exec_start(client, NS, "tty", stty, ARGC(stty), &options, &handlers, &c, &session));
    CHECK_OK(kc_exec_resize(session, 132, 43));
    int code = -5;
    CHECK_OK(kc_exec_wait(session, -1, &code));
    CHECK(code == 0);
    collector_lock(&c);
    CHECK(c.data != NULL && strstr(c.data, "43 132") != NULL);
    collector_unlock(&c);
    kc_exec_free(session);
    collector_destroy(&c);
}

/* A session blocked in `sleep`, stopped from another thread or by its token. */
typedef struct { kc_exec *session; kc_status status; double took; } exec_stopper;
static void *stop_exec(void *arg) {
    exec_stopper *s = arg;
    double start = kc_test_now();
    s->status = kc_exec_stop(s->session);
    s->took = kc_test_now() - start;
    return NULL;
}

static void test_stop_and_cancel_end_a_running_command(kc_client *client) {
    make_pod(client, "sleeper", NULL);
    const char *sleep100[] = {"sleep", "100"};
    collector c;
    collector_init(&c);
    kc_exec_handlers handlers = collecting_handlers();
    exec_stopper s = {0};
    CHECK_OK(kc_exec_start(client, NS, "sleeper", sleep100, ARGC(sleep100), NULL, &handlers, &c, &s.session));
    CHECK_STATUS(kc_exec_wait(s.session, 50, NULL), KC_ERR_TIMEOUT);
    pthread_t thread;
    CHECK(pthread_create(&thread, NULL, stop_exec, &s) == 0);
    pthread_join(thread, NULL);
    printf("     kc_exec_stop from another thread took %.3f s\n", s.took);
    CHECK(s.status == KC_OK);
    CHECK(s.took < kc_test_stop_bound());
    /* Stopped: on_done got KC_ERR_CANCELLED and no exit code. */
    CHECK(collector_done(&c));
    collector_lock(&c);
    CHECK(c.done_calls == 1 && c.done_status == KC_ERR_CANCELLED && c.exit_code == -1);
    collector_unlock(&c);
    int code = 0;
    CHECK_STATUS(kc_exec_wait(s.session, 0, &code), KC_ERR_CANCELLED);
    CHECK(code == -1);
    CHECK_STATUS(kc_exec_write_stdin(s.session, "x", 1), KC_ERR_INVALID_ARGUMENT);
    kc_exec_free(s.session);
    collector_destroy(&c);

    /* The options' token. */
    kc_cancel *cancel = NULL;
    CHECK_OK(kc_cancel_new(&cancel));
    kc_exec_options options;
    CHECK_OK(kc_exec_options_init(&options, KC_EXEC_OPTIONS_VERSION));
    options.cancel = cancel;
    collector_init(&c);
    kc_exec *session = NULL;
    CHECK_OK(kc_exec_start(client, NS, "sleeper", sleep100, ARGC(sleep100), &options, &handlers, &c, &session));
    double cancelled_at = kc_test_now();
    CHECK_OK(kc_cancel_cancel(cancel));
    CHECK(collector_wait_done(&c, 10.0));
    double took = kc_test_now() - cancelled_at;
    printf("     kc_cancel_cancel ended the session after %.3f s\n", took);
    CHECK(took < kc_test_stop_bound());
    collector_lock(&c);
    CHECK(c.done_status == KC_ERR_CANCELLED && c.exit_code == -1);
    collector_unlock(&c);
    CHECK_STATUS(kc_exec_wait(session, -1, NULL), KC_ERR_CANCELLED);
    kc_exec_free(session);
    collector_destroy(&c);
    /* kc_exec_run with a cancelled token does not run. */
    int exit_code = 0;
    CHECK_STATUS(kc_exec_run(client, NS, "sleeper", sleep100, ARGC(sleep100), &options, NULL, 0, &exit_code, NULL, NULL,
                             NULL, NULL), KC_ERR_CANCELLED);
    kc_cancel_free(cancel);
}

/* Callbacks that stop or free their own session on the first output. */
typedef struct {
    collector c;
    kc_exec *session;
    int free_it;
} self_stopper;

static void stop_self_stdout(const char *data, size_t len, void *user_data) {
    self_stopper *s = user_data;
    collect_data(data, len, &s->c);
    collector_lock(&s->c);
    kc_exec *session = s->session;
    collector_unlock(&s->c);
    if (s->free_it) {
        kc_exec_free(session);
    } else {
        CHECK_OK(kc_exec_stop(session));
        CHECK_STATUS(kc_exec_wait(session, 0, NULL), KC_ERR_INVALID_ARGUMENT);
    }
}

static void stop_self_done(kc_status status, int exit_code, const kc_error *error, void *user_data) {
    self_stopper *s = user_data;
    collect_exec_done(status, exit_code, error, &s->c);
}

static void test_a_callback_may_stop_or_free_its_own_session(kc_client *client) {
    make_pod(client, "selfish", NULL);
    kc_exec_options options;
    CHECK_OK(kc_exec_options_init(&options, KC_EXEC_OPTIONS_VERSION));
    options.stdin_enabled = 1;
    const char *cat[] = {"cat"};
    for (int free_it = 0; free_it <= 1; free_it++) {
        self_stopper s = {.free_it = free_it};
        collector_init(&s.c);
        kc_exec_handlers handlers = KC_EXEC_HANDLERS_INIT;
        handlers.on_stdout = stop_self_stdout;
        handlers.on_done = stop_self_done;
        kc_exec *session = NULL;
        CHECK_OK(kc_exec_start(client, NS, "selfish", cat, ARGC(cat), &options, &handlers, &s, &session));
        collector_lock(&s.c);
        s.session = session;
        collector_unlock(&s.c);
        /* cat echoes nothing until this. */
        CHECK_OK(kc_exec_write_stdin(session, "go\n", 3));
        CHECK(collector_wait_done(&s.c, 10.0));
        collector_lock(&s.c);
        CHECK(s.c.done_calls == 1 && s.c.done_status == KC_ERR_CANCELLED);
        CHECK(s.c.data_calls == 1);
        collector_unlock(&s.c);
        if (!free_it) {
            CHECK_STATUS(kc_exec_wait(session, -1, NULL), KC_ERR_CANCELLED);
            kc_exec_free(session);
        }
        collector_destroy(&s.c);
    }
}

static void test_attach_echoes_stdin_and_log_lines(kc_client *client) {
    make_pod(client, "attached", NULL);
    kc_exec_options options;
    CHECK_OK(kc_exec_options_init(&options, KC_EXEC_OPTIONS_VERSION));
    options.stdin_enabled = 1;
    collector c;
    collector_init(&c);
    kc_exec_handlers handlers = collecting_handlers();
    kc_exec *session = NULL;
    CHECK_OK(kc_attach_start(client, NS, "attached", &options, &handlers, &c, &session));
    CHECK_OK(kc_exec_write_stdin(session, "typed\n", 6));
    CHECK(collector_wait_len(&c, 6, 10.0));
    kc_test_append_log(client, NS, "attached", NULL, "logged");
    CHECK(collector_wait_len(&c, 13, 10.0));
    CHECK_OK(kc_exec_close_stdin(session));
    int code = -5;
    CHECK_OK(kc_exec_wait(session, -1, &code));
    CHECK(code == 0);
    collector_lock(&c);
    CHECK(c.len == 13 && memcmp(c.data, "typed\nlogged\n", 13) == 0);
    collector_unlock(&c);
    kc_exec_free(session);
    collector_destroy(&c);
}

static void test_null_handles_and_arguments(kc_client *client) {
    const char *echo[] = {"echo", "x"};
    const char *with_null[] = {"echo", NULL};
    kc_exec_handlers handlers = collecting_handlers();
    kc_exec *session = (kc_exec *)1;
    int code = 0;
    CHECK_STATUS(kc_exec_start(NULL, NS, "runner", echo, 2, NULL, &handlers, NULL, &session), KC_ERR_INVALID_ARGUMENT);
    CHECK(session == NULL);
    CHECK_STATUS(kc_exec_start(client, NS, "runner", NULL, 2, NULL, &handlers, NULL, &session), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_exec_start(client, NS, "runner", echo, 0, NULL, &handlers, NULL, &session), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_exec_start(client, NS, "runner", with_null, 2, NULL, &handlers, NULL, &session),
                 KC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(kc_error_last()->message, "argv[1]") != NULL);
    CHECK_STATUS(kc_exec_start(client, NS, "runner", echo, 2, NULL, NULL, NULL, &session), KC_ERR_INVALID_ARGUMENT);
    kc_exec_handlers bad = handlers;
    bad.version = 42;
    CHECK_STATUS(kc_exec_start(client, NS, "runner", echo, 2, NULL, &bad, NULL, &session), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_exec_start(client, NS, "runner", echo, 2, NULL, &handlers, NULL, NULL), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_exec_start(client, NULL, "runner", echo, 2, NULL, &handlers, NULL, &session), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_attach_start(client, NS, NULL, NULL, &handlers, NULL, &session), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_attach_start(client, NS, "runner", NULL, NULL, NULL, &session), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_exec_run(client, NS, "runner", echo, 2, NULL, NULL, 0, NULL, NULL, NULL, NULL, NULL),
                 KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_exec_run(client, NS, "runner", echo, 2, NULL, NULL, 5, &code, NULL, NULL, NULL, NULL),
                 KC_ERR_INVALID_ARGUMENT);
    kc_exec_options options;
    CHECK_OK(kc_exec_options_init(&options, KC_EXEC_OPTIONS_VERSION));
    options.version = 9;
    CHECK_STATUS(kc_exec_run(client, NS, "runner", echo, 2, &options, NULL, 0, &code, NULL, NULL, NULL, NULL),
                 KC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(kc_error_last()->message, "kc_exec_options.version") != NULL);

    CHECK_STATUS(kc_exec_write_stdin(NULL, "x", 1), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_exec_close_stdin(NULL), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_exec_resize(NULL, 80, 24), KC_ERR_INVALID_ARGUMENT);
    code = 5;
    CHECK_STATUS(kc_exec_wait(NULL, 0, &code), KC_ERR_INVALID_ARGUMENT);
    CHECK(code == -1);
    CHECK_STATUS(kc_exec_stop(NULL), KC_ERR_INVALID_ARGUMENT);
    kc_exec_free(NULL);
}

int main(void) {
    kc_client *client = kc_test_client(kc_test_kubeconfig(), NULL);
    kc_test_ensure(client, "v1", "namespaces", NULL,
                   "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"kc-exec\"}}");
    kc_test_case tests[] = {
        {"kc_exec_options_init sets the defaults and checks the version", test_options_init, NULL},
        {"kc_exec_run collects stdout, stderr and the exit code, feeds stdin, merges with a tty", NULL,
         test_run_collects_output_and_exit_codes},
        {"a session delivers stdout and stderr to callbacks and the exit code to on_done", NULL,
         test_session_callbacks_and_exit_code},
        {"stdin is written and closed; writing after the close is KC_ERR_CLOSED", NULL, test_stdin_write_and_close},
        {"kc_exec_resize reaches the terminal", NULL, test_resize_reaches_the_terminal},
        {"kc_exec_stop and kc_cancel_cancel end a running command promptly", NULL,
         test_stop_and_cancel_end_a_running_command},
        {"a callback may stop or free its own session", NULL, test_a_callback_may_stop_or_free_its_own_session},
        {"attach echoes stdin and the container's log lines until stdin is closed", NULL,
         test_attach_echoes_stdin_and_log_lines},
        {"NULL handles and arguments are refused", NULL, test_null_handles_and_arguments},
        {"a missing pod (404), a bad container (400) and an unknown command are errors", NULL, test_errors},
    };
    return kc_test_run(tests, sizeof tests / sizeof tests[0], client);
}
