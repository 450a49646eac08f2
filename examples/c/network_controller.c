/* The seed's sample controller in C: Networks (networks.samplecrd.k8s.io, spec.cidr and
 * spec.gateway) are reconciled into ConfigMaps they own; each Network's status says which
 * ConfigMap holds it, and an Event records every sync. Several replicas can run with
 * --leader-elect ID: one leads, another takes over when it stops.
 * Usage: network_controller [--kubeconfig PATH] [--master URL] [--context NAME] [namespace]
 *                           [--leader-elect ID]   (Ctrl-C / SIGTERM stops it) */
#define _POSIX_C_SOURCE 200809L
#include <kubeclient.h>
#include "example_args.h"
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define GROUP_VERSION "samplecrd.k8s.io/v1"

static const char *CRD =
    "{\"apiVersion\":\"apiextensions.k8s.io/v1\",\"kind\":\"CustomResourceDefinition\","
    "\"metadata\":{\"name\":\"networks.samplecrd.k8s.io\"},"
    "\"spec\":{\"group\":\"samplecrd.k8s.io\",\"scope\":\"Namespaced\","
    "\"names\":{\"plural\":\"networks\",\"singular\":\"network\",\"kind\":\"Network\",\"listKind\":\"NetworkList\"},"
    "\"versions\":[{\"name\":\"v1\",\"served\":true,\"storage\":true,\"subresources\":{\"status\":{}},"
    "\"schema\":{\"openAPIV3Schema\":{\"type\":\"object\",\"properties\":{"
    "\"spec\":{\"type\":\"object\",\"properties\":{\"cidr\":{\"type\":\"string\"},\"gateway\":{\"type\":\"string\"}}},"
    "\"status\":{\"type\":\"object\",\"x-kubernetes-preserve-unknown-fields\":true}}}}}]}}";

/* What the callbacks share. Everything here is set before the threads start. */
typedef struct {
    kc_client *client;
    kc_informer *networks;
    kc_workqueue *queue;
    kc_event_recorder *events;
    kc_informer_factory *factory;
    kc_controller *controller;
} app;

static int fail(const char *what) {
    fprintf(stderr, "error: %s: %s\n", what, kc_error_last()->message);
    return 1;
}

static void enqueue(app *a, const char *object, size_t len) {
    char *key = NULL;
    if (kc_object_key(object, len, &key) == KC_OK) kc_workqueue_add(a->queue, key);
    kc_free(key);
}

static void on_add(const char *object, size_t len, int initial, void *ud) { (void)initial; enqueue(ud, object, len); }
static void on_delete(const char *object, size_t len, int unknown, void *ud) { (void)unknown; enqueue(ud, object, len); }

/* A resync delivers the same version again: nothing changed, nothing to do. */
static void on_update(const char *old, size_t old_len, const char *new_object, size_t new_len, void *ud) {
    char *rv_old = NULL, *rv_new = NULL;
    kc_object_resource_version(old, old_len, &rv_old);
    kc_object_resource_version(new_object, new_len, &rv_new);
    if (!rv_old || !rv_new || strcmp(rv_old, rv_new) != 0) enqueue(ud, new_object, new_len);
    kc_free(rv_old);
    kc_free(rv_new);
}

static char *dump(json_t *value) { return json_dumps(value, JSON_COMPACT); }

