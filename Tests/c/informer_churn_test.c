/*
 * Informer churn through the C ABI against kubeclient-testserver (issue 5's acceptance test):
 * three callback registrations (one deliberately slow) on configmaps across 50 namespaces
 * while seeded random creates, updates and deletes run and the server, through
 * POST /_testserver/faults, closes watch streams (clean and abrupt), stalls them, compacts
 * history (forcing 410 relists) and fails the informer's requests with 429 and 500 (these
 * and one abrupt close once each, near the end: see the loop).
 *
 * Checked at the end: the cache equals the server's state; replaying each registration's
 * events gives the same state; no registration ever saw an object's resourceVersion go
 * backwards; every object deleted during a watch gap arrived, in every registration, as a
 * delete with final_state_unknown; every injected failure was consumed; and the fast
 * registrations converged while the slow one was held on its first churn event.
 *
 * 5,000 writes; 500 under valgrind (KC_TEST_UNDER_VALGRIND) or KC_INFORMER_TEST_QUICK.
 * Needs KC_TEST_KUBECONFIG (set by Tests/c/run.sh).
 */
#define _POSIX_C_SOURCE 200809L
#include "kc_test.h"

#include <jansson.h>
#include <pthread.h>
#include <stdint.h>
#include <time.h>

int kc_test_failures = 0;

