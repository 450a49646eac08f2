/*
 * Port-forward from C (include/kubeclient/stream.h): one connection as a kc_stream (write,
 * read, poll, half-close, stop, cancel), a pod port nobody listens on, and kc_port_forwarder
 * forwarding many local connections. The pod port leads to a TCP echo server this test runs,
 * registered with the test server's POST /_testserver/portforward.
 * Run by Tests/c/run.sh, which starts kubeclient-testserver and sets KC_TEST_KUBECONFIG.
 */
#define _POSIX_C_SOURCE 200809L
#define _DEFAULT_SOURCE
#include "kc_test.h"
#include "stream_test.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

int kc_test_failures = 0;

static const char *NS = "kc-pf";
#define POD_PORT 8080
#define DEAD_PORT 8081

/* ---- a TCP echo server: echoes each connection until EOF, then closes it ---- */

typedef struct {
    int listener;
    uint16_t port;
    pthread_t thread;
    pthread_mutex_t lock;
    int accepted;
} echo_server;

static void *echo_connection(void *arg) {
    int fd = (int)(intptr_t)arg;
    char buffer[16384];
    for (;;) {
        ssize_t n = read(fd, buffer, sizeof buffer);
        if (n <= 0) break;
        ssize_t off = 0;
        while (off < n) {
            ssize_t w = write(fd, buffer + off, (size_t)(n - off));
            if (w <= 0) { off = -1; break; }
            off += w;
        }
        if (off < 0) break;
    }
    close(fd);
    return NULL;
}

static void *echo_accept(void *arg) {
    echo_server *s = arg;
    for (;;) {
        int fd = accept(s->listener, NULL, NULL);
        if (fd < 0) break;
        pthread_mutex_lock(&s->lock);
        s->accepted++;
        pthread_mutex_unlock(&s->lock);
        pthread_t t;
        if (pthread_create(&t, NULL, echo_connection, (void *)(intptr_t)fd) == 0) pthread_detach(t);
        else close(fd);
    }
    return NULL;
}

static int listen_local(uint16_t *port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK), .sin_port = 0};
    if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof addr) != 0 || listen(fd, 64) != 0) return -1;
    socklen_t len = sizeof addr;
    getsockname(fd, (struct sockaddr *)&addr, &len);
    *port = ntohs(addr.sin_port);
    return fd;
}

static void echo_start(echo_server *s) {
    memset(s, 0, sizeof *s);
    pthread_mutex_init(&s->lock, NULL);
    s->listener = listen_local(&s->port);
    CHECK(s->listener >= 0);
    CHECK(pthread_create(&s->thread, NULL, echo_accept, s) == 0);
}

static void echo_stop(echo_server *s) {
    shutdown(s->listener, SHUT_RDWR);
    pthread_join(s->thread, NULL);
    close(s->listener);
    pthread_mutex_destroy(&s->lock);
}

static void register_target(kc_client *client, const char *pod, int port, int target_port) {
    char body[256];
    snprintf(body, sizeof body, "{\"namespace\":\"%s\",\"pod\":\"%s\",\"port\":%d,\"targetPort\":%d}", NS, pod, port,
             target_port);
    int code = 0;
    char *out = NULL;
    CHECK_OK(kc_request(client, "POST", "/_testserver/portforward", body, strlen(body), NULL, &code, &out, NULL));
    CHECK(code == 200);
    kc_free(out);
}

static echo_server echo;

/* ---- tests ---- */

