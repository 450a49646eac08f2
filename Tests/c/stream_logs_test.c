/*
 * Pod logs from C (include/kubeclient/stream.h): the whole log, options, errors, the callback
 * form, the pull form polled on its descriptor, stopping (kc_stream_stop, kc_cancel, free from
 * inside a callback) within STOP_BOUND_S, and argument checks.
 * Run by Tests/c/run.sh, which starts kubeclient-testserver and sets KC_TEST_KUBECONFIG.
 */
#define _POSIX_C_SOURCE 200809L
#include "kc_test.h"
#include "stream_test.h"

#include <poll.h>

int kc_test_failures = 0;

static const char *NS = "kc-logs";

/* Creates a pod with the given containers ("main" when NULL) in NS. */
static void make_pod(kc_client *client, const char *name, const char *containers_json) {
    char json[512];
    snprintf(json, sizeof json,
             "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"%s\"},\"spec\":{\"containers\":%s}}", name,
             containers_json ? containers_json : "[{\"name\":\"main\",\"image\":\"busybox\"}]");
    kc_test_ensure(client, "v1", "pods", NS, json);
}

static void delete_pod(kc_client *client, const char *name) {
    kc_delete_options options;
    CHECK_OK(kc_delete_options_init(&options, KC_DELETE_OPTIONS_VERSION));
    options.has_grace_period = 1;
    options.grace_period_ms = 0;
    char *out = NULL;
    CHECK_OK(kc_delete(client, "v1", "pods", NS, name, &options, &out));
    kc_free(out);
}

static void test_options_init(void) {
    kc_pod_log_options options;
    memset(&options, 0xff, sizeof options);
    CHECK_OK(kc_pod_log_options_init(&options, KC_POD_LOG_OPTIONS_VERSION));
    CHECK(options.version == KC_POD_LOG_OPTIONS_VERSION);
    CHECK(options.container == NULL && options.follow == 0 && options.previous == 0);
    CHECK(options.since_ms == 0 && options.since_time == NULL && options.timestamps == 0);
    CHECK(options.has_tail_lines == 0 && options.tail_lines == 0 && options.limit_bytes == 0);
    CHECK(options.insecure_skip_tls_verify_backend == 0 && options.cancel == NULL);
    CHECK_STATUS(kc_pod_log_options_init(&options, 0), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_pod_log_options_init(&options, KC_POD_LOG_OPTIONS_VERSION + 1), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_pod_log_options_init(NULL, KC_POD_LOG_OPTIONS_VERSION), KC_ERR_INVALID_ARGUMENT);
}

static void test_whole_log(kc_client *client) {
    make_pod(client, "whole", NULL);
    kc_test_append_log(client, NS, "whole", NULL, "one");
    kc_test_append_log(client, NS, "whole", NULL, "two");
    char *log = NULL;
    size_t len = 0;
    CHECK_OK(kc_pod_logs(client, NS, "whole", NULL, &log, &len));
    CHECK_STR(log, "one\ntwo\n");
    CHECK(len == 8);
    kc_free(log);
    /* out_len may be NULL. */
    log = NULL;
    CHECK_OK(kc_pod_logs(client, NS, "whole", NULL, &log, NULL));
    CHECK_STR(log, "one\ntwo\n");
    kc_free(log);
    /* The dynamic verbs refuse the log as an object, naming the stream API. */
    char *json = (char *)1;
    CHECK_STATUS(kc_get(client, "v1", "pods/log", NS, "whole", &json), KC_ERR_INVALID_ARGUMENT);
    CHECK(json == NULL);
    CHECK(strstr(kc_error_last()->message, "kc_pod_logs") != NULL);
}

