/*
 * Exercises every function of include/kubeclient.h against kubeclient-testserver.
 * Run by Tests/c/run.sh, which starts the server and sets KC_TEST_KUBECONFIG.
 * JSON answers are inspected with jansson.
 */
#define _POSIX_C_SOURCE 200809L
#include "kc_test.h"

#include <jansson.h>
#include <pthread.h>
#include <stdint.h>
#include <time.h>

int kc_test_failures = 0;

static const char *kubeconfig;
static const char *NS = "kc-ctest";

/* ---- helpers ---------------------------------------------------------------------- */

static json_t *parse(const char *text) {
    json_error_t error;
    json_t *value = json_loads(text ? text : "", 0, &error);
    if (value == NULL) {
        fprintf(stderr, "  FAIL: not JSON (%s): %.200s\n", error.text, text ? text : "(null)");
        kc_test_failures++;
    }
    return value;
}

/* Parses and frees a library string. */
static json_t *take(char *text) {
    json_t *value = parse(text);
    kc_free(text);
    return value;
}

static const char *str_at(json_t *object, const char *a, const char *b) {
    json_t *value = json_object_get(object, a);
    if (b) value = json_object_get(value, b);
    return json_string_value(value);
}

static kc_client *new_client(const char *context) {
    kc_config *config = NULL;
    kc_client *client = NULL;
    CHECK_OK(kc_config_load(kubeconfig, context, NULL, NULL, &config));
    CHECK_OK(kc_client_new(config, NULL, &client));
    kc_config_free(config);
    return client;
}

static char *configmap(const char *name, const char *value) {
    static char buffer[512];
    snprintf(buffer, sizeof buffer,
             "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"%s\",\"labels\":{\"suite\":\"c\"}},"
             "\"data\":{\"key\":\"%s\"}}", name, value);
    return buffer;
}

/* ---- library basics --------------------------------------------------------------- */

static void test_library_basics(void) {
    CHECK_STR(kc_version(), KC_VERSION_STRING);
    CHECK_STR(kc_status_str(KC_OK), "ok");
    CHECK_STR(kc_status_str(KC_ERR_NOT_FOUND), "not found");
    CHECK_STR(kc_status_str((kc_status)999), "unknown status");
    kc_error_clear();
    const kc_error *error = kc_error_last();
    CHECK(error != NULL);
    CHECK(error->status == KC_OK);
    CHECK(error->reason != NULL && error->message != NULL);
    kc_free(NULL);
}

static void test_options_init(void) {
    kc_client_options client_options;
    kc_list_options list_options;
    kc_delete_options delete_options;
    kc_apply_options apply_options;
    CHECK_OK(kc_client_options_init(&client_options, KC_CLIENT_OPTIONS_VERSION));
    CHECK(client_options.version == KC_CLIENT_OPTIONS_VERSION && client_options.user_agent == NULL);
    CHECK_OK(kc_list_options_init(&list_options, KC_LIST_OPTIONS_VERSION));
    CHECK(list_options.limit == 0 && list_options.label_selector == NULL);
    CHECK_OK(kc_delete_options_init(&delete_options, KC_DELETE_OPTIONS_VERSION));
    CHECK(delete_options.has_grace_period == 0 && delete_options.grace_period_ms == 0);
    CHECK_OK(kc_apply_options_init(&apply_options, KC_APPLY_OPTIONS_VERSION));
    CHECK(apply_options.force == 0 && apply_options.field_manager == NULL);
    CHECK_STATUS(kc_list_options_init(&list_options, 99), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_client_options_init(NULL, KC_CLIENT_OPTIONS_VERSION), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_delete_options_init(NULL, KC_DELETE_OPTIONS_VERSION), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_apply_options_init(&apply_options, 0), KC_ERR_INVALID_ARGUMENT);
}

/* ---- config ----------------------------------------------------------------------- */

