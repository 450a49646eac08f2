/*
 * Issue 12, write options from C: kc_create_ext / kc_update_ext / kc_patch_ext with
 * kc_write_options (dry run, field manager, field validation) and version 2 of
 * kc_apply_options, with version-1 structs of older programs still accepted.
 * Run by Tests/c/run.sh, which starts kubeclient-testserver and sets KC_TEST_KUBECONFIG.
 */
#define _POSIX_C_SOURCE 200809L
#include "kc_test.h"

int kc_test_failures = 0;

static const char *kubeconfig;
static const char *NS = "kc-write-options";

/* Expects `call` to fail with `expected` and kc_error_last()->message to contain `needle`. */
#define CHECK_FAILS_WITH(call, expected, needle) do { CHECK_STATUS(call, expected); \
    const char *m_ = kc_error_last()->message; \
    if (strstr(m_, (needle)) == NULL) { \
        fprintf(stderr, "  FAIL %s:%d: message \"%s\" lacks \"%s\"\n", __FILE__, __LINE__, m_, (needle)); \
        kc_test_failures++; } } while (0)

#define CHECK_CONTAINS(text, needle) do { const char *t_ = (text); \
    if (t_ == NULL || strstr(t_, (needle)) == NULL) { \
        fprintf(stderr, "  FAIL %s:%d: %s lacks \"%s\": %s\n", __FILE__, __LINE__, #text, (needle), t_ ? t_ : "(null)"); \
        kc_test_failures++; } } while (0)

static const char *CM_DRY = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"dry\"},\"data\":{\"a\":\"1\"}}";

static void test_dry_run_create_does_not_persist(kc_client *client) {
    kc_write_options options = KC_WRITE_OPTIONS_INIT;
    options.dry_run = 1;
    char *out = NULL;
    CHECK_OK(kc_create_ext(client, "v1", "configmaps", NS, CM_DRY, &options, &out));
    CHECK_CONTAINS(out, "\"name\":\"dry\"");
    kc_free(out);
    out = NULL;
    CHECK_STATUS(kc_get(client, "v1", "configmaps", NS, "dry", &out), KC_ERR_NOT_FOUND);
    CHECK(out == NULL);
}

static void test_dry_run_update_and_patch_do_not_persist(kc_client *client) {
    char *out = NULL;
    CHECK_OK(kc_create(client, "v1", "configmaps", NS,
                       "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"kept\"},\"data\":{\"a\":\"1\"}}",
                       &out));
    kc_free(out);
    kc_write_options options;
    CHECK_OK(kc_write_options_init(&options, KC_WRITE_OPTIONS_VERSION));
    options.dry_run = 1;
    out = NULL;
    CHECK_OK(kc_update_ext(client, "v1", "configmaps", NS,
                           "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"kept\"},\"data\":{\"a\":\"2\"}}",
                           &options, &out));
    CHECK_CONTAINS(out, "\"a\":\"2\"");
    kc_free(out);
    out = NULL;
    CHECK_OK(kc_patch_ext(client, "v1", "configmaps", NS, "kept", KC_PATCH_MERGE, "{\"data\":{\"a\":\"3\"}}",
                          &options, &out));
    CHECK_CONTAINS(out, "\"a\":\"3\"");
    kc_free(out);
    out = NULL;
    CHECK_OK(kc_get(client, "v1", "configmaps", NS, "kept", &out));
    CHECK_CONTAINS(out, "\"a\":\"1\"");
    kc_free(out);
    /* NULL options are the plain verbs. */
    out = NULL;
    CHECK_OK(kc_patch_ext(client, "v1", "configmaps", NS, "kept", KC_PATCH_MERGE, "{\"data\":{\"a\":\"4\"}}",
                          NULL, &out));
    CHECK_CONTAINS(out, "\"a\":\"4\"");
    kc_free(out);
}

static void test_field_manager_shows_in_managed_fields(kc_client *client) {
    kc_write_options options = KC_WRITE_OPTIONS_INIT;
    options.field_manager = "c-write-options-test";
    char *out = NULL;
    CHECK_OK(kc_create_ext(client, "v1", "configmaps", NS,
                           "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"managed\"}}",
                           &options, &out));
    CHECK_CONTAINS(out, "\"manager\":\"c-write-options-test\"");
    kc_free(out);
    out = NULL;
    CHECK_OK(kc_get(client, "v1", "configmaps", NS, "managed", &out));
    CHECK_CONTAINS(out, "\"manager\":\"c-write-options-test\"");
    kc_free(out);
}

static void test_strict_field_validation_refuses_unknown_fields(kc_client *client) {
    const char *body = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"strict\",\"foo\":1},"
                       "\"data\":{\"a\":\"1\"}}";
    kc_write_options options = KC_WRITE_OPTIONS_INIT;
    options.field_validation = "Strict";
    char *out = NULL;
    CHECK_FAILS_WITH(kc_create_ext(client, "v1", "configmaps", NS, body, &options, &out), KC_ERR_API,
                     "strict decoding error: unknown field \"metadata.foo\"");
    CHECK(out == NULL);
    CHECK(kc_error_last()->http_code == 400);
    CHECK_STR(kc_error_last()->reason, "BadRequest");
    /* The server default (Warn) and Ignore store the object without the field. */
    options.field_validation = "Ignore";
    CHECK_OK(kc_create_ext(client, "v1", "configmaps", NS, body, &options, &out));
    kc_free(out);
    out = NULL;
    /* Strict on update too. */
    options.field_validation = "Strict";
    CHECK_FAILS_WITH(kc_update_ext(client, "v1", "configmaps", NS,
                                   "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"strict\"},"
                                   "\"data\":{\"a\":\"1\"},\"bogus\":true}", &options, &out),
                     KC_ERR_API, "unknown field \"bogus\"");
    /* Spelled as the API server spells it, else refused before any request. */
    options.field_validation = "strict";
    CHECK_FAILS_WITH(kc_create_ext(client, "v1", "configmaps", NS, body, &options, &out), KC_ERR_INVALID_ARGUMENT,
                     "kc_write_options.field_validation must be Ignore, Warn or Strict");
    kc_write_options bad = KC_WRITE_OPTIONS_INIT;
    bad.version = 99;
    CHECK_STATUS(kc_create_ext(client, "v1", "configmaps", NS, body, &bad, &out), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_write_options_init(NULL, KC_WRITE_OPTIONS_VERSION), KC_ERR_INVALID_ARGUMENT);
}