static void test_options_reach_the_server(kc_client *client) {
    make_pod(client, "two", "[{\"name\":\"a\",\"image\":\"busybox\"},{\"name\":\"b\",\"image\":\"busybox\"}]");
    kc_test_append_log(client, NS, "two", "a", "a1");
    kc_test_append_log(client, NS, "two", "a", "a2");
    kc_test_append_log(client, NS, "two", "b", "b1");
    kc_pod_log_options options = {0};
    CHECK_OK(kc_pod_log_options_init(&options, KC_POD_LOG_OPTIONS_VERSION));
    char *log = NULL;
    size_t len = 0;

    options.container = "b";
    CHECK_OK(kc_pod_logs(client, NS, "two", &options, &log, &len));
    CHECK_STR(log, "b1\n");
    kc_free(log);

    options.container = "a";
    options.has_tail_lines = 1;
    options.tail_lines = 1;
    CHECK_OK(kc_pod_logs(client, NS, "two", &options, &log, &len));
    CHECK_STR(log, "a2\n");
    kc_free(log);

    options.tail_lines = 0;
    CHECK_OK(kc_pod_logs(client, NS, "two", &options, &log, &len));
    CHECK_STR(log, "");
    CHECK(len == 0);
    kc_free(log);

    options.has_tail_lines = 0;
    options.limit_bytes = 4;
    CHECK_OK(kc_pod_logs(client, NS, "two", &options, &log, &len));
    CHECK_STR(log, "a1\na");
    kc_free(log);

    options.limit_bytes = 0;
    options.timestamps = 1;
    CHECK_OK(kc_pod_logs(client, NS, "two", &options, &log, &len));
    CHECK(log != NULL && log[0] >= '0' && log[0] <= '9' && strstr(log, " a1\n") != NULL && strstr(log, " a2\n") != NULL);
    kc_free(log);

    options.timestamps = 0;
    options.since_ms = 3600 * 1000;
    CHECK_OK(kc_pod_logs(client, NS, "two", &options, &log, &len));
    CHECK_STR(log, "a1\na2\n");
    kc_free(log);

    options.since_ms = 0;
    options.since_time = "2999-01-01T00:00:00Z";
    CHECK_OK(kc_pod_logs(client, NS, "two", &options, &log, &len));
    CHECK_STR(log, "");
    kc_free(log);

    /* Refused before sending, naming the option. */
    options.since_time = NULL;
    options.limit_bytes = -1;
    log = (char *)1;
    CHECK_STATUS(kc_pod_logs(client, NS, "two", &options, &log, &len), KC_ERR_INVALID_ARGUMENT);
    CHECK(log == NULL);
    CHECK(strstr(kc_error_last()->message, "limit_bytes") != NULL);
    options.limit_bytes = 0;
    options.since_ms = -5;
    CHECK_STATUS(kc_pod_logs(client, NS, "two", &options, &log, &len), KC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(kc_error_last()->message, "since_ms") != NULL);
    options.since_ms = 0;
    options.has_tail_lines = 1;
    options.tail_lines = -1;
    CHECK_STATUS(kc_pod_logs(client, NS, "two", &options, &log, &len), KC_ERR_INVALID_ARGUMENT);
    options.has_tail_lines = 0;
    options.version = 99;
    CHECK_STATUS(kc_pod_logs(client, NS, "two", &options, &log, &len), KC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(kc_error_last()->message, "kc_pod_log_options.version") != NULL);
    /* previous reaches the server, which has no terminated container to show: 400. */
    options.version = KC_POD_LOG_OPTIONS_VERSION;
    options.previous = 1;
    CHECK_STATUS(kc_pod_logs(client, NS, "two", &options, &log, &len), KC_ERR_API);
    CHECK(kc_error_last()->http_code == 400 && strstr(kc_error_last()->message, "previous terminated container") != NULL);
    options.previous = 0;
    /* The server refuses a malformed time with 400. */
    options.since_time = "yesterday";
    CHECK_STATUS(kc_pod_logs(client, NS, "two", &options, &log, &len), KC_ERR_API);
    CHECK(kc_error_last()->http_code == 400);
}

