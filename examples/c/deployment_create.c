/* Seed walkthrough (d): create a Deployment from an embedded YAML template with the dynamic client.
 * Usage: deployment_create [--kubeconfig PATH] [--master URL] [--context NAME] [name] [namespace] */
#include <kubeclient.h>
#include "example_args.h"
#include <jansson.h>
#include <stdio.h>

static const char TEMPLATE[] =
    "apiVersion: apps/v1\n"
    "kind: Deployment\n"
    "metadata:\n"
    "  name: %s\n"
    "  labels:\n"
    "    app: %s\n"
    "spec:\n"
    "  replicas: %d\n"
    "  selector:\n"
    "    matchLabels:\n"
    "      app: %s\n"
    "  template:\n"
    "    metadata:\n"
    "      labels:\n"
    "        app: %s\n"
    "    spec:\n"
    "      containers:\n"
    "      - name: web\n"
    "        image: %s\n"
    "        ports:\n"
    "        - containerPort: 80\n";

static int fail(const char *what) {
    fprintf(stderr, "error: %s: %s\n", what, kc_error_last()->message);
    return 1;
}

int main(int argc, char **argv) {
    example_args args;
    example_args_parse(argc, argv, "[name] [namespace]", NULL, &args);
    const char *name = example_arg(&args, 0, "web-from-template-c");
    kc_config *config = NULL;
    kc_client *client = NULL;
    if (example_config_load(&args, example_arg(&args, 1, NULL), &config) != KC_OK) return fail("loading the kubeconfig");
    char namespace_name[256];
    snprintf(namespace_name, sizeof namespace_name, "%s", kc_config_namespace(config));
    kc_status status = kc_client_new(config, NULL, &client);
    kc_config_free(config);
    if (status != KC_OK) return fail("creating the client");

    char manifest[2048];
    snprintf(manifest, sizeof manifest, TEMPLATE, name, name, 2, name, name, "nginx:1.27");
    char *out = NULL;
    if (kc_create(client, "apps/v1", "deployments", namespace_name, manifest, &out) != KC_OK) return fail("creating the deployment");
    json_t *created = json_loads(out, 0, NULL);
    kc_free(out);
    json_t *metadata = json_object_get(created, "metadata");
    printf("created deployment %s in %s (uid %s, replicas %lld)\n", json_string_value(json_object_get(metadata, "name")),
           json_string_value(json_object_get(metadata, "namespace")), json_string_value(json_object_get(metadata, "uid")),
           json_integer_value(json_object_get(json_object_get(created, "spec"), "replicas")));
    json_decref(created);
    kc_client_free(client);
    return 0;
}
