/*
 * Issue 11, items 5, 10 and 14 from C: numbers at the edges of their types never abort the
 * process, invalid UTF-8 in any string argument is KC_ERR_INVALID_ARGUMENT naming the
 * parameter, and a 2xx answer that is not JSON is KC_ERR_DECODE.
 * Run by Tests/c/run.sh, which starts kubeclient-testserver and sets KC_TEST_KUBECONFIG.
 */
#define _POSIX_C_SOURCE 200809L
#include "kc_test.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <time.h>

int kc_test_failures = 0;

static const char *kubeconfig;
static const char *NS = "kc-hardening";

/* Expects `call` to fail with `expected` and kc_error_last()->message to contain `needle`. */
#define CHECK_FAILS_WITH(call, expected, needle) do { CHECK_STATUS(call, expected); \
    const char *m_ = kc_error_last()->message; \
    if (strstr(m_, (needle)) == NULL) { \
        fprintf(stderr, "  FAIL %s:%d: message \"%s\" lacks \"%s\"\n", __FILE__, __LINE__, m_, (needle)); \
        kc_test_failures++; } } while (0)

static kc_client *new_client(const kc_client_options *options) {
    kc_config *config = NULL;
    kc_client *client = NULL;
    CHECK_OK(kc_config_load(kubeconfig, NULL, NULL, NULL, &config));
    CHECK_OK(kc_client_new(config, options, &client));
    kc_config_free(config);
    return client;
}

static void fault(kc_client *client, const char *body) {
    int code = 0;
    char *out = NULL;
    CHECK_OK(kc_request(client, "POST", "/_testserver/faults", body, strlen(body), NULL, &code, &out, NULL));
    CHECK(code == 200);
    kc_free(out);
}

/* ---- item 14: invalid UTF-8 ----------------------------------------------------------- */

static void test_invalid_utf8(kc_client *client) {
    char *out = NULL;
    /* "cm-\xff" and "cm-\xfe" used to become the same repaired name. */
    CHECK_FAILS_WITH(kc_get(client, "v1", "configmaps", NS, "cm-\xff", &out), KC_ERR_INVALID_ARGUMENT,
                     "name is not valid UTF-8");
    CHECK(out == NULL);
    CHECK_FAILS_WITH(kc_get(client, "v1", "configmaps", "ns-\xfe", "cm", &out), KC_ERR_INVALID_ARGUMENT,
                     "namespace_name is not valid UTF-8");
    CHECK_FAILS_WITH(kc_get(client, "v1", "config\xc3maps", NS, "cm", &out), KC_ERR_INVALID_ARGUMENT,
                     "resource is not valid UTF-8");
    CHECK_FAILS_WITH(kc_get(client, "v\x80", "configmaps", NS, "cm", &out), KC_ERR_INVALID_ARGUMENT,
                     "api_version is not valid UTF-8");
    CHECK_FAILS_WITH(kc_delete(client, "v1", "configmaps", NS, "cm-\xff", NULL, NULL), KC_ERR_INVALID_ARGUMENT,
                     "name is not valid UTF-8");
    /* An overlong encoding of '/' is invalid too (it must never become a path separator). */
    CHECK_FAILS_WITH(kc_get(client, "v1", "configmaps", NS, "a\xc0\xaf" "b", &out), KC_ERR_INVALID_ARGUMENT,
                     "not valid UTF-8");

    kc_list_options options = KC_LIST_OPTIONS_INIT;
    options.label_selector = "app=\xff";
    CHECK_FAILS_WITH(kc_list(client, "v1", "configmaps", NS, &options, &out), KC_ERR_INVALID_ARGUMENT,
                     "kc_list_options.label_selector is not valid UTF-8");

    /* A YAML body is text: it must be UTF-8 as well. */
    CHECK_FAILS_WITH(kc_create(client, "v1", "configmaps", NS,
                               "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-\xff\n", &out),
                     KC_ERR_INVALID_ARGUMENT, "body_json is not valid UTF-8");

    kc_config *config = NULL;
    CHECK_FAILS_WITH(kc_config_load(kubeconfig, "ctx-\xff", NULL, NULL, &config), KC_ERR_INVALID_ARGUMENT,
                     "context is not valid UTF-8");
    CHECK(config == NULL);

    kc_workqueue *queue = NULL;
    CHECK_OK(kc_workqueue_new(NULL, &queue));
    CHECK_FAILS_WITH(kc_workqueue_add(queue, "key-\xff"), KC_ERR_INVALID_ARGUMENT, "key is not valid UTF-8");
    CHECK(kc_workqueue_len(queue) == 0);
    CHECK(kc_workqueue_num_requeues(queue, "key-\xff") == 0);
    kc_workqueue_free(queue);

    /* Valid multi-byte UTF-8 still passes the boundary (the server then judges the name). */
    kc_status status = kc_get(client, "v1", "configmaps", NS, "caf\xc3\xa9", &out);
    CHECK(status != KC_ERR_INVALID_ARGUMENT || strstr(kc_error_last()->message, "UTF-8") == NULL);
    kc_free(out);
}

