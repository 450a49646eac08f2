/*
 * Hardening of the request path as C callers meet it: dot-segment names never reach another
 * resource, header values with line breaks are refused, bad TLS material and URLs are refused
 * by kc_client_new with the culprit named, and a password in the server URL never shows.
 * Run by Tests/c/run.sh, which starts the server and sets KC_TEST_KUBECONFIG.
 */
#define _POSIX_C_SOURCE 200809L
#include "kc_test.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int kc_test_failures = 0;

static const char *kubeconfig;

/* Writes `text` to a fresh temporary file; returns its path (static buffer). */
static const char *temp_kubeconfig(const char *text) {
    static char path[64];
    snprintf(path, sizeof path, "/tmp/kc-hardening-XXXXXX");
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd < 0) return "";
    size_t length = strlen(text);
    CHECK(write(fd, text, length) == (ssize_t)length);
    close(fd);
    return path;
}

static kc_status client_from(const char *text, kc_client **out) {
    const char *path = temp_kubeconfig(text);
    kc_config *config = NULL;
    kc_status status = kc_config_load(path, NULL, NULL, NULL, &config);
    if (status == KC_OK) {
        status = kc_client_new(config, NULL, out);
        kc_config_free(config);
    }
    unlink(path);
    return status;
}

static const char *KUBECONFIG_FMT =
    "apiVersion: v1\nkind: Config\ncurrent-context: c\n"
    "clusters:\n- name: c\n  cluster:\n    server: %s\n%s"
    "contexts:\n- name: c\n  context: {cluster: c, user: u}\n"
    "users:\n- name: u\n  user:\n    token: %s\n";

static kc_status client_with(const char *server, const char *cluster_extra, const char *token, kc_client **out) {
    char text[2048];
    snprintf(text, sizeof text, KUBECONFIG_FMT, server, cluster_extra, token);
    return client_from(text, out);
}

static void test_dot_segments(kc_client *client) {
    char *out = NULL;
    CHECK_OK(kc_create(client, "v1", "namespaces", NULL,
                       "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"kc-tenant-a\"}}", &out));
    kc_free(out);
    const char *names[] = {"..", ".", "a/b", ""};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        out = NULL;
        CHECK_STATUS(kc_delete(client, "v1", "pods", "kc-tenant-a", names[i], NULL, &out), KC_ERR_INVALID_ARGUMENT);
        CHECK(out == NULL);
    }
    out = NULL;
    CHECK_STATUS(kc_list(client, "v1", "secrets", "..", NULL, &out), KC_ERR_INVALID_ARGUMENT);
    CHECK(out == NULL);
    out = NULL;
    CHECK_OK(kc_get(client, "v1", "namespaces", NULL, "kc-tenant-a", &out));
    kc_free(out);
}

/* An API error exposes the server's Status: details.causes with field paths. */
static void test_status_details(kc_client *client) {
    char *out = NULL;
    CHECK_STATUS(kc_create(client, "v1", "configmaps", "default",
                           "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"Bad_Name\"}}", &out),
                 KC_ERR_INVALID);
    const kc_error *error = kc_error_last();
    CHECK(error->http_code == 422);
    CHECK(strstr(error->status_json, "\"kind\":\"Status\"") != NULL);
    CHECK(strstr(error->status_json, "metadata.name") != NULL);
    /* Without an HTTP answer there is no Status. */
    CHECK_STATUS(kc_get(client, "v1", "configmaps", "default", "..", &out), KC_ERR_INVALID_ARGUMENT);
    CHECK_STR(kc_error_last()->status_json, "");
}

static void test_header_injection(void) {
    kc_client *client = NULL;
    CHECK_OK(client_with("https://127.0.0.1:1", "", "\"secret\\r\\nX-Evil: 1\"", &client));
    char *out = NULL;
    CHECK_STATUS(kc_list(client, "v1", "namespaces", NULL, NULL, &out), KC_ERR_INVALID_ARGUMENT);
    CHECK(strstr(kc_error_last()->message, "secret") == NULL);
    CHECK(strstr(kc_error_last()->message, "bearer token") != NULL);
    kc_client_free(client);
}

