/*
 * The conventions kubeclient.h states for every function: one time unit (int64_t
 * milliseconds), zero-initialised options meaning the defaults, versions older than a
 * struct's current layout refused, and kc_error_last() describing every call — accessors
 * returning a value included, the listed exceptions leaving it alone.
 * Run by Tests/c/run.sh, which starts kubeclient-testserver and sets KC_TEST_KUBECONFIG.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <pthread.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>
#include "kc_test.h"

int kc_test_failures = 0;

static const char *NS = "kc-contract";

static double now_seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* A zeroed struct with only `version` set is exactly what the _init() function writes. */
static void test_zeroed_options_are_the_defaults(void) {
    kc_list_options list;
    memset(&list, 0xff, sizeof list);
    CHECK_OK(kc_list_options_init(&list, KC_LIST_OPTIONS_VERSION));
    CHECK(list.label_selector == NULL && list.limit == 0 && list.timeout_ms == 0 && list.allow_watch_bookmarks == 0);

    kc_delete_options del;
    memset(&del, 0xff, sizeof del);
    CHECK_OK(kc_delete_options_init(&del, KC_DELETE_OPTIONS_VERSION));
    kc_delete_options macro = KC_DELETE_OPTIONS_INIT;
    CHECK(del.has_grace_period == 0 && del.grace_period_ms == 0 && del.propagation_policy == NULL && del.dry_run == 0);
    CHECK(macro.has_grace_period == 0 && macro.grace_period_ms == 0);

    kc_workqueue_options wq;
    memset(&wq, 0xff, sizeof wq);
    CHECK_OK(kc_workqueue_options_init(&wq, KC_WORKQUEUE_OPTIONS_VERSION));
    CHECK(wq.base_delay_ms == 0 && wq.max_delay_ms == 0 && wq.fast_delay_ms == 0 && wq.slow_delay_ms == 0);
    CHECK(wq.qps == 0.0 && wq.burst == 0 && wq.max_fast_attempts == 0 && wq.rate_limiter == KC_RATE_LIMITER_DEFAULT);

    kc_controller_options ctl;
    memset(&ctl, 0xff, sizeof ctl);
    CHECK_OK(kc_controller_options_init(&ctl, KC_CONTROLLER_OPTIONS_VERSION));
    CHECK(ctl.workers == 0 && ctl.max_retries == 0 && ctl.queue.version == KC_WORKQUEUE_OPTIONS_VERSION);
    CHECK(ctl.queue.base_delay_ms == 0 && ctl.queue.slow_delay_ms == 0);

    kc_leader_election_options le;
    memset(&le, 0xff, sizeof le);
    CHECK_OK(kc_leader_election_options_init(&le, KC_LEADER_ELECTION_OPTIONS_VERSION));
    CHECK(le.lease_duration_ms == 0 && le.renew_deadline_ms == 0 && le.retry_period_ms == 0 && le.keep_lease_on_stop == 0);

    kc_pod_log_options logs = KC_POD_LOG_OPTIONS_INIT;
    CHECK(logs.version == KC_POD_LOG_OPTIONS_VERSION && logs.since_ms == 0 && logs.cancel == NULL);
    kc_exec_options exec = KC_EXEC_OPTIONS_INIT;
    CHECK(exec.version == KC_EXEC_OPTIONS_VERSION && exec.container == NULL && exec.cancel == NULL);
    kc_leader_callbacks callbacks = KC_LEADER_CALLBACKS_INIT;
    CHECK(callbacks.version == KC_LEADER_CALLBACKS_VERSION && callbacks.on_new_leader == NULL);

    /* { .version = V } builds a working queue and controller with client-go's defaults. */
    kc_workqueue_options zero_queue = { .version = KC_WORKQUEUE_OPTIONS_VERSION };
    kc_workqueue *queue = NULL;
    CHECK_OK(kc_workqueue_new(&zero_queue, &queue));
    CHECK_OK(kc_workqueue_add_rate_limited(queue, "k"));   /* 5 ms: the default base delay */
    char *key = NULL;
    CHECK_OK(kc_workqueue_get(queue, 10000, &key, NULL));
    CHECK_STR(key, "k");
    CHECK_OK(kc_workqueue_done(queue, key));
    kc_free(key);
    kc_workqueue_free(queue);
}

/* The structs whose layout changed (seconds became milliseconds) refuse version 1 instead of
 * misreading an old program's struct. */