static void test_apply_options_version_2_and_1(kc_client *client) {
    const char *unknown = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"applied\"},"
                          "\"data\":{\"a\":\"1\"},\"spec\":{\"foo\":1}}";
    kc_apply_options options = KC_APPLY_OPTIONS_INIT;
    CHECK(options.version == 2);
    options.field_manager = "c-apply-v2";
    options.field_validation = "Strict";
    char *out = NULL;
    CHECK_FAILS_WITH(kc_apply(client, "v1", "configmaps", NS, unknown, &options, &out), KC_ERR_API,
                     "unknown field \"spec\"");
    options.field_validation = NULL;
    CHECK_OK(kc_apply(client, "v1", "configmaps", NS,
                      "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"applied\"},"
                      "\"data\":{\"a\":\"1\"}}", &options, &out));
    CHECK_CONTAINS(out, "\"manager\":\"c-apply-v2\"");
    kc_free(out);

    /* An older program's version-1 struct, on the heap with nothing after it: the library
     * must neither read nor write past dry_run (valgrind and ASan see it). */
    struct apply_options_v1 { unsigned int version; const char *field_manager; int force; int dry_run; };
    struct apply_options_v1 *v1 = malloc(sizeof *v1);
    CHECK(v1 != NULL);
    if (!v1) return;
    CHECK_OK(kc_apply_options_init((kc_apply_options *)v1, 1));
    CHECK(v1->version == 1 && v1->field_manager == NULL && v1->force == 0 && v1->dry_run == 0);
    v1->field_manager = "c-apply-v1";
    out = NULL;
    CHECK_OK(kc_apply(client, "v1", "configmaps", NS,
                      "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"applied-v1\"}}",
                      (const kc_apply_options *)v1, &out));
    CHECK_CONTAINS(out, "\"manager\":\"c-apply-v1\"");
    kc_free(out);
    free(v1);
}

/* Issue 12: messages name the parameter, never the C function ("kc_update: ..."). */
static void test_messages_name_the_parameter_not_the_function(kc_client *client) {
    char *out = NULL;
    CHECK_STATUS(kc_update(client, "v1", "configmaps", NS, NULL, &out), KC_ERR_INVALID_ARGUMENT);
    CHECK_STR(kc_error_last()->message, "body_json is NULL");
    CHECK_STATUS(kc_create_ext(client, "v1", "configmaps", NS, NULL, NULL, &out), KC_ERR_INVALID_ARGUMENT);
    CHECK_STR(kc_error_last()->message, "body_json is NULL");
    CHECK_STATUS(kc_patch_ext(client, "v1", "configmaps", NS, "", KC_PATCH_MERGE, "{}", NULL, &out), KC_ERR_INVALID_ARGUMENT);
    CHECK_STR(kc_error_last()->message, "name is empty");
    CHECK_STATUS(kc_get(client, "v1", "configmaps", NS, "x", NULL), KC_ERR_INVALID_ARGUMENT);
    CHECK_STR(kc_error_last()->message, "out_json is NULL");
    CHECK_STATUS(kc_get(NULL, "v1", "configmaps", NS, "x", &out), KC_ERR_INVALID_ARGUMENT);
    CHECK_STR(kc_error_last()->message, "kc_client handle is NULL");
    CHECK_STATUS(kc_patch(client, "v1", "configmaps", NS, "x", (kc_patch_type)7, "{}", &out), KC_ERR_INVALID_ARGUMENT);
    CHECK_STR(kc_error_last()->message, "unknown patch type 7");
    CHECK_STATUS(kc_write_options_init(NULL, 1), KC_ERR_INVALID_ARGUMENT);
    CHECK_STR(kc_error_last()->message, "options is NULL");
    CHECK(out == NULL);
}

int main(void) {
    kubeconfig = kc_test_kubeconfig();
    kc_client *client = kc_test_client(kubeconfig, NULL);
    kc_test_ensure(client, "v1", "namespaces", NULL, "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"kc-write-options\"}}");

    kc_test_case tests[] = {
        {"a dry-run create returns the object and does not store it", NULL, test_dry_run_create_does_not_persist},
        {"dry-run update and patch do not change the stored object", NULL, test_dry_run_update_and_patch_do_not_persist},
        {"the field manager of a create shows in managedFields", NULL, test_field_manager_shows_in_managed_fields},
        {"fieldValidation=Strict refuses unknown fields with 400; bad values are refused", NULL, test_strict_field_validation_refuses_unknown_fields},
        {"kc_apply_options version 2 carries field_validation; a version-1 struct still works", NULL, test_apply_options_version_2_and_1},
        {"error messages name the parameter, not the C function", NULL, test_messages_name_the_parameter_not_the_function},
    };
    return kc_test_run(tests, sizeof tests / sizeof tests[0], client);
}