static void test_a_connection_writes_reads_and_half_closes(kc_client *client) {
    kc_stream *stream = NULL;
    CHECK_OK(kc_port_forward_open(client, NS, "web", POD_PORT, NULL, &stream));
    int fd = -1;
    CHECK_OK(kc_stream_fd(stream, &fd));
    CHECK(fd >= 0);
    CHECK(!poll_readable(fd, 0));
    CHECK_OK(kc_stream_write(stream, "hello", 5));
    CHECK_OK(kc_stream_write(stream, NULL, 0));
    CHECK(poll_readable(fd, 10000));
    char buffer[64];
    CHECK(read_exactly(stream, buffer, 5) == 5);
    CHECK(memcmp(buffer, "hello", 5) == 0);
    size_t n = 0;
    CHECK_STATUS(kc_stream_read(stream, buffer, sizeof buffer, 0, &n), KC_ERR_TIMEOUT);
    /* A second round trip, then the half-close: the echo server sees the end and closes. */
    CHECK_OK(kc_stream_write(stream, "again", 5));
    CHECK(read_exactly(stream, buffer, 5) == 5);
    CHECK(memcmp(buffer, "again", 5) == 0);
    CHECK_OK(kc_stream_close_write(stream));
    CHECK_OK(kc_stream_close_write(stream));
    CHECK_STATUS(kc_stream_write(stream, "late", 4), KC_ERR_CLOSED);
    CHECK_OK(kc_stream_read(stream, buffer, sizeof buffer, 10000, &n));
    CHECK(n == 0);
    CHECK(poll_readable(fd, 0));
    kc_stream_free(stream);
}

static void test_a_megabyte_round_trips_intact(kc_client *client) {
    enum { SIZE = 1 << 20 };
    char *out = malloc(SIZE), *in = malloc(SIZE);
    for (size_t i = 0; i < SIZE; i++) out[i] = (char)(i * 31 + (i >> 9));
    kc_stream *stream = NULL;
    CHECK_OK(kc_port_forward_open(client, NS, "web", POD_PORT, NULL, &stream));
    /* Written in pieces, read back while writing, so neither direction's buffers fill up. */
    size_t written = 0, got = 0;
    while (got < SIZE) {
        if (written < SIZE) {
            size_t piece = SIZE - written < 65536 ? SIZE - written : 65536;
            CHECK_OK(kc_stream_write(stream, out + written, piece));
            written += piece;
        }
        size_t n = 0;
        kc_status s = kc_stream_read(stream, in + got, SIZE - got, written < SIZE ? 0 : 10000, &n);
        if (s == KC_ERR_TIMEOUT) continue;
        if (s != KC_OK || n == 0) break;
        got += n;
    }
    CHECK(got == SIZE);
    CHECK(memcmp(in, out, SIZE) == 0);
    kc_stream_free(stream);
    free(out);
    free(in);
}

static void test_a_refused_pod_port_fails_the_first_read(kc_client *client) {
    kc_stream *stream = NULL;
    CHECK_OK(kc_port_forward_open(client, NS, "web", DEAD_PORT, NULL, &stream));
    char buffer[16];
    size_t n = 9;
    kc_status s = kc_stream_read(stream, buffer, sizeof buffer, 10000, &n);
    printf("     refused port: %s: %s\n", kc_status_str(s), kc_error_last()->message);
    CHECK(s == KC_ERR_API);
    CHECK(n == 0);
    CHECK(strstr(kc_error_last()->message, "8081") != NULL);
    /* The failure is returned once; then the end. */
    CHECK_OK(kc_stream_read(stream, buffer, sizeof buffer, 0, &n));
    CHECK(n == 0);
    kc_stream_free(stream);
}

static void test_open_errors(kc_client *client) {
    kc_stream *stream = (kc_stream *)1;
    CHECK_STATUS(kc_port_forward_open(client, NS, "missing", POD_PORT, NULL, &stream), KC_ERR_NOT_FOUND);
    CHECK(stream == NULL);
    CHECK(kc_error_last()->http_code == 404);
    CHECK_STATUS(kc_port_forward_open(client, NS, "web", 0, NULL, &stream), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_port_forward_open(NULL, NS, "web", POD_PORT, NULL, &stream), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_port_forward_open(client, NULL, "web", POD_PORT, NULL, &stream), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_port_forward_open(client, NS, NULL, POD_PORT, NULL, &stream), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_port_forward_open(client, NS, "web", POD_PORT, NULL, NULL), KC_ERR_INVALID_ARGUMENT);
}

typedef struct {
    kc_stream *stream;
    kc_status status;
    size_t len;
    double finished_at;
} blocked_read;

static void *read_blocked(void *arg) {
    blocked_read *r = arg;
    char buffer[64];
    r->status = kc_stream_read(r->stream, buffer, sizeof buffer, -1, &r->len);
    r->finished_at = kc_test_now();
    return NULL;
}