/* Reconciles the Network `ns`/`name`: its ConfigMap exists and carries its spec. */
static kc_reconcile_result reconcile_network(app *a, const char *key, const char *ns, const char *name) {
    char cm_name[300];
    snprintf(cm_name, sizeof cm_name, "%s-network", name);

    char *text = NULL;
    kc_status st = kc_informer_get(a->networks, ns, name, &text);
    if (st == KC_ERR_NOT_FOUND) {  /* deleted: the owner reference lets the GC do it; do it here too */
        st = kc_delete(a->client, "v1", "configmaps", ns, cm_name, NULL, NULL);
        printf("deleted %s: removed ConfigMap %s\n", key, cm_name);
        fflush(stdout);
        return st == KC_OK || st == KC_ERR_NOT_FOUND ? KC_RECONCILE_SUCCESS : KC_RECONCILE_ERROR;
    }
    if (st != KC_OK) return KC_RECONCILE_ERROR;
    json_t *network = json_loads(text, 0, NULL);
    kc_free(text);
    json_t *spec = json_object_get(network, "spec");
    const char *cidr = json_string_value(json_object_get(spec, "cidr"));
    const char *gateway = json_string_value(json_object_get(spec, "gateway"));
    if (!cidr) cidr = "";
    if (!gateway) gateway = "";
    const char *uid = json_string_value(json_object_get(json_object_get(network, "metadata"), "uid"));
    kc_reconcile_result result = KC_RECONCILE_SUCCESS;

    /* The ConfigMap: create it, or update its data when it differs. */
    json_t *data = json_pack("{s:s, s:s}", "cidr", cidr, "gateway", gateway);
    char *existing_text = NULL;
    st = kc_get(a->client, "v1", "configmaps", ns, cm_name, &existing_text);
    if (st == KC_ERR_NOT_FOUND) {
        json_t *cm = json_pack("{s:s, s:s, s:{s:s, s:s, s:[{s:s, s:s, s:s, s:s, s:b, s:b}]}, s:O}",
                               "apiVersion", "v1", "kind", "ConfigMap", "metadata", "name", cm_name, "namespace", ns,
                               "ownerReferences", "apiVersion", GROUP_VERSION, "kind", "Network", "name", name,
                               "uid", uid ? uid : "", "controller", 1, "blockOwnerDeletion", 1, "data", data);
        char *body = dump(cm), *out = NULL;
        st = kc_create(a->client, "v1", "configmaps", ns, body, &out);
        free(body);
        kc_free(out);
        json_decref(cm);
    } else if (st == KC_OK) {
        json_t *existing = json_loads(existing_text, 0, NULL);
        if (!json_equal(json_object_get(existing, "data"), data)) {
            json_object_set(existing, "data", data);
            char *body = dump(existing), *out = NULL;
            st = kc_update(a->client, "v1", "configmaps", ns, body, &out);
            free(body);
            kc_free(out);
        }
        json_decref(existing);
    }
    kc_free(existing_text);
    if (st != KC_OK) result = KC_RECONCILE_ERROR;  /* retried with backoff */

    /* The status, when it changed. */
    if (result == KC_RECONCILE_SUCCESS) {
        json_t *status = json_pack("{s:s, s:s, s:s}", "configMap", cm_name, "cidr", cidr, "state", "Synced");
        if (!json_equal(json_object_get(network, "status"), status)) {
            json_object_set(network, "status", status);
            char *body = dump(network), *out = NULL;
            st = kc_update_status(a->client, GROUP_VERSION, "networks", ns, body, &out);
            free(body);
            kc_free(out);
            if (st == KC_ERR_CONFLICT) result = KC_RECONCILE_REQUEUE;
            else if (st != KC_OK) result = KC_RECONCILE_ERROR;
        }
        json_decref(status);
    }
    if (result == KC_RECONCILE_SUCCESS) {
        char message[512];
        snprintf(message, sizeof message, "ConfigMap %s holds %s via %s", cm_name, cidr, gateway);
        kc_object_reference ref = { GROUP_VERSION, "Network", ns, name, uid };
        kc_event_recorder_record(a->events, &ref, KC_EVENT_RECORD_NORMAL, "Synced", message);
        printf("synced %s: cidr=%s gateway=%s -> ConfigMap %s\n", key, cidr, gateway, cm_name);
        fflush(stdout);
    }
    json_decref(data);
    json_decref(network);
    return result;
}

/* Reconciles one "namespace/name" key; runs on a controller worker thread. */
static kc_reconcile_result reconcile(const char *key, int64_t *after_ms, void *ud) {
    (void)after_ms;
    char *ns = NULL, *name = NULL;
    if (kc_key_split(key, &ns, &name) != KC_OK) return KC_RECONCILE_SUCCESS;  /* not a key we made */
    kc_reconcile_result result = reconcile_network(ud, key, ns, name);
    kc_free(ns);
    kc_free(name);
    return result;
}

