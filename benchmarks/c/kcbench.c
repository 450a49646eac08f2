/*
 * kcbench — the C side of benchmarks/run.py, through libkubeclient.so (include/kubeclient.h).
 *
 *   kcbench list KUBECONFIG                    kc_list of every pod: the JSON text in C memory
 *   kcbench informer-sync KUBECONFIG [drop]    dynamic informer on pods until synced; RSS delta per cached object
 *   kcbench informer-watch KUBECONFIG EVENTS   watch events/s through an informer to a C callback
 *   kcbench workqueue [CYCLES] [WORKERS]       add/get/forget/done cycles/s through kc_workqueue
 *   kcbench coldstart KUBECONFIG               config + client + GET /version (run.py times the whole process)
 *   kcbench lister-read KUBECONFIG [READS]     kc_informer_get of random cached pods: median µs per read
 *
 * Prints key=value pairs (seconds= always). Build: see run.py (cc -O2 ... -lkubeclient).
 */
#define _GNU_SOURCE
#include <kubeclient.h>
#include <kubeclient/controller.h>
#include <malloc.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static long resident_bytes(void) {
    long size = 0, resident = 0;
    FILE *f = fopen("/proc/self/statm", "r");
    if (!f) return 0;
    if (fscanf(f, "%ld %ld", &size, &resident) != 2) resident = 0;
    fclose(f);
    return resident * sysconf(_SC_PAGESIZE);
}

/* RSS once freed heap went back to the kernel: transient buffers (the list body) do not count. */
static long settled_resident_bytes(void) {
    malloc_trim(0);
    return resident_bytes();
}

static int fail(const char *what) {
    const kc_error *e = kc_error_last();
    fprintf(stderr, "%s: %s (%d) %s\n", what, kc_status_str(e->status), e->http_code, e->message ? e->message : "");
    return 1;
}

static kc_client *make_client(const char *kubeconfig) {
    kc_config *config = NULL;
    kc_client *client = NULL;
    if (kc_config_load(kubeconfig, NULL, NULL, NULL, &config) != KC_OK) return NULL;
    if (kc_client_new(config, NULL, &client) != KC_OK) client = NULL;
    kc_config_free(config);
    return client;
}

/* Cached objects, counted through the built-in namespace index (podgen uses team-00..team-19). */
static long cached_count(kc_informer *informer) {
    long total = 0;
    for (int i = 0; i < 20; i++) {
        char ns[16];
        snprintf(ns, sizeof ns, "team-%02d", i);
        char *keys = NULL;
        if (kc_informer_index_keys(informer, "namespace", ns, &keys) != KC_OK) return -1;
        if (strcmp(keys, "[]") != 0) {
            total++;
            for (const char *p = keys; *p; p++) if (*p == ',') total++;
        }
        kc_free(keys);
    }
    return total;
}

static int list_case(const char *kubeconfig) {
    kc_client *client = make_client(kubeconfig);
    if (!client) return fail("client");
    double t0 = now();
    char *json = NULL;
    if (kc_list(client, "v1", "pods", NULL, NULL, &json) != KC_OK) return fail("kc_list");
    double seconds = now() - t0;
    printf("bytes=%zu seconds=%.4f\n", strlen(json), seconds);
    kc_free(json);
    kc_client_free(client);
    return 0;
}

static int informer_sync_case(const char *kubeconfig, int drop) {
    kc_client *client = make_client(kubeconfig);
    if (!client) return fail("client");
    kc_informer_factory_options fo = KC_INFORMER_FACTORY_OPTIONS_INIT;
    fo.drop_managed_fields = drop;
    kc_informer_factory *factory = NULL;
    kc_informer *informer = NULL;
    if (kc_informer_factory_new(client, &fo, &factory) != KC_OK) return fail("factory");
    if (kc_informer_factory_informer(factory, "v1", "pods", NULL, NULL, &informer) != KC_OK) return fail("informer");
    long before = settled_resident_bytes();
    double t0 = now();
    if (kc_informer_factory_start(factory) != KC_OK) return fail("start");
    if (kc_informer_factory_wait_for_sync(factory, 600000) != KC_OK) return fail("sync");
    double seconds = now() - t0;
    long after = settled_resident_bytes();
    long items = cached_count(informer);
    printf("items=%ld seconds=%.4f bytes_per_object=%.0f\n", items, seconds,
           items > 0 ? (double)(after - before) / items : 0.0);
    kc_informer_factory_free(factory);
    kc_client_free(client);
    return 0;
}

static atomic_long events_seen;
static _Atomic double last_event;