static void test_old_layouts_are_refused(void) {
    kc_list_options list;
    CHECK_STATUS(kc_list_options_init(&list, 1), KC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(kc_error_last()->message, "kc_list_options.version is 1") != NULL);
    kc_delete_options del;
    CHECK_STATUS(kc_delete_options_init(&del, 1), KC_ERR_INVALID_ARGUMENT);
    kc_pod_log_options logs;
    CHECK_STATUS(kc_pod_log_options_init(&logs, 1), KC_ERR_INVALID_ARGUMENT);
    kc_leader_election_options le;
    CHECK_STATUS(kc_leader_election_options_init(&le, 1), KC_ERR_INVALID_ARGUMENT);
    kc_controller_options ctl;
    CHECK_STATUS(kc_controller_options_init(&ctl, 1), KC_ERR_INVALID_ARGUMENT);

    kc_workqueue_options old_queue = { .version = 1 };
    kc_workqueue *queue = (kc_workqueue *)1;
    CHECK_STATUS(kc_workqueue_new(&old_queue, &queue), KC_ERR_INVALID_ARGUMENT);
    CHECK(queue == NULL);
    CHECK(strstr(kc_error_last()->message, "kc_workqueue_options.version") != NULL);

    CHECK_OK(kc_workqueue_new(NULL, &queue));
    kc_workqueue_metrics old_metrics = { .version = 1 };
    CHECK_STATUS(kc_workqueue_get_metrics(queue, &old_metrics), KC_ERR_INVALID_ARGUMENT);
    kc_workqueue_free(queue);

    /* A version that is neither old nor known, and the unchanged structs' version 1 still works. */
    CHECK_STATUS(kc_list_options_init(&list, KC_LIST_OPTIONS_VERSION + 1), KC_ERR_INVALID_ARGUMENT);
    kc_informer_factory_options factory;
    CHECK_OK(kc_informer_factory_options_init(&factory, 1));
}

/* Times are milliseconds: delays, waits, a requeue and the metrics all count them. */
static void test_times_are_milliseconds(void) {
    kc_workqueue *queue = NULL;
    CHECK_OK(kc_workqueue_new(NULL, &queue));
    char *key = NULL;
    int shutdown = 0;

    /* An empty queue: a 30 ms wait returns no key, after at least 30 ms. */
    double start = now_seconds();
    CHECK_OK(kc_workqueue_get(queue, 30, &key, &shutdown));
    CHECK(key == NULL && shutdown == 0);
    CHECK(now_seconds() - start >= 0.029);

    /* add_after(40 ms): not there at once, there after at least 40 ms. */
    start = now_seconds();
    CHECK_OK(kc_workqueue_add_after(queue, "later", 40));
    CHECK_OK(kc_workqueue_get(queue, 0, &key, &shutdown));
    CHECK(key == NULL);
    CHECK_OK(kc_workqueue_get(queue, 60000, &key, &shutdown));
    CHECK_STR(key, "later");
    CHECK(now_seconds() - start >= 0.039);

    /* Held for at least 20 ms between get and done: the work-duration metric says >= 20 (ms). */
    struct timespec hold = { 0, 20 * 1000 * 1000 };
    nanosleep(&hold, NULL);
    CHECK_OK(kc_workqueue_done(queue, key));
    kc_free(key);
    kc_workqueue_metrics m = { .version = KC_WORKQUEUE_METRICS_VERSION };
    CHECK_OK(kc_workqueue_get_metrics(queue, &m));
    CHECK(m.work_duration.count == 1);
    CHECK(m.work_duration.sum_ms >= 19.5 && m.work_duration.max_ms >= 19.5);
    CHECK(m.queue_latency.count == 1);
    kc_workqueue_free(queue);
}