static void test_errors_are_reported_when_opening(kc_client *client) {
    make_pod(client, "pair", "[{\"name\":\"a\",\"image\":\"busybox\"},{\"name\":\"b\",\"image\":\"busybox\"}]");
    kc_pod_log_options options = {0};
    CHECK_OK(kc_pod_log_options_init(&options, KC_POD_LOG_OPTIONS_VERSION));
    for (int follow = 0; follow <= 1; follow++) {
        options.follow = follow;
        options.container = NULL;
        char *log = NULL;
        kc_stream *stream = (kc_stream *)1;
        collector c;
        collector_init(&c);

        CHECK_STATUS(kc_pod_logs_open(client, NS, "missing", &options, &stream), KC_ERR_NOT_FOUND);
        CHECK(stream == NULL);
        CHECK(kc_error_last()->http_code == 404);
        CHECK_STATUS(kc_pod_logs_start(client, NS, "missing", &options, collect_data, collect_done, &c, &stream),
                     KC_ERR_NOT_FOUND);
        CHECK(stream == NULL);
        if (!follow) CHECK_STATUS(kc_pod_logs(client, NS, "missing", &options, &log, NULL), KC_ERR_NOT_FOUND);
        CHECK(log == NULL);

        /* Two containers and none named: 400, naming the choice. */
        CHECK_STATUS(kc_pod_logs_open(client, NS, "pair", &options, &stream), KC_ERR_API);
        CHECK(kc_error_last()->http_code == 400);
        CHECK(strstr(kc_error_last()->message, "choose one of") != NULL);
        options.container = "c";
        CHECK_STATUS(kc_pod_logs_start(client, NS, "pair", &options, collect_data, collect_done, &c, &stream), KC_ERR_API);
        CHECK(kc_error_last()->http_code == 400);
        CHECK(strstr(kc_error_last()->message, "container c is not valid") != NULL);
        CHECK(stream == NULL);
        /* No callback ran. */
        CHECK(c.len == 0 && c.done_calls == 0);
        collector_destroy(&c);
    }
}

static void test_callbacks_receive_the_log_then_done(kc_client *client) {
    make_pod(client, "cb", NULL);
    kc_test_append_log(client, NS, "cb", NULL, "first");
    kc_test_append_log(client, NS, "cb", NULL, "second");
    collector c;
    collector_init(&c);
    kc_stream *stream = NULL;
    CHECK_OK(kc_pod_logs_start(client, NS, "cb", NULL, collect_data, collect_done, &c, &stream));
    CHECK(collector_wait_done(&c, 10.0));
    CHECK_OK(kc_stream_wait(stream, -1));
    collector_lock(&c);
    CHECK(c.len == 13 && memcmp(c.data, "first\nsecond\n", 13) == 0);
    CHECK(c.done_calls == 1 && c.done_status == KC_OK);
    CHECK(c.empty_chunks == 0);
    collector_unlock(&c);
    /* A callback stream has nothing to read or poll, and logs cannot be written. */
    char buffer[16];
    size_t n = 99;
    int fd = 7;
    CHECK_STATUS(kc_stream_read(stream, buffer, sizeof buffer, 0, &n), KC_ERR_INVALID_ARGUMENT);
    CHECK(n == 0);
    CHECK_STATUS(kc_stream_fd(stream, &fd), KC_ERR_INVALID_ARGUMENT);
    CHECK(fd == -1);
    CHECK_STATUS(kc_stream_write(stream, "x", 1), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_stream_close_write(stream), KC_ERR_INVALID_ARGUMENT);
    CHECK_OK(kc_stream_stop(stream));
    CHECK_OK(kc_stream_stop(stream));
    kc_stream_free(stream);
    collector_destroy(&c);

    /* on_done may be NULL. */
    collector_init(&c);
    CHECK_OK(kc_pod_logs_start(client, NS, "cb", NULL, collect_data, NULL, &c, &stream));
    CHECK_OK(kc_stream_wait(stream, -1));
    collector_lock(&c);
    CHECK(c.len == 13);
    collector_unlock(&c);
    kc_stream_free(stream);
    collector_destroy(&c);
}

