/* Leader election and event recording through the C API, against the test server.
 * Run like test_api.c: KC_TEST_KUBECONFIG=<kubeconfig of kubeclient-testserver> ./controller_leader_test */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <kubeclient.h>

static int failures = 0;
#define CHECK(cond) do { if (!(cond)) { \
    fprintf(stderr, "  FAIL %s:%d: %s (%s)\n", __FILE__, __LINE__, #cond, kc_error_last()->message); failures++; } } while (0)
#define CHECK_OK(call) CHECK((call) == KC_OK)

typedef struct {
    pthread_mutex_t mu;
    int leading;
    int started, stopped, new_leader;
    char last_leader[64];
} candidate_state;

static void on_started(void *ud) {
    candidate_state *s = ud;
    pthread_mutex_lock(&s->mu);
    s->leading = 1;
    s->started++;
    pthread_mutex_unlock(&s->mu);
}

static void on_stopped(void *ud) {
    candidate_state *s = ud;
    pthread_mutex_lock(&s->mu);
    s->leading = 0;
    s->stopped++;
    pthread_mutex_unlock(&s->mu);
}

static void on_new_leader(const char *identity, void *ud) {
    candidate_state *s = ud;
    pthread_mutex_lock(&s->mu);
    s->new_leader++;
    snprintf(s->last_leader, sizeof s->last_leader, "%s", identity);
    pthread_mutex_unlock(&s->mu);
}

static int leading(candidate_state *s) {
    pthread_mutex_lock(&s->mu);
    int v = s->leading;
    pthread_mutex_unlock(&s->mu);
    return v;
}

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void pause_ms(int ms) {
    struct timespec t = { ms / 1000, (long)(ms % 1000) * 1000000L };
    nanosleep(&t, NULL);
}

/* Valgrind runs ~20x slower: stretch every duration and timeout (run.sh sets this). */
static double scale(void) { return getenv("KC_TEST_UNDER_VALGRIND") ? 10.0 : 1.0; }

static void test_two_candidates(kc_client *client) {
    candidate_state a = { PTHREAD_MUTEX_INITIALIZER, 0, 0, 0, 0, "" };
    candidate_state b = { PTHREAD_MUTEX_INITIALIZER, 0, 0, 0, 0, "" };
    kc_leader_election_options o = KC_LEADER_ELECTION_OPTIONS_INIT;
    o.lease_duration_ms = 1000 * scale();
    o.renew_deadline_ms = 600 * scale();
    o.retry_period_ms = 200 * scale();
    kc_leader_callbacks cb = { KC_LEADER_CALLBACKS_VERSION, on_started, on_stopped, on_new_leader };
    kc_leader_elector *ea = NULL, *eb = NULL;
    CHECK_OK(kc_leader_elector_new(client, "default", "c-lease", "alpha", &o, &cb, &a, &ea));
    CHECK_OK(kc_leader_elector_new(client, "default", "c-lease", "beta", &o, &cb, &b, &eb));
    CHECK_OK(kc_leader_elector_start(ea));
    double deadline = now_seconds() + 5 * scale();
    while (!leading(&a) && now_seconds() < deadline) pause_ms(5);
    CHECK(leading(&a));
    CHECK(kc_leader_elector_is_leader(ea) == 1);
    CHECK_OK(kc_leader_elector_start(eb));
    pause_ms((int)(600 * scale()));
    CHECK(!leading(&b));
    char *leader = NULL;
    CHECK_OK(kc_leader_elector_leader(eb, &leader));
    CHECK(leader && strcmp(leader, "alpha") == 0);
    kc_free(leader);
    /* alpha stops and releases: beta takes over well within the lease duration. */
    double stopped_at = now_seconds();
    CHECK_OK(kc_leader_elector_stop(ea));
    CHECK(a.stopped == 1 && !leading(&a));
    deadline = now_seconds() + 5 * scale();
    while (!leading(&b) && now_seconds() < deadline) pause_ms(5);
    CHECK(leading(&b));
    CHECK(now_seconds() - stopped_at < 1.5 * scale());
    pthread_mutex_lock(&b.mu);
    CHECK(strcmp(b.last_leader, "beta") == 0);
    CHECK(b.new_leader >= 2);
    pthread_mutex_unlock(&b.mu);
    kc_leader_elector_free(ea);
    kc_leader_elector_free(eb);
    CHECK(!leading(&b));

    kc_leader_elector *bad = NULL;
    o.renew_deadline_ms = 50000 * scale();  /* longer than the lease: rejected */
    CHECK(kc_leader_elector_new(client, "default", "x", "y", &o, &cb, NULL, &bad) == KC_ERR_INVALID_ARGUMENT);
    CHECK(bad == NULL);
}

static void test_events(kc_client *client) {
    kc_event_recorder_options o = KC_EVENT_RECORDER_OPTIONS_INIT;
    o.burst = 2;
    kc_event_recorder *r = NULL;
    CHECK_OK(kc_event_recorder_new(client, "c-controller", &o, &r));
    kc_object_reference ref = { "v1", "ConfigMap", "default", "c-events", NULL };
    CHECK_OK(kc_event_recorder_record(r, &ref, KC_EVENT_RECORD_NORMAL, "Synced", "ok"));
    CHECK_OK(kc_event_recorder_record(r, &ref, KC_EVENT_RECORD_NORMAL, "Synced", "ok"));
    CHECK(kc_event_recorder_record(r, &ref, KC_EVENT_RECORD_WARNING, "Failed", "x") == KC_ERR_TOO_MANY_REQUESTS);
    CHECK_OK(kc_event_recorder_flush(r, 10000));
    char *json = NULL;
    kc_list_options lo = KC_LIST_OPTIONS_INIT;
    CHECK_OK(kc_list(client, "v1", "events", "default", &lo, &json));
    CHECK(json && strstr(json, "\"reason\":\"Synced\"") != NULL);
    CHECK(json && strstr(json, "\"count\":2") != NULL);
    kc_free(json);
    kc_event_recorder_free(r);
}

int main(void) {
    const char *kubeconfig = getenv("KC_TEST_KUBECONFIG");
    if (!kubeconfig) {
        fprintf(stderr, "controller_leader_test: set KC_TEST_KUBECONFIG\n");
        return 2;
    }
    kc_config *config = NULL;
    kc_client *client = NULL;
    CHECK_OK(kc_config_load(kubeconfig, NULL, NULL, NULL, &config));
    CHECK_OK(kc_client_new(config, NULL, &client));
    if (client) {
        test_two_candidates(client);
        test_events(client);
    }
    kc_client_free(client);
    kc_config_free(config);
    if (failures) {
        fprintf(stderr, "controller_leader_test: %d failure(s)\n", failures);
        return 1;
    }
    printf("controller_leader_test: all passed\n");
    return 0;
}