static void start_controller(void *ud) {
    app *a = ud;
    if (kc_informer_factory_start(a->factory) != KC_OK || kc_informer_factory_wait_for_sync(a->factory, 30000) != KC_OK) {
        fail("syncing the network cache");
        return;
    }
    if (kc_controller_start(a->controller) != KC_OK) fail("starting the workers");
    printf("network controller running\n");
    fflush(stdout);
}

static void stop_controller(void *ud) { kc_controller_stop(((app *)ud)->controller); }

static void new_leader(const char *identity, void *ud) {
    (void)ud;
    printf("leader is %s\n", identity);
    fflush(stdout);
}

int main(int argc, char **argv) {
    example_args args;
    example_args_parse(argc, argv, "[namespace] [--leader-elect ID]", "--leader-elect", &args);
    const char *identity = args.own_option;
    app a = { 0 };
    kc_config *config = NULL;
    if (example_config_load(&args, example_arg(&args, 0, NULL), &config) != KC_OK) return fail("loading the kubeconfig");
    char ns[256];
    snprintf(ns, sizeof ns, "%s", kc_config_namespace(config));
    kc_status st = kc_client_new(config, NULL, &a.client);
    kc_config_free(config);
    if (st != KC_OK) return fail("creating the client");

    char *out = NULL;
    st = kc_get(a.client, "apiextensions.k8s.io/v1", "customresourcedefinitions", NULL, "networks.samplecrd.k8s.io", &out);
    kc_free(out);
    if (st == KC_ERR_NOT_FOUND) {
        /* Replicas start together and all see NOT_FOUND; the ones that lose the race to create
         * get ALREADY_EXISTS, which means the CRD is there: success, not a reason to exit. */
        out = NULL;
        st = kc_create(a.client, "apiextensions.k8s.io/v1", "customresourcedefinitions", NULL, CRD, &out);
        kc_free(out);
        if (st != KC_OK && st != KC_ERR_ALREADY_EXISTS) return fail("creating the CRD");
    } else if (st != KC_OK) {
        return fail("reading the CRD");
    }

    kc_controller_options copts = KC_CONTROLLER_OPTIONS_INIT;
    copts.name = "networks";
    copts.workers = 2;
    if (kc_controller_new(&copts, reconcile, &a, &a.controller) != KC_OK) return fail("creating the controller");
    a.queue = kc_controller_queue(a.controller);
    kc_event_recorder_options eopts = KC_EVENT_RECORDER_OPTIONS_INIT;
    eopts.host = identity;
    if (kc_event_recorder_new(a.client, "network-controller", &eopts, &a.events) != KC_OK) return fail("creating the recorder");
    if (kc_informer_factory_new(a.client, NULL, &a.factory) != KC_OK) return fail("creating the informer factory");
    if (kc_informer_factory_informer(a.factory, GROUP_VERSION, "networks", ns, NULL, &a.networks) != KC_OK)
        return fail("creating the network informer");
    kc_informer_handlers handlers = KC_INFORMER_HANDLERS_INIT;
    handlers.on_add = on_add;
    handlers.on_update = on_update;
    handlers.on_delete = on_delete;
    kc_informer_registration *registration = NULL;
    if (kc_informer_add_handlers(a.networks, &handlers, &a, &registration) != KC_OK) return fail("adding the handlers");

    kc_leader_elector *elector = NULL;
    if (identity) {
        kc_leader_callbacks callbacks = { KC_LEADER_CALLBACKS_VERSION, start_controller, stop_controller, new_leader };
        if (kc_leader_elector_new(a.client, ns, "network-controller", identity, NULL, &callbacks, &a, &elector) != KC_OK)
            return fail("creating the leader elector");
        if (kc_leader_elector_start(elector) != KC_OK) return fail("starting the leader elector");
    } else {
        start_controller(&a);
    }
    /* Blocks until SIGINT/SIGTERM; the controller was started above (or by leadership). */
    int sig = kc_wait_for_termination();
    printf("signal %d: stopping\n", sig);
    kc_leader_elector_free(elector);  /* stops leading: on_stopped_leading stops the workers */
    kc_controller_stop(a.controller);
    kc_informer_registration_free(registration);
    kc_informer_factory_free(a.factory);
    kc_controller_free(a.controller);
    kc_event_recorder_free(a.events);
    kc_client_free(a.client);
    return 0;
}