static void test_followed_callbacks_get_appended_lines_and_stop_promptly(kc_client *client) {
    make_pod(client, "follow-cb", NULL);
    kc_pod_log_options options;
    CHECK_OK(kc_pod_log_options_init(&options, KC_POD_LOG_OPTIONS_VERSION));
    options.follow = 1;
    collector c;
    collector_init(&c);
    kc_stream *stream = NULL;
    CHECK_OK(kc_pod_logs_start(client, NS, "follow-cb", &options, collect_data, collect_done, &c, &stream));
    kc_test_append_log(client, NS, "follow-cb", NULL, "live 1");
    CHECK(collector_wait_len(&c, 7, 10.0));
    kc_test_append_log(client, NS, "follow-cb", NULL, "live 2");
    CHECK(collector_wait_len(&c, 14, 10.0));
    /* Still running. */
    CHECK_STATUS(kc_stream_wait(stream, 50), KC_ERR_TIMEOUT);
    CHECK(!collector_done(&c));
    /* Stopped from another thread while the follow is idle. */
    double latency = stop_from_thread(stream);
    printf("     kc_stream_stop from another thread took %.3f s\n", latency);
    CHECK(latency < kc_test_stop_bound());
    CHECK(collector_done(&c));
    collector_lock(&c);
    CHECK(c.done_calls == 1 && c.done_status == KC_OK);
    CHECK(c.len == 14 && memcmp(c.data, "live 1\nlive 2\n", 14) == 0);
    collector_unlock(&c);
    CHECK_OK(kc_stream_wait(stream, 0));
    kc_stream_free(stream);
    collector_destroy(&c);
}

static void test_followed_log_ends_when_the_pod_is_deleted(kc_client *client) {
    make_pod(client, "doomed", NULL);
    kc_pod_log_options options;
    CHECK_OK(kc_pod_log_options_init(&options, KC_POD_LOG_OPTIONS_VERSION));
    options.follow = 1;
    collector c;
    collector_init(&c);
    kc_stream *stream = NULL;
    CHECK_OK(kc_pod_logs_start(client, NS, "doomed", &options, collect_data, collect_done, &c, &stream));
    kc_test_append_log(client, NS, "doomed", NULL, "bye");
    CHECK(collector_wait_len(&c, 4, 10.0));
    delete_pod(client, "doomed");
    CHECK(collector_wait_done(&c, 10.0));
    CHECK_OK(kc_stream_wait(stream, -1));
    collector_lock(&c);
    CHECK(c.done_status == KC_OK);
    collector_unlock(&c);
    kc_stream_free(stream);
    collector_destroy(&c);
}

static void test_pull_mode_polls_reads_and_ends(kc_client *client) {
    make_pod(client, "pull", NULL);
    kc_test_append_log(client, NS, "pull", NULL, "early");
    kc_pod_log_options options;
    CHECK_OK(kc_pod_log_options_init(&options, KC_POD_LOG_OPTIONS_VERSION));
    options.follow = 1;
    kc_stream *stream = NULL;
    CHECK_OK(kc_pod_logs_open(client, NS, "pull", &options, &stream));
    int fd = -1;
    CHECK_OK(kc_stream_fd(stream, &fd));
    CHECK(fd >= 0);
    char buffer[64];
    size_t n = 0;
    /* The early line becomes readable. */
    CHECK(poll_readable(fd, 10000));
    CHECK(read_exactly(stream, buffer, 6) == 6);
    CHECK(memcmp(buffer, "early\n", 6) == 0);
    /* Drained: the descriptor is quiet and a read without waiting times out. */
    CHECK(!poll_readable(fd, 50));
    CHECK_STATUS(kc_stream_read(stream, buffer, sizeof buffer, 0, &n), KC_ERR_TIMEOUT);
    CHECK(n == 0);
    CHECK_STATUS(kc_stream_read(stream, buffer, sizeof buffer, 30, &n), KC_ERR_TIMEOUT);
    /* An appended line wakes the poller; small buffers take it in pieces. */
    kc_test_append_log(client, NS, "pull", NULL, "later");
    CHECK(poll_readable(fd, 10000));
    CHECK_OK(kc_stream_read(stream, buffer, 2, -1, &n));
    CHECK(n == 2 && memcmp(buffer, "la", 2) == 0);
    CHECK(read_exactly(stream, buffer, 4) == 4);
    CHECK(memcmp(buffer, "ter\n", 4) == 0);
    /* Deleting the pod ends the log: the descriptor polls readable and the read returns 0. */
    delete_pod(client, "pull");
    CHECK(poll_readable(fd, 10000));
    CHECK_OK(kc_stream_read(stream, buffer, sizeof buffer, -1, &n));
    CHECK(n == 0);
    CHECK(poll_readable(fd, 0));
    CHECK_OK(kc_stream_read(stream, buffer, sizeof buffer, 0, &n));
    CHECK(n == 0);
    /* Argument checks on a live pull stream. */
    CHECK_STATUS(kc_stream_read(stream, NULL, 4, 0, &n), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_stream_read(stream, buffer, 0, 0, &n), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_stream_read(stream, buffer, 4, 0, NULL), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_stream_fd(stream, NULL), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_stream_write(stream, "x", 1), KC_ERR_INVALID_ARGUMENT);
    kc_stream_free(stream);
}

