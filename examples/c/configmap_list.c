/* Seed walkthrough (c): the configmaps of a namespace with their data.
 * Usage: configmap_list [--kubeconfig PATH] [--master URL] [--context NAME] [namespace]
 *        (default namespace: the kubeconfig's) */
#include <kubeclient.h>
#include "example_args.h"
#include <jansson.h>
#include <stdio.h>

static int fail(const char *what) {
    fprintf(stderr, "error: %s: %s\n", what, kc_error_last()->message);
    return 1;
}

int main(int argc, char **argv) {
    example_args args;
    example_args_parse(argc, argv, "[namespace]", NULL, &args);
    kc_config *config = NULL;
    kc_client *client = NULL;
    if (example_config_load(&args, example_arg(&args, 0, NULL), &config) != KC_OK) return fail("loading the kubeconfig");
    char namespace_name[256];
    snprintf(namespace_name, sizeof namespace_name, "%s", kc_config_namespace(config));
    kc_status status = kc_client_new(config, NULL, &client);
    kc_config_free(config);
    if (status != KC_OK) return fail("creating the client");

    char *text = NULL;
    if (kc_list(client, "v1", "configmaps", namespace_name, NULL, &text) != KC_OK) return fail("listing configmaps");
    json_t *list = json_loads(text, 0, NULL);
    kc_free(text);
    json_t *items = json_object_get(list, "items");
    printf("%zu configmap(s) in %s\n", json_array_size(items), namespace_name);
    size_t i;
    json_t *configmap;
    json_array_foreach(items, i, configmap) {
        printf("%s\n", json_string_value(json_object_get(json_object_get(configmap, "metadata"), "name")));
        const char *key;
        json_t *value;
        json_object_foreach(json_object_get(configmap, "data"), key, value) {
            printf("  %s: %s\n", key, json_string_value(value));
        }
    }
    json_decref(list);
    kc_client_free(client);
    return 0;
}
