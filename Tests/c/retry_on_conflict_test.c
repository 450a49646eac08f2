/*
 * Issue 12, kc_retry_on_conflict from C (client-go's retry.RetryOnConflict with DefaultRetry):
 * racing read-modify-write updates of one ConfigMap all land; other statuses end it at once;
 * five conflicts are the limit.
 * Run by Tests/c/run.sh, which starts kubeclient-testserver and sets KC_TEST_KUBECONFIG.
 */
#define _POSIX_C_SOURCE 200809L
#include "kc_test.h"

#include <jansson.h>
#include <pthread.h>
#include <time.h>

int kc_test_failures = 0;

static const char *kubeconfig;
static const char *NS = "kc-retry";

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One writer: adds data[key] = value to the ConfigMap "shared" by get, change, update. */
typedef struct writer {
    kc_client *client;
    const char *key;
    int attempts;
    struct writer *interloper; /* run to completion between the first get and update */
} writer;

static kc_status write_once(void *user_data) {
    writer *w = user_data;
    w->attempts++;
    char *text = NULL;
    kc_status status = kc_get(w->client, "v1", "configmaps", NS, "shared", &text);
    if (status != KC_OK) return status;
    json_t *object = json_loads(text, 0, NULL);
    kc_free(text);
    if (!object) return KC_ERR_DECODE;
    json_t *data = json_object_get(object, "data");
    if (!json_is_object(data)) {
        data = json_object();
        json_object_set_new(object, "data", data);
    }
    json_object_set_new(data, w->key, json_string("yes"));
    if (w->interloper && w->attempts == 1) {
        /* The other writer's whole read-modify-write lands between our read and our write:
         * our first update is stale, on every run. */
        CHECK_OK(kc_retry_on_conflict(write_once, w->interloper));
    }
    char *body = json_dumps(object, JSON_COMPACT);
    json_decref(object);
    char *out = NULL;
    status = kc_update(w->client, "v1", "configmaps", NS, body, &out);
    free(body);
    kc_free(out);
    return status;
}

static void *run_writer(void *arg) {
    writer *w = arg;
    CHECK_OK(kc_retry_on_conflict(write_once, w));
    return NULL;
}

static void reset_shared(kc_client *client) {
    char *out = NULL;
    kc_delete(client, "v1", "configmaps", NS, "shared", NULL, NULL);
    CHECK_OK(kc_create(client, "v1", "configmaps", NS,
                       "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"shared\"},\"data\":{}}",
                       &out));
    kc_free(out);
}

static int has_key(kc_client *client, const char *key) {
    char *text = NULL;
    if (kc_get(client, "v1", "configmaps", NS, "shared", &text) != KC_OK) return 0;
    json_t *object = json_loads(text, 0, NULL);
    kc_free(text);
    int found = json_object_get(json_object_get(object, "data"), key) != NULL;
    json_decref(object);
    return found;
}

static void test_an_interleaved_writer_is_retried_and_both_land(kc_client *client) {
    reset_shared(client);
    writer b = {client, "b", 0, NULL};
    writer a = {client, "a", 0, &b};
    CHECK_OK(kc_retry_on_conflict(write_once, &a));
    CHECK(kc_error_last()->status == KC_OK);
    CHECK(a.attempts == 2);
    CHECK(b.attempts == 1);
    CHECK(has_key(client, "a"));
    CHECK(has_key(client, "b"));
}

static void test_two_racing_threads_both_land(kc_client *client) {
    reset_shared(client);
    writer one = {client, "one", 0, NULL};
    writer two = {client, "two", 0, NULL};
    pthread_t t1, t2;
    CHECK(pthread_create(&t1, NULL, run_writer, &one) == 0);
    CHECK(pthread_create(&t2, NULL, run_writer, &two) == 0);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    CHECK(has_key(client, "one"));
    CHECK(has_key(client, "two"));
}

typedef struct {
    int calls;
    kc_status answer;
} counter;

static kc_status answer_with(void *user_data) {
    counter *c = user_data;
    c->calls++;
    return c->answer;
}

static void test_five_conflicts_are_the_limit(void) {
    counter c = {0, KC_ERR_CONFLICT};
    double start = now_seconds();
    CHECK_STATUS(kc_retry_on_conflict(answer_with, &c), KC_ERR_CONFLICT);
    double elapsed = now_seconds() - start;
    CHECK(c.calls == 5);
    /* Four waits of 10 ms (plus up to 10 % jitter each). */
    CHECK(elapsed >= 0.039);
    CHECK(elapsed < 2.0);
    /* fn returned a conflict of its own making: the record says so, with that status. */
    CHECK(kc_error_last()->status == KC_ERR_CONFLICT);
    CHECK(strstr(kc_error_last()->message, "conflict") != NULL);
}

static void test_other_statuses_end_it_at_once(kc_client *client) {
    counter ok = {0, KC_OK};
    CHECK_OK(kc_retry_on_conflict(answer_with, &ok));
    CHECK(ok.calls == 1);
    /* A real failure of fn's last call: its record is kept as it was. */
    char *out = NULL;
    writer missing = {client, "x", 0, NULL};
    kc_delete(client, "v1", "configmaps", NS, "shared", NULL, NULL);
    CHECK_STATUS(kc_retry_on_conflict(write_once, &missing), KC_ERR_NOT_FOUND);
    CHECK(missing.attempts == 1);
    CHECK(kc_error_last()->status == KC_ERR_NOT_FOUND);
    CHECK(kc_error_last()->http_code == 404);
    CHECK(out == NULL);
    CHECK_STATUS(kc_retry_on_conflict(NULL, NULL), KC_ERR_INVALID_ARGUMENT);
    CHECK_STR(kc_error_last()->message, "fn is NULL");
}

int main(void) {
    kubeconfig = kc_test_kubeconfig();
    kc_client *client = kc_test_client(kubeconfig, NULL);
    kc_test_ensure(client, "v1", "namespaces", NULL, "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"kc-retry\"}}");

    kc_test_case tests[] = {
        {"a writer interleaved between read and write is retried, and both writes land", NULL,
         test_an_interleaved_writer_is_retried_and_both_land},
        {"two threads racing read-modify-write updates of one ConfigMap both land", NULL,
         test_two_racing_threads_both_land},
        {"five conflicting attempts, 10 ms apart, are the limit", test_five_conflicts_are_the_limit, NULL},
        {"success and other failures end it at once, with their own error record", NULL,
         test_other_statuses_end_it_at_once},
    };
    return kc_test_run(tests, sizeof tests / sizeof tests[0], client);
}
