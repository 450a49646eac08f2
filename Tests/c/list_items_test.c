/*
 * kc_list_items / kc_list_all_items: a LIST answered as its items' byte ranges. Each item's
 * bytes must be exactly the item kc_list() returns; the list without items keeps its metadata;
 * every result is freed with kc_free() (valgrind checks that nothing leaks, also on errors).
 * Run by Tests/c/run.sh, which starts kubeclient-testserver and sets KC_TEST_KUBECONFIG.
 */
#include "kc_test.h"

#include <jansson.h>

int kc_test_failures = 0;

static const char *NS = "kc-list-items";
static const char *EMPTY_NS = "kc-list-items-empty";
enum { ITEMS = 5 };

typedef struct split_list {
    char *list_json;
    char *text;
    size_t *spans;
    size_t count;
} split_list;

static void split_free(split_list *s) {
    kc_free(s->list_json);
    kc_free(s->text);
    kc_free(s->spans);
}

/* The items of kc_list()'s answer for the same query, as jansson values. */
static json_t *dict_items(kc_client *client, const char *ns, const kc_list_options *options, int all) {
    char *text = NULL;
    if (all) {
        CHECK_OK(kc_list_all(client, "v1", "configmaps", ns, options, &text));
    } else {
        CHECK_OK(kc_list(client, "v1", "configmaps", ns, options, &text));
    }
    json_t *list = json_loads(text ? text : "{}", 0, NULL);
    kc_free(text);
    json_t *items = json_incref(json_object_get(list, "items"));
    json_decref(list);
    return items;
}

/* Every span parses on its own to the matching item of the dict path. */
static void check_items_match(const split_list *s, json_t *expected) {
    CHECK(json_is_array(expected));
    CHECK(s->count == json_array_size(expected));
    for (size_t i = 0; i < s->count && i < json_array_size(expected); i++) {
        json_error_t error;
        json_t *item = json_loadb(s->text + s->spans[2 * i], s->spans[2 * i + 1], 0, &error);
        CHECK(item != NULL);
        CHECK(json_equal(item, json_array_get(expected, i)));
        json_decref(item);
    }
}

static void test_items_are_the_lists_items(kc_client *client) {
    split_list s = {0};
    CHECK_OK(kc_list_items(client, "v1", "configmaps", NS, NULL, &s.list_json, &s.text, &s.spans, &s.count));
    json_t *expected = dict_items(client, NS, NULL, 0);
    check_items_match(&s, expected);
    json_decref(expected);
    /* The list without its items: kind and metadata kept, "items" empty. */
    json_t *shell = json_loads(s.list_json, 0, NULL);
    CHECK(shell != NULL);
    CHECK_STR(json_string_value(json_object_get(shell, "kind")), "ConfigMapList");
    CHECK(json_array_size(json_object_get(shell, "items")) == 0);
    CHECK(json_string_value(json_object_get(json_object_get(shell, "metadata"), "resourceVersion")) != NULL);
    json_decref(shell);
    split_free(&s);
}

static void test_pages_and_list_all(kc_client *client) {
    kc_list_options options = KC_LIST_OPTIONS_INIT;
    options.limit = 2;
    split_list page = {0};
    CHECK_OK(kc_list_items(client, "v1", "configmaps", NS, &options, &page.list_json, &page.text, &page.spans,
                           &page.count));
    CHECK(page.count == 2);
    json_t *shell = json_loads(page.list_json, 0, NULL);
    CHECK(json_string_value(json_object_get(json_object_get(shell, "metadata"), "continue")) != NULL);
    json_decref(shell);
    split_free(&page);

    split_list all = {0};
    CHECK_OK(kc_list_all_items(client, "v1", "configmaps", NS, &options, &all.list_json, &all.text, &all.spans,
                               &all.count));
    json_t *expected = dict_items(client, NS, &options, 1);
    CHECK(all.count == ITEMS);
    check_items_match(&all, expected);
    json_decref(expected);
    shell = json_loads(all.list_json, 0, NULL);
    const char *token = json_string_value(json_object_get(json_object_get(shell, "metadata"), "continue"));
    CHECK(token == NULL || token[0] == '\0');
    json_decref(shell);
    split_free(&all);
}