static void test_config(void) {
    kc_config *config = NULL;
    CHECK_OK(kc_config_load(kubeconfig, NULL, NULL, NULL, &config));
    CHECK(config != NULL);
    const char *host = kc_config_host(config);
    CHECK(host != NULL && strncmp(host, "https://127.0.0.1:", 18) == 0);
    CHECK_STR(kc_config_namespace(config), "default");
    kc_config_free(config);

    CHECK_OK(kc_config_load(kubeconfig, "token", "https://127.0.0.1:9", "team-a", &config));
    CHECK_STR(kc_config_host(config), "https://127.0.0.1:9");
    CHECK_STR(kc_config_namespace(config), "team-a");
    kc_config_free(config);

    config = (kc_config *)1;
    CHECK_STATUS(kc_config_load("/nonexistent/kubeconfig", NULL, NULL, NULL, &config), KC_ERR_CONFIG);
    CHECK(config == NULL);
    CHECK(strstr(kc_error_last()->message, "/nonexistent/kubeconfig") != NULL);
    CHECK_STATUS(kc_config_load(kubeconfig, "no-such-context", NULL, NULL, &config), KC_ERR_CONFIG);
    CHECK(strstr(kc_error_last()->message, "no-such-context") != NULL);

    /* Not in a pod: no KUBERNETES_SERVICE_HOST. */
    unsetenv("KUBERNETES_SERVICE_HOST");
    CHECK_STATUS(kc_config_in_cluster(&config), KC_ERR_CONFIG);
    CHECK(config == NULL);
    CHECK_STATUS(kc_config_in_cluster(NULL), KC_ERR_INVALID_ARGUMENT);
}

/* ---- NULL and freed handles ------------------------------------------------------- */

static void test_bad_handles(void) {
    char *out = (char *)1;
    kc_client *client = NULL;
    kc_config *config = NULL;

    CHECK_STATUS(kc_config_load(kubeconfig, NULL, NULL, NULL, NULL), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_client_new(NULL, NULL, &client), KC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(kc_error_last()->message, "NULL") != NULL);
    CHECK(kc_config_host(NULL) == NULL);
    CHECK(kc_error_last()->status == KC_ERR_INVALID_ARGUMENT);
    CHECK(kc_config_namespace(NULL) == NULL);
    CHECK_STATUS(kc_get(NULL, "v1", "configmaps", "default", "x", &out), KC_ERR_INVALID_ARGUMENT);
    CHECK(out == NULL);
    /* The message names the parameter (here the handle's type), not the function (issue 12). */
    CHECK_STR(kc_error_last()->message, "kc_client handle is NULL");

    /* Freed handles are detected, not dereferenced. */
    CHECK_OK(kc_config_load(kubeconfig, NULL, NULL, NULL, &config));
    CHECK_OK(kc_client_new(config, NULL, &client));
    kc_config_free(config);
    CHECK(kc_config_host(config) == NULL);
    CHECK(kc_error_last()->status == KC_ERR_CLOSED);
    CHECK_STATUS(kc_client_new(config, NULL, &client), KC_ERR_CLOSED);
    CHECK(client == NULL);
    CHECK_OK(kc_config_load(kubeconfig, NULL, NULL, NULL, &config));
    CHECK_OK(kc_client_new(config, NULL, &client));
    kc_config_free(config);
    kc_client_free(client);
    CHECK_STATUS(kc_get(client, "v1", "configmaps", "default", "x", &out), KC_ERR_CLOSED);
    CHECK_STATUS(kc_server_version(client, &out), KC_ERR_CLOSED);
    kc_client_free(client);  /* double free is ignored */
    kc_config_free(NULL);
    kc_client_free(NULL);
    kc_watch_free(NULL);
    CHECK_STATUS(kc_watch_stop(NULL), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_watch_wait(NULL, 0), KC_ERR_INVALID_ARGUMENT);
}

static void test_bad_input(kc_client *client) {
    char *out = NULL;
    CHECK_STATUS(kc_get(client, "v1", "configmaps", NS, "x", NULL), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_get(client, NULL, "configmaps", NS, "x", &out), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_get(client, "v1", "", NS, "x", &out), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_get(client, "v1", "configmaps", NS, NULL, &out), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_get(client, "v1", "a/b/c", NS, "x", &out), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_create(client, "v1", "configmaps", NS, "{not json", &out), KC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(kc_error_last()->message, "JSON") != NULL);
    CHECK_STATUS(kc_create(client, "v1", "configmaps", NS, NULL, &out), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_update(client, "v1", "configmaps", NS, "{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\"}", &out),
                 KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_patch(client, "v1", "configmaps", NS, "x", (kc_patch_type)42, "{}", &out),
                 KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_apply(client, "v1", "configmaps", NS, "a: [unclosed", NULL, &out), KC_ERR_DECODE);
    CHECK_STATUS(kc_list(client, "v1", "configmaps/status", NS, NULL, &out), KC_ERR_INVALID_ARGUMENT);
    kc_list_options bad = KC_LIST_OPTIONS_INIT;
    bad.version = 77;
    CHECK_STATUS(kc_list(client, "v1", "configmaps", NS, &bad, &out), KC_ERR_INVALID_ARGUMENT);
    kc_delete_options bad_delete = KC_DELETE_OPTIONS_INIT;
    bad_delete.propagation_policy = "Sideways";
    CHECK_STATUS(kc_delete(client, "v1", "configmaps", NS, "x", &bad_delete, NULL), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_server_resources(client, NULL, &out), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_apply_manifest(client, NULL, NULL, NULL, &out), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_apply_manifest(client, "kind: [", NULL, NULL, &out), KC_ERR_DECODE);
    CHECK(out == NULL);
}