static void test_construction_checks(void) {
    kc_client *client = NULL;
    /* "bm90IGEgY2VydA==" is base64 of "not a cert". */
    CHECK_STATUS(client_with("https://127.0.0.1:6443", "    certificate-authority-data: bm90IGEgY2VydA==\n", "t", &client),
                 KC_ERR_CONFIG);
    CHECK(strstr(kc_error_last()->message, "certificate authority") != NULL);
    CHECK(client == NULL);
    CHECK_STATUS(client_with("https://127.0.0.1:notaport", "", "t", &client), KC_ERR_CONFIG);
    CHECK(strstr(kc_error_last()->message, "invalid port") != NULL);
    CHECK(client == NULL);
}

static void test_url_password_redacted(void) {
    char text[2048];
    snprintf(text, sizeof text, KUBECONFIG_FMT, "https://admin:hunter2@127.0.0.1:6443", "", "t");
    const char *path = temp_kubeconfig(text);
    kc_config *config = NULL;
    CHECK_OK(kc_config_load(path, NULL, NULL, NULL, &config));
    CHECK_STR(kc_config_host(config), "https://admin:xxxxx@127.0.0.1:6443");
    kc_config_free(config);
    unlink(path);
}

static void count_event(kc_event_type type, const char *object, size_t object_len, void *user_data) {
    (void)object;
    (void)object_len;
    if (type == KC_EVENT_ERROR) ((int *)user_data)[1]++;
    ((int *)user_data)[0]++;
}

/* A watch from a compacted resourceVersion gets a 410 ERROR event: the watch must end with
 * KC_ERR_GONE (it used to end with KC_OK), and the ERROR event is not delivered. */
static void test_watch_gone(kc_client *client) {
    char *out = NULL;
    CHECK_OK(kc_list(client, "v1", "configmaps", "default", NULL, &out));
    const char *rv_key = "\"resourceVersion\":\"";
    const char *at = out ? strstr(out, rv_key) : NULL;
    char rv[64] = "";
    if (at) sscanf(at + strlen(rv_key), "%63[^\"]", rv);
    kc_free(out);
    CHECK(rv[0] != '\0');
    out = NULL;
    CHECK_OK(kc_create(client, "v1", "configmaps", "default",
                       "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"kc-gone\"}}", &out));
    kc_free(out);
    const char *compact = "{\"action\":\"compact\"}";
    int code = 0;
    char *body = NULL;
    size_t body_len = 0;
    CHECK_OK(kc_request(client, "POST", "/_testserver/faults", compact, strlen(compact), "application/json",
                        &code, &body, &body_len));
    kc_free(body);

    kc_list_options options = KC_LIST_OPTIONS_INIT;
    options.resource_version = rv;
    options.timeout_ms = 5000;
    kc_watch_handlers handlers = KC_WATCH_HANDLERS_INIT;
    handlers.on_event = count_event;
    int counts[2] = {0, 0};
    kc_watch *watch = NULL;
    CHECK_OK(kc_watch_start(client, "v1", "configmaps", "default", &options, &handlers, counts, &watch));
    CHECK_STATUS(kc_watch_wait(watch, 30000), KC_ERR_GONE);
    CHECK(kc_error_last()->http_code == 410);
    CHECK(counts[1] == 0);
    kc_watch_free(watch);
}

/* Log lines reach the handler: collected under a mutex (library threads may log). */
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static int throttling_lines = 0;
static int below_minimum = 0;

static void collect_log(kc_log_level level, const char *component, const char *message, void *user_data) {
    (void)user_data;
    pthread_mutex_lock(&log_lock);
    if (level < KC_LOG_INFO) below_minimum++;
    if (strstr(message, "client-side throttling") != NULL && strcmp(component, "kubeclient") == 0) throttling_lines++;
    pthread_mutex_unlock(&log_lock);
}

