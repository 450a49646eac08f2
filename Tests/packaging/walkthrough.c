/*
 * The seed walkthrough in C against an installed libkubeclient: built by
 * scripts/test-packaging.sh in a temp folder through pkg-config and through CMake
 * (find_package(kubeclient CONFIG)), and run with no Swift on PATH.
 *
 * Usage: walkthrough KUBECONFIG
 * Lists namespaces, creates/updates/deletes a deployment, runs an informer that syncs and
 * sees an add, and a workqueue add/get/done. One line per step; exit status 1 on failure.
 */
#define _POSIX_C_SOURCE 200809L /* nanosleep */
#include <kubeclient.h>
#include <kubeclient/controller.h>
#include <kubeclient/informer.h>

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int fail(const char *what) {
    const kc_error *error = kc_error_last();
    fprintf(stderr, "walkthrough: %s: %s (%s)\n", what, error->message, kc_status_str(error->status));
    return 1;
}

#define CHECK(call, what) do { if ((call) != KC_OK) return fail(what); } while (0)

static atomic_int probe_added;

static void on_add(const char *object, size_t len, int is_initial_list, void *user_data) {
    (void)len; (void)user_data;
    if (!is_initial_list && strstr(object, "\"name\":\"informer-probe\"") != NULL)
        atomic_store(&probe_added, 1);
}

/* Copies the value of the first "key":"value" pair in `json` into `out`. */
static int json_string(const char *json, const char *key, char *out, size_t size) {
    char pattern[64];
    snprintf(pattern, sizeof pattern, "\"%s\":\"", key);
    const char *start = strstr(json, pattern);
    if (start == NULL) return 0;
    start += strlen(pattern);
    const char *end = strchr(start, '"');
    if (end == NULL || (size_t)(end - start) >= size) return 0;
    memcpy(out, start, (size_t)(end - start));
    out[end - start] = '\0';
    return 1;
}

int main(int argc, char **argv) {
    if (argc != 2) { fprintf(stderr, "usage: walkthrough KUBECONFIG\n"); return 2; }
    if (strcmp(kc_version(), KC_VERSION_STRING) != 0) {
        fprintf(stderr, "walkthrough: header %s, library %s\n", KC_VERSION_STRING, kc_version());
        return 1;
    }
    printf("library version %s\n", kc_version());

    kc_config *config = NULL;
    kc_client *client = NULL;
    char *json = NULL;
    CHECK(kc_config_load(argv[1], NULL, NULL, NULL, &config), "loading the kubeconfig");
    CHECK(kc_client_new(config, NULL, &client), "creating the client");

    CHECK(kc_list(client, "v1", "namespaces", NULL, NULL, &json), "listing namespaces");
    if (strstr(json, "\"name\":\"default\"") == NULL) { fprintf(stderr, "no default namespace\n"); return 1; }
    kc_free(json);
    printf("namespaces: listed\n");

    char ns[64], body[1024];
    snprintf(ns, sizeof ns, "c-walkthrough-%ld", (long)time(NULL) % 100000);
    snprintf(body, sizeof body, "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"%s\"}}", ns);
    CHECK(kc_create(client, "v1", "namespaces", NULL, body, &json), "creating the namespace");
    kc_free(json);

    static const char *deployment =
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: my-nginx-app\n"
        "spec:\n  replicas: 2\n  selector:\n    matchLabels: {app: nginx}\n"
        "  template:\n    metadata:\n      labels: {app: nginx}\n"
        "    spec:\n      containers:\n      - {name: nginx, image: 'nginx:1.13'}\n";
    CHECK(kc_create(client, "apps/v1", "deployments", ns, deployment, &json), "creating the deployment");
    char rv[64];
    if (!json_string(json, "resourceVersion", rv, sizeof rv)) { fprintf(stderr, "no resourceVersion\n"); return 1; }
    kc_free(json);
    snprintf(body, sizeof body,
             "{\"apiVersion\":\"apps/v1\",\"kind\":\"Deployment\",\"metadata\":{\"name\":\"my-nginx-app\","
             "\"resourceVersion\":\"%s\"},\"spec\":{\"replicas\":1,\"selector\":{\"matchLabels\":{\"app\":\"nginx\"}},"
             "\"template\":{\"metadata\":{\"labels\":{\"app\":\"nginx\"}},\"spec\":{\"containers\":"
             "[{\"name\":\"nginx\",\"image\":\"nginx:1.14\"}]}}}}", rv);
    CHECK(kc_update(client, "apps/v1", "deployments", ns, body, &json), "updating the deployment");
    if (strstr(json, "\"replicas\":1") == NULL || strstr(json, "nginx:1.14") == NULL) {
        fprintf(stderr, "the update did not take: %s\n", json);
        return 1;
    }
    kc_free(json);
    CHECK(kc_delete(client, "apps/v1", "deployments", ns, "my-nginx-app", NULL, &json), "deleting the deployment");
    kc_free(json);
    printf("deployment: created, updated (replicas 1, nginx:1.14), deleted\n");

    kc_informer_factory *factory = NULL;
    kc_informer *informer = NULL;
    kc_informer_registration *registration = NULL;
    kc_informer_handlers handlers = KC_INFORMER_HANDLERS_INIT;
    handlers.on_add = on_add;
    CHECK(kc_informer_factory_new(client, NULL, &factory), "creating the informer factory");
    CHECK(kc_informer_factory_informer(factory, "v1", "configmaps", ns, NULL, &informer), "creating the informer");
    CHECK(kc_informer_add_handlers(informer, &handlers, NULL, &registration), "adding the handlers");
    CHECK(kc_informer_factory_start(factory), "starting the informers");
    CHECK(kc_informer_factory_wait_for_sync(factory, 30000), "waiting for the cache to sync");
    CHECK(kc_create(client, "v1", "configmaps", ns,
                    "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"informer-probe\"}}", &json),
          "creating the configmap");
    kc_free(json);
    for (int i = 0; i < 300 && !atomic_load(&probe_added); i++) {
        struct timespec tick = {0, 100 * 1000 * 1000};
        nanosleep(&tick, NULL);
    }
    kc_informer_registration_free(registration);
    kc_informer_factory_free(factory);
    if (!atomic_load(&probe_added)) { fprintf(stderr, "the informer did not see the add\n"); return 1; }
    printf("informer: synced, saw the add\n");

    kc_workqueue *queue = NULL;
    char *key = NULL;
    int shutdown = 0;
    CHECK(kc_workqueue_new(NULL, &queue), "creating the workqueue");
    CHECK(kc_workqueue_add(queue, "default/informer-probe"), "adding a key");
    CHECK(kc_workqueue_get(queue, 5.0, &key, &shutdown), "getting a key");
    if (key == NULL || strcmp(key, "default/informer-probe") != 0) { fprintf(stderr, "got no key\n"); return 1; }
    CHECK(kc_workqueue_done(queue, key), "marking the key done");
    kc_free(key);
    if (kc_workqueue_len(queue) != 0) { fprintf(stderr, "the queue is not empty\n"); return 1; }
    kc_workqueue_free(queue);
    printf("workqueue: add, get, done\n");

    CHECK(kc_delete(client, "v1", "namespaces", NULL, ns, NULL, &json), "deleting the namespace");
    kc_free(json);
    kc_client_free(client);
    kc_config_free(config);
    printf("walkthrough: ok\n");
    return 0;
}