/* ---- dynamic verbs ---------------------------------------------------------------- */

static void test_crud(kc_client *client) {
    char *out = NULL;
    json_t *object;

    /* create */
    CHECK_OK(kc_create(client, "v1", "configmaps", NS, configmap("one", "1"), &out));
    object = take(out);
    CHECK_STR(str_at(object, "metadata", "name"), "one");
    CHECK_STR(str_at(object, "metadata", "namespace"), NS);
    const char *first_rv = str_at(object, "metadata", "resourceVersion");
    CHECK(first_rv != NULL);
    char stale[2048];
    char *stale_text = json_dumps(object, JSON_COMPACT);
    snprintf(stale, sizeof stale, "%s", stale_text);
    free(stale_text);
    json_decref(object);

    /* create again -> already exists */
    out = (char *)1;
    CHECK_STATUS(kc_create(client, "v1", "configmaps", NS, configmap("one", "1"), &out), KC_ERR_ALREADY_EXISTS);
    CHECK(out == NULL);
    CHECK(kc_error_last()->http_code == 409);
    CHECK_STR(kc_error_last()->reason, "AlreadyExists");

    /* get */
    CHECK_OK(kc_get(client, "v1", "configmaps", NS, "one", &out));
    object = take(out);
    CHECK_STR(str_at(object, "data", "key"), "1");

    /* update */
    json_object_set_new(json_object_get(object, "data"), "key", json_string("2"));
    char *text = json_dumps(object, JSON_COMPACT);
    json_decref(object);
    CHECK_OK(kc_update(client, "v1", "configmaps", NS, text, &out));
    free(text);
    object = take(out);
    CHECK_STR(str_at(object, "data", "key"), "2");
    json_decref(object);

    /* update with a stale resourceVersion -> conflict */
    CHECK_STATUS(kc_update(client, "v1", "configmaps", NS, stale, &out), KC_ERR_CONFLICT);
    CHECK(kc_error_last()->http_code == 409);
    CHECK_STR(kc_error_last()->reason, "Conflict");

    /* patches */
    CHECK_OK(kc_patch(client, "v1", "configmaps", NS, "one", KC_PATCH_MERGE, "{\"data\":{\"merged\":\"yes\"}}", &out));
    object = take(out);
    CHECK_STR(str_at(object, "data", "merged"), "yes");
    json_decref(object);
    CHECK_OK(kc_patch(client, "v1", "configmaps", NS, "one", KC_PATCH_JSON,
                      "[{\"op\":\"replace\",\"path\":\"/data/key\",\"value\":\"3\"}]", &out));
    object = take(out);
    CHECK_STR(str_at(object, "data", "key"), "3");
    json_decref(object);
    CHECK_OK(kc_patch(client, "v1", "configmaps", NS, "one", KC_PATCH_STRATEGIC, "{\"data\":{\"smp\":\"1\"}}", &out));
    object = take(out);
    CHECK_STR(str_at(object, "data", "smp"), "1");
    json_decref(object);

    /* server-side apply, YAML body, then a conflicting manager without and with force */
    kc_apply_options apply = KC_APPLY_OPTIONS_INIT;
    apply.field_manager = "c-tests";
    CHECK_OK(kc_apply(client, "v1", "configmaps", NS,
                      "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: applied\ndata:\n  owner: c-tests\n",
                      &apply, &out));
    object = take(out);
    CHECK_STR(str_at(object, "data", "owner"), "c-tests");
    json_decref(object);
    apply.field_manager = "someone-else";
    CHECK_STATUS(kc_apply(client, "v1", "configmaps", NS,
                          "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"applied\"},"
                          "\"data\":{\"owner\":\"else\"}}", &apply, &out), KC_ERR_CONFLICT);
    apply.force = 1;
    CHECK_OK(kc_apply(client, "v1", "configmaps", NS,
                      "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"applied\"},"
                      "\"data\":{\"owner\":\"else\"}}", &apply, &out));
    object = take(out);
    CHECK_STR(str_at(object, "data", "owner"), "else");
    json_decref(object);

    /* YAML bodies are accepted by create/update too; bad YAML is a decode error */
    CHECK_OK(kc_create(client, "v1", "configmaps", NS,
                       "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-yaml\ndata:\n  k: v\n", &out));
    object = take(out);
    CHECK_STR(str_at(object, "data", "k"), "v");
    json_decref(object);
    CHECK_STATUS(kc_create(client, "v1", "configmaps", NS, "kind: [", &out), KC_ERR_DECODE);
    CHECK_OK(kc_delete(client, "v1", "configmaps", NS, "from-yaml", NULL, NULL));

    /* get missing -> not found with HTTP details */
    CHECK_STATUS(kc_get(client, "v1", "configmaps", NS, "missing", &out), KC_ERR_NOT_FOUND);
    CHECK(kc_error_last()->http_code == 404);
    CHECK_STR(kc_error_last()->reason, "NotFound");
    CHECK(strstr(kc_error_last()->message, "missing") != NULL);

    /* delete with options, then again -> not found */
    kc_delete_options del = KC_DELETE_OPTIONS_INIT;
    del.has_grace_period = 1;
    del.grace_period_ms = 0;
    del.propagation_policy = "Background";
    CHECK_OK(kc_delete(client, "v1", "configmaps", NS, "one", &del, &out));
    CHECK(out != NULL);
    json_decref(take(out));
    CHECK_STATUS(kc_delete(client, "v1", "configmaps", NS, "one", NULL, NULL), KC_ERR_NOT_FOUND);
    CHECK_OK(kc_delete(client, "v1", "configmaps", NS, "applied", NULL, NULL));
}

