/* Seed walkthrough (a): nodes, namespaces, services and deployments of the cluster.
 * Usage: resources_list [--kubeconfig PATH] [--master URL] [--context NAME]
 *        (kubeconfig: the flag, else $KUBECONFIG, else ~/.kube/config) */
#include <kubeclient.h>
#include "example_args.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

static int fail(const char *what) {
    fprintf(stderr, "error: %s: %s\n", what, kc_error_last()->message);
    return 1;
}

/* Lists a resource in all namespaces; the caller owns the parsed list. */
static json_t *list(kc_client *client, const char *api_version, const char *resource) {
    char *text = NULL;
    if (kc_list(client, api_version, resource, NULL, NULL, &text) != KC_OK) return NULL;
    json_t *value = json_loads(text, 0, NULL);
    kc_free(text);
    return value;
}

static const char *str(json_t *object, const char *path0, const char *path1) {
    json_t *value = json_object_get(object, path0);
    if (path1) value = json_object_get(value, path1);
    return json_is_string(value) ? json_string_value(value) : "";
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

    size_t i;
    json_t *item, *items = list(client, "v1", "nodes");
    if (!items) return fail("listing nodes");
    printf("NODES\n");
    json_array_foreach(json_object_get(items, "items"), i, item) {
        json_t *s = json_object_get(item, "status");
        json_t *info = json_object_get(s, "nodeInfo");
        printf("  %-14s cpu=%-4s %s | %s | kernel %s | kubelet %s | %s\n", str(item, "metadata", "name"),
               str(s, "capacity", "cpu"), str(info, "osImage", NULL), str(info, "architecture", NULL),
               str(info, "kernelVersion", NULL), str(info, "kubeletVersion", NULL),
               str(info, "containerRuntimeVersion", NULL));
    }
    json_decref(items);

    if (!(items = list(client, "v1", "namespaces"))) return fail("listing namespaces");
    printf("NAMESPACES\n");
    json_array_foreach(json_object_get(items, "items"), i, item) {
        printf("  %-18s created %s  %s\n", str(item, "metadata", "name"), str(item, "metadata", "creationTimestamp"),
               str(item, "status", "phase"));
    }
    json_decref(items);

    if (!(items = list(client, "v1", "services"))) return fail("listing services");
    printf("SERVICES (all namespaces)\n");
    json_array_foreach(json_object_get(items, "items"), i, item) {
        json_t *spec = json_object_get(item, "spec");
        printf("  %-14s %-12s %-14s ", str(item, "metadata", "name"), str(item, "metadata", "namespace"),
               str(spec, "clusterIP", NULL));
        size_t p;
        json_t *port;
        json_array_foreach(json_object_get(spec, "ports"), p, port) {
            const char *protocol = str(port, "protocol", NULL);
            printf("%s%lld/%s", p ? "," : "", json_integer_value(json_object_get(port, "port")),
                   protocol[0] ? protocol : "TCP");
        }
        printf("\n");
    }
    json_decref(items);

    if (!(items = list(client, "apps/v1", "deployments"))) return fail("listing deployments");
    printf("DEPLOYMENTS (all namespaces)\n");
    json_array_foreach(json_object_get(items, "items"), i, item) {
        json_t *desired = json_object_get(json_object_get(item, "spec"), "replicas");
        printf("  %-14s %-12s desired=%lld current=%lld\n", str(item, "metadata", "name"),
               str(item, "metadata", "namespace"), desired ? json_integer_value(desired) : 1,
               json_integer_value(json_object_get(json_object_get(item, "status"), "replicas")));
    }
    json_decref(items);
    kc_client_free(client);
    return 0;
}