/* A blocked kc_stream_read on another thread, for the stop and cancel tests. */
typedef struct {
    kc_stream *stream;
    kc_status status;
    size_t len;
    double finished_at;
} blocked_read;

static void *read_blocked(void *arg) {
    blocked_read *r = arg;
    char buffer[64];
    r->status = kc_stream_read(r->stream, buffer, sizeof buffer, -1, &r->len);
    r->finished_at = kc_test_now();
    return NULL;
}

static void test_stop_and_cancel_end_a_blocked_pull_read(kc_client *client) {
    make_pod(client, "idle", NULL);
    kc_pod_log_options options;
    CHECK_OK(kc_pod_log_options_init(&options, KC_POD_LOG_OPTIONS_VERSION));
    options.follow = 1;

    /* kc_stream_stop from another thread. */
    blocked_read r = {0};
    CHECK_OK(kc_pod_logs_open(client, NS, "idle", &options, &r.stream));
    pthread_t thread;
    CHECK(pthread_create(&thread, NULL, read_blocked, &r) == 0);
    kc_test_sleep(0.1);
    double stopped_at = kc_test_now();
    CHECK_OK(kc_stream_stop(r.stream));
    pthread_join(thread, NULL);
    printf("     kc_stream_stop ended a blocked read after %.3f s\n", r.finished_at - stopped_at);
    CHECK(r.finished_at - stopped_at < kc_test_stop_bound());
    CHECK(r.status == KC_OK && r.len == 0);
    int fd = -1;
    CHECK_OK(kc_stream_fd(r.stream, &fd));
    CHECK(poll_readable(fd, 0));
    kc_stream_free(r.stream);

    /* kc_cancel_cancel on the options' token. */
    kc_cancel *cancel = NULL;
    CHECK_OK(kc_cancel_new(&cancel));
    options.cancel = cancel;
    blocked_read c = {0};
    CHECK_OK(kc_pod_logs_open(client, NS, "idle", &options, &c.stream));
    CHECK(pthread_create(&thread, NULL, read_blocked, &c) == 0);
    kc_test_sleep(0.1);
    double cancelled_at = kc_test_now();
    CHECK_OK(kc_cancel_cancel(cancel));
    pthread_join(thread, NULL);
    printf("     kc_cancel_cancel ended a blocked read after %.3f s\n", c.finished_at - cancelled_at);
    CHECK(c.finished_at - cancelled_at < kc_test_stop_bound());
    CHECK(c.status == KC_OK && c.len == 0);
    kc_stream_free(c.stream);

    /* The blocking form with a cancelled token: KC_ERR_CANCELLED. */
    char *log = NULL;
    CHECK_STATUS(kc_pod_logs(client, NS, "idle", &options, &log, NULL), KC_ERR_CANCELLED);
    CHECK(log == NULL);
    kc_cancel_free(cancel);
    /* A freed token in the options is refused. */
    CHECK_STATUS(kc_pod_logs(client, NS, "idle", &options, &log, NULL), KC_ERR_CLOSED);
}