static void test_status_subresource(kc_client *client) {
    char *out = NULL;
    const char *deployment =
        "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"web\"},"
        "\"spec\":{\"replicas\":2,\"selector\":{\"matchLabels\":{\"app\":\"web\"}},"
        "\"template\":{\"metadata\":{\"labels\":{\"app\":\"web\"}},"
        "\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"nginx:1.14\"}]}}}}";
    CHECK_OK(kc_create(client, "apps/v1", "deployments", NS, deployment, &out));
    json_t *object = take(out);
    json_t *status = json_pack("{s:i,s:i}", "replicas", 2, "readyReplicas", 2);
    json_object_set_new(object, "status", status);
    char *text = json_dumps(object, JSON_COMPACT);
    json_decref(object);
    CHECK_OK(kc_update_status(client, "apps/v1", "deployments", NS, text, &out));
    free(text);
    object = take(out);
    CHECK(json_integer_value(json_object_get(json_object_get(object, "status"), "readyReplicas")) == 2);
    json_decref(object);
    /* a subresource through the resource name */
    CHECK_OK(kc_get(client, "apps/v1", "deployments/status", NS, "web", &out));
    object = take(out);
    CHECK_STR(str_at(object, "metadata", "name"), "web");
    json_decref(object);
    CHECK_OK(kc_delete(client, "apps/v1", "deployments", NS, "web", NULL, NULL));
}

static void test_list(kc_client *client) {
    char *out = NULL;
    char name[32];
    for (int i = 0; i < 5; i++) {
        snprintf(name, sizeof name, "item-%d", i);
        CHECK_OK(kc_create(client, "v1", "configmaps", NS, configmap(name, "x"), &out));
        kc_free(out);
    }
    CHECK_OK(kc_list(client, "v1", "configmaps", NS, NULL, &out));
    json_t *list = take(out);
    CHECK(json_array_size(json_object_get(list, "items")) == 5);
    CHECK_STR(str_at(list, "kind", NULL), "ConfigMapList");
    json_decref(list);

    kc_list_options options = KC_LIST_OPTIONS_INIT;
    options.limit = 2;
    CHECK_OK(kc_list(client, "v1", "configmaps", NS, &options, &out));
    list = take(out);
    CHECK(json_array_size(json_object_get(list, "items")) == 2);
    const char *token = str_at(list, "metadata", "continue");
    CHECK(token != NULL && token[0] != '\0');
    char saved[1024] = "";
    if (token) snprintf(saved, sizeof saved, "%s", token);
    json_decref(list);
    options.continue_token = saved;
    CHECK_OK(kc_list(client, "v1", "configmaps", NS, &options, &out));
    list = take(out);
    CHECK(json_array_size(json_object_get(list, "items")) == 2);
    json_decref(list);

    kc_list_options all = KC_LIST_OPTIONS_INIT;
    all.limit = 2;  /* page size */
    CHECK_OK(kc_list_all(client, "v1", "configmaps", NS, &all, &out));
    list = take(out);
    CHECK(json_array_size(json_object_get(list, "items")) == 5);
    CHECK(str_at(list, "metadata", "resourceVersion") != NULL);
    json_decref(list);

    kc_list_options selected = KC_LIST_OPTIONS_INIT;
    selected.field_selector = "metadata.name=item-3";
    CHECK_OK(kc_list(client, "v1", "configmaps", NS, &selected, &out));
    list = take(out);
    CHECK(json_array_size(json_object_get(list, "items")) == 1);
    json_decref(list);

    /* all namespaces: NULL namespace */
    CHECK_OK(kc_list_all(client, "v1", "configmaps", NULL, NULL, &out));
    list = take(out);
    CHECK(json_array_size(json_object_get(list, "items")) >= 5);
    json_decref(list);

    /* delete_collection by label */
    kc_list_options by_label = KC_LIST_OPTIONS_INIT;
    by_label.label_selector = "suite=c";
    CHECK_OK(kc_delete_collection(client, "v1", "configmaps", NS, &by_label, NULL, NULL));
    CHECK_OK(kc_list(client, "v1", "configmaps", NS, &by_label, &out));
    list = take(out);
    CHECK(json_array_size(json_object_get(list, "items")) == 0);
    json_decref(list);
    CHECK_OK(kc_delete_collection(client, "v1", "configmaps", NS, NULL, NULL, &out));
    kc_free(out);
}