static void test_stop_and_cancel_end_a_blocked_read(kc_client *client) {
    blocked_read r = {0};
    CHECK_OK(kc_port_forward_open(client, NS, "web", POD_PORT, NULL, &r.stream));
    pthread_t thread;
    CHECK(pthread_create(&thread, NULL, read_blocked, &r) == 0);
    kc_test_sleep(0.1);
    double stopped_at = kc_test_now();
    CHECK_OK(kc_stream_stop(r.stream));
    pthread_join(thread, NULL);
    printf("     kc_stream_stop ended a blocked read after %.3f s\n", r.finished_at - stopped_at);
    CHECK(r.finished_at - stopped_at < kc_test_stop_bound());
    CHECK(r.status == KC_OK && r.len == 0);
    CHECK_STATUS(kc_stream_write(r.stream, "x", 1), KC_ERR_CLOSED);
    CHECK_STATUS(kc_stream_close_write(r.stream), KC_ERR_CLOSED);
    kc_stream_free(r.stream);

    kc_cancel *cancel = NULL;
    CHECK_OK(kc_cancel_new(&cancel));
    blocked_read c = {0};
    CHECK_OK(kc_port_forward_open(client, NS, "web", POD_PORT, cancel, &c.stream));
    CHECK(pthread_create(&thread, NULL, read_blocked, &c) == 0);
    kc_test_sleep(0.1);
    double cancelled_at = kc_test_now();
    CHECK_OK(kc_cancel_cancel(cancel));
    pthread_join(thread, NULL);
    printf("     kc_cancel_cancel ended a blocked read after %.3f s\n", c.finished_at - cancelled_at);
    CHECK(c.finished_at - cancelled_at < kc_test_stop_bound());
    /* A cancel is an end the caller asked for, as a stop: not a failure. */
    CHECK(c.status == KC_OK && c.len == 0);
    kc_stream_free(c.stream);
    /* A cancelled token: nothing is opened. */
    kc_stream *stream = (kc_stream *)1;
    CHECK(kc_port_forward_open(client, NS, "web", POD_PORT, cancel, &stream) == KC_ERR_CANCELLED);
    CHECK(stream == NULL);
    kc_cancel_free(cancel);
}

/* One local client of the forwarder: connects, sends its message, reads it back. */
typedef struct {
    uint16_t port;
    char message[32];
    int ok;
} local_client;