static void test_log_handler(void) {
    kc_config *config = NULL;
    kc_client *client = NULL;
    CHECK_OK(kc_config_load(kubeconfig, NULL, NULL, NULL, &config));
    kc_client_options options = KC_CLIENT_OPTIONS_INIT;
    options.qps = 0.2;  /* the second request waits up to 5 s for the rate limiter (over 1 s even under valgrind): logged */
    options.burst = 1;
    CHECK_OK(kc_client_new(config, &options, &client));
    kc_config_free(config);
    for (int i = 0; i < 2; i++) {
        char *out = NULL;
        CHECK_OK(kc_get(client, "v1", "namespaces", NULL, "default", &out));
        kc_free(out);
    }
    kc_client_free(client);
    pthread_mutex_lock(&log_lock);
    CHECK(throttling_lines == 1);
    CHECK(below_minimum == 0);
    pthread_mutex_unlock(&log_lock);
    CHECK_STATUS(kc_log_set_handler(collect_log, (kc_log_level)42, NULL), KC_ERR_INVALID_ARGUMENT);
    CHECK_OK(kc_log_set_handler(NULL, KC_LOG_INFO, NULL));
}

/* Counts ADDED events of objects whose name starts with "kc-resume-". */
static pthread_mutex_t resume_lock = PTHREAD_MUTEX_INITIALIZER;
static int resume_added = 0;
static int resume_errors = 0;

/* Whether `needle` occurs in the first `length` bytes of `text` (which is not NUL-terminated). */
static int contains(const char *text, size_t length, const char *needle) {
    size_t n = strlen(needle);
    for (size_t i = 0; i + n <= length; i++) {
        if (memcmp(text + i, needle, n) == 0) return 1;
    }
    return 0;
}

static void on_resume_event(kc_event_type type, const char *object, size_t object_len, void *user_data) {
    (void)user_data;
    pthread_mutex_lock(&resume_lock);
    if (type == KC_EVENT_ERROR) resume_errors++;
    if (type == KC_EVENT_ADDED && contains(object, object_len, "\"kc-resume-")) resume_added++;
    pthread_mutex_unlock(&resume_lock);
}

static int resume_count(void) {
    pthread_mutex_lock(&resume_lock);
    int count = resume_added;
    pthread_mutex_unlock(&resume_lock);
    return count;
}

static int wait_for_count(int expected) {
    for (int i = 0; i < 3000 && resume_count() < expected; i++) {
        struct timespec pause = {0, 10 * 1000 * 1000};
        nanosleep(&pause, NULL);
    }
    return resume_count() >= expected;
}

/* A resumable watch lists first, survives a dropped stream, and ends only when stopped. */
static void test_resumable_watch(kc_client *client) {
    char *out = NULL;
    CHECK_OK(kc_create(client, "v1", "configmaps", "default",
                       "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"kc-resume-1\"}}", &out));
    kc_free(out);
    kc_watch_handlers handlers = KC_WATCH_HANDLERS_INIT;
    handlers.on_event = on_resume_event;
    kc_watch *watch = NULL;
    CHECK_OK(kc_watch_start_resumable(client, "v1", "configmaps", "default", NULL, &handlers, NULL, &watch));
    CHECK(wait_for_count(1));
    const char *drop = "{\"action\":\"closeWatches\",\"abrupt\":true}";
    int code = 0;
    char *body = NULL;
    size_t body_len = 0;
    CHECK_OK(kc_request(client, "POST", "/_testserver/faults", drop, strlen(drop), "application/json",
                        &code, &body, &body_len));
    kc_free(body);
    out = NULL;
    CHECK_OK(kc_create(client, "v1", "configmaps", "default",
                       "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"kc-resume-2\"}}", &out));
    kc_free(out);
    CHECK(wait_for_count(2));
    CHECK_STATUS(kc_watch_wait(watch, 0), KC_ERR_TIMEOUT);  /* still running after the drop */
    CHECK_OK(kc_watch_stop(watch));
    CHECK_OK(kc_watch_wait(watch, -1));
    CHECK(resume_count() == 2);
    CHECK(resume_errors == 0);
    kc_watch_free(watch);
}

/* A loopback HTTP server answering 200 {} to `expected` requests, keeping each request head. */
typedef struct recorder {
    int listener;
    int port;
    int expected;
    char heads[4][4096];
    pthread_t thread;
} recorder;