/* ---- watch ------------------------------------------------------------------------ */

typedef struct {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    int events;
    int added;
    int done;
    kc_status done_status;
    int stop_after;        /* call kc_watch_stop from the callback after this many events */
    int free_after;        /* call kc_watch_free from the callback after this many events */
    kc_watch *watch;
    char last_name[64];
} watch_state;

static void state_init(watch_state *state) {
    memset(state, 0, sizeof *state);
    pthread_mutex_init(&state->lock, NULL);
    pthread_cond_init(&state->changed, NULL);
}

static void state_destroy(watch_state *state) {
    pthread_mutex_destroy(&state->lock);
    pthread_cond_destroy(&state->changed);
}

static void on_event(kc_event_type type, const char *object, size_t len, void *user_data) {
    watch_state *state = user_data;
    json_error_t error;
    json_t *value = json_loadb(object, len, 0, &error);
    pthread_mutex_lock(&state->lock);
    state->events++;
    if (type == KC_EVENT_ADDED) state->added++;
    if (value) snprintf(state->last_name, sizeof state->last_name, "%s", str_at(value, "metadata", "name") ? str_at(value, "metadata", "name") : "");
    int events = state->events;
    pthread_cond_broadcast(&state->changed);
    int acts = (state->stop_after && events == state->stop_after) || (state->free_after && events == state->free_after);
    /* The handle reaches the test only when kc_watch_start returns, which may be after the
     * first events: wait for it before acting on it. */
    while (acts && state->watch == NULL) pthread_cond_wait(&state->changed, &state->lock);
    kc_watch *watch = state->watch;
    pthread_mutex_unlock(&state->lock);
    json_decref(value);
    if (state->stop_after && events == state->stop_after) {
        /* From inside the callback: must only request the stop, never deadlock. */
        if (kc_watch_stop(watch) != KC_OK) kc_test_failures++;
        if (kc_watch_wait(watch, 0) != KC_ERR_INVALID_ARGUMENT) kc_test_failures++;
    }
    if (state->free_after && events == state->free_after) kc_watch_free(watch);
}

static void publish_watch(watch_state *state, kc_watch *watch) {
    pthread_mutex_lock(&state->lock);
    state->watch = watch;
    pthread_cond_broadcast(&state->changed);
    pthread_mutex_unlock(&state->lock);
}

static void on_done(kc_status status, const kc_error *error, void *user_data) {
    watch_state *state = user_data;
    if (error == NULL) kc_test_failures++;
    pthread_mutex_lock(&state->lock);
    state->done++;
    state->done_status = status;
    pthread_cond_broadcast(&state->changed);
    pthread_mutex_unlock(&state->lock);
}

/* Waits (at most 10 s) until the state has `events` events or is done. */
static int await_events(watch_state *state, int events) {
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 10;
    pthread_mutex_lock(&state->lock);
    while (state->events < events && !state->done) {
        if (pthread_cond_timedwait(&state->changed, &state->lock, &deadline) != 0) break;
    }
    int reached = state->events >= events;
    pthread_mutex_unlock(&state->lock);
    return reached;
}

