/* Seed walkthrough: a node informer. Prints "add a node: NAME" for every node (the initial
 * list, then new ones), waits for the cache to sync, and lists all nodes from the cache.
 * Usage: node_informer [--kubeconfig PATH] [--master URL] [--context NAME] [seconds]
 *        (keeps watching that long; default 0) */
#define _POSIX_C_SOURCE 200809L
#include <kubeclient.h>
#include "example_args.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static int fail(const char *what) {
    fprintf(stderr, "error: %s: %s\n", what, kc_error_last()->message);
    return 1;
}

/* Runs on the registration's library thread; `object` is borrowed JSON (not NUL-terminated). */
static void on_add(const char *object, size_t len, int is_initial_list, void *user_data) {
    (void)is_initial_list;
    (void)user_data;
    json_t *node = json_loadb(object, len, 0, NULL);
    printf("add a node: %s\n", json_string_value(json_object_get(json_object_get(node, "metadata"), "name")));
    fflush(stdout);
    json_decref(node);
}

int main(int argc, char **argv) {
    example_args args;
    example_args_parse(argc, argv, "[seconds]", NULL, &args);
    int seconds = atoi(example_arg(&args, 0, "0"));
    kc_config *config = NULL;
    kc_client *client = NULL;
    kc_informer_factory *factory = NULL;
    kc_informer *nodes = NULL;
    kc_informer_registration *registration = NULL;
    if (example_config_load(&args, NULL, &config) != KC_OK) return fail("loading the kubeconfig");
    kc_status status = kc_client_new(config, NULL, &client);
    kc_config_free(config);
    if (status != KC_OK) return fail("creating the client");

    if (kc_informer_factory_new(client, NULL, &factory) != KC_OK) return fail("creating the informer factory");
    if (kc_informer_factory_informer(factory, "v1", "nodes", NULL, NULL, &nodes) != KC_OK) return fail("creating the node informer");
    kc_informer_handlers handlers = KC_INFORMER_HANDLERS_INIT;
    handlers.on_add = on_add;
    if (kc_informer_add_handlers(nodes, &handlers, NULL, &registration) != KC_OK) return fail("adding the handler");
    if (kc_informer_factory_start(factory) != KC_OK) return fail("starting the informers");
    if (kc_informer_factory_wait_for_sync(factory, 30000) != KC_OK) return fail("waiting for the cache to sync");

    char *text = NULL;
    if (kc_informer_list(nodes, NULL, NULL, &text) != KC_OK) return fail("listing nodes from the cache");
    json_t *list = json_loads(text, 0, NULL);
    kc_free(text);
    printf("%zu node(s) in the cache:\n", json_array_size(list));
    size_t i;
    json_t *node;
    json_array_foreach(list, i, node) {
        printf("  %s\n", json_string_value(json_object_get(json_object_get(node, "metadata"), "name")));
    }
    json_decref(list);

    struct timespec pause = { seconds, 0 };
    nanosleep(&pause, NULL);

    kc_informer_registration_free(registration);
    kc_informer_factory_free(factory);   /* stops the informer and joins its threads */
    kc_client_free(client);
    return 0;
}
