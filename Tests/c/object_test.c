/*
 * include/kubeclient/object.h: object keys, resourceVersions and key splitting read from an
 * object's bytes, including objects an informer delivers (the bytes a handler gets).
 * Run by Tests/c/run.sh, which starts kubeclient-testserver and sets KC_TEST_KUBECONFIG.
 */
#include "kc_test.h"

int kc_test_failures = 0;

static const char *NS = "kc-object";

/* Bytes that are not NUL-terminated: a handler's buffer is only valid up to its length. */
static void check_key(const char *json, const char *expected) {
    size_t len = strlen(json);
    char *copy = malloc(len);
    memcpy(copy, json, len);
    char *key = NULL;
    CHECK_OK(kc_object_key(copy, len, &key));
    CHECK_STR(key, expected);
    kc_free(key);
    free(copy);
}

static void test_keys_of_namespaced_and_cluster_objects(void) {
    check_key("{\"metadata\":{\"namespace\":\"shop\",\"name\":\"web\"}}", "shop/web");
    check_key("{\"kind\":\"Node\",\"metadata\":{\"name\":\"node-1\",\"labels\":{\"a\":\"b\"}}}", "node-1");
    check_key("{\"metadata\":{\"namespace\":\"\",\"name\":\"pv-1\"}}", "pv-1");
    /* Escapes are decoded, and metadata after other large members is still found. */
    check_key(" {\"spec\":{\"x\":[1,2,{\"metadata\":{\"name\":\"decoy\"}}]},\"metadata\":{\"name\":\"a\\u0062c\",\"namespace\":\"n\\/s\"}} ",
              "n/s/abc");
}

static void test_resource_version(void) {
    const char *json = "{\"metadata\":{\"name\":\"a\",\"resourceVersion\":\"42\"}}";
    char *rv = NULL;
    CHECK_OK(kc_object_resource_version(json, strlen(json), &rv));
    CHECK_STR(rv, "42");
    kc_free(rv);
    const char *fresh = "{\"metadata\":{\"name\":\"a\"}}";
    CHECK_OK(kc_object_resource_version(fresh, strlen(fresh), &rv));
    CHECK_STR(rv, "");
    kc_free(rv);
}

static void test_bad_objects_are_invalid_arguments(void) {
    const char *cases[] = {
        "{\"metadata\":{\"name\":\"a\"", "[1,2]", "\"text\"", "{\"metadata\":{\"namespace\":\"ns\"}}",
        "{\"metadata\":{\"name\":\"a\"}} trailing", "{}",
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *key = (char *)"untouched";
        CHECK_STATUS(kc_object_key(cases[i], strlen(cases[i]), &key), KC_ERR_INVALID_ARGUMENT);
        CHECK(key == NULL);
        CHECK(strlen(kc_error_last()->message) > 0);
    }
    char *out = NULL;
    CHECK_STATUS(kc_object_key(NULL, 3, &out), KC_ERR_INVALID_ARGUMENT);
    CHECK_STR(kc_error_last()->message, "object_json is NULL");
    CHECK_STATUS(kc_object_key("{}", 0, &out), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_object_key("{}", 2, NULL), KC_ERR_INVALID_ARGUMENT);
    CHECK_STR(kc_error_last()->message, "out_key is NULL");
    CHECK_STATUS(kc_object_resource_version("{}", 2, NULL), KC_ERR_INVALID_ARGUMENT);
    /* A good call after a failed one clears the error record. */
    const char *good = "{\"metadata\":{\"name\":\"a\"}}";
    CHECK_OK(kc_object_key(good, strlen(good), &out));
    CHECK(kc_error_last()->status == KC_OK);
    kc_free(out);
}

static void test_key_split(void) {
    char *ns = NULL, *name = NULL;
    CHECK_OK(kc_key_split("shop/web", &ns, &name));
    CHECK_STR(ns, "shop");
    CHECK_STR(name, "web");
    kc_free(ns);
    kc_free(name);
    CHECK_OK(kc_key_split("node-1", &ns, &name));
    CHECK_STR(ns, "");
    CHECK_STR(name, "node-1");
    kc_free(ns);
    kc_free(name);
    CHECK_OK(kc_key_split("shop/web", NULL, &name));
    CHECK_STR(name, "web");
    kc_free(name);
    const char *bad[] = {"a/b/c", "shop/", "", "/"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ns = name = (char *)"untouched";
        CHECK_STATUS(kc_key_split(bad[i], &ns, &name), KC_ERR_INVALID_ARGUMENT);
        CHECK(ns == NULL && name == NULL);
    }
    CHECK_STATUS(kc_key_split(NULL, &ns, &name), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_key_split("a", &ns, NULL), KC_ERR_INVALID_ARGUMENT);
}

/* The key of an object as the server returns it round-trips through kc_key_split to the
 * same namespace and name, and kc_get by them finds it. */
static void test_key_of_a_served_object(kc_client *client) {
    kc_test_ensure(client, "v1", "configmaps", NS,
                   "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"keyed\"}}");
    char *object = NULL, *key = NULL, *rv = NULL, *ns = NULL, *name = NULL;
    CHECK_OK(kc_get(client, "v1", "configmaps", NS, "keyed", &object));
    if (!object) return;
    CHECK_OK(kc_object_key(object, strlen(object), &key));
    CHECK_STR(key, "kc-object/keyed");
    CHECK_OK(kc_object_resource_version(object, strlen(object), &rv));
    CHECK(rv != NULL && strlen(rv) > 0);
    CHECK_OK(kc_key_split(key, &ns, &name));
    char *again = NULL;
    CHECK_OK(kc_get(client, "v1", "configmaps", ns, name, &again));
    CHECK(again != NULL);
    kc_free(again);
    kc_free(object);
    kc_free(key);
    kc_free(rv);
    kc_free(ns);
    kc_free(name);
}

int main(void) {
    const char *kubeconfig = kc_test_kubeconfig();
    kc_client *client = kc_test_client(kubeconfig, NULL);
    kc_test_ensure(client, "v1", "namespaces", NULL,
                   "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"kc-object\"}}");
    kc_test_case tests[] = {
        {"keys of namespaced and cluster-scoped objects, from unterminated bytes", test_keys_of_namespaced_and_cluster_objects, NULL},
        {"resourceVersion, empty when the object has none", test_resource_version, NULL},
        {"malformed, non-object and nameless objects are invalid arguments", test_bad_objects_are_invalid_arguments, NULL},
        {"kc_key_split: namespaced, cluster-scoped, malformed", test_key_split, NULL},
        {"the key of a served object splits back to a get that finds it", NULL, test_key_of_a_served_object},
    };
    return kc_test_run(tests, sizeof tests / sizeof tests[0], client);
}
