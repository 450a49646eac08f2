/* Seed walkthrough: a configmap watcher on an informer. Prints add/update/delete for the
 * configmaps of a namespace while the demo creates, updates and deletes one of its own.
 * Usage: configmap_informer [--kubeconfig PATH] [--master URL] [--context NAME] [namespace]
 *        (default namespace: the kubeconfig's) */
#define _POSIX_C_SOURCE 200809L
#include <kubeclient.h>
#include "example_args.h"
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

static int fail(const char *what) {
    fprintf(stderr, "error: %s: %s\n", what, kc_error_last()->message);
    return 1;
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t demo_deleted = PTHREAD_COND_INITIALIZER;
static int done = 0;

static void print_event(const char *what, const char *object, size_t len, const char *note) {
    json_t *configmap = json_loadb(object, len, 0, NULL);
    json_t *metadata = json_object_get(configmap, "metadata");
    const char *name = json_string_value(json_object_get(metadata, "name"));
    char *data = json_dumps(json_object_get(configmap, "data"), JSON_COMPACT | JSON_SORT_KEYS);
    printf("%-6s %s rv=%s data=%s%s\n", what, name, json_string_value(json_object_get(metadata, "resourceVersion")),
           data ? data : "{}", note);
    fflush(stdout);
    if (strcmp(what, "delete") == 0 && strcmp(name, "informer-demo") == 0) {
        pthread_mutex_lock(&lock);
        done = 1;
        pthread_cond_signal(&demo_deleted);
        pthread_mutex_unlock(&lock);
    }
    free(data);
    json_decref(configmap);
}

/* Callbacks run on the registration's library thread, one at a time, in order per object. */
static void on_add(const char *object, size_t len, int is_initial_list, void *user_data) {
    (void)user_data;
    print_event("add", object, len, is_initial_list ? " (initial list)" : "");
}

static void on_update(const char *old_object, size_t old_len, const char *new_object, size_t new_len, void *user_data) {
    (void)old_object; (void)old_len; (void)user_data;
    print_event("update", new_object, new_len, "");
}

static void on_delete(const char *object, size_t len, int final_state_unknown, void *user_data) {
    (void)user_data;
    print_event("delete", object, len, final_state_unknown ? " (final state unknown)" : "");
}

int main(int argc, char **argv) {
    example_args args;
    example_args_parse(argc, argv, "[namespace]", NULL, &args);
    kc_config *config = NULL;
    kc_client *client = NULL;
    kc_informer_factory *factory = NULL;
    kc_informer *configmaps = NULL;
    kc_informer_registration *registration = NULL;
    char *out = NULL;
    if (example_config_load(&args, example_arg(&args, 0, NULL), &config) != KC_OK) return fail("loading the kubeconfig");
    char namespace_name[256];
    snprintf(namespace_name, sizeof namespace_name, "%s", kc_config_namespace(config));
    kc_status status = kc_client_new(config, NULL, &client);
    kc_config_free(config);
    if (status != KC_OK) return fail("creating the client");

    if (kc_informer_factory_new(client, NULL, &factory) != KC_OK) return fail("creating the informer factory");
    if (kc_informer_factory_informer(factory, "v1", "configmaps", namespace_name, NULL, &configmaps) != KC_OK)
        return fail("creating the configmap informer");
    kc_informer_handlers handlers = KC_INFORMER_HANDLERS_INIT;
    handlers.on_add = on_add;
    handlers.on_update = on_update;
    handlers.on_delete = on_delete;
    if (kc_informer_add_handlers(configmaps, &handlers, NULL, &registration) != KC_OK) return fail("adding the handlers");
    if (kc_informer_factory_start(factory) != KC_OK) return fail("starting the informer");
    if (kc_informer_factory_wait_for_sync(factory, 30000) != KC_OK) return fail("waiting for the cache to sync");

    /* The demo: create, update and delete a configmap; the handlers report each change. */
    const char *demo = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"informer-demo\"},"
                       "\"data\":{\"step\":\"created\"}}";
    if (kc_create(client, "v1", "configmaps", namespace_name, demo, &out) != KC_OK) return fail("creating informer-demo");
    kc_free(out);
    if (kc_patch(client, "v1", "configmaps", namespace_name, "informer-demo", KC_PATCH_MERGE,
                 "{\"data\":{\"step\":\"updated\"}}", &out) != KC_OK) return fail("updating informer-demo");
    kc_free(out);
    if (kc_delete(client, "v1", "configmaps", namespace_name, "informer-demo", NULL, NULL) != KC_OK)
        return fail("deleting informer-demo");

    pthread_mutex_lock(&lock);
    while (!done) pthread_cond_wait(&demo_deleted, &lock);
    pthread_mutex_unlock(&lock);

    kc_informer_registration_free(registration);
    kc_informer_factory_free(factory);
    kc_client_free(client);
    return 0;
}