/* Callbacks that stop or free their own stream. */
typedef struct {
    collector c;
    kc_stream *stream;
    int free_it;
} self_stopper;

static void stop_self_data(const char *data, size_t len, void *user_data) {
    self_stopper *s = user_data;
    collect_data(data, len, &s->c);
    collector_lock(&s->c);
    kc_stream *stream = s->stream;
    collector_unlock(&s->c);
    if (s->free_it) {
        kc_stream_free(stream);
    } else {
        CHECK_OK(kc_stream_stop(stream));
        CHECK_STATUS(kc_stream_wait(stream, 0), KC_ERR_INVALID_ARGUMENT);
    }
}

static void stop_self_done(kc_status status, const kc_error *error, void *user_data) {
    self_stopper *s = user_data;
    collect_done(status, error, &s->c);
}

static void test_a_callback_may_stop_or_free_its_own_stream(kc_client *client) {
    make_pod(client, "selfish", NULL);
    kc_pod_log_options options;
    CHECK_OK(kc_pod_log_options_init(&options, KC_POD_LOG_OPTIONS_VERSION));
    options.follow = 1;
    for (int free_it = 0; free_it <= 1; free_it++) {
        self_stopper s = {.free_it = free_it};
        collector_init(&s.c);
        kc_stream *stream = NULL;
        CHECK_OK(kc_pod_logs_start(client, NS, "selfish", &options, stop_self_data, stop_self_done, &s, &stream));
        collector_lock(&s.c);
        s.stream = stream;
        collector_unlock(&s.c);
        /* The stream delivers nothing until this line (no earlier lines on first pass; on the
         * second pass the earlier line arrives first, which is just as good). */
        kc_test_append_log(client, NS, "selfish", NULL, free_it ? "free me" : "stop me");
        CHECK(collector_wait_done(&s.c, 10.0));
        collector_lock(&s.c);
        CHECK(s.c.done_calls == 1 && s.c.done_status == KC_OK);
        CHECK(s.c.data_calls == 1);
        collector_unlock(&s.c);
        if (!free_it) {
            CHECK_OK(kc_stream_wait(stream, -1));
            kc_stream_free(stream);
        }
        collector_destroy(&s.c);
    }
}

/* A stop and a free racing each other from two threads while lines arrive. */
typedef struct { kc_stream *stream; int do_free; kc_status status; } racer;
static void *race(void *arg) {
    racer *r = arg;
    if (r->do_free) kc_stream_free(r->stream);
    else r->status = kc_stream_stop(r->stream);
    return NULL;
}

static void test_stop_and_free_racing_end_once(kc_client *client) {
    make_pod(client, "racy", NULL);
    kc_pod_log_options options;
    CHECK_OK(kc_pod_log_options_init(&options, KC_POD_LOG_OPTIONS_VERSION));
    options.follow = 1;
    for (int round = 0; round < 10; round++) {
        collector c;
        collector_init(&c);
        kc_stream *stream = NULL;
        CHECK_OK(kc_pod_logs_start(client, NS, "racy", &options, collect_data, collect_done, &c, &stream));
        kc_test_append_log(client, NS, "racy", NULL, "tick");
        racer stopper = {.stream = stream}, freer = {.stream = stream, .do_free = 1};
        pthread_t a, b;
        CHECK(pthread_create(&a, NULL, race, &stopper) == 0);
        CHECK(pthread_create(&b, NULL, race, &freer) == 0);
        pthread_join(a, NULL);
        pthread_join(b, NULL);
        /* The stop either won (KC_OK) or found the handle freed (KC_ERR_CLOSED); both waited. */
        CHECK(stopper.status == KC_OK || stopper.status == KC_ERR_CLOSED);
        collector_lock(&c);
        CHECK(c.done_calls == 1 && c.done_status == KC_OK);
        collector_unlock(&c);
        collector_destroy(&c);
    }
}