static int await_done(watch_state *state) {
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 10;
    pthread_mutex_lock(&state->lock);
    while (!state->done) {
        if (pthread_cond_timedwait(&state->changed, &state->lock, &deadline) != 0) break;
    }
    int done = state->done;
    pthread_mutex_unlock(&state->lock);
    return done;
}

static void test_watch(kc_client *client) {
    char *out = NULL;
    kc_watch_handlers handlers = KC_WATCH_HANDLERS_INIT;
    handlers.on_event = on_event;
    handlers.on_done = on_done;

    /* 1: events arrive; stop from another thread joins; wait reports KC_OK. */
    watch_state state;
    state_init(&state);
    kc_watch *watch = NULL;
    CHECK_OK(kc_watch_start(client, "v1", "configmaps", NS, NULL, &handlers, &state, &watch));
    publish_watch(&state, watch);
    CHECK_OK(kc_create(client, "v1", "configmaps", NS, configmap("watched", "1"), &out));
    kc_free(out);
    CHECK(await_events(&state, 1));
    CHECK_STR(state.last_name, "watched");
    CHECK_STATUS(kc_watch_wait(watch, 50), KC_ERR_TIMEOUT);
    CHECK_OK(kc_watch_stop(watch));
    CHECK(state.done == 1);  /* stop joined: on_done already ran */
    CHECK_OK(kc_watch_wait(watch, -1));
    CHECK(state.done_status == KC_OK);
    CHECK_OK(kc_watch_stop(watch));  /* idempotent */
    kc_watch_free(watch);
    CHECK_STATUS(kc_watch_stop(watch), KC_ERR_CLOSED);
    state_destroy(&state);

    /* 2: stop from inside the callback after the second event (replayed from rv "0"). */
    CHECK_OK(kc_create(client, "v1", "configmaps", NS, configmap("watched-2", "1"), &out));
    kc_free(out);
    state_init(&state);
    state.stop_after = 2;
    kc_list_options from_start = KC_LIST_OPTIONS_INIT;
    from_start.resource_version = "0";
    CHECK_OK(kc_watch_start(client, "v1", "configmaps", NS, &from_start, &handlers, &state, &watch));
    publish_watch(&state, watch);
    CHECK(await_done(&state));
    CHECK(state.events == 2);
    CHECK(state.done_status == KC_OK);
    CHECK_OK(kc_watch_wait(watch, 5000));
    kc_watch_free(watch);
    state_destroy(&state);

    /* 3: free from inside the callback; the thread cleans up after itself. */
    state_init(&state);
    state.free_after = 1;
    CHECK_OK(kc_watch_start(client, "v1", "configmaps", NS, &from_start, &handlers, &state, &watch));
    publish_watch(&state, watch);
    CHECK(await_done(&state));
    CHECK(state.done_status == KC_OK);
    struct timespec pause = {0, 100 * 1000 * 1000};
    nanosleep(&pause, NULL);  /* let the detached thread exit (no thread left behind for valgrind) */
    state_destroy(&state);

    /* 4: the server ends the stream (timeout_ms, sent as timeoutSeconds). */
    state_init(&state);
    kc_list_options short_watch = KC_LIST_OPTIONS_INIT;
    short_watch.timeout_ms = 1000;
    CHECK_OK(kc_watch_start(client, "v1", "secrets", NS, &short_watch, &handlers, &state, &watch));
    CHECK_OK(kc_watch_wait(watch, 10000));
    CHECK(state.done == 1 && state.done_status == KC_OK);
    kc_watch_free(watch);
    state_destroy(&state);

    /* 5: a failing watch (unknown resource) reports through on_done and wait. */
    state_init(&state);
    CHECK_OK(kc_watch_start(client, "v1", "no-such-things", NS, NULL, &handlers, &state, &watch));
    CHECK_STATUS(kc_watch_wait(watch, 10000), KC_ERR_NOT_FOUND);
    CHECK(kc_error_last()->http_code == 404);
    CHECK(state.done_status == KC_ERR_NOT_FOUND);
    kc_watch_free(watch);
    state_destroy(&state);

    /* 6: handlers without callbacks, and kc_client_free stopping a running watch. */
    kc_client *other = new_client(NULL);
    kc_watch_handlers none = KC_WATCH_HANDLERS_INIT;
    CHECK_OK(kc_watch_start(other, "v1", "configmaps", NS, NULL, &none, NULL, &watch));
    kc_client_free(other);
    CHECK_OK(kc_watch_wait(watch, 5000));
    kc_watch_free(watch);

    /* bad arguments */
    CHECK_STATUS(kc_watch_start(client, "v1", "configmaps", NS, NULL, NULL, NULL, &watch), KC_ERR_INVALID_ARGUMENT);
    CHECK(watch == NULL);
    CHECK_STATUS(kc_watch_start(client, "v1", "configmaps", NS, NULL, &handlers, NULL, NULL), KC_ERR_INVALID_ARGUMENT);
    CHECK_OK(kc_delete_collection(client, "v1", "configmaps", NS, NULL, NULL, NULL));
}