/* ---- item 5: numbers ------------------------------------------------------------------ */

typedef struct done_flag {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    int done;
    kc_status status;
} done_flag;

static void flag_done(kc_status status, const kc_error *error, void *user_data) {
    (void)error;
    done_flag *flag = user_data;
    pthread_mutex_lock(&flag->lock);
    flag->done = 1;
    flag->status = status;
    pthread_cond_broadcast(&flag->changed);
    pthread_mutex_unlock(&flag->lock);
}

static void test_tiny_qps(void) {
    /* qps=1e-12 asked the limiter for a 1e12 s wait, whose nanoseconds overflowed: a trap on
     * the first rate-limited request (the 11th with the default burst). Now that request
     * waits (clamped) and stays cancellable. */
    kc_client_options options = KC_CLIENT_OPTIONS_INIT;
    options.qps = 1e-12;
    options.burst = 1;
    kc_client *client = new_client(&options);
    char *out = NULL;
    CHECK_OK(kc_list(client, "v1", "configmaps", NS, NULL, &out));   /* takes the only token */
    kc_free(out);
    done_flag flag = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, KC_OK };
    kc_watch_handlers handlers = KC_WATCH_HANDLERS_INIT;
    handlers.on_done = flag_done;
    kc_watch *watch = NULL;
    CHECK_OK(kc_watch_start(client, "v1", "configmaps", NS, NULL, &handlers, &flag, &watch));
    /* Rate limited for (clamped) decades: it is still running, and a stop ends it. */
    CHECK_STATUS(kc_watch_wait(watch, 100), KC_ERR_TIMEOUT);
    CHECK_OK(kc_watch_stop(watch));
    CHECK(flag.done == 1);
    kc_watch_free(watch);
    kc_client_free(client);

    options.qps = NAN;
    kc_config *config = NULL;
    CHECK_OK(kc_config_load(kubeconfig, NULL, NULL, NULL, &config));
    kc_client *bad = NULL;
    CHECK_FAILS_WITH(kc_client_new(config, &options, &bad), KC_ERR_INVALID_ARGUMENT, "qps");
    options.qps = INFINITY;
    CHECK_FAILS_WITH(kc_client_new(config, &options, &bad), KC_ERR_INVALID_ARGUMENT, "qps");
    CHECK(bad == NULL);
    kc_config_free(config);
}

static void test_huge_client_timeout(void) {
    kc_client_options options = KC_CLIENT_OPTIONS_INIT;
    options.timeout_ms = INT64_MAX;
    kc_client *client = new_client(&options);
    char *out = NULL;
    kc_list_options list = KC_LIST_OPTIONS_INIT;
    list.limit = INT64_MAX;
    list.timeout_ms = INT64_MAX;
    CHECK_OK(kc_list(client, "v1", "configmaps", NS, &list, &out));
    kc_free(out);
    kc_client_free(client);
}

