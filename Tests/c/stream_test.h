/* Helpers shared by the stream tests (stream_*_test.c): a thread-safe collector of callback
 * bytes and outcomes, waits with bounds, polling, and the stop-latency bound. Include after
 * kc_test.h, with _POSIX_C_SOURCE 200809L defined first. */
#ifndef KC_STREAM_TEST_H
#define KC_STREAM_TEST_H

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <time.h>

static inline double kc_test_now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static inline void kc_test_sleep(double seconds) {
    struct timespec ts = {(time_t)seconds, (long)((seconds - (double)(time_t)seconds) * 1e9)};
    nanosleep(&ts, NULL);
}

/* How soon a stop or cancel must end a stream (the 0.5 s); valgrind runs ~20x slower. */
static inline double kc_test_stop_bound(void) {
    return getenv("KC_TEST_UNDER_VALGRIND") ? 5.0 : 0.5;
}

/* Appends a line to a container's log through the test server's control endpoint. */
static inline void kc_test_append_log(kc_client *client, const char *ns, const char *pod, const char *container,
                                      const char *line) {
    char body[512];
    if (container) {
        snprintf(body, sizeof body, "{\"namespace\":\"%s\",\"pod\":\"%s\",\"container\":\"%s\",\"line\":\"%s\"}", ns,
                 pod, container, line);
    } else {
        snprintf(body, sizeof body, "{\"namespace\":\"%s\",\"pod\":\"%s\",\"line\":\"%s\"}", ns, pod, line);
    }
    int code = 0;
    char *out = NULL;
    CHECK_OK(kc_request(client, "POST", "/_testserver/logs", body, strlen(body), NULL, &code, &out, NULL));
    CHECK(code == 200);
    kc_free(out);
}

/* What a stream's callbacks delivered, guarded by `lock`. */
typedef struct {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    char *data;
    size_t len;
    size_t cap;
    int data_calls;
    int empty_chunks;
    char *err;        /* stderr of an exec */
    size_t err_len;
    int done_calls;
    kc_status done_status;
    int exit_code;
    char done_message[256];
} collector;

static inline void collector_init(collector *c) {
    memset(c, 0, sizeof *c);
    pthread_mutex_init(&c->lock, NULL);
    pthread_cond_init(&c->cond, NULL);
    c->exit_code = -2;
}

static inline void collector_destroy(collector *c) {
    free(c->data);
    free(c->err);
    pthread_cond_destroy(&c->cond);
    pthread_mutex_destroy(&c->lock);
}

static inline void collector_lock(collector *c) { pthread_mutex_lock(&c->lock); }
static inline void collector_unlock(collector *c) { pthread_mutex_unlock(&c->lock); }

static inline void collector_append(char **data, size_t *len, const char *bytes, size_t n) {
    char *grown = realloc(*data, *len + n + 1);
    if (!grown) abort();
    memcpy(grown + *len, bytes, n);
    *len += n;
    grown[*len] = 0;
    *data = grown;
}

static inline void collect_data(const char *data, size_t len, void *user_data) {
    collector *c = user_data;
    collector_lock(c);
    if (len == 0) c->empty_chunks++;
    collector_append(&c->data, &c->len, data, len);
    c->data_calls++;
    pthread_cond_broadcast(&c->cond);
    collector_unlock(c);
}

static inline void collect_err(const char *data, size_t len, void *user_data) {
    collector *c = user_data;
    collector_lock(c);
    if (len == 0) c->empty_chunks++;
    collector_append(&c->err, &c->err_len, data, len);
    pthread_cond_broadcast(&c->cond);
    collector_unlock(c);
}

static inline void collect_done(kc_status status, const kc_error *error, void *user_data) {
    collector *c = user_data;
    collector_lock(c);
    c->done_calls++;
    c->done_status = status;
    snprintf(c->done_message, sizeof c->done_message, "%s", error ? error->message : "(null error)");
    pthread_cond_broadcast(&c->cond);
    collector_unlock(c);
}

static inline void collect_exec_done(kc_status status, int exit_code, const kc_error *error, void *user_data) {
    collector *c = user_data;
    collector_lock(c);
    c->exit_code = exit_code;
    collector_unlock(c);
    collect_done(status, error, user_data);
}

/* Waits (bounded) until `ready(c)` holds; 1 when it did. */
static inline int collector_wait(collector *c, int (*ready)(collector *, size_t), size_t arg, double seconds) {
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    long long ns = deadline.tv_nsec + (long long)(seconds * 1e9);
    deadline.tv_sec += (time_t)(ns / 1000000000LL);
    deadline.tv_nsec = (long)(ns % 1000000000LL);
    collector_lock(c);
    int rc = 0;
    while (!ready(c, arg) && rc != ETIMEDOUT) rc = pthread_cond_timedwait(&c->cond, &c->lock, &deadline);
    int ok = ready(c, arg);
    collector_unlock(c);
    return ok;
}

static inline int collector_is_done(collector *c, size_t unused) { (void)unused; return c->done_calls > 0; }
static inline int collector_has_len(collector *c, size_t len) { return c->len >= len; }
static inline int collector_has_err_len(collector *c, size_t len) { return c->err_len >= len; }

static inline int collector_wait_done(collector *c, double seconds) {
    return collector_wait(c, collector_is_done, 0, seconds);
}
static inline int collector_wait_len(collector *c, size_t len, double seconds) {
    return collector_wait(c, collector_has_len, len, seconds);
}
static inline int collector_wait_err_len(collector *c, size_t len, double seconds) {
    return collector_wait(c, collector_has_err_len, len, seconds);
}
static inline int collector_done(collector *c) {
    collector_lock(c);
    int done = c->done_calls > 0;
    collector_unlock(c);
    return done;
}

/* 1 when `fd` polls readable within `timeout_ms`. */
static inline int poll_readable(int fd, int timeout_ms) {
    struct pollfd p = {.fd = fd, .events = POLLIN};
    int rc;
    do { rc = poll(&p, 1, timeout_ms); } while (rc < 0 && errno == EINTR);
    return rc == 1 && (p.revents & POLLIN);
}

/* Reads exactly `want` bytes (waiting), or fewer at the end or on an error. */
static inline size_t read_exactly(kc_stream *stream, char *buffer, size_t want) {
    size_t got = 0;
    while (got < want) {
        size_t n = 0;
        kc_status s = kc_stream_read(stream, buffer + got, want - got, 10000, &n);
        if (s != KC_OK || n == 0) break;
        got += n;
    }
    return got;
}

/* Stops `stream` with kc_stream_stop on a new thread; returns how long it took. */
typedef struct { kc_stream *stream; kc_status status; double took; } kc_test_stopper;
static inline void *kc_test_stop_thread(void *arg) {
    kc_test_stopper *s = arg;
    double start = kc_test_now();
    s->status = kc_stream_stop(s->stream);
    s->took = kc_test_now() - start;
    return NULL;
}
static inline double stop_from_thread(kc_stream *stream) {
    kc_test_stopper s = {.stream = stream};
    pthread_t thread;
    if (pthread_create(&thread, NULL, kc_test_stop_thread, &s) != 0) return 1e9;
    pthread_join(thread, NULL);
    CHECK(s.status == KC_OK);
    return s.took;
}

#endif
