/* Seed walkthrough (b): create my-nginx-app from a YAML file, read it, scale it to 1 replica
 * with image nginx:1.14, update it, delete it.
 * Usage: deployment_lifecycle [--kubeconfig PATH] [--master URL] [--context NAME] [manifest] [namespace]
 *        (default manifest: examples/manifests/nginx-deployment.yaml) */
#include <kubeclient.h>
#include "example_args.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

static int fail(const char *what) {
    fprintf(stderr, "error: %s: %s\n", what, kc_error_last()->message);
    return 1;
}

static char *read_file(const char *path) {
    FILE *file = fopen(path, "rb");
    if (!file) return NULL;
    fseek(file, 0, SEEK_END);
    long size = ftell(file);
    rewind(file);
    char *text = malloc((size_t)size + 1);
    if (text && fread(text, 1, (size_t)size, file) != (size_t)size) { free(text); text = NULL; }
    if (text) text[size] = '\0';
    fclose(file);
    return text;
}

static json_t *container0(json_t *deployment) {
    json_t *spec = json_object_get(json_object_get(json_object_get(deployment, "spec"), "template"), "spec");
    return json_array_get(json_object_get(spec, "containers"), 0);
}

int main(int argc, char **argv) {
    example_args args;
    example_args_parse(argc, argv, "[manifest] [namespace]", NULL, &args);
    const char *path = example_arg(&args, 0, "examples/manifests/nginx-deployment.yaml");
    kc_config *config = NULL;
    kc_client *client = NULL;
    if (example_config_load(&args, example_arg(&args, 1, NULL), &config) != KC_OK) return fail("loading the kubeconfig");
    char namespace_name[256];
    snprintf(namespace_name, sizeof namespace_name, "%s", kc_config_namespace(config));
    kc_status status = kc_client_new(config, NULL, &client);
    kc_config_free(config);
    if (status != KC_OK) return fail("creating the client");

    char *manifest = read_file(path);
    if (!manifest) { fprintf(stderr, "error: cannot read %s\n", path); return 1; }
    char *out = NULL;
    status = kc_create(client, "apps/v1", "deployments", namespace_name, manifest, &out);  /* YAML body */
    free(manifest);
    if (status != KC_OK) return fail("creating the deployment");
    json_t *deployment = json_loads(out, 0, NULL);
    kc_free(out);
    char name[256];
    snprintf(name, sizeof name, "%s", json_string_value(json_object_get(json_object_get(deployment, "metadata"), "name")));
    json_decref(deployment);
    printf("created deployment %s in %s\n", name, namespace_name);

    if (kc_get(client, "apps/v1", "deployments", namespace_name, name, &out) != KC_OK) return fail("reading it back");
    deployment = json_loads(out, 0, NULL);
    kc_free(out);
    json_t *spec = json_object_get(deployment, "spec");
    printf("read: replicas=%lld image=%s\n", json_integer_value(json_object_get(spec, "replicas")),
           json_string_value(json_object_get(container0(deployment), "image")));

    json_object_set_new(spec, "replicas", json_integer(1));
    json_object_set_new(container0(deployment), "image", json_string("nginx:1.14"));
    char *body = json_dumps(deployment, JSON_COMPACT);
    json_decref(deployment);
    status = kc_update(client, "apps/v1", "deployments", namespace_name, body, &out);
    free(body);
    if (status != KC_OK) return fail("updating it");
    deployment = json_loads(out, 0, NULL);
    kc_free(out);
    printf("updated: replicas=%lld image=%s\n",
           json_integer_value(json_object_get(json_object_get(deployment, "spec"), "replicas")),
           json_string_value(json_object_get(container0(deployment), "image")));
    json_decref(deployment);

    kc_delete_options options = KC_DELETE_OPTIONS_INIT;
    options.propagation_policy = "Foreground";
    if (kc_delete(client, "apps/v1", "deployments", namespace_name, name, &options, NULL) != KC_OK) return fail("deleting it");
    printf("deleted deployment %s\n", name);
    kc_client_free(client);
    return 0;
}