static void test_watch_wait_forever(kc_client *client) {
    /* kc_watch_wait(w, INT64_MAX) computed a deadline that wrapped into the past and
     * reported a timeout at once. The server ends this watch after 1 s: the wait sees it. */
    kc_list_options options = KC_LIST_OPTIONS_INIT;
    options.timeout_ms = 1000;
    kc_watch_handlers handlers = KC_WATCH_HANDLERS_INIT;
    kc_watch *watch = NULL;
    CHECK_OK(kc_watch_start(client, "v1", "configmaps", NS, &options, &handlers, NULL, &watch));
    CHECK_OK(kc_watch_wait(watch, INT64_MAX));
    kc_watch_free(watch);
}

static void count_add(const char *object, size_t len, int initial, void *user_data) {
    (void)object; (void)len; (void)initial;
    (*(int *)user_data)++;   /* one registration thread: no race */
}

/* Emits one valid and one invalid UTF-8 index value per object. */
static void index_two_values(const char *object, size_t len, kc_index_emit_fn emit, void *ctx, void *user_data) {
    (void)object; (void)len; (void)user_data;
    emit(ctx, "ok");
    emit(ctx, "bad-\xff");
}

static void test_informer_numbers(kc_client *client) {
    kc_informer_factory_options fopts = KC_INFORMER_FACTORY_OPTIONS_INIT;
    fopts.idle_timeout_ms = INT64_MAX;
    fopts.backoff_initial_ms = INT64_MAX;
    fopts.backoff_max_ms = INT64_MAX;
    fopts.page_size = INT64_MAX;
    kc_informer_factory *factory = NULL;
    CHECK_OK(kc_informer_factory_new(client, &fopts, &factory));
    kc_informer *informer = NULL;
    CHECK_OK(kc_informer_factory_informer(factory, "v1", "configmaps", NS, NULL, &informer));
    int adds = 0;
    kc_informer_handlers handlers = KC_INFORMER_HANDLERS_INIT;
    handlers.on_add = count_add;
    handlers.resync_period_ms = INT64_MAX;
    kc_informer_registration *reg = NULL, *pull = NULL;
    CHECK_OK(kc_informer_add_handlers(informer, &handlers, &adds, &reg));
    CHECK_OK(kc_informer_add_pull(informer, INT64_MAX, &pull));
    CHECK_OK(kc_informer_add_index(informer, "two", index_two_values, NULL));
    CHECK_OK(kc_informer_factory_start(factory));
    CHECK_OK(kc_informer_factory_wait_for_sync(factory, INT64_MAX));
    CHECK_OK(kc_informer_wait_for_sync(informer, INT64_MAX));
    CHECK(kc_informer_registration_has_synced(reg) == 1);
    /* The invalid index value was dropped, not repaired into "bad-\uFFFD". */
    char *out = NULL;
    CHECK_OK(kc_informer_index_keys(informer, "two", "ok", &out));
    CHECK(out != NULL && strstr(out, "kc-hardening/one") != NULL);
    kc_free(out);
    out = NULL;
    CHECK_OK(kc_informer_index_keys(informer, "two", "bad-\xef\xbf\xbd", &out));
    CHECK_STR(out, "[]");
    kc_free(out);
    out = NULL;
    CHECK_FAILS_WITH(kc_informer_index_keys(informer, "two", "bad-\xff", &out), KC_ERR_INVALID_ARGUMENT, "not valid UTF-8");
    kc_informer_registration_free(reg);
    kc_informer_registration_free(pull);
    kc_informer_factory_free(factory);
    CHECK(adds >= 1);

    fopts.idle_timeout_ms = -1;
    CHECK_FAILS_WITH(kc_informer_factory_new(client, &fopts, &factory), KC_ERR_INVALID_ARGUMENT, "idle_timeout_ms");
}

static kc_reconcile_result never_called(const char *key, int64_t *after_ms, void *user_data) {
    (void)key; (void)after_ms; (void)user_data;
    return KC_RECONCILE_SUCCESS;
}