static void on_add(const char *o, size_t n, int initial, void *u) {
    (void)o; (void)n; (void)u;
    if (!initial) { atomic_fetch_add_explicit(&events_seen, 1, memory_order_relaxed); atomic_store(&last_event, now()); }
}
static void on_update(const char *a, size_t an, const char *b, size_t bn, void *u) {
    (void)a; (void)an; (void)b; (void)bn; (void)u;
    atomic_fetch_add_explicit(&events_seen, 1, memory_order_relaxed);
    atomic_store(&last_event, now());
}
static void on_delete(const char *o, size_t n, int unknown, void *u) {
    (void)o; (void)n; (void)unknown; (void)u;
    atomic_fetch_add_explicit(&events_seen, 1, memory_order_relaxed);
    atomic_store(&last_event, now());
}

static int informer_watch_case(const char *kubeconfig, long events) {
    kc_client *client = make_client(kubeconfig);
    if (!client) return fail("client");
    kc_informer_factory_options fo = KC_INFORMER_FACTORY_OPTIONS_INIT;
    kc_informer_factory *factory = NULL;
    kc_informer *informer = NULL;
    kc_informer_registration *reg = NULL;
    if (kc_informer_factory_new(client, &fo, &factory) != KC_OK) return fail("factory");
    if (kc_informer_factory_informer(factory, "v1", "pods", NULL, NULL, &informer) != KC_OK) return fail("informer");
    kc_informer_handlers h = KC_INFORMER_HANDLERS_INIT;
    h.on_add = on_add;
    h.on_update = on_update;
    h.on_delete = on_delete;
    if (kc_informer_add_handlers(informer, &h, NULL, &reg) != KC_OK) return fail("handlers");
    if (kc_informer_factory_start(factory) != KC_OK) return fail("start");
    if (kc_informer_factory_wait_for_sync(factory, 600000) != KC_OK) return fail("sync");
    double t0 = now();
    long expected = events - events / 1000; /* every 1000th event is a BOOKMARK */
    long seen = 0;
    double changed = t0;
    for (;;) {
        usleep(2000);
        long n = atomic_load(&events_seen);
        double t = now();
        if (n >= expected) break;
        if (n != seen) { seen = n; changed = t; }
        if (t - changed > 2.0) break;
    }
    long n = atomic_load(&events_seen);
    double seconds = atomic_load(&last_event) - t0;
    printf("items=%ld seconds=%.4f events_per_sec=%.0f\n", n, seconds, seconds > 0 ? n / seconds : 0.0);
    kc_informer_registration_free(reg);
    kc_informer_factory_free(factory);
    kc_client_free(client);
    return 0;
}

struct worker { kc_workqueue *queue; long cycles; };

static void *work(void *arg) {
    struct worker *w = arg;
    for (long i = 0; i < w->cycles; i++) {
        char *key = NULL;
        int shutdown = 0;
        if (kc_workqueue_get(w->queue, -1, &key, &shutdown) != KC_OK || !key) break;
        kc_workqueue_forget(w->queue, key);
        kc_workqueue_done(w->queue, key);
        kc_workqueue_add(w->queue, key);
        kc_free(key);
    }
    return NULL;
}

static int workqueue_case(long cycles, int workers) {
    kc_workqueue *queue = NULL;
    if (kc_workqueue_new(NULL, &queue) != KC_OK) return fail("workqueue");
    for (int i = 0; i < 10000; i++) {
        char key[64];
        snprintf(key, sizeof key, "ns-%d/obj-%d", i % 20, i);
        kc_workqueue_add(queue, key);
    }
    pthread_t threads[64];
    struct worker w = { queue, cycles / workers };
    double t0 = now();
    for (int i = 0; i < workers; i++) pthread_create(&threads[i], NULL, work, &w);
    for (int i = 0; i < workers; i++) pthread_join(threads[i], NULL);
    double seconds = now() - t0;
    long total = w.cycles * workers;
    printf("items=%ld seconds=%.4f cycles_per_sec=%.0f\n", total, seconds, total / seconds);
    kc_workqueue_free(queue);
    return 0;
}

static int coldstart_case(const char *kubeconfig) {
    double t0 = now();
    kc_client *client = make_client(kubeconfig);
    if (!client) return fail("client");
    char *version = NULL;
    if (kc_server_version(client, &version) != KC_OK) return fail("version");
    printf("seconds=%.4f\n", now() - t0);
    kc_free(version);
    kc_client_free(client);
    return 0;
}

/* Lister read: sync an informer (library defaults), then kc_informer_get of random cached pods
 * (JSON text + kc_free), timed in batches of 100 reads; prints the median of the batches. */