static void test_empty_list(kc_client *client) {
    split_list s = {0};
    CHECK_OK(kc_list_items(client, "v1", "configmaps", EMPTY_NS, NULL, &s.list_json, &s.text, &s.spans, &s.count));
    CHECK(s.count == 0);
    CHECK(s.list_json != NULL && s.text != NULL && s.spans != NULL);
    split_free(&s);
    split_list all = {0};
    CHECK_OK(kc_list_all_items(client, "v1", "configmaps", EMPTY_NS, NULL, &all.list_json, &all.text, &all.spans,
                               &all.count));
    CHECK(all.count == 0);
    split_free(&all);
}

static void test_errors_leave_nothing(kc_client *client) {
    split_list s = {(char *)"stale", (char *)"stale", (size_t *)&s, 7};
    CHECK_STATUS(kc_list_items(client, "v1", "nosuchthings", NS, NULL, &s.list_json, &s.text, &s.spans, &s.count),
                 KC_ERR_NOT_FOUND);
    CHECK(s.list_json == NULL && s.text == NULL && s.spans == NULL && s.count == 0);
    CHECK(kc_error_last()->http_code == 404);

    s.count = 7;
    CHECK_STATUS(kc_list_all_items(client, "v1", "configmaps/status", NS, NULL, &s.list_json, &s.text, &s.spans,
                                   &s.count), KC_ERR_INVALID_ARGUMENT);
    CHECK(s.list_json == NULL && s.count == 0);

    CHECK_STATUS(kc_list_items(client, "v1", "configmaps", NS, NULL, &s.list_json, NULL, &s.spans, &s.count),
                 KC_ERR_INVALID_ARGUMENT);
    CHECK_STR(kc_error_last()->message, "out_items_text is NULL");
    CHECK(s.list_json == NULL && s.spans == NULL);
    CHECK_STATUS(kc_list_items(client, "v1", "configmaps", NS, NULL, &s.list_json, &s.text, &s.spans, NULL),
                 KC_ERR_INVALID_ARGUMENT);
    CHECK_STR(kc_error_last()->message, "out_count is NULL");
    CHECK_STATUS(kc_list_items(NULL, "v1", "configmaps", NS, NULL, &s.list_json, &s.text, &s.spans, &s.count),
                 KC_ERR_INVALID_ARGUMENT);

    kc_list_options bad = KC_LIST_OPTIONS_INIT;
    bad.limit = -1;
    CHECK_STATUS(kc_list_items(client, "v1", "configmaps", NS, &bad, &s.list_json, &s.text, &s.spans, &s.count),
                 KC_ERR_INVALID_ARGUMENT);
    CHECK(s.list_json == NULL && s.text == NULL && s.spans == NULL && s.count == 0);
}

int main(void) {
    kc_client *client = kc_test_client(kc_test_kubeconfig(), NULL);
    kc_test_ensure(client, "v1", "namespaces", NULL,
                   "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"kc-list-items\"}}");
    kc_test_ensure(client, "v1", "namespaces", NULL,
                   "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"kc-list-items-empty\"}}");
    for (int i = 0; i < ITEMS; i++) {
        char json[256];
        /* Escapes and non-ASCII text inside items must survive the split byte for byte. */
        snprintf(json, sizeof json,
                 "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm-%d\"},"
                 "\"data\":{\"text\":\"line %d\\n\\\"q\\\" \\u00e9 ] } [ {\"}}", i, i);
        kc_test_ensure(client, "v1", "configmaps", NS, json);
    }

    kc_test_case tests[] = {
        {"each span is exactly an item of kc_list's answer; the rest is the list's metadata", NULL,
         test_items_are_the_lists_items},
        {"pages keep their continue token; kc_list_all_items joins every page", NULL, test_pages_and_list_all},
        {"an empty list has no items and allocated buffers", NULL, test_empty_list},
        {"errors clear every out-parameter; NULL out-parameters are invalid arguments", NULL,
         test_errors_leave_nothing},
    };
    return kc_test_run(tests, sizeof tests / sizeof tests[0], client);
}
