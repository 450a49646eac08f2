/*
 * Stream benchmarks of the C API (include/kubeclient/stream.h), one case per process:
 *
 *   kcstreams logs     KUBECONFIG NS POD BYTES   log bytes to a C callback       -> mb_per_sec=
 *   kcstreams exec     KUBECONFIG NS POD BYTES   exec `kc-bulk BYTES` stdout     -> mb_per_sec=
 *   kcstreams exec-rtt KUBECONFIG NS POD COUNT   stdin line -> stdout echo (cat) -> us_per_round_trip=
 *   kcstreams pf       KUBECONFIG NS POD REMOTE BYTES
 *                      our local forwarder, then the same reader as `pf-read`  -> mb_per_sec=
 *   kcstreams pf-read  PORT BYTES                reads BYTES from 127.0.0.1:PORT -> mb_per_sec=
 *
 * The clock starts when the stream is open (the upgrade or the 200 is done), so what is
 * measured is bytes moving, not connection set-up.
 */
#define _POSIX_C_SOURCE 200809L
#include <kubeclient.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int die(const char *what) {
    fprintf(stderr, "%s: %s\n", what, kc_error_last()->message);
    return 1;
}

static kc_client *client_for(const char *kubeconfig) {
    kc_config *config = NULL;
    kc_client *client = NULL;
    kc_client_options options;
    kc_client_options_init(&options, KC_CLIENT_OPTIONS_VERSION);
    options.qps = -1;
    if (kc_config_load(kubeconfig, NULL, NULL, NULL, &config) != KC_OK) return NULL;
    kc_client_new(config, &options, &client);
    kc_config_free(config);
    return client;
}

/* Bytes seen by a callback, and a condition to wait for a count. */
typedef struct {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    size_t bytes;
} counter;

static void count_bytes(const char *data, size_t len, void *user_data) {
    (void)data;
    counter *c = user_data;
    pthread_mutex_lock(&c->lock);
    c->bytes += len;
    pthread_cond_broadcast(&c->cond);
    pthread_mutex_unlock(&c->lock);
}

static int logs_case(const char *kubeconfig, const char *ns, const char *pod, size_t bytes) {
    kc_client *client = client_for(kubeconfig);
    if (!client) return die("client");
    counter c = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};
    kc_stream *stream = NULL;
    double start = now();
    if (kc_pod_logs_start(client, ns, pod, NULL, count_bytes, NULL, &c, &stream) != KC_OK) return die("logs");
    if (kc_stream_wait(stream, -1) != KC_OK) return die("logs stream");
    double seconds = now() - start;
    kc_stream_free(stream);
    kc_client_free(client);
    if (c.bytes < bytes) {
        fprintf(stderr, "logs: %zu of %zu bytes\n", c.bytes, bytes);
        return 1;
    }
    printf("bytes=%zu seconds=%.6f mb_per_sec=%.1f\n", c.bytes, seconds, (double)c.bytes / seconds / 1e6);
    return 0;
}

static int exec_case(const char *kubeconfig, const char *ns, const char *pod, size_t bytes) {
    kc_client *client = client_for(kubeconfig);
    if (!client) return die("client");
    counter c = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};
    char count[32];
    snprintf(count, sizeof count, "%zu", bytes);
    const char *argv[] = {"kc-bulk", count};
    kc_exec_handlers handlers = KC_EXEC_HANDLERS_INIT;
    handlers.on_stdout = count_bytes;
    kc_exec *session = NULL;
    double start = now();
    if (kc_exec_start(client, ns, pod, argv, 2, NULL, &handlers, &c, &session) != KC_OK) return die("exec");
    int exit_code = -1;
    if (kc_exec_wait(session, -1, &exit_code) != KC_OK || exit_code != 0) return die("exec wait");
    double seconds = now() - start;
    kc_exec_free(session);
    kc_client_free(client);
    if (c.bytes != bytes) {
        fprintf(stderr, "exec: %zu of %zu bytes\n", c.bytes, bytes);
        return 1;
    }
    printf("bytes=%zu seconds=%.6f mb_per_sec=%.1f\n", c.bytes, seconds, (double)c.bytes / seconds / 1e6);
    return 0;
}

