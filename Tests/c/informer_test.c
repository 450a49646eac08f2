/*
 * Exercises include/kubeclient/informer.h against kubeclient-testserver: handlers, listers,
 * indexes, pull mode, stop from a callback, and the rate of events to a C callback.
 * Needs KC_TEST_KUBECONFIG (set by Tests/c/run.sh or by hand).
 */
#define _POSIX_C_SOURCE 200809L
#include "kc_test.h"

#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <time.h>

int kc_test_failures = 0;

static const char *kubeconfig;
static const char *NS = "kc-informer-ctest";

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_ms(int ms) {
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

/* ---- a handler that counts, under a mutex ---------------------------------------- */

typedef struct counts {
    pthread_mutex_t lock;
    int adds, initial_adds, updates, deletes, unknown_deletes;
    int bad_lengths;
    kc_informer *stop_on_add;   /* when set, on_add stops this informer */
} counts;

static void on_add(const char *object, size_t len, int is_initial_list, void *user_data) {
    counts *c = user_data;
    pthread_mutex_lock(&c->lock);
    c->adds++;
    if (is_initial_list) c->initial_adds++;
    if (len < 2 || object[0] != '{' || object[len - 1] != '}') c->bad_lengths++;
    kc_informer *stop = c->stop_on_add;
    pthread_mutex_unlock(&c->lock);
    if (stop) kc_informer_stop(stop);   /* from the callback's own thread: must not deadlock */
}

static void on_update(const char *old_object, size_t old_len, const char *new_object, size_t new_len, void *user_data) {
    counts *c = user_data;
    pthread_mutex_lock(&c->lock);
    c->updates++;
    if (!old_object || !new_object || old_len < 2 || new_len < 2) c->bad_lengths++;
    pthread_mutex_unlock(&c->lock);
}

static void on_delete(const char *object, size_t len, int final_state_unknown, void *user_data) {
    counts *c = user_data;
    pthread_mutex_lock(&c->lock);
    c->deletes++;
    if (final_state_unknown) c->unknown_deletes++;
    if (len < 2 || object[0] != '{') c->bad_lengths++;
    pthread_mutex_unlock(&c->lock);
}

static int read_count(counts *c, int *field) {
    pthread_mutex_lock(&c->lock);
    int value = *field;
    pthread_mutex_unlock(&c->lock);
    return value;
}

/* Waits up to 10 s for *field >= target. */
static int await_count(counts *c, int *field, int target) {
    for (int i = 0; i < 1000; i++) {
        if (read_count(c, field) >= target) return 1;
        sleep_ms(10);
    }
    return 0;
}

/* ---- index function: the "suite" label, found by a plain substring search ---------- */

static int index_calls = 0;

static void index_by_tier(const char *object, size_t len, kc_index_emit_fn emit, void *ctx, void *user_data) {
    (void)user_data;
    __atomic_fetch_add(&index_calls, 1, __ATOMIC_RELAXED);
    static const char needle[] = "\"tier\":\"";
    size_t n = sizeof needle - 1;
    for (size_t i = 0; i + n < len; i++) {
        if (memcmp(object + i, needle, n) == 0) {
            char value[64];
            size_t j = 0;
            for (size_t k = i + n; k < len && object[k] != '"' && j < sizeof value - 1; k++) value[j++] = object[k];
            value[j] = 0;
            emit(ctx, value);
            return;
        }
    }
}

/* ---- helpers ---------------------------------------------------------------------- */

static int contains(const char *text, size_t len, const char *needle) {
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= len; i++) if (memcmp(text + i, needle, n) == 0) return 1;
    return 0;
}

static kc_client *new_client(void) {
    kc_config *config = NULL;
    kc_client *client = NULL;
    kc_client_options options = KC_CLIENT_OPTIONS_INIT;
    options.qps = -1;   /* no client-side rate limit: the tests write in bursts */
    CHECK_OK(kc_config_load(kubeconfig, NULL, NULL, NULL, &config));
    CHECK_OK(kc_client_new(config, &options, &client));
    kc_config_free(config);
    return client;
}