static int connect_local(uint16_t port) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in addr = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK), .sin_port = htons(port)};
    if (fd < 0) return -1;
    if (connect(fd, (struct sockaddr *)&addr, sizeof addr) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

static void *run_local_client(void *arg) {
    local_client *c = arg;
    int fd = connect_local(c->port);
    if (fd < 0) return NULL;
    size_t len = strlen(c->message);
    if (write(fd, c->message, len) == (ssize_t)len) {
        char buffer[64];
        size_t got = 0;
        while (got < len) {
            ssize_t n = read(fd, buffer + got, sizeof buffer - got);
            if (n <= 0) break;
            got += (size_t)n;
        }
        c->ok = got == len && memcmp(buffer, c->message, len) == 0;
    }
    close(fd);
    return NULL;
}

static void test_the_forwarder_serves_many_connections_and_stops(kc_client *client) {
    kc_port_forwarder *forwarder = NULL;
    CHECK_OK(kc_port_forwarder_start(client, NS, "web", NULL, 0, POD_PORT, &forwarder));
    uint16_t port = 0;
    CHECK_OK(kc_port_forwarder_local_port(forwarder, &port));
    CHECK(port != 0);
    enum { CLIENTS = 8 };
    local_client clients[CLIENTS];
    pthread_t threads[CLIENTS];
    for (int i = 0; i < CLIENTS; i++) {
        clients[i] = (local_client){.port = port};
        snprintf(clients[i].message, sizeof clients[i].message, "client %d says hi", i);
        CHECK(pthread_create(&threads[i], NULL, run_local_client, &clients[i]) == 0);
    }
    for (int i = 0; i < CLIENTS; i++) {
        pthread_join(threads[i], NULL);
        CHECK(clients[i].ok);
    }
    /* The same port is taken now. */
    kc_port_forwarder *second = (kc_port_forwarder *)1;
    CHECK_STATUS(kc_port_forwarder_start(client, NS, "web", "127.0.0.1", port, POD_PORT, &second), KC_ERR_TRANSPORT);
    CHECK(second == NULL);
    /* Stopping closes an open forwarded connection and the listener. */
    int open_fd = connect_local(port);
    CHECK(open_fd >= 0);
    CHECK(write(open_fd, "x", 1) == 1);
    char byte;
    CHECK(read(open_fd, &byte, 1) == 1);
    double start = kc_test_now();
    CHECK_OK(kc_port_forwarder_stop(forwarder));
    double took = kc_test_now() - start;
    printf("     kc_port_forwarder_stop took %.3f s\n", took);
    CHECK(took < kc_test_stop_bound());
    CHECK(read(open_fd, &byte, 1) <= 0);
    close(open_fd);
    int refused = connect_local(port);
    CHECK(refused < 0);
    if (refused >= 0) close(refused);
    CHECK_OK(kc_port_forwarder_stop(forwarder));
    CHECK_OK(kc_port_forwarder_local_port(forwarder, &port));
    kc_port_forwarder_free(forwarder);
}

static void test_forwarder_arguments(kc_client *client) {
    kc_port_forwarder *forwarder = (kc_port_forwarder *)1;
    CHECK_STATUS(kc_port_forwarder_start(NULL, NS, "web", NULL, 0, POD_PORT, &forwarder), KC_ERR_INVALID_ARGUMENT);
    CHECK(forwarder == NULL);
    CHECK_STATUS(kc_port_forwarder_start(client, NS, "web", NULL, 0, 0, &forwarder), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_port_forwarder_start(client, NS, "web", NULL, 0, POD_PORT, NULL), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_port_forwarder_start(client, NS, "web", "not an address", 0, POD_PORT, &forwarder),
                 KC_ERR_INVALID_ARGUMENT);
    CHECK(forwarder == NULL);
    uint16_t port = 7;
    CHECK_STATUS(kc_port_forwarder_local_port(NULL, &port), KC_ERR_INVALID_ARGUMENT);
    CHECK_STATUS(kc_port_forwarder_stop(NULL), KC_ERR_INVALID_ARGUMENT);
    kc_port_forwarder_free(NULL);
}

int main(void) {
    kc_client *client = kc_test_client(kc_test_kubeconfig(), NULL);
    kc_test_ensure(client, "v1", "namespaces", NULL,
                   "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"kc-pf\"}}");
    kc_test_ensure(client, "v1", "pods", NS,
                   "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web\"},"
                   "\"spec\":{\"containers\":[{\"name\":\"main\",\"image\":\"busybox\"}]}}");
    echo_start(&echo);
    register_target(client, "web", POD_PORT, echo.port);
    /* A target nobody listens on: a port that was free a moment ago. */
    uint16_t dead = 0;
    int probe = listen_local(&dead);
    close(probe);
    register_target(client, "web", DEAD_PORT, dead);

    kc_test_case tests[] = {
        {"a connection writes, reads, polls and half-closes", NULL, test_a_connection_writes_reads_and_half_closes},
        {"a megabyte round-trips intact through a connection", NULL, test_a_megabyte_round_trips_intact},
        {"a pod port nobody listens on fails the first read with the server's message", NULL,
         test_a_refused_pod_port_fails_the_first_read},
        {"kc_stream_stop and kc_cancel_cancel end a blocked read promptly", NULL, test_stop_and_cancel_end_a_blocked_read},
        {"the forwarder serves concurrent local connections; stop closes them and the listener", NULL,
         test_the_forwarder_serves_many_connections_and_stops},
        {"forwarder arguments are checked", NULL, test_forwarder_arguments},
        {"a missing pod and bad arguments are refused when opening", NULL, test_open_errors},
    };
    int status = kc_test_run(tests, sizeof tests / sizeof tests[0], client);
    echo_stop(&echo);
    return status;
}
