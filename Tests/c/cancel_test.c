/*
 * Issue 12, cancellable blocking calls from C: a kc_cancel token passed to kc_request_ext,
 * cancelled from another thread, ends a followed pod log promptly (see CANCEL_BOUND_S).
 * Run by Tests/c/run.sh, which starts kubeclient-testserver and sets KC_TEST_KUBECONFIG.
 */
#define _POSIX_C_SOURCE 200809L
#include "kc_test.h"

#include <errno.h>
#include <pthread.h>
#include <time.h>

int kc_test_failures = 0;

static const char *kubeconfig;
static const char *NS = "kc-cancel";
static const char *FOLLOW = "/api/v1/namespaces/kc-cancel/pods/talker/log?follow=true";

/* How soon a cancelled request must return: a request with a token runs on a connection of
 * its own, whose socket the cancel shuts down, so it ends at once even while no byte flows. */
#define CANCEL_BOUND_S 0.5

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A followed log request on its own thread; `done` is signalled when it returns. */
typedef struct {
    kc_client *client;
    kc_cancel *cancel;
    pthread_mutex_t lock;
    pthread_cond_t cond;
    int done;
    double finished_at;
    kc_status status;
    char message[256];
    char *body;
} follower;

static void *follow(void *arg) {
    follower *f = arg;
    int code = 0;
    char *body = NULL;
    kc_status status = kc_request_ext(f->client, "GET", FOLLOW, NULL, 0, NULL, f->cancel, &code, &body, NULL);
    pthread_mutex_lock(&f->lock);
    f->status = status;
    snprintf(f->message, sizeof f->message, "%s", kc_error_last()->message);
    f->body = body;
    f->finished_at = now_seconds();
    f->done = 1;
    pthread_cond_signal(&f->cond);
    pthread_mutex_unlock(&f->lock);
    return NULL;
}

/* Waits up to `seconds` for the follower to return; 1 when it did. */
static int await_done(follower *f, double seconds) {
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    long long ns = deadline.tv_nsec + (long long)(seconds * 1e9);
    deadline.tv_sec += (time_t)(ns / 1000000000LL);
    deadline.tv_nsec = (long)(ns % 1000000000LL);
    pthread_mutex_lock(&f->lock);
    int rc = 0;
    while (!f->done && rc != ETIMEDOUT) rc = pthread_cond_timedwait(&f->cond, &f->lock, &deadline);
    int done = f->done;
    pthread_mutex_unlock(&f->lock);
    return done;
}

static void test_cancel_from_another_thread_ends_a_followed_log(kc_client *client) {
    follower f = {.client = client, .lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER};
    CHECK_OK(kc_cancel_new(&f.cancel));
    CHECK(kc_cancel_is_cancelled(f.cancel) == 0);
    pthread_t thread;
    CHECK(pthread_create(&thread, NULL, follow, &f) == 0);
    /* The follow request stays open: it has not returned after 300 ms... */
    CHECK(await_done(&f, 0.3) == 0);
    /* ...and returns within CANCEL_BOUND_S of the cancel. */
    double cancelled_at = now_seconds();
    CHECK_OK(kc_cancel_cancel(f.cancel));
    CHECK(kc_cancel_is_cancelled(f.cancel) == 1);
    CHECK(await_done(&f, 5.0) == 1);
    double latency = f.finished_at - cancelled_at;
    printf("     cancel took %.3f s\n", latency);
    CHECK(latency < CANCEL_BOUND_S);
    pthread_join(thread, NULL);
    if (f.status != KC_ERR_CANCELLED) fprintf(stderr, "  status %d: %s\n", (int)f.status, f.message);
    CHECK(f.status == KC_ERR_CANCELLED);
    CHECK(f.body == NULL);
    kc_free(f.body);
    /* Cancelling again is harmless. */
    CHECK_OK(kc_cancel_cancel(f.cancel));
    kc_cancel_free(f.cancel);
}

static void test_a_cancelled_token_fails_at_once_and_null_is_not_cancellable(kc_client *client) {
    kc_cancel *cancel = NULL;
    CHECK_OK(kc_cancel_new(&cancel));
    CHECK_OK(kc_cancel_cancel(cancel));
    int code = -1;
    char *body = NULL;
    double start = now_seconds();
    CHECK_STATUS(kc_request_ext(client, "GET", FOLLOW, NULL, 0, NULL, cancel, &code, &body, NULL), KC_ERR_CANCELLED);
    CHECK(now_seconds() - start < 0.5);
    CHECK(body == NULL);
    CHECK(code == 0);
    kc_cancel_free(cancel);
    /* NULL token: a plain request. */
    CHECK_OK(kc_request_ext(client, "GET", "/api/v1/namespaces/kc-cancel/pods/talker/log", NULL, 0, NULL, NULL,
                            &code, &body, NULL));
    CHECK(code == 200);
    CHECK(body != NULL && strcmp(body, "hello\n") == 0);
    kc_free(body);
}

static void test_handle_errors(void) {
    CHECK_STATUS(kc_cancel_new(NULL), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_cancel_cancel(NULL), KC_ERR_INVALID_ARGUMENT);
    CHECK(kc_cancel_is_cancelled(NULL) == 0);
    CHECK(kc_error_last()->status == KC_ERR_INVALID_ARGUMENT);
    kc_cancel_free(NULL);
}

int main(void) {
    kubeconfig = kc_test_kubeconfig();
    kc_client *client = kc_test_client(kubeconfig, NULL);
    kc_test_ensure(client, "v1", "namespaces", NULL, "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"kc-cancel\"}}");
    kc_status created = kc_test_ensure(client, "v1", "pods", NS,
                        "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"talker\"},"
                        "\"spec\":{\"containers\":[{\"name\":\"main\",\"image\":\"busybox\"}]}}");
    const char *line = "{\"namespace\":\"kc-cancel\",\"pod\":\"talker\",\"container\":\"main\",\"lines\":[\"hello\"]}";
    int code = 0;
    char *out = NULL;
    if (created == KC_OK) {
        CHECK_OK(kc_request(client, "POST", "/_testserver/logs", line, strlen(line), NULL, &code, &out, NULL));
        CHECK(code < 300);
        kc_free(out);
    }

    kc_test_case tests[] = {
        {"kc_cancel_cancel from another thread ends a followed log request promptly", NULL,
         test_cancel_from_another_thread_ends_a_followed_log},
        {"a cancelled token fails the call at once; a NULL token is a plain request", NULL,
         test_a_cancelled_token_fails_at_once_and_null_is_not_cancellable},
        {"NULL handles are refused or ignored", test_handle_errors, NULL},
    };
    return kc_test_run(tests, sizeof tests / sizeof tests[0], client);
}