static void put_configmap(kc_client *client, const char *name, const char *tier, const char *value) {
    char body[512];
    snprintf(body, sizeof body,
             "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"%s\",\"namespace\":\"%s\","
             "\"labels\":{\"tier\":\"%s\"}},\"data\":{\"key\":\"%s\"}}", name, NS, tier, value);
    char *out = NULL;
    kc_status s = kc_create(client, "v1", "configmaps", NS, body, &out);
    kc_free(out);
    out = NULL;
    if (s == KC_ERR_ALREADY_EXISTS) {
        /* Update: patch the data (no resourceVersion needed). */
        char patch[256];
        snprintf(patch, sizeof patch, "{\"data\":{\"key\":\"%s\"}}", value);
        CHECK_OK(kc_patch(client, "v1", "configmaps", NS, name, KC_PATCH_MERGE, patch, &out));
        kc_free(out);
    } else {
        CHECK_OK(s);
    }
}

/* ---- tests ------------------------------------------------------------------------ */

static void test_handlers_listers_indexes(kc_client *client) {
    put_configmap(client, "pre-a", "web", "1");
    put_configmap(client, "pre-b", "db", "1");

    kc_informer_factory_options fopts;
    CHECK_OK(kc_informer_factory_options_init(&fopts, KC_INFORMER_FACTORY_OPTIONS_VERSION));
    fopts.drop_managed_fields = 1;
    kc_informer_factory *factory = NULL;
    CHECK_OK(kc_informer_factory_new(client, &fopts, &factory));

    kc_informer *informer = NULL, *again = NULL;
    CHECK_OK(kc_informer_factory_informer(factory, "v1", "configmaps", NS, NULL, &informer));
    CHECK_OK(kc_informer_factory_informer(factory, "v1", "configmaps", NS, NULL, &again));
    CHECK(informer != NULL && informer == again);   /* shared per key */
    CHECK_OK(kc_informer_add_index(informer, "tier", index_by_tier, NULL));
    CHECK_STATUS(kc_informer_add_index(informer, "namespace", index_by_tier, NULL), KC_ERR_INVALID_ARGUMENT);

    counts c = { PTHREAD_MUTEX_INITIALIZER, 0, 0, 0, 0, 0, 0, NULL };
    kc_informer_handlers handlers = KC_INFORMER_HANDLERS_INIT;
    handlers.on_add = on_add;
    handlers.on_update = on_update;
    handlers.on_delete = on_delete;
    kc_informer_registration *reg = NULL;
    CHECK_OK(kc_informer_add_handlers(informer, &handlers, &c, &reg));
    CHECK(kc_informer_registration_has_synced(reg) == 0);

    CHECK_OK(kc_informer_factory_start(factory));
    CHECK_OK(kc_informer_factory_wait_for_sync(factory, 10000));
    CHECK(kc_informer_has_synced(informer) == 1);
    CHECK(kc_informer_registration_has_synced(reg) == 1);
    CHECK(read_count(&c, &c.initial_adds) == 2);

    put_configmap(client, "live", "web", "1");
    put_configmap(client, "pre-a", "web", "2");
    CHECK_OK(kc_delete(client, "v1", "configmaps", NS, "pre-b", NULL, NULL));
    CHECK(await_count(&c, &c.adds, 3));
    CHECK(await_count(&c, &c.updates, 1));
    CHECK(await_count(&c, &c.deletes, 1));
    CHECK(read_count(&c, &c.unknown_deletes) == 0);
    CHECK(read_count(&c, &c.bad_lengths) == 0);

    char *json = NULL;
    CHECK_OK(kc_informer_get(informer, NS, "pre-a", &json));
    CHECK(json && strstr(json, "\"key\":\"2\"") != NULL);
    CHECK(json && strstr(json, "managedFields") == NULL);
    kc_free(json);
    json = NULL;
    CHECK_STATUS(kc_informer_get(informer, NS, "pre-b", &json), KC_ERR_NOT_FOUND);
    CHECK(json == NULL);
    CHECK_OK(kc_informer_list(informer, NS, "tier=web", &json));
    CHECK(json && json[0] == '[' && strstr(json, "\"pre-a\"") && strstr(json, "\"live\"") && !strstr(json, "\"pre-b\""));
    kc_free(json);
    CHECK_STATUS(kc_informer_list(informer, NULL, "tier in (", &json), KC_ERR_INVALID_ARGUMENT);
    CHECK_OK(kc_informer_index_keys(informer, "tier", "web", &json));
    char expected[128];
    snprintf(expected, sizeof expected, "[\"%s/live\",\"%s/pre-a\"]", NS, NS);
    CHECK_STR(json, expected);
    kc_free(json);
    CHECK_OK(kc_informer_by_index(informer, "namespace", NS, &json));
    CHECK(json && strstr(json, "\"live\""));
    kc_free(json);
    CHECK_STATUS(kc_informer_by_index(informer, "nope", "x", &json), KC_ERR_INVALID_ARGUMENT);
    CHECK(__atomic_load_n(&index_calls, __ATOMIC_RELAXED) >= 4);

    /* A late registration first gets the cache as initial adds. */
    counts late = { PTHREAD_MUTEX_INITIALIZER, 0, 0, 0, 0, 0, 0, NULL };
    kc_informer_registration *late_reg = NULL;
    CHECK_OK(kc_informer_add_handlers(informer, &handlers, &late, &late_reg));
    CHECK(await_count(&late, &late.initial_adds, 2));
    CHECK_OK(kc_informer_wait_for_sync(informer, 5000));
    CHECK(kc_informer_registration_has_synced(late_reg) == 1);

    CHECK_OK(kc_informer_registration_remove(late_reg));
    CHECK_OK(kc_informer_registration_remove(late_reg));   /* idempotent */
    kc_informer_registration_free(late_reg);
    kc_informer_registration_free(reg);
    kc_informer_factory_free(factory);
    kc_informer_factory_free(NULL);
    /* The borrowed informer died with its factory. */
    CHECK_STATUS(kc_informer_start(informer), KC_ERR_CLOSED);
}