/* ---- discovery, manifests, raw ---------------------------------------------------- */

static void test_discovery(kc_client *client) {
    char *out = NULL;
    CHECK_OK(kc_server_version(client, &out));
    json_t *value = take(out);
    CHECK(str_at(value, "gitVersion", NULL) != NULL);
    json_decref(value);

    CHECK_OK(kc_server_groups(client, &out));
    value = take(out);
    json_t *groups = json_object_get(value, "groups");
    int saw_apps = 0;
    for (size_t i = 0; i < json_array_size(groups); i++) {
        if (strcmp(json_string_value(json_object_get(json_array_get(groups, i), "name")), "apps") == 0) saw_apps = 1;
    }
    CHECK(saw_apps);
    json_decref(value);

    CHECK_OK(kc_server_resources(client, "apps/v1", &out));
    value = take(out);
    CHECK_STR(str_at(value, "groupVersion", NULL), "apps/v1");
    json_t *resources = json_object_get(value, "resources");
    int saw_deployments = 0;
    for (size_t i = 0; i < json_array_size(resources); i++) {
        json_t *resource = json_array_get(resources, i);
        if (strcmp(json_string_value(json_object_get(resource, "name")), "deployments") == 0) {
            saw_deployments = 1;
            CHECK(json_is_true(json_object_get(resource, "namespaced")));
            CHECK_STR(str_at(resource, "kind", NULL), "Deployment");
        }
    }
    CHECK(saw_deployments);
    json_decref(value);

    CHECK_OK(kc_server_preferred_resources(client, &out));
    value = take(out);
    CHECK(json_is_array(value) && json_array_size(value) > 3);
    json_decref(value);

    CHECK_OK(kc_discovery_invalidate(client));
    CHECK_STATUS(kc_server_resources(client, "nope.example.com/v9", &out), KC_ERR_NOT_FOUND);
}

static void test_manifest(kc_client *client) {
    char *out = NULL;
    const char *manifest =
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: from-manifest\ndata:\n  a: \"1\"\n"
        "---\n"
        "apiVersion: v1\nkind: List\nitems:\n"
        "- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: from-list\n";
    CHECK_OK(kc_apply_manifest(client, manifest, NS, NULL, &out));
    json_t *applied = take(out);
    CHECK(json_array_size(applied) == 2);
    CHECK_STR(str_at(json_array_get(applied, 0), "metadata", "namespace"), NS);
    CHECK_STR(str_at(json_array_get(applied, 1), "metadata", "name"), "from-list");
    json_decref(applied);
    CHECK_STATUS(kc_apply_manifest(client, "apiVersion: example.com/v1\nkind: Gizmo\nmetadata:\n  name: g\n", NS, NULL, &out),
                 KC_ERR_NOT_FOUND);
    CHECK_OK(kc_delete_collection(client, "v1", "configmaps", NS, NULL, NULL, NULL));
}

static void test_raw(kc_client *client) {
    int code = 0;
    char *body = NULL;
    size_t length = 0;
    CHECK_OK(kc_request(client, "GET", "/version", NULL, 0, NULL, &code, &body, &length));
    CHECK(code == 200);
    CHECK(length == strlen(body));
    json_decref(take(body));

    CHECK_OK(kc_request(client, "GET", "/api/v1/namespaces/does-not-exist", NULL, 0, NULL, &code, &body, NULL));
    CHECK(code == 404);
    json_t *status = take(body);
    CHECK_STR(str_at(status, "reason", NULL), "NotFound");
    json_decref(status);

    const char *cm = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"raw\"}}";
    char path[128];
    snprintf(path, sizeof path, "/api/v1/namespaces/%s/configmaps", NS);
    CHECK_OK(kc_request(client, "POST", path, cm, strlen(cm), "application/json", &code, &body, &length));
    CHECK(code == 201);
    kc_free(body);
    CHECK_STATUS(kc_request(client, "GET", "no-slash", NULL, 0, NULL, &code, &body, &length), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_request(client, "GET", "/version", NULL, 0, NULL, NULL, &body, &length), KC_ERR_INVALID_ARGUMENT);
    CHECK_OK(kc_delete(client, "v1", "configmaps", NS, "raw", NULL, NULL));
}