static void test_workqueue_numbers(void) {
    kc_workqueue *queue = NULL;
    CHECK_OK(kc_workqueue_new(NULL, &queue));
    /* Milliseconds beyond KC_MAX_DURATION_MS are clamped, never overflow a deadline. */
    CHECK_OK(kc_workqueue_add_after(queue, "later", INT64_MAX));
    CHECK_OK(kc_workqueue_add_after(queue, "later2", KC_MAX_DURATION_MS + 1));
    CHECK_OK(kc_workqueue_add_after(queue, "now-ish", INT64_MIN));  /* <= 0: at once */
    CHECK_OK(kc_workqueue_add(queue, "now"));
    char *key = NULL;
    int shutdown = 0;
    CHECK_OK(kc_workqueue_get(queue, INT64_MAX, &key, &shutdown));
    CHECK(key != NULL && (strcmp(key, "now") == 0 || strcmp(key, "now-ish") == 0));
    CHECK_OK(kc_workqueue_done(queue, key));
    kc_free(key);
    kc_workqueue_free(queue);

    /* Every worker is a thread: INT_MAX of them is refused, not attempted. */
    kc_controller_options options = KC_CONTROLLER_OPTIONS_INIT;
    options.workers = INT32_MAX;
    kc_controller *controller = NULL;
    CHECK_FAILS_WITH(kc_controller_new(&options, never_called, NULL, &controller), KC_ERR_INVALID_ARGUMENT, "workers");
    CHECK(controller == NULL);
}

/* ---- item 10: a 2xx answer that is not JSON ------------------------------------------ */

static void test_non_json_success(kc_client *client) {
    char *out = NULL;
    fault(client, "{\"action\":\"fail\",\"status\":200,\"count\":1,\"path\":\"/configmaps/cm-html\","
                  "\"body\":\"<html>proxy login</html>\"}");
    CHECK_FAILS_WITH(kc_get(client, "v1", "configmaps", NS, "cm-html", &out), KC_ERR_DECODE, "not JSON");
    CHECK(out == NULL);
    fault(client, "{\"action\":\"fail\",\"status\":200,\"count\":1,\"path\":\"/namespaces/kc-hardening/configmaps\","
                  "\"method\":\"GET\",\"body\":\"{\\\"items\\\":[\"}");
    CHECK_FAILS_WITH(kc_list(client, "v1", "configmaps", NS, NULL, &out), KC_ERR_DECODE, "not JSON");
    CHECK(out == NULL);
    /* Only the injected answers were bad: the next calls succeed. */
    CHECK_OK(kc_list(client, "v1", "configmaps", NS, NULL, &out));
    kc_free(out);
    fault(client, "{\"action\":\"reset\"}");
}

int main(void) {
    kubeconfig = kc_test_kubeconfig();
    kc_client *client = new_client(NULL);
    kc_test_ensure(client, "v1", "namespaces", NULL, "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"kc-hardening\"}}");
    kc_test_ensure(client, "v1", "configmaps", NS,
                        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"one\"}}");

    kc_test_case tests[] = {
        {"invalid UTF-8 in any string argument is refused, naming it", NULL, test_invalid_utf8},
        {"a tiny qps waits (cancellably) instead of trapping; NaN and infinity are refused", test_tiny_qps, NULL},
        {"INT64_MAX timeouts, limits and server timeouts are clamped", test_huge_client_timeout, NULL},
        {"kc_watch_wait with INT64_MAX waits for the end instead of timing out", NULL, test_watch_wait_forever},
        {"informer periods and timeouts of INT64_MAX are clamped; invalid UTF-8 index values are dropped", NULL,
         test_informer_numbers},
        {"workqueue delays and timeouts of INT64_MAX are clamped, INT_MAX workers refused",
         test_workqueue_numbers, NULL},
        {"a 2xx answer that is not JSON is KC_ERR_DECODE", NULL, test_non_json_success},
    };
    return kc_test_run(tests, sizeof tests / sizeof tests[0], client);
}