static void test_pull_mode(kc_client *client) {
    kc_informer_factory *factory = NULL;
    kc_informer *informer = NULL;
    kc_informer_registration *reg = NULL;
    CHECK_OK(kc_informer_factory_new(client, NULL, &factory));
    kc_informer_options options = KC_INFORMER_OPTIONS_INIT;
    options.label_selector = "tier=pull";
    CHECK_OK(kc_informer_factory_informer(factory, "v1", "configmaps", NS, &options, &informer));
    CHECK_OK(kc_informer_add_pull(informer, 0, &reg));
    int fd = -1;
    CHECK_OK(kc_informer_registration_fd(reg, &fd));
    CHECK(fd >= 0);
    CHECK_OK(kc_informer_factory_start(factory));
    CHECK_OK(kc_informer_wait_for_sync(informer, 10000));
    put_configmap(client, "pulled", "pull", "1");

    struct pollfd pfd = { fd, POLLIN, 0 };
    int got_add = 0;
    for (int round = 0; round < 50 && !got_add; round++) {
        if (poll(&pfd, 1, 200) <= 0) continue;
        kc_informer_event event;
        while (kc_informer_registration_next(reg, &event) == KC_OK && event.type != KC_INFORMER_EVENT_NONE) {
            if (event.type == KC_INFORMER_EVENT_ADD && event.object_len > 0 &&
                contains(event.object, event.object_len, "\"pulled\"")) got_add = 1;
        }
    }
    CHECK(got_add);
    kc_informer_event event;
    CHECK_OK(kc_informer_registration_next(reg, &event));
    CHECK(event.type == KC_INFORMER_EVENT_NONE);

    CHECK_OK(kc_informer_stop(informer));
    CHECK_STATUS(kc_informer_registration_next(reg, &event), KC_ERR_CLOSED);
    pfd.revents = 0;
    CHECK(poll(&pfd, 1, 0) == 1);   /* closed: readable so a poller wakes up */

    int not_pull = 0;
    kc_informer_registration_free(reg);
    CHECK_STATUS(kc_informer_registration_fd(reg, &not_pull), KC_ERR_CLOSED);
    kc_informer_factory_free(factory);
}