static int exec_rtt_case(const char *kubeconfig, const char *ns, const char *pod, long rounds) {
    kc_client *client = client_for(kubeconfig);
    if (!client) return die("client");
    counter c = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0};
    const char *argv[] = {"cat"};
    kc_exec_options options;
    kc_exec_options_init(&options, KC_EXEC_OPTIONS_VERSION);
    options.stdin_enabled = 1;
    kc_exec_handlers handlers = KC_EXEC_HANDLERS_INIT;
    handlers.on_stdout = count_bytes;
    kc_exec *session = NULL;
    if (kc_exec_start(client, ns, pod, argv, 1, &options, &handlers, &c, &session) != KC_OK) return die("exec");
    const char line[] = "ping\n";
    size_t expected = 0;
    double start = now();
    for (long i = 0; i < rounds; i++) {
        if (kc_exec_write_stdin(session, line, sizeof line - 1) != KC_OK) return die("stdin");
        expected += sizeof line - 1;
        pthread_mutex_lock(&c.lock);
        while (c.bytes < expected) pthread_cond_wait(&c.cond, &c.lock);
        pthread_mutex_unlock(&c.lock);
    }
    double seconds = now() - start;
    kc_exec_close_stdin(session);
    kc_exec_wait(session, 10000, NULL);
    kc_exec_free(session);
    kc_client_free(client);
    printf("rounds=%ld seconds=%.6f us_per_round_trip=%.1f\n", rounds, seconds, seconds / (double)rounds * 1e6);
    return 0;
}

/* Reads until `bytes` arrived or the peer closes; returns the bytes read, or -1. */
static long long read_port(unsigned port, size_t bytes, double *seconds) {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in address = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&address, sizeof address) != 0) return -1;
    static char buffer[1 << 17];
    long long total = 0;
    double start = 0;
    while ((size_t)total < bytes) {
        ssize_t n = read(fd, buffer, sizeof buffer);
        if (n <= 0) break;
        if (total == 0) start = now();  /* from the first byte: the tunnel is up */
        total += n;
    }
    *seconds = now() - start;
    close(fd);
    return total;
}

static int pf_read_case(unsigned port, size_t bytes) {
    double seconds = 0;
    long long total = read_port(port, bytes, &seconds);
    if (total < (long long)bytes) {
        fprintf(stderr, "pf-read: %lld of %zu bytes\n", total, bytes);
        return 1;
    }
    printf("bytes=%lld seconds=%.6f mb_per_sec=%.1f\n", total, seconds, (double)total / seconds / 1e6);
    return 0;
}

static int pf_case(const char *kubeconfig, const char *ns, const char *pod, unsigned remote, size_t bytes) {
    kc_client *client = client_for(kubeconfig);
    if (!client) return die("client");
    kc_port_forwarder *forwarder = NULL;
    if (kc_port_forwarder_start(client, ns, pod, NULL, 0, (uint16_t)remote, &forwarder) != KC_OK) return die("forwarder");
    uint16_t local = 0;
    kc_port_forwarder_local_port(forwarder, &local);
    int status = pf_read_case(local, bytes);
    kc_port_forwarder_free(forwarder);
    kc_client_free(client);
    return status;
}

int main(int argc, char **argv) {
    if (argc >= 6 && !strcmp(argv[1], "logs")) return logs_case(argv[2], argv[3], argv[4], strtoull(argv[5], NULL, 10));
    if (argc >= 6 && !strcmp(argv[1], "exec")) return exec_case(argv[2], argv[3], argv[4], strtoull(argv[5], NULL, 10));
    if (argc >= 6 && !strcmp(argv[1], "exec-rtt")) return exec_rtt_case(argv[2], argv[3], argv[4], atol(argv[5]));
    if (argc >= 7 && !strcmp(argv[1], "pf"))
        return pf_case(argv[2], argv[3], argv[4], (unsigned)atoi(argv[5]), strtoull(argv[6], NULL, 10));
    if (argc >= 4 && !strcmp(argv[1], "pf-read")) return pf_read_case((unsigned)atoi(argv[2]), strtoull(argv[3], NULL, 10));
    fprintf(stderr, "usage: see the comment at the top of kcstreams.c\n");
    return 2;
}