static void *recorder_run(void *raw) {
    recorder *r = raw;
    for (int i = 0; i < r->expected; i++) {
        int fd = accept(r->listener, NULL, NULL);
        if (fd < 0) break;
        size_t used = 0;
        while (used < sizeof r->heads[i] - 1 && strstr(r->heads[i], "\r\n\r\n") == NULL) {
            ssize_t n = recv(fd, r->heads[i] + used, sizeof r->heads[i] - 1 - used, 0);
            if (n <= 0) break;
            used += (size_t)n;
            r->heads[i][used] = '\0';
        }
        const char *answer = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n"
                             "Connection: close\r\n\r\n{}";
        ssize_t sent = send(fd, answer, strlen(answer), 0);
        (void)sent;
        close(fd);
    }
    return NULL;
}

static int recorder_start(recorder *r, int expected) {
    memset(r, 0, sizeof *r);
    r->expected = expected;
    r->listener = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in address;
    memset(&address, 0, sizeof address);
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t length = sizeof address;
    if (bind(r->listener, (struct sockaddr *)&address, sizeof address) != 0 || listen(r->listener, 4) != 0 ||
        getsockname(r->listener, (struct sockaddr *)&address, &length) != 0) return 0;
    r->port = ntohs(address.sin_port);
    return pthread_create(&r->thread, NULL, recorder_run, r) == 0;
}

static void recorder_join(recorder *r) {
    pthread_join(r->thread, NULL);
    close(r->listener);
}

/* One GET /version through a kubeconfig with `cluster_extra` and `user_fields`. */
static void get_version(const char *server, const char *cluster_extra, const char *user_fields) {
    char text[2048];
    snprintf(text, sizeof text,
             "apiVersion: v1\nkind: Config\ncurrent-context: c\n"
             "clusters: [{name: k, cluster: {server: \"%s\"%s}}]\n"
             "contexts: [{name: c, context: {cluster: k, user: u}}]\n"
             "users: [{name: u, user: {%s}}]\n", server, cluster_extra, user_fields);
    kc_client *client = NULL;
    CHECK_OK(client_from(text, &client));
    int code = 0;
    char *body = NULL;
    size_t body_len = 0;
    CHECK_OK(kc_request(client, "GET", "/version", NULL, 0, NULL, &code, &body, &body_len));
    CHECK(code == 200);
    kc_free(body);
    kc_client_free(client);
}

/* client-go applies user credentials only over TLS; tls-server-name is a TLS setting only. */
static void test_plain_http_and_host_header(void) {
    recorder r;
    CHECK(recorder_start(&r, 3));
    char server[64];
    snprintf(server, sizeof server, "http://127.0.0.1:%d", r.port);
    get_version(server, "", "token: secret-token");
    get_version(server, "", "username: u, password: secret-pw");
    get_version(server, ", tls-server-name: kubernetes.default", "token: t");
    recorder_join(&r);
    for (int i = 0; i < 2; i++) {
        CHECK(strstr(r.heads[i], "Authorization") == NULL);
        CHECK(strstr(r.heads[i], "secret") == NULL);
    }
    char host[64];
    snprintf(host, sizeof host, "\r\nHost: 127.0.0.1:%d\r\n", r.port);
    CHECK(strstr(r.heads[2], host) != NULL);
    CHECK(strstr(r.heads[2], "kubernetes.default") == NULL);
}

/* A client for a kubeconfig whose user is the flow map `{user_fields}`. */
static kc_status client_with_user(const char *user_fields, kc_client **out) {
    char text[2048];
    snprintf(text, sizeof text,
             "apiVersion: v1\nkind: Config\ncurrent-context: c\n"
             "clusters: [{name: k, cluster: {server: \"https://127.0.0.1:1\"}}]\n"
             "contexts: [{name: c, context: {cluster: k, user: u}}]\n"
             "users: [{name: u, user: {%s}}]\n", user_fields);
    return client_from(text, out);
}