static void test_stop_from_callback(kc_client *client) {
    kc_informer_factory *factory = NULL;
    kc_informer *informer = NULL;
    kc_informer_registration *reg = NULL;
    CHECK_OK(kc_informer_factory_new(client, NULL, &factory));
    CHECK_OK(kc_informer_factory_informer(factory, "v1", "configmaps", NS, NULL, &informer));
    counts c = { PTHREAD_MUTEX_INITIALIZER, 0, 0, 0, 0, 0, 0, informer };
    kc_informer_handlers handlers = KC_INFORMER_HANDLERS_INIT;
    handlers.on_add = on_add;
    CHECK_OK(kc_informer_add_handlers(informer, &handlers, &c, &reg));
    CHECK_OK(kc_informer_start(informer));
    CHECK(await_count(&c, &c.adds, 1));
    /* Stopped by the callback: waiting reports it never syncs the handler further. */
    for (int i = 0; i < 100 && kc_informer_wait_for_sync(informer, 0) == KC_OK; i++) sleep_ms(10);
    kc_informer_registration_free(reg);
    kc_informer_factory_free(factory);
}

/* Events per second into a C callback: the initial list of many objects, then watch
 * events for a burst of creates from several threads. */
typedef struct burst { kc_client *client; int first, count; } burst;

static void *create_burst(void *arg) {
    burst *b = arg;
    char name[64];
    for (int i = b->first; i < b->first + b->count; i++) {
        snprintf(name, sizeof name, "perf-%05d", i);
        put_configmap(b->client, name, "perf", "x");
    }
    return NULL;
}

static void test_throughput(kc_client *client) {
    enum { THREADS = 4 };
    /* Under valgrind (KC_TEST_UNDER_VALGRIND, set by run.sh) a few objects only. */
    const int PER_THREAD = getenv("KC_TEST_UNDER_VALGRIND") || getenv("KC_INFORMER_TEST_QUICK") ? 25 : 1000;
    kc_informer_factory *factory = NULL;
    kc_informer *informer = NULL;
    kc_informer_registration *reg = NULL;
    CHECK_OK(kc_informer_factory_new(client, NULL, &factory));
    kc_informer_options options = KC_INFORMER_OPTIONS_INIT;
    options.label_selector = "tier=perf";
    CHECK_OK(kc_informer_factory_informer(factory, "v1", "configmaps", NS, &options, &informer));
    counts c = { PTHREAD_MUTEX_INITIALIZER, 0, 0, 0, 0, 0, 0, NULL };
    kc_informer_handlers handlers = KC_INFORMER_HANDLERS_INIT;
    handlers.on_add = on_add;
    handlers.on_update = on_update;
    CHECK_OK(kc_informer_add_handlers(informer, &handlers, &c, &reg));
    CHECK_OK(kc_informer_start(informer));
    CHECK_OK(kc_informer_wait_for_sync(informer, 10000));

    pthread_t threads[THREADS];
    burst bursts[THREADS];
    double start = now_seconds();
    for (int t = 0; t < THREADS; t++) {
        bursts[t] = (burst){ client, t * PER_THREAD, PER_THREAD };
        pthread_create(&threads[t], NULL, create_burst, &bursts[t]);
    }
    for (int t = 0; t < THREADS; t++) pthread_join(threads[t], NULL);
    double written = now_seconds();
    int total = THREADS * PER_THREAD;
    for (int i = 0; i < 3000 && read_count(&c, &c.adds) + read_count(&c, &c.updates) < total; i++) sleep_ms(10);
    double delivered = now_seconds();
    CHECK(read_count(&c, &c.adds) + read_count(&c, &c.updates) >= total);
    printf("  watch: %d events written in %.2f s (%.0f/s); delivered %.3f s after the last write\n",
           total, written - start, total / (written - start), delivered - written);
    kc_informer_registration_free(reg);
    kc_informer_factory_free(factory);

    /* Initial list of the same objects into a fresh informer. */
    CHECK_OK(kc_informer_factory_new(client, NULL, &factory));
    CHECK_OK(kc_informer_factory_informer(factory, "v1", "configmaps", NS, &options, &informer));
    counts c2 = { PTHREAD_MUTEX_INITIALIZER, 0, 0, 0, 0, 0, 0, NULL };
    CHECK_OK(kc_informer_add_handlers(informer, &handlers, &c2, &reg));
    start = now_seconds();
    CHECK_OK(kc_informer_start(informer));
    CHECK_OK(kc_informer_wait_for_sync(informer, 30000));
    double synced = now_seconds();
    CHECK(read_count(&c2, &c2.initial_adds) >= total);
    printf("  sync: %d objects listed and delivered to the callback in %.3f s (%.0f/s)\n",
           total, synced - start, total / (synced - start));
    kc_informer_registration_free(reg);
    kc_informer_factory_free(factory);
}