static int cmp_double(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static int lister_read_case(const char *kubeconfig, long reads) {
    kc_client *client = make_client(kubeconfig);
    if (!client) return fail("client");
    kc_informer_factory *factory = NULL;
    kc_informer *informer = NULL;
    if (kc_informer_factory_new(client, NULL, &factory) != KC_OK) return fail("factory");
    if (kc_informer_factory_informer(factory, "v1", "pods", NULL, NULL, &informer) != KC_OK) return fail("informer");
    long before = settled_resident_bytes();
    size_t heap_before = mallinfo2().uordblks;
    if (kc_informer_factory_start(factory) != KC_OK) return fail("start");
    if (kc_informer_factory_wait_for_sync(factory, 600000) != KC_OK) return fail("sync");
    long after = settled_resident_bytes();
    size_t heap_after = mallinfo2().uordblks;
    /* Keys through the namespace index: "team-NN/name" strings in JSON arrays (no escapes in pod names). */
    size_t cap = 1024, count = 0;
    char **names = malloc(cap * sizeof *names);
    char (*spaces)[16] = malloc(cap * sizeof *spaces);
    for (int i = 0; i < 20; i++) {
        char ns[16];
        snprintf(ns, sizeof ns, "team-%02d", i);
        char *keys = NULL;
        if (kc_informer_index_keys(informer, "namespace", ns, &keys) != KC_OK) return fail("keys");
        for (char *p = strchr(keys, '"'); p; p = strchr(p, '"')) {
            char *end = strchr(p + 1, '"');
            if (!end) break;
            char *slash = memchr(p + 1, '/', (size_t)(end - p - 1));
            if (slash) {
                if (count == cap) {
                    cap *= 2;
                    names = realloc(names, cap * sizeof *names);
                    spaces = realloc(spaces, cap * sizeof *spaces);
                }
                names[count] = strndup(slash + 1, (size_t)(end - slash - 1));
                snprintf(spaces[count], sizeof spaces[count], "%.*s", (int)(slash - p - 1), p + 1);
                count++;
            }
            p = end + 1;
        }
        kc_free(keys);
    }
    if (count == 0) return fail("no cached objects");
    long batches = reads / 100 > 0 ? reads / 100 : 1;
    double *per = malloc((size_t)batches * sizeof *per);
    unsigned long long x = 88172645463325252ULL;
    size_t bytes = 0;
    for (long b = 0; b < batches; b++) {
        size_t picks[100];
        for (int k = 0; k < 100; k++) {
            x ^= x << 13; x ^= x >> 7; x ^= x << 17;
            picks[k] = (size_t)(x % count);
        }
        double t0 = now();
        for (int k = 0; k < 100; k++) {
            char *json = NULL;
            if (kc_informer_get(informer, spaces[picks[k]], names[picks[k]], &json) != KC_OK) return fail("get");
            bytes += strlen(json);
            kc_free(json);
        }
        per[b] = (now() - t0) / 100;
    }
    qsort(per, (size_t)batches, sizeof *per, cmp_double);
    printf("items=%zu reads=%ld us_per_read=%.3f min_us=%.3f json_bytes_per_read=%.0f bytes_per_object=%.0f heap_per_object=%.0f seconds=%.4f\n",
           count, batches * 100, per[batches / 2] * 1e6, per[0] * 1e6, (double)bytes / (batches * 100.0),
           (double)(after - before) / count, ((double)heap_after - (double)heap_before) / count, per[batches / 2]);
    for (size_t i = 0; i < count; i++) free(names[i]);
    free(names);
    free(spaces);
    free(per);
    kc_informer_factory_free(factory);
    kc_client_free(client);
    return 0;
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: kcbench CASE ARGS\n"); return 2; }
    const char *c = argv[1];
    if (!strcmp(c, "list") && argc > 2) return list_case(argv[2]);
    if (!strcmp(c, "informer-sync") && argc > 2) return informer_sync_case(argv[2], argc > 3 && !strcmp(argv[3], "drop"));
    if (!strcmp(c, "informer-watch") && argc > 2) return informer_watch_case(argv[2], argc > 3 ? atol(argv[3]) : 100000);
    if (!strcmp(c, "workqueue")) return workqueue_case(argc > 2 ? atol(argv[2]) : 4000000, argc > 3 ? atoi(argv[3]) : 2);
    if (!strcmp(c, "coldstart") && argc > 2) return coldstart_case(argv[2]);
    if (!strcmp(c, "lister-read") && argc > 2) return lister_read_case(argv[2], argc > 3 ? atol(argv[3]) : 100000);
    fprintf(stderr, "unknown case %s\n", c);
    return 2;
}