/* Every accessor returning a value records its outcome; the listed exceptions do not touch it. */
static void test_accessors_record_their_outcome(void) {
    kc_workqueue *queue = NULL;
    CHECK_OK(kc_workqueue_new(NULL, &queue));
    CHECK_OK(kc_workqueue_add(queue, "k"));

    /* NULL handles: 0 / NULL and KC_ERR_INVALID_ARGUMENT, for each of them. */
    CHECK(kc_workqueue_len(NULL) == 0 && kc_error_last()->status == KC_ERR_INVALID_ARGUMENT);
    CHECK(kc_workqueue_len(queue) == 1 && kc_error_last()->status == KC_OK);
    CHECK(kc_workqueue_is_shutting_down(NULL) == 0 && kc_error_last()->status == KC_ERR_INVALID_ARGUMENT);
    CHECK(kc_workqueue_is_shutting_down(queue) == 0 && kc_error_last()->status == KC_OK);
    CHECK(kc_workqueue_num_requeues(queue, NULL) == 0 && kc_error_last()->status == KC_ERR_INVALID_ARGUMENT);
    CHECK(kc_workqueue_num_requeues(queue, "k") == 0 && kc_error_last()->status == KC_OK);
    CHECK(kc_controller_queue(NULL) == NULL && kc_error_last()->status == KC_ERR_INVALID_ARGUMENT);
    CHECK(kc_leader_elector_is_leader(NULL) == 0 && kc_error_last()->status == KC_ERR_INVALID_ARGUMENT);
    CHECK(kc_informer_has_synced(NULL) == 0 && kc_error_last()->status == KC_ERR_INVALID_ARGUMENT);
    CHECK(kc_informer_registration_has_synced(NULL) == 0 && kc_error_last()->status == KC_ERR_INVALID_ARGUMENT);

    /* The exceptions leave the record of the failure before them. */
    CHECK(kc_workqueue_len(NULL) == 0);
    CHECK(kc_version() != NULL && kc_status_str(KC_OK) != NULL);
    kc_free(NULL);
    kc_workqueue_free(NULL);
    kc_config_free(NULL);
    CHECK(kc_error_last()->status == KC_ERR_INVALID_ARGUMENT);
    kc_error_clear();
    CHECK(kc_error_last()->status == KC_OK);

    /* A freed handle: KC_ERR_CLOSED. */
    kc_workqueue_free(queue);
    CHECK(kc_workqueue_len(queue) == 0 && kc_error_last()->status == KC_ERR_CLOSED);

    kc_controller *controller = NULL;
    CHECK_STATUS(kc_controller_new(NULL, NULL, NULL, &controller), KC_ERR_INVALID_ARGUMENT);
    CHECK(controller == NULL);
}

typedef struct {
    pthread_mutex_t mu;
    pthread_cond_t cond;
    int calls;
    double first, second;
} requeue_state;

static kc_reconcile_result requeue_once(const char *key, int64_t *after_ms, void *user_data) {
    requeue_state *s = user_data;
    CHECK(*after_ms == 0);   /* 0 on entry */
    if (strcmp(key, "again") != 0) return KC_RECONCILE_SUCCESS;
    pthread_mutex_lock(&s->mu);
    int call = ++s->calls;
    if (call == 1) s->first = now_seconds();
    if (call == 2) s->second = now_seconds();
    pthread_cond_broadcast(&s->cond);
    pthread_mutex_unlock(&s->mu);
    if (call == 1) {
        *after_ms = 30;
        return KC_RECONCILE_REQUEUE_AFTER;
    }
    return KC_RECONCILE_SUCCESS;
}

/* requeue_after_ms: the key comes back after the requested milliseconds. */
static void test_requeue_after_is_milliseconds(void) {
    requeue_state s = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0 };
    kc_controller *controller = NULL;
    CHECK_OK(kc_controller_new(NULL, requeue_once, &s, &controller));
    kc_workqueue *queue = kc_controller_queue(controller);
    CHECK(queue != NULL && kc_error_last()->status == KC_OK);
    CHECK_OK(kc_controller_start(controller));
    CHECK_OK(kc_workqueue_add(queue, "again"));
    pthread_mutex_lock(&s.mu);
    while (s.calls < 2) pthread_cond_wait(&s.cond, &s.mu);
    pthread_mutex_unlock(&s.mu);
    CHECK(s.second - s.first >= 0.029);
    CHECK_OK(kc_controller_stop(controller));
    kc_controller_free(controller);
}

/* A list's timeout_ms is sent as whole seconds rounded up: 1 ms is a 1 s server timeout (the
 * watch ends by itself), not 0 (which would mean "no timeout"). */
static void test_list_timeout_rounds_up_to_a_second(kc_client *client) {
    kc_list_options options = { .version = KC_LIST_OPTIONS_VERSION, .timeout_ms = 1 };
    kc_watch_handlers handlers = KC_WATCH_HANDLERS_INIT;
    kc_watch *watch = NULL;
    CHECK_OK(kc_watch_start(client, "v1", "configmaps", NS, &options, &handlers, NULL, &watch));
    CHECK_OK(kc_watch_wait(watch, -1));
    kc_watch_free(watch);

    options.timeout_ms = -1;
    CHECK_STATUS(kc_list(client, "v1", "configmaps", NS, &options, &(char *){NULL}), KC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(kc_error_last()->message, "timeout_ms") != NULL);
}

/* kc_delete_options: zeroed is the server's default; has_grace_period with 0 ms deletes at
 * once; a negative grace period is refused. */