/* client-go's kubeconfig validation; an install hint's escapes are neutralised. */
static void test_kubeconfig_rules(void) {
    const struct { const char *user; const char *message; } refused[] = {
        {"token: t, as-groups: [devs]", "without a user to impersonate"},
        {"token: t, as-uid: '42'", "without a user to impersonate"},
        {"client-certificate: /tmp/c.pem, client-certificate-data: QUJD, client-key-data: QUJD",
         "client-certificate and client-certificate-data are both specified"},
        {"client-key: /tmp/k.pem, client-key-data: QUJD", "client-key and client-key-data are both specified"},
    };
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        kc_client *client = NULL;
        CHECK_STATUS(client_with_user(refused[i].user, &client), KC_ERR_CONFIG);
        CHECK(strstr(kc_error_last()->message, refused[i].message) != NULL);
        CHECK(client == NULL);
    }
    /* Positive control: with a user to impersonate, the groups load. */
    kc_client *client = NULL;
    CHECK_OK(client_with_user("token: t, as: jane, as-groups: [devs]", &client));
    kc_client_free(client);

    client = NULL;
    CHECK_OK(client_with_user("exec: {apiVersion: client.authentication.k8s.io/v1, command: kubeclient-no-such-plugin, "
                              "interactiveMode: Never, installHint: \"run \\e[31mthis\"}", &client));
    char *out = NULL;
    CHECK_STATUS(kc_list(client, "v1", "namespaces", NULL, NULL, &out), KC_ERR_CONFIG);
    CHECK(strchr(kc_error_last()->message, 0x1b) == NULL);
    /* valgrind's posix_spawn reports a missing command as the child's exit 1, not ENOENT, so
     * the install hint (shown only for a missing command) is checked outside valgrind. */
    if (!getenv("KC_TEST_UNDER_VALGRIND") && strstr(kc_error_last()->message, "U+001B[31mthis") == NULL) {
        fprintf(stderr, "  message: %s\n", kc_error_last()->message);
        kc_test_failures++;
    }
    kc_client_free(client);
}

/* A billion-laughs manifest and an endless kubeconfig fail with errors, not an abort. */
static void test_hostile_inputs(kc_client *client) {
    char bomb[4096];
    int used = snprintf(bomb, sizeof bomb, "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
    for (char level = 'b'; level <= 'i'; level++) {
        char prev = (char)(level - 1);
        used += snprintf(bomb + used, sizeof bomb - (size_t)used, "%c: &%c [*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c,*%c]\n",
                         level, level, prev, prev, prev, prev, prev, prev, prev, prev, prev);
    }
    char document[8192];
    snprintf(document, sizeof document, "%sapiVersion: v1\nkind: ConfigMap\nmetadata: {name: kc-laughs}\n", bomb);
    char *out = NULL;
    kc_status status = kc_apply_manifest(client, document, "default", NULL, &out);
    CHECK(status != KC_OK);
    CHECK(strstr(kc_error_last()->message, "alias") != NULL);
    CHECK(out == NULL);
    kc_config *config = NULL;
    CHECK_STATUS(kc_config_load("/dev/zero", NULL, NULL, NULL, &config), KC_ERR_CONFIG);
    CHECK(strstr(kc_error_last()->message, "larger than") != NULL);
    CHECK(config == NULL);
}

int main(void) {
    kubeconfig = kc_test_kubeconfig();
    /* First of all, as the header asks: loggers created before it keep writing to stderr. */
    CHECK_OK(kc_log_set_handler(collect_log, KC_LOG_INFO, NULL));
    kc_client *client = kc_test_client(kubeconfig, NULL);
    kc_test_case tests[] = {
        {"log lines reach the handler set with kc_log_set_handler", test_log_handler, NULL},
        {"dot-segment names never reach another resource", NULL, test_dot_segments},
        {"API errors carry the server's Status", NULL, test_status_details},
        {"header values with line breaks are refused", test_header_injection, NULL},
        {"kc_client_new refuses bad TLS material and URLs", test_construction_checks, NULL},
        {"a plain watch ends with KC_ERR_GONE on a 410 ERROR event", NULL, test_watch_gone},
        {"a resumable watch survives a dropped stream", NULL, test_resumable_watch},
        {"no credentials over plain HTTP; the Host header is kept with tls-server-name",
         test_plain_http_and_host_header, NULL},
        {"kubeconfig validation as client-go; install hint escapes neutralised", test_kubeconfig_rules, NULL},
        {"an alias bomb and an endless kubeconfig are refused", NULL, test_hostile_inputs},
        {"a password in the server URL is redacted", test_url_password_redacted, NULL},
    };
    return kc_test_run(tests, sizeof tests / sizeof tests[0], client);
}
