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

#endif
