/*
 * kc_cancel_bind: a token bound to a thread cancels every request the thread makes, for the
 * calls that have no cancel parameter (kc_get, kc_list, kc_request, ...). The blocking call
 * runs on a thread of its own; the test cancels from the main thread.
 * Run by Tests/c/run.sh, which starts kubeclient-testserver and sets KC_TEST_KUBECONFIG.
 */
#define _POSIX_C_SOURCE 200809L
#include "kc_test.h"

#include <errno.h>
#include <pthread.h>
#include <time.h>

int kc_test_failures = 0;

static const char *kubeconfig;
static const char *FOLLOW = "/api/v1/namespaces/kc-bind/pods/talker/log?follow=true";

/* A cancelled call ends at once: its request has a connection of its own whose socket the
 * cancel shuts down, and the rate limiter's wait checks the token every 10 ms. */
#define CANCEL_BOUND_S 0.5

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef enum { CALL_FOLLOW_LOG, CALL_GET_TWICE } call_kind;

/* One blocking call on its own thread, with `cancel` bound there. */
typedef struct {
    kc_client *client;
    kc_cancel *cancel;
    call_kind kind;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int done;
    double finished_at;
    kc_status status;
    char message[256];
} caller;

static void *run_call(void *arg) {
    caller *c = arg;
    kc_status status = kc_cancel_bind(c->cancel);
    if (status == KC_OK) {
        char *out = NULL;
        if (c->kind == CALL_FOLLOW_LOG) {
            int code = 0;
            status = kc_request(c->client, "GET", FOLLOW, NULL, 0, NULL, &code, &out, NULL);
        } else {
            /* The first get takes the limiter's only token; the second waits for the next. */
            status = kc_get(c->client, "v1", "namespaces", NULL, "kc-bind", &out);
            kc_free(out);
            out = NULL;
            if (status == KC_OK) status = kc_get(c->client, "v1", "namespaces", NULL, "kc-bind", &out);
        }
        kc_free(out);
    }
    pthread_mutex_lock(&c->lock);
    c->status = status;
    snprintf(c->message, sizeof c->message, "%s", kc_error_last()->message);
    c->finished_at = now_seconds();
    c->done = 1;
    pthread_cond_signal(&c->cond);
    pthread_mutex_unlock(&c->lock);
    kc_cancel_bind(NULL);
    return NULL;
}

static int await_done(caller *c, double seconds) {
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    long long ns = deadline.tv_nsec + (long long)(seconds * 1e9);
    deadline.tv_sec += (time_t)(ns / 1000000000LL);
    deadline.tv_nsec = (long)(ns % 1000000000LL);
    pthread_mutex_lock(&c->lock);
    int rc = 0;
    while (!c->done && rc != ETIMEDOUT) rc = pthread_cond_timedwait(&c->cond, &c->lock, &deadline);
    int done = c->done;
    pthread_mutex_unlock(&c->lock);
    return done;
}

/* Starts `kind` with a bound token, checks it is still blocked after 300 ms, cancels, and
 * checks it ended with KC_ERR_CANCELLED within CANCEL_BOUND_S. */
static void expect_cancelled(kc_client *client, call_kind kind) {
    caller c = {.client = client, .kind = kind, .lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER};
    CHECK_OK(kc_cancel_new(&c.cancel));
    pthread_t thread;
    CHECK(pthread_create(&thread, NULL, run_call, &c) == 0);
    CHECK(await_done(&c, 0.3) == 0);
    double cancelled_at = now_seconds();
    CHECK_OK(kc_cancel_cancel(c.cancel));
    CHECK(await_done(&c, 5.0) == 1);
    double latency = c.finished_at - cancelled_at;
    printf("     cancel took %.3f s\n", latency);
    CHECK(latency < CANCEL_BOUND_S);
    pthread_join(thread, NULL);
    if (c.status != KC_ERR_CANCELLED) fprintf(stderr, "  status %d: %s\n", (int)c.status, c.message);
    CHECK(c.status == KC_ERR_CANCELLED);
    kc_cancel_free(c.cancel);
}

static void test_bound_token_cancels_a_followed_log_request(kc_client *client) {
    expect_cancelled(client, CALL_FOLLOW_LOG);
}

static void test_bound_token_cancels_a_get_waiting_for_the_rate_limiter(kc_client *unused) {
    (void)unused;
    kc_config *config = NULL;
    kc_client *slow = NULL;
    CHECK_OK(kc_config_load(kubeconfig, NULL, NULL, NULL, &config));
    kc_client_options options;
    CHECK_OK(kc_client_options_init(&options, KC_CLIENT_OPTIONS_VERSION));
    options.qps = 1e-9;
    options.burst = 1;
    CHECK_OK(kc_client_new(config, &options, &slow));
    kc_config_free(config);
    expect_cancelled(slow, CALL_GET_TWICE);
    kc_client_free(slow);
}

static void test_unbinding_and_freed_tokens(kc_client *client) {
    kc_cancel *cancel = NULL;
    CHECK_OK(kc_cancel_new(&cancel));
    CHECK_OK(kc_cancel_cancel(cancel));
    CHECK_OK(kc_cancel_bind(cancel));
    char *out = NULL;
    /* Bound and cancelled: the call fails at once, without sending anything... */
    CHECK_STATUS(kc_get(client, "v1", "namespaces", NULL, "kc-bind", &out), KC_ERR_CANCELLED);
    CHECK(out == NULL);
    /* ...also after the handle was freed: the binding holds its own reference. */
    kc_cancel_free(cancel);
    CHECK_STATUS(kc_get(client, "v1", "namespaces", NULL, "kc-bind", &out), KC_ERR_CANCELLED);
    /* Unbound, the same call succeeds (the positive control of the two above). */
    CHECK_OK(kc_cancel_bind(NULL));
    CHECK_OK(kc_get(client, "v1", "namespaces", NULL, "kc-bind", &out));
    CHECK(out != NULL);
    kc_free(out);
    /* A freed token cannot be bound. */
    CHECK_STATUS(kc_cancel_bind(cancel), KC_ERR_CLOSED);
    CHECK_OK(kc_get(client, "v1", "namespaces", NULL, "kc-bind", &out));
    kc_free(out);
}

int main(void) {
    kubeconfig = kc_test_kubeconfig();
    kc_client *client = kc_test_client(kubeconfig, NULL);
    kc_test_ensure(client, "v1", "namespaces", NULL, "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"kc-bind\"}}");
    kc_test_ensure(client, "v1", "pods", "kc-bind",
                   "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"talker\"},"
                   "\"spec\":{\"containers\":[{\"name\":\"main\",\"image\":\"busybox\"}]}}");
    kc_test_case tests[] = {
        {"a bound token cancels a followed log request made with kc_request", NULL,
         test_bound_token_cancels_a_followed_log_request},
        {"a bound token cancels a kc_get waiting for the rate limiter", NULL,
         test_bound_token_cancels_a_get_waiting_for_the_rate_limiter},
        {"cancelled, freed and unbound tokens", NULL, test_unbinding_and_freed_tokens},
    };
    return kc_test_run(tests, sizeof tests / sizeof tests[0], client);
}