enum { NAMESPACES = 50, NAMES = 40, KEYS = NAMESPACES * NAMES };
static const char *LABEL = "cchurn=yes";

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_ms(int ms) {
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

/* Seeded randomness (SplitMix64): the same run every time. */
static uint64_t rng_state = 2026;
static uint64_t rng_next(void) {
    uint64_t z = (rng_state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
}
static int rng_below(int n) { return (int)(rng_next() % (uint64_t)n); }

/* Keys are "cchurn-N/cm-M": a fixed universe, so states are arrays of resourceVersions
 * (0 = absent). */
static int key_of(const char *object, size_t len, int64_t *rv) {
    json_error_t error;
    json_t *root = json_loadb(object, len, 0, &error);
    if (!root) return -1;
    json_t *meta = json_object_get(root, "metadata");
    const char *ns = json_string_value(json_object_get(meta, "namespace"));
    const char *name = json_string_value(json_object_get(meta, "name"));
    const char *version = json_string_value(json_object_get(meta, "resourceVersion"));
    int n = -1, m = -1, key = -1;
    if (ns && name && version && sscanf(ns, "cchurn-%d", &n) == 1 && sscanf(name, "cm-%d", &m) == 1 &&
        n >= 0 && n < NAMESPACES && m >= 0 && m < NAMES) {
        key = n * NAMES + m;
        *rv = strtoll(version, NULL, 10);
    }
    json_decref(root);
    return key;
}

/* ---- a registration that replays its events into a state -------------------------- */

typedef struct recorder {
    pthread_mutex_t lock;
    pthread_cond_t gate_changed;
    int gate_closed;        /* while set, the callback waits (on its own library thread) */
    long delay_us;          /* the deliberately slow handler */
    long events, unknown_deletes, regressions, bad_objects;
    int64_t state[KEYS];    /* the replay: resourceVersion per key, 0 = deleted */
    int64_t last_rv[KEYS];  /* the newest resourceVersion seen per key (never reset: RVs are global) */
    unsigned char unknown_deleted[KEYS];
} recorder;

static void record(recorder *r, const char *object, size_t len, int deleted, int unknown) {
    pthread_mutex_lock(&r->lock);
    while (r->gate_closed) pthread_cond_wait(&r->gate_changed, &r->lock);
    pthread_mutex_unlock(&r->lock);
    if (r->delay_us) {
        struct timespec ts = { 0, r->delay_us * 1000L };
        nanosleep(&ts, NULL);
    }
    int64_t rv = 0;
    int key = key_of(object, len, &rv);
    pthread_mutex_lock(&r->lock);
    r->events++;
    if (key < 0) {
        r->bad_objects++;
    } else {
        if (rv < r->last_rv[key]) {
            if (r->regressions < 5) fprintf(stderr, "  key %d: resourceVersion %lld after %lld\n", key,
                                            (long long)rv, (long long)r->last_rv[key]);
            r->regressions++;
        }
        if (rv > r->last_rv[key]) r->last_rv[key] = rv;
        r->state[key] = deleted ? 0 : rv;
        if (deleted && unknown) {
            r->unknown_deletes++;
            r->unknown_deleted[key] = 1;
        }
    }
    pthread_mutex_unlock(&r->lock);
}

static void on_add(const char *object, size_t len, int is_initial_list, void *user_data) {
    (void)is_initial_list;
    record(user_data, object, len, 0, 0);
}

static void on_update(const char *old_object, size_t old_len, const char *new_object, size_t new_len, void *user_data) {
    (void)old_object;
    (void)old_len;
    record(user_data, new_object, new_len, 0, 0);
}

static void on_delete(const char *object, size_t len, int final_state_unknown, void *user_data) {
    record(user_data, object, len, 1, final_state_unknown);
}

static void set_gate(recorder *r, int closed) {
    pthread_mutex_lock(&r->lock);
    r->gate_closed = closed;
    pthread_cond_broadcast(&r->gate_changed);
    pthread_mutex_unlock(&r->lock);
}

static long events_of(recorder *r) {
    pthread_mutex_lock(&r->lock);
    long n = r->events;
    pthread_mutex_unlock(&r->lock);
    return n;
}

static int replay_equals(recorder *r, const int64_t *expected) {
    pthread_mutex_lock(&r->lock);
    int same = memcmp(r->state, expected, sizeof r->state) == 0;
    pthread_mutex_unlock(&r->lock);
    return same;
}

static void report_difference(const char *what, const int64_t *actual, const int64_t *expected) {
    int shown = 0, differing = 0;
    for (int k = 0; k < KEYS; k++) {
        if (actual[k] == expected[k]) continue;
        differing++;
        if (shown++ < 5) fprintf(stderr, "  %s: cchurn-%d/cm-%d has %lld, server %lld\n", what, k / NAMES, k % NAMES,
                                 (long long)actual[k], (long long)expected[k]);
    }
    if (differing) fprintf(stderr, "  %s: %d keys differ\n", what, differing);
}

/* ---- the server --------------------------------------------------------------------- */

static kc_client *new_client(const char *kubeconfig) {
    kc_config *config = NULL;
    kc_client *client = NULL;
    kc_client_options options = KC_CLIENT_OPTIONS_INIT;
    options.qps = -1;   /* unthrottled: the churn writes as fast as the server answers */
    CHECK_OK(kc_config_load(kubeconfig, NULL, NULL, NULL, &config));
    CHECK_OK(kc_client_new(config, &options, &client));
    kc_config_free(config);
    return client;
}

static void fault(kc_client *client, const char *body) {
    int code = 0;
    char *out = NULL;
    CHECK_OK(kc_request(client, "POST", "/_testserver/faults", body, strlen(body), NULL, &code, &out, NULL));
    if (code != 200) fprintf(stderr, "  fault %s: HTTP %d %s\n", body, code, out ? out : "");
    CHECK(code == 200);
    kc_free(out);
}

/* 1 when no injected failure is left unconsumed. */
static int failures_consumed(kc_client *client) {
    int code = 0;
    char *out = NULL;
    if (kc_request(client, "GET", "/_testserver/faults", NULL, 0, NULL, &code, &out, NULL) != KC_OK) return 0;
    int empty = code == 200 && out && strstr(out, "\"failures\":[]") != NULL;
    kc_free(out);
    return empty;
}

/* The server's configmaps of the churn as resourceVersions per key. */
static void server_state(kc_client *client, int64_t *state) {
    memset(state, 0, sizeof(int64_t) * KEYS);
    kc_list_options options = KC_LIST_OPTIONS_INIT;
    options.label_selector = LABEL;
    char *out = NULL;
    CHECK_OK(kc_list_all(client, "v1", "configmaps", NULL, &options, &out));
    json_error_t error;
    json_t *list = out ? json_loads(out, 0, &error) : NULL;
    CHECK(list != NULL);
    json_t *items = json_object_get(list, "items");
    for (size_t i = 0; i < json_array_size(items); i++) {
        char *text = json_dumps(json_array_get(items, i), JSON_COMPACT);
        int64_t rv = 0;
        int key = text ? key_of(text, strlen(text), &rv) : -1;
        if (key >= 0) state[key] = rv;
        free(text);
    }
    json_decref(list);
    kc_free(out);
}

/* The informer's cache, the same way. */
static void cache_state(kc_informer *informer, int64_t *state) {
    memset(state, 0, sizeof(int64_t) * KEYS);
    char *out = NULL;
    if (kc_informer_list(informer, NULL, NULL, &out) != KC_OK) return;
    json_error_t error;
    json_t *items = json_loads(out, 0, &error);
    for (size_t i = 0; i < json_array_size(items); i++) {
        char *text = json_dumps(json_array_get(items, i), JSON_COMPACT);
        int64_t rv = 0;
        int key = text ? key_of(text, strlen(text), &rv) : -1;
        if (key >= 0) state[key] = rv;
        free(text);
    }
    json_decref(items);
    kc_free(out);
}

/* Create (or, when it exists, update) cchurn-N/cm-M. Failures are fine: the end state is
 * read back from the server. */
static void put(kc_client *client, int key, int step) {
    char ns[32], name[32], body[512];
    snprintf(ns, sizeof ns, "cchurn-%d", key / NAMES);
    snprintf(name, sizeof name, "cm-%d", key % NAMES);
    snprintf(body, sizeof body,
             "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"%s\",\"namespace\":\"%s\","
             "\"labels\":{\"cchurn\":\"yes\"}},\"data\":{\"v\":\"%d\"}}", name, ns, step);
    char *out = NULL;
    kc_status s = kc_create(client, "v1", "configmaps", ns, body, &out);
    kc_free(out);
    out = NULL;
    if (s == KC_ERR_ALREADY_EXISTS) {
        snprintf(body, sizeof body, "{\"data\":{\"v\":\"%d\"}}", step);
        s = kc_patch(client, "v1", "configmaps", ns, name, KC_PATCH_MERGE, body, &out);
        kc_free(out);
    }
    CHECK(s == KC_OK || s == KC_ERR_NOT_FOUND);
}

static void delete(kc_client *client, int key) {
    char ns[32], name[32];
    snprintf(ns, sizeof ns, "cchurn-%d", key / NAMES);
    snprintf(name, sizeof name, "cm-%d", key % NAMES);
    kc_status s = kc_delete(client, "v1", "configmaps", ns, name, NULL, NULL);
    CHECK(s == KC_OK || s == KC_ERR_NOT_FOUND);
}

static int cached(kc_informer *informer, int key) {
    char ns[32], name[32];
    snprintf(ns, sizeof ns, "cchurn-%d", key / NAMES);
    snprintf(name, sizeof name, "cm-%d", key % NAMES);
    char *out = NULL;
    kc_status s = kc_informer_get(informer, ns, name, &out);
    kc_free(out);
    return s == KC_OK;
}

/* ---- the test ----------------------------------------------------------------------- */

static int64_t final_state[KEYS], scratch[KEYS];
static unsigned char gap_victim[KEYS], gap_pending[KEYS];

/* A deletion the informer can learn of only by relisting: stall the streams, delete,
 * compact, end the streams (cleanly: the rewatch gets 410 and relists without backoff),
 * resume. */
static void gap_delete(kc_client *client, int key) {
    fault(client, "{\"action\":\"stallWatches\",\"stalled\":true}");
    delete(client, key);
    fault(client, "{\"action\":\"compact\"}");
    fault(client, "{\"action\":\"closeWatches\",\"abrupt\":false}");
    fault(client, "{\"action\":\"stallWatches\",\"stalled\":false}");
    gap_victim[key] = 1;
    gap_pending[key] = 1;
}
static recorder recorders[3];

static void test_churn(kc_client *client) {
    const int quick = getenv("KC_TEST_UNDER_VALGRIND") || getenv("KC_INFORMER_TEST_QUICK");
    const int writes = quick ? 500 : 5000;
    const double timeout = quick ? 240 : 60;
    double started = now_seconds();

    char body[256];
    for (int n = 0; n < NAMESPACES; n++) {
        snprintf(body, sizeof body, "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"cchurn-%d\"}}", n);
        char *out = NULL;
        kc_status s = kc_create(client, "v1", "namespaces", NULL, body, &out);
        CHECK(s == KC_OK || s == KC_ERR_ALREADY_EXISTS);
        kc_free(out);
    }
    for (int i = 0; i < KEYS / 2; i += 3) put(client, rng_below(KEYS), -1);

    kc_informer_factory_options fopts = KC_INFORMER_FACTORY_OPTIONS_INIT;
    fopts.drop_managed_fields = 1;
    fopts.page_size = 200;   /* relists take several pages, continue tokens included */
    kc_informer_factory *factory = NULL;
    CHECK_OK(kc_informer_factory_new(client, &fopts, &factory));
    kc_informer_options options = KC_INFORMER_OPTIONS_INIT;
    options.label_selector = LABEL;
    kc_informer *informer = NULL;
    CHECK_OK(kc_informer_factory_informer(factory, "v1", "configmaps", NULL, &options, &informer));
    if (!informer) return;

    kc_informer_handlers handlers = KC_INFORMER_HANDLERS_INIT;
    handlers.on_add = on_add;
    handlers.on_update = on_update;
    handlers.on_delete = on_delete;
    kc_informer_registration *regs[3] = { NULL, NULL, NULL };
    for (int i = 0; i < 3; i++) {
        pthread_mutex_init(&recorders[i].lock, NULL);
        pthread_cond_init(&recorders[i].gate_changed, NULL);
        CHECK_OK(kc_informer_add_handlers(informer, &handlers, &recorders[i], &regs[i]));
    }
    recorders[2].delay_us = 250;
    CHECK_OK(kc_informer_factory_start(factory));
    CHECK_OK(kc_informer_factory_wait_for_sync(factory, 20000));
    /* Hold the slow registration during the churn: the others must not wait for it. */
    set_gate(&recorders[2], 1);
    long slow_before = events_of(&recorders[2]);

    int done = 0, stalled_for = 0, gap_deletes = 0, faults_injected = 0;
    int step = 0;
    while (done < writes) {
        step++;
        if (stalled_for > 0 && --stalled_for == 0) fault(client, "{\"action\":\"stallWatches\",\"stalled\":false}");
        /* Faults the informer must back off from (an abrupt stream end, 429, 500) come once
         * each, at the end of the churn: its backoff (800 ms doubling, up to +100 % jitter, reset
         * only after 2 minutes of health; not configurable through the C ABI) takes the watch
         * away for seconds each time, which would otherwise turn most of the churn into relists
         * and soon outgrow the test. */
        if (step == writes * 95 / 100) {
            fault(client, "{\"action\":\"closeWatches\",\"abrupt\":true}");
            faults_injected++;
        } else if (step == writes * 97 / 100) {
            fault(client, "{\"action\":\"fail\",\"status\":429,\"count\":1,\"path\":\"/api/v1/configmaps\",\"retryAfterSeconds\":0}");
            faults_injected++;
        } else if (step == writes * 99 / 100) {
            fault(client, "{\"action\":\"fail\",\"status\":500,\"count\":1,\"path\":\"/api/v1/configmaps\",\"retryAfterSeconds\":0}");
            faults_injected++;
        }
        int roll = rng_below(1000);
        int key = rng_below(KEYS);
        if (step == writes / 3 || step == writes * 2 / 3) {
            /* At least two gap deletes whatever the timing: of the first cached key from here. */
            if (stalled_for) {
                fault(client, "{\"action\":\"stallWatches\",\"stalled\":false}");
                stalled_for = 0;
            }
            for (int i = 0; i < KEYS; i++) {
                int k = (key + i) % KEYS;
                if (cached(informer, k)) {
                    gap_delete(client, k);
                    gap_deletes++;
                    done++;
                    break;
                }
            }
        }
        if (roll < 600) {
            /* Recreating a gap victim before the informer relisted would turn its delete into
             * an update: wait until the cache has dropped it. */
            for (double t = now_seconds(); gap_pending[key] && cached(informer, key) && now_seconds() - t < timeout;) sleep_ms(5);
            CHECK(!gap_pending[key] || !cached(informer, key));
            gap_pending[key] = 0;
            put(client, key, step);
            done++;
        } else if (roll < 970) {
            delete(client, key);
            done++;
        } else if (roll < 978) {
            fault(client, "{\"action\":\"closeWatches\",\"abrupt\":false}");
            faults_injected++;
        } else if (roll < 981) {
            fault(client, "{\"action\":\"compact\"}");
            faults_injected++;
        } else if (roll < 994) {
            if (stalled_for == 0) {
                fault(client, "{\"action\":\"stallWatches\",\"stalled\":true}");
                stalled_for = 5 + rng_below(30);   /* writes happen while the streams are stalled */
                faults_injected++;
            }
        } else if (stalled_for == 0 && cached(informer, key)) {
            gap_delete(client, key);
            gap_deletes++;
            done++;
        }
    }
    fault(client, "{\"action\":\"stallWatches\",\"stalled\":false}");
    /* One more reconnect, so that pending failures are consumed by the informer. */
    fault(client, "{\"action\":\"closeWatches\",\"abrupt\":false}");
    double written = now_seconds();
    int consumed = 0;
    for (double t = now_seconds(); now_seconds() - t < timeout && !(consumed = failures_consumed(client));) sleep_ms(20);
    CHECK(consumed);
    fault(client, "{\"action\":\"reset\"}");

    server_state(client, final_state);
    int cache_ok = 0;
    for (double t = now_seconds(); now_seconds() - t < timeout; sleep_ms(20)) {
        cache_state(informer, scratch);
        if ((cache_ok = memcmp(scratch, final_state, sizeof scratch) == 0)) break;
    }
    CHECK(cache_ok);
    if (!cache_ok) report_difference("cache", scratch, final_state);
    for (int i = 0; i < 2; i++) {
        int ok = 0;
        for (double t = now_seconds(); now_seconds() - t < timeout && !(ok = replay_equals(&recorders[i], final_state));) sleep_ms(20);
        CHECK(ok);
        if (!ok) report_difference(i ? "handler 1" : "handler 0", recorders[i].state, final_state);
    }
    double fast_converged = now_seconds();
    /* The fast registrations got everything while the slow one sat on its first event. */
    CHECK(events_of(&recorders[2]) <= slow_before + 1);
    set_gate(&recorders[2], 0);
    int slow_ok = 0;
    for (double t = now_seconds(); now_seconds() - t < timeout * 2 && !(slow_ok = replay_equals(&recorders[2], final_state));) sleep_ms(20);
    CHECK(slow_ok);
    if (!slow_ok) report_difference("slow handler", recorders[2].state, final_state);

    int live = 0, missed_victims = 0;
    for (int k = 0; k < KEYS; k++) live += final_state[k] != 0;
    for (int i = 0; i < 3; i++) {
        pthread_mutex_lock(&recorders[i].lock);
        CHECK(recorders[i].regressions == 0);
        CHECK(recorders[i].bad_objects == 0);
        for (int k = 0; k < KEYS; k++) {
            if (gap_victim[k] && !recorders[i].unknown_deleted[k]) {
                if (missed_victims++ < 5) fprintf(stderr, "  handler %d: gap-deleted cchurn-%d/cm-%d never came as final_state_unknown\n",
                                                  i, k / NAMES, k % NAMES);
            }
        }
        pthread_mutex_unlock(&recorders[i].lock);
    }
    CHECK(gap_deletes > 0);
    CHECK(missed_victims == 0);
    CHECK(recorders[0].unknown_deletes > 0);
    printf("  %d writes (%d gap deletes) and %d faults in %d steps: written in %.1f s; fast handlers converged "
           "%.1f s later; %ld/%ld/%ld events (%ld deletes with final_state_unknown); %d objects live; %.1f s in all\n",
           done, gap_deletes, faults_injected, step, written - started, fast_converged - written, recorders[0].events,
           recorders[1].events, recorders[2].events, recorders[0].unknown_deletes, live, now_seconds() - started);

    for (int i = 0; i < 3; i++) kc_informer_registration_free(regs[i]);
    kc_informer_factory_free(factory);
    for (int i = 0; i < 3; i++) {
        pthread_mutex_destroy(&recorders[i].lock);
        pthread_cond_destroy(&recorders[i].gate_changed);
    }
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    const char *kubeconfig = getenv("KC_TEST_KUBECONFIG");
    if (!kubeconfig) {
        fprintf(stderr, "KC_TEST_KUBECONFIG is not set (run Tests/c/run.sh)\n");
        return 2;
    }
    kc_client *client = new_client(kubeconfig);
    int before = kc_test_failures;
    test_churn(client);
    printf("%s informer churn with faults\n", kc_test_failures == before ? "ok  " : "FAIL");
    kc_client_free(client);
    printf("%s: %d failure(s)\n", kc_test_failures ? "FAILED" : "PASSED", kc_test_failures);
    return kc_test_failures ? 1 : 0;
}
