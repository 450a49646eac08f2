/* A minimal test harness for the C API tests: CHECK macros that report file:line and the
 * library's last error, and a registry of test functions run in order. */
#ifndef KC_TEST_H
#define KC_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kubeclient.h>

extern int kc_test_failures;

#define CHECK(cond) do { if (!(cond)) { \
    fprintf(stderr, "  FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond); kc_test_failures++; } } while (0)

/* Expects `call` to return `expected`; on mismatch prints the library's message. */
#define CHECK_STATUS(call, expected) do { kc_status s_ = (call); if (s_ != (expected)) { \
    const kc_error *e_ = kc_error_last(); \
    fprintf(stderr, "  FAIL %s:%d: %s returned %d (%s), expected %d (%s): %s\n", __FILE__, __LINE__, #call, \
            (int)s_, kc_status_str(s_), (int)(expected), kc_status_str(expected), e_->message); \
    kc_test_failures++; } } while (0)

#define CHECK_OK(call) CHECK_STATUS(call, KC_OK)

#define CHECK_STR(actual, expected) do { const char *a_ = (actual), *b_ = (expected); \
    if (a_ == NULL || strcmp(a_, b_) != 0) { \
    fprintf(stderr, "  FAIL %s:%d: %s is \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #actual, \
            a_ ? a_ : "(null)", b_); kc_test_failures++; } } while (0)

/* One test of a program's table: `plain` runs without a client, `with_client` with the shared one. */
typedef struct kc_test_case {
    const char *name;
    void (*plain)(void);
    void (*with_client)(kc_client *);
} kc_test_case;

/* The kubeconfig Tests/c/run.sh wrote for its test server; exits with 2 when it is not set. */
static inline const char *kc_test_kubeconfig(void) {
    const char *path = getenv("KC_TEST_KUBECONFIG");
    if (!path) {
        fprintf(stderr, "KC_TEST_KUBECONFIG is not set (run Tests/c/run.sh)\n");
        exit(2);
    }
    return path;
}

/* A client for `kubeconfig` and `context` (NULL: the current one) with default options. */
static inline kc_client *kc_test_client(const char *kubeconfig, const char *context) {
    kc_config *config = NULL;
    kc_client *client = NULL;
    CHECK_OK(kc_config_load(kubeconfig, context, NULL, NULL, &config));
    CHECK_OK(kc_client_new(config, NULL, &client));
    kc_config_free(config);
    return client;
}

/* Creates an object the tests need, keeping the one a rerun against the same server made. */
static inline kc_status kc_test_ensure(kc_client *client, const char *api_version, const char *resource,
                                       const char *namespace_name, const char *json) {
    char *out = NULL;
    kc_status created = kc_create(client, api_version, resource, namespace_name, json, &out);
    CHECK(created == KC_OK || created == KC_ERR_ALREADY_EXISTS);
    kc_free(out);
    return created;
}

/* Runs `cases` in order, printing "ok"/"FAIL" for each, frees `client` (may be NULL) and
 * prints the summary; returns the program's exit status. */
static inline int kc_test_run(const kc_test_case *cases, size_t count, kc_client *client) {
    for (size_t i = 0; i < count; i++) {
        int before = kc_test_failures;
        if (cases[i].plain) cases[i].plain(); else cases[i].with_client(client);
        printf("%s %s\n", kc_test_failures == before ? "ok  " : "FAIL", cases[i].name);
    }
    kc_client_free(client);
    printf("%s: %d failure(s)\n", kc_test_failures ? "FAILED" : "PASSED", kc_test_failures);
    return kc_test_failures ? 1 : 0;
}

#endif