/* Version-2 factory options: a streaming list syncs and follows changes; a metadata-only
 * informer gets PartialObjectMetadata from the server; bad backoffs are refused; a
 * version-1 caller's shorter struct is still accepted. */
static void test_streaming_and_metadata(kc_client *client) {
    put_configmap(client, "stream-a", "stream", "1");
    put_configmap(client, "stream-b", "stream", "1");

    kc_informer_factory_options fopts = KC_INFORMER_FACTORY_OPTIONS_INIT;
    kc_informer_factory *factory = NULL;
    fopts.backoff_initial_ms = 5000;
    fopts.backoff_max_ms = 100;
    CHECK_STATUS(kc_informer_factory_new(client, &fopts, &factory), KC_ERR_INVALID_ARGUMENT);
    CHECK(factory == NULL);
    fopts.backoff_initial_ms = -1;
    CHECK_STATUS(kc_informer_factory_new(client, &fopts, &factory), KC_ERR_INVALID_ARGUMENT);
    fopts.backoff_initial_ms = 100;
    fopts.backoff_max_ms = 2000;
    fopts.streaming_list = 1;
    CHECK_OK(kc_informer_factory_new(client, &fopts, &factory));

    kc_informer *informer = NULL, *meta = NULL;
    kc_informer_options options = KC_INFORMER_OPTIONS_INIT;
    options.label_selector = "tier=stream";
    CHECK_OK(kc_informer_factory_informer(factory, "v1", "configmaps", NS, &options, &informer));
    options.metadata_only = 1;
    CHECK_OK(kc_informer_factory_informer(factory, "v1", "configmaps", NS, &options, &meta));
    CHECK(meta != informer);
    counts c = { PTHREAD_MUTEX_INITIALIZER, 0, 0, 0, 0, 0, 0, NULL };
    kc_informer_handlers handlers = KC_INFORMER_HANDLERS_INIT;
    handlers.on_add = on_add;
    handlers.on_update = on_update;
    kc_informer_registration *reg = NULL;
    CHECK_OK(kc_informer_add_handlers(informer, &handlers, &c, &reg));
    CHECK_OK(kc_informer_factory_start(factory));
    CHECK_OK(kc_informer_factory_wait_for_sync(factory, 10000));
    CHECK(read_count(&c, &c.initial_adds) == 2);
    put_configmap(client, "stream-a", "stream", "2");
    CHECK(await_count(&c, &c.updates, 1));

    char *json = NULL;
    CHECK_OK(kc_informer_get(meta, NS, "stream-b", &json));
    CHECK(json && strstr(json, "\"kind\":\"PartialObjectMetadata\"") && !strstr(json, "\"data\""));
    kc_free(json);
    kc_informer_registration_free(reg);
    kc_informer_factory_free(factory);

    /* A caller compiled against version 1 of the struct: only its members are read. */
    struct { unsigned int version; int drop_managed_fields; int64_t page_size; int64_t idle_timeout_ms; } v1 = {1, 1, 0, 0};
    factory = NULL;
    CHECK_OK(kc_informer_factory_new(client, (const kc_informer_factory_options *)(const void *)&v1, &factory));
    kc_informer_factory_free(factory);
    kc_informer_factory_options filled;
    memset(&filled, 0xff, sizeof filled);
    CHECK_OK(kc_informer_factory_options_init(&filled, 1));
    CHECK(filled.version == 1 && filled.page_size == 0 && filled.backoff_max_ms == -1);   /* v2 members untouched */
    CHECK_OK(kc_informer_factory_options_init(&filled, KC_INFORMER_FACTORY_OPTIONS_VERSION));
    CHECK(filled.streaming_list == 0 && filled.backoff_initial_ms == 0 && filled.backoff_max_ms == 0);
    CHECK_STATUS(kc_informer_factory_options_init(&filled, KC_INFORMER_FACTORY_OPTIONS_VERSION + 1),
                 KC_ERR_INVALID_ARGUMENT);
}