/* ---- errors from the transport and the server's auth ------------------------------ */

static void test_errors(void) {
    char *out = NULL;
    kc_config *config = NULL;
    kc_client *client = NULL;

    /* Nothing listens on port 9 of loopback: a transport error, not a hang. */
    CHECK_OK(kc_config_load(kubeconfig, NULL, "https://127.0.0.1:9", NULL, &config));
    kc_client_options options = KC_CLIENT_OPTIONS_INIT;
    options.timeout_ms = 5000;
    options.user_agent = "kc-ctest/1.0";
    options.qps = -1;
    CHECK_OK(kc_client_new(config, &options, &client));
    kc_config_free(config);
    CHECK_STATUS(kc_get(client, "v1", "namespaces", NULL, "default", &out), KC_ERR_TRANSPORT);
    CHECK(kc_error_last()->http_code == 0);
    CHECK(strlen(kc_error_last()->message) > 0);
    kc_client_free(client);

    /* The read-only identity may read but not write. */
    client = new_client("read-only");
    CHECK_OK(kc_get(client, "v1", "namespaces", NULL, "default", &out));
    kc_free(out);
    CHECK_STATUS(kc_create(client, "v1", "configmaps", "default", configmap("nope", "1"), &out), KC_ERR_FORBIDDEN);
    CHECK(kc_error_last()->http_code == 403);
    CHECK_STR(kc_error_last()->reason, "Forbidden");
    kc_client_free(client);

    kc_client_options bad = KC_CLIENT_OPTIONS_INIT;
    bad.version = 0;
    CHECK_OK(kc_config_load(kubeconfig, NULL, NULL, NULL, &config));
    CHECK_STATUS(kc_client_new(config, &bad, &client), KC_ERR_INVALID_ARGUMENT);
    kc_config_free(config);
}

/* Errors are per thread: a failure on another thread does not change ours. */
static void *fail_on_other_thread(void *arg) {
    kc_client *client = arg;
    char *out = NULL;
    kc_get(client, "v1", "namespaces", NULL, "nope-thread", &out);
    return (void *)(intptr_t)kc_error_last()->status;
}

static void test_thread_local_errors(kc_client *client) {
    char *out = NULL;
    CHECK_OK(kc_get(client, "v1", "namespaces", NULL, "default", &out));
    kc_free(out);
    pthread_t thread;
    void *result = NULL;
    pthread_create(&thread, NULL, fail_on_other_thread, client);
    pthread_join(thread, &result);
    CHECK((kc_status)(intptr_t)result == KC_ERR_NOT_FOUND);
    CHECK(kc_error_last()->status == KC_OK);
}

int main(void) {
    kubeconfig = getenv("KC_TEST_KUBECONFIG");
    if (!kubeconfig) {
        fprintf(stderr, "KC_TEST_KUBECONFIG is not set (run Tests/c/run.sh)\n");
        return 2;
    }
    struct { const char *name; void (*plain)(void); void (*with_client)(kc_client *); } tests[] = {
        {"library basics", test_library_basics, NULL},
        {"options init", test_options_init, NULL},
        {"config", test_config, NULL},
        {"bad handles", test_bad_handles, NULL},
        {"bad input", NULL, test_bad_input},
        {"crud", NULL, test_crud},
        {"status subresource", NULL, test_status_subresource},
        {"list", NULL, test_list},
        {"watch", NULL, test_watch},
        {"discovery", NULL, test_discovery},
        {"manifest", NULL, test_manifest},
        {"raw request", NULL, test_raw},
        {"errors", test_errors, NULL},
        {"thread-local errors", NULL, test_thread_local_errors},
    };
    kc_client *client = new_client(NULL);
    char *out = NULL;
    char ns[256];
    snprintf(ns, sizeof ns, "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"%s\"}}", NS);
    kc_status created = kc_create(client, "v1", "namespaces", NULL, ns, &out);
    CHECK(created == KC_OK || created == KC_ERR_ALREADY_EXISTS);  /* a rerun against the same server */
    kc_free(out);
    for (size_t i = 0; i < sizeof tests / sizeof tests[0]; i++) {
        int before = kc_test_failures;
        if (tests[i].plain) tests[i].plain(); else tests[i].with_client(client);
        printf("%s %s\n", kc_test_failures == before ? "ok  " : "FAIL", tests[i].name);
    }
    kc_client_free(client);
    printf("%s: %d failure(s)\n", kc_test_failures ? "FAILED" : "PASSED", kc_test_failures);
    return kc_test_failures ? 1 : 0;
}
