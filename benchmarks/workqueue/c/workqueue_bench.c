/* Workqueue throughput through the C API: get/forget/done/add cycles per second over
 * 10,000 keys with N worker threads (default controller rate limiter).
 *   workqueue_bench [workers=2] [cycles=2000000] [keys=10000]
 * Prints: cycles_per_sec=<n> seconds=<s> workers=<w> */
#define _POSIX_C_SOURCE 200809L
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <kubeclient.h>

static kc_workqueue *queue;
static long per_worker;

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void *worker(void *arg) {
    (void)arg;
    for (long i = 0; i < per_worker; i++) {
        char *key = NULL;
        int shutdown = 0;
        if (kc_workqueue_get(queue, -1, &key, &shutdown) != KC_OK || key == NULL) break;
        kc_workqueue_forget(queue, key);
        kc_workqueue_done(queue, key);
        kc_workqueue_add(queue, key);
        kc_free(key);
    }
    return NULL;
}

int main(int argc, char **argv) {
    int workers = argc > 1 ? atoi(argv[1]) : 2;
    long cycles = argc > 2 ? atol(argv[2]) : 2000000;
    int keys = argc > 3 ? atoi(argv[3]) : 10000;
    if (workers < 1 || workers > 64 || cycles < 1 || keys < workers) return 2;
    per_worker = cycles / workers;
    kc_workqueue_options options = KC_WORKQUEUE_OPTIONS_INIT;
    options.name = "bench";
    if (kc_workqueue_new(&options, &queue) != KC_OK) {
        fprintf(stderr, "kc_workqueue_new: %s\n", kc_error_last()->message);
        return 1;
    }
    /* All keys circulate: each cycle re-adds its key, so the queue never runs dry. */
    char name[32];
    for (int i = 0; i < keys; i++) {
        snprintf(name, sizeof name, "ns-%d/obj-%d", i % 20, i);
        kc_workqueue_add(queue, name);
    }
    pthread_t threads[64];
    double start = now_seconds();
    for (int i = 0; i < workers; i++) pthread_create(&threads[i], NULL, worker, NULL);
    for (int i = 0; i < workers; i++) pthread_join(threads[i], NULL);
    double seconds = now_seconds() - start;
    long total = per_worker * workers;
    printf("cycles_per_sec=%.0f seconds=%.3f workers=%d cycles=%ld\n", (double)total / seconds, seconds, workers, total);
    kc_workqueue_free(queue);
    return 0;
}