/* The watch-error handler: a list of a resource the server does not have fails with 404,
 * reported on the reflector thread, which may stop its own informer. */
typedef struct watch_errors {
    pthread_mutex_t lock;
    int calls, not_found;
    kc_informer *informer;
} watch_errors;

static void on_watch_error(const kc_error *error, void *user_data) {
    watch_errors *w = user_data;
    pthread_mutex_lock(&w->lock);
    w->calls++;
    if (error && error->status == KC_ERR_NOT_FOUND && error->http_code == 404 && error->message) w->not_found++;
    pthread_mutex_unlock(&w->lock);
    kc_informer_stop(w->informer);   /* from the reflector thread: must not deadlock */
}

static void test_watch_error_handler(kc_client *client) {
    kc_informer_factory_options fopts = KC_INFORMER_FACTORY_OPTIONS_INIT;
    fopts.backoff_initial_ms = 10;
    fopts.backoff_max_ms = 20;
    kc_informer_factory *factory = NULL;
    CHECK_OK(kc_informer_factory_new(client, &fopts, &factory));
    kc_informer *informer = NULL;
    CHECK_OK(kc_informer_factory_informer(factory, "v1", "nosuchthings", NS, NULL, &informer));
    watch_errors w = { PTHREAD_MUTEX_INITIALIZER, 0, 0, informer };
    CHECK_STATUS(kc_informer_set_watch_error_handler(NULL, on_watch_error, &w), KC_ERR_INVALID_ARGUMENT);
    CHECK_OK(kc_informer_set_watch_error_handler(informer, NULL, NULL));   /* default: log */
    CHECK_OK(kc_informer_set_watch_error_handler(informer, on_watch_error, &w));
    CHECK_OK(kc_informer_start(informer));
    int calls = 0;
    for (int i = 0; i < 1000 && calls == 0; i++) {
        pthread_mutex_lock(&w.lock);
        calls = w.calls;
        pthread_mutex_unlock(&w.lock);
        if (calls == 0) sleep_ms(10);
    }
    CHECK(calls >= 1);
    CHECK_STATUS(kc_informer_wait_for_sync(informer, 2000), KC_ERR_TIMEOUT);
    pthread_mutex_lock(&w.lock);
    CHECK(w.calls == 1);          /* stopped by the handler: no retry after it */
    CHECK(w.not_found == 1);
    pthread_mutex_unlock(&w.lock);
    kc_informer_factory_free(factory);
}

int main(void) {
    setvbuf(stdout, NULL, _IOLBF, 0);
    kubeconfig = getenv("KC_TEST_KUBECONFIG");
    if (!kubeconfig) {
        fprintf(stderr, "KC_TEST_KUBECONFIG is not set (run Tests/c/run.sh)\n");
        return 2;
    }
    struct { const char *name; void (*run)(kc_client *); } tests[] = {
        {"informer handlers, listers and indexes", test_handlers_listers_indexes},
        {"informer pull mode", test_pull_mode},
        {"informer stop from a callback", test_stop_from_callback},
        {"informer streaming list and metadata-only", test_streaming_and_metadata},
        {"informer watch-error handler", test_watch_error_handler},
        {"informer throughput", test_throughput},
    };
    kc_client *client = new_client();
    char *out = NULL;
    char ns[256];
    snprintf(ns, sizeof ns, "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"%s\"}}", NS);
    kc_status created = kc_create(client, "v1", "namespaces", NULL, ns, &out);
    CHECK(created == KC_OK || created == KC_ERR_ALREADY_EXISTS);
    kc_free(out);
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        int before = kc_test_failures;
        tests[i].run(client);
        printf("%s %s\n", kc_test_failures == before ? "ok  " : "FAIL", tests[i].name);
    }
    kc_client_free(client);
    printf("%s: %d failure(s)\n", kc_test_failures ? "FAILED" : "PASSED", kc_test_failures);
    return kc_test_failures ? 1 : 0;
}