static void test_delete_grace_period(kc_client *client) {
    const char *body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"grace\"}}";
    kc_delete_options zeroed = { .version = KC_DELETE_OPTIONS_VERSION };
    kc_test_ensure(client, "v1", "configmaps", NS, body);
    CHECK_OK(kc_delete(client, "v1", "configmaps", NS, "grace", &zeroed, NULL));

    kc_test_ensure(client, "v1", "configmaps", NS, body);
    kc_delete_options now = { .version = KC_DELETE_OPTIONS_VERSION, .has_grace_period = 1, .grace_period_ms = 0 };
    CHECK_OK(kc_delete(client, "v1", "configmaps", NS, "grace", &now, NULL));
    CHECK_STATUS(kc_get(client, "v1", "configmaps", NS, "grace", &(char *){NULL}), KC_ERR_NOT_FOUND);

    kc_delete_options negative = { .version = KC_DELETE_OPTIONS_VERSION, .has_grace_period = 1, .grace_period_ms = -1 };
    CHECK_STATUS(kc_delete(client, "v1", "configmaps", NS, "grace", &negative, NULL), KC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(kc_error_last()->message, "grace_period_ms") != NULL);
    /* Without has_grace_period the value is not read. */
    negative.has_grace_period = 0;
    CHECK_STATUS(kc_delete(client, "v1", "configmaps", NS, "grace", &negative, NULL), KC_ERR_NOT_FOUND);
}

/* A pipe the system refuses (no descriptor left) is KC_ERR_INTERNAL, not the caller's
 * KC_ERR_INVALID_ARGUMENT; with descriptors back the same call succeeds (positive control). */
static void test_no_descriptor_left_is_internal(kc_client *client) {
    if (getenv("KC_TEST_UNDER_VALGRIND")) return;   /* valgrind keeps descriptor limits for itself */
    kc_informer_factory *factory = NULL;
    kc_informer *informer = NULL;
    CHECK_OK(kc_informer_factory_new(client, NULL, &factory));
    CHECK_OK(kc_informer_factory_informer(factory, "v1", "configmaps", NS, NULL, &informer));

    struct rlimit saved;
    CHECK(getrlimit(RLIMIT_NOFILE, &saved) == 0);
    int fds[1024];
    int count = 0;
    struct rlimit low = saved;
    low.rlim_cur = 256 < saved.rlim_cur ? 256 : saved.rlim_cur;
    CHECK(setrlimit(RLIMIT_NOFILE, &low) == 0);
    while (count < 1024) {              /* use up every descriptor below the limit */
        int fd = dup(0);
        if (fd < 0) break;
        fds[count++] = fd;
    }
    CHECK(errno == EMFILE);
    kc_informer_registration *registration = (kc_informer_registration *)1;
    CHECK_STATUS(kc_informer_add_pull(informer, 0, &registration), KC_ERR_INTERNAL);
    CHECK(registration == NULL);
    CHECK(strstr(kc_error_last()->message, "pipe") != NULL);
    while (count > 0) close(fds[--count]);
    CHECK(setrlimit(RLIMIT_NOFILE, &saved) == 0);

    CHECK_OK(kc_informer_add_pull(informer, 0, &registration));
    kc_informer_registration_free(registration);
    kc_informer_factory_free(factory);
}

int main(void) {
    const char *kubeconfig = kc_test_kubeconfig();
    kc_client *client = kc_test_client(kubeconfig, NULL);
    kc_test_ensure(client, "v1", "namespaces", NULL,
                   "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"kc-contract\"}}");
    kc_test_case tests[] = {
        {"a zeroed options struct with its version set means the defaults", test_zeroed_options_are_the_defaults, NULL},
        {"structs whose layout changed refuse their old version", test_old_layouts_are_refused, NULL},
        {"delays, waits and metrics count milliseconds", test_times_are_milliseconds, NULL},
        {"accessors record their outcome; the listed exceptions leave it", test_accessors_record_their_outcome, NULL},
        {"requeue_after_ms brings the key back after that many milliseconds", test_requeue_after_is_milliseconds, NULL},
        {"a list timeout_ms of 1 is a 1 s server timeout, not none", NULL, test_list_timeout_rounds_up_to_a_second},
        {"delete: zeroed options are the server default, has_grace_period 0 ms deletes now", NULL, test_delete_grace_period},
        {"no descriptor left for a pull registration's pipe is KC_ERR_INTERNAL", NULL, test_no_descriptor_left_is_internal},
    };
    return kc_test_run(tests, sizeof tests / sizeof tests[0], client);
}