static void test_null_handles_and_arguments(kc_client *client) {
    char buffer[8];
    size_t n = 5;
    int fd = 3;
    kc_stream *stream = (kc_stream *)1;
    CHECK_STATUS(kc_stream_read(NULL, buffer, sizeof buffer, 0, &n), KC_ERR_INVALID_ARGUMENT);
    CHECK(n == 0);
    CHECK_STATUS(kc_stream_fd(NULL, &fd), KC_ERR_INVALID_ARGUMENT);
    CHECK(fd == -1);
    CHECK_STATUS(kc_stream_write(NULL, "x", 1), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_stream_close_write(NULL), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_stream_stop(NULL), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_stream_wait(NULL, 0), KC_ERR_INVALID_ARGUMENT);
    kc_stream_free(NULL);

    char *log = (char *)1;
    CHECK_STATUS(kc_pod_logs(NULL, NS, "whole", NULL, &log, NULL), KC_ERR_INVALID_ARGUMENT);
    CHECK(log == NULL);
    CHECK_STATUS(kc_pod_logs(client, NULL, "whole", NULL, &log, NULL), KC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(kc_error_last()->message, "namespace_name") != NULL);
    CHECK_STATUS(kc_pod_logs(client, NS, NULL, NULL, &log, NULL), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_pod_logs(client, NS, "", NULL, &log, NULL), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_pod_logs(client, NS, "whole", NULL, NULL, NULL), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_pod_logs_open(client, NS, "whole", NULL, NULL), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_pod_logs_open(NULL, NS, "whole", NULL, &stream), KC_ERR_INVALID_ARGUMENT);
    CHECK(stream == NULL);
    CHECK_STATUS(kc_pod_logs_start(client, NS, "whole", NULL, NULL, NULL, NULL, &stream), KC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(kc_error_last()->message, "on_data") != NULL);
    CHECK_STATUS(kc_pod_logs_start(client, NS, "whole", NULL, collect_data, NULL, NULL, NULL), KC_ERR_INVALID_ARGUMENT);
}

int main(void) {
    kc_client *client = kc_test_client(kc_test_kubeconfig(), NULL);
    kc_test_ensure(client, "v1", "namespaces", NULL,
                   "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"kc-logs\"}}");
    kc_test_case tests[] = {
        {"kc_pod_log_options_init sets the defaults and checks the version", test_options_init, NULL},
        {"kc_pod_logs returns the whole log and its length; kc_get refuses pods/log", NULL, test_whole_log},
        {"container, tail_lines, limit_bytes, timestamps, since_* reach the server; bad values are refused", NULL,
         test_options_reach_the_server},
        {"a missing pod (404) and a bad container (400) are reported by the constructors", NULL,
         test_errors_are_reported_when_opening},
        {"callbacks receive the log, then on_done once; a callback stream cannot be read or written", NULL,
         test_callbacks_receive_the_log_then_done},
        {"a followed log delivers appended lines; kc_stream_stop from another thread ends it promptly", NULL,
         test_followed_callbacks_get_appended_lines_and_stop_promptly},
        {"a followed log ends when its pod is deleted", NULL, test_followed_log_ends_when_the_pod_is_deleted},
        {"pull mode: the descriptor polls readable with bytes and at the end; reads time out", NULL,
         test_pull_mode_polls_reads_and_ends},
        {"kc_stream_stop and kc_cancel_cancel end a blocked read promptly", NULL,
         test_stop_and_cancel_end_a_blocked_pull_read},
        {"a callback may stop or free its own stream", NULL, test_a_callback_may_stop_or_free_its_own_stream},
        {"a stop and a free racing from two threads end the stream once, after on_done", NULL,
         test_stop_and_free_racing_end_once},
        {"NULL handles and arguments are refused", NULL, test_null_handles_and_arguments},
    };
    return kc_test_run(tests, sizeof tests / sizeof tests[0], client);
}
