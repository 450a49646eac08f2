/* Seed walkthrough (e): the server's preferred resources, as `kubectl api-resources` prints them.
 * Usage: api_resources_list [--kubeconfig PATH] [--master URL] [--context NAME] */
#include <kubeclient.h>
#include "example_args.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>

static int fail(const char *what) {
    fprintf(stderr, "error: %s: %s\n", what, kc_error_last()->message);
    return 1;
}

int main(int argc, char **argv) {
    example_args args;
    example_args_parse(argc, argv, "", NULL, &args);
    kc_config *config = NULL;
    kc_client *client = NULL;
    if (example_config_load(&args, NULL, &config) != KC_OK) return fail("loading the kubeconfig");
    kc_status status = kc_client_new(config, NULL, &client);
    kc_config_free(config);
    if (status != KC_OK) return fail("creating the client");

    char *text = NULL;
    if (kc_server_preferred_resources(client, &text) != KC_OK) return fail("discovering resources");
    json_t *lists = json_loads(text, 0, NULL);
    kc_free(text);
    printf("%-34s %-12s %-32s %-11s %s\n", "NAME", "SHORTNAMES", "APIVERSION", "NAMESPACED", "KIND");
    size_t i, j, k;
    json_t *list, *resource, *short_name;
    json_array_foreach(lists, i, list) {
        const char *group_version = json_string_value(json_object_get(list, "groupVersion"));
        json_array_foreach(json_object_get(list, "resources"), j, resource) {
            char shorts[128] = "";
            json_array_foreach(json_object_get(resource, "shortNames"), k, short_name) {
                if (k) strncat(shorts, ",", sizeof shorts - strlen(shorts) - 1);
                strncat(shorts, json_string_value(short_name), sizeof shorts - strlen(shorts) - 1);
            }
            printf("%-34s %-12s %-32s %-11s %s\n", json_string_value(json_object_get(resource, "name")), shorts,
                   group_version, json_is_true(json_object_get(resource, "namespaced")) ? "true" : "false",
                   json_string_value(json_object_get(resource, "kind")));
        }
    }
    json_decref(lists);
    kc_client_free(client);
    return 0;
}
