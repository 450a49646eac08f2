/* kubectl logs [-f] [-c CONTAINER] [--tail N] POD, in C: the log arrives through a callback
 * on the stream's thread; Ctrl-C ends a followed log.
 * Usage: pod_logs [--kubeconfig PATH] [--master URL] [--context NAME] [-n NAMESPACE]
 *                 [-f] [-c CONTAINER] [--tail N] POD */
#include <kubeclient.h>
#include "example_args.h"
#include "example_flags.h"
#include <stdio.h>
#include <stdlib.h>

static void on_data(const char *data, size_t len, void *user_data) {
    (void)user_data;
    fwrite(data, 1, len, stdout);
    fflush(stdout);
}

/* Wakes main's kc_wait_for_termination when the server ends the log (the pod went away). */
static void on_done(kc_status status, const kc_error *error, void *user_data) {
    *(kc_status *)user_data = status;
    if (status != KC_OK) fprintf(stderr, "error: the log stream failed: %s\n", error->message);
    kc_terminate_trigger();
}

int main(int argc, char **argv) {
    int follow = example_flag(&argc, argv, "-f", "--follow");
    const char *container = example_value(&argc, argv, "-c", "--container", NULL);
    const char *tail = example_value(&argc, argv, NULL, "--tail", NULL);
    const char *namespace_arg = example_value(&argc, argv, "-n", "--namespace", NULL);
    example_args args;
    example_args_parse(argc, argv, "[-n NAMESPACE] [-f] [-c CONTAINER] [--tail N] POD", NULL, &args);
    const char *pod = example_arg(&args, 0, NULL);
    if (!pod) {
        example_usage(stderr, argv[0], "[-n NAMESPACE] [-f] [-c CONTAINER] [--tail N] POD");
        return 2;
    }
    kc_config *config = NULL;
    kc_client *client = NULL;
    if (example_config_load(&args, namespace_arg, &config) != KC_OK) {
        fprintf(stderr, "error: loading the kubeconfig: %s\n", kc_error_last()->message);
        return 1;
    }
    char namespace_name[256];
    snprintf(namespace_name, sizeof namespace_name, "%s", kc_config_namespace(config));
    kc_status status = kc_client_new(config, NULL, &client);
    kc_config_free(config);
    if (status != KC_OK) {
        fprintf(stderr, "error: creating the client: %s\n", kc_error_last()->message);
        return 1;
    }

    kc_pod_log_options options;
    kc_pod_log_options_init(&options, KC_POD_LOG_OPTIONS_VERSION);
    options.container = container;
    options.follow = follow;
    if (tail) {
        options.has_tail_lines = 1;
        options.tail_lines = atoll(tail);
    }
    kc_status final = KC_OK;
    kc_stream *stream = NULL;
    if (kc_pod_logs_start(client, namespace_name, pod, &options, on_data, on_done, &final, &stream) != KC_OK) {
        fprintf(stderr, "error: logs of pod %s/%s: %s\n", namespace_name, pod, kc_error_last()->message);
        kc_client_free(client);
        return 1;
    }
    /* Without -f the stream ends by itself; with it, Ctrl-C (or the pod's end) ends the wait. */
    if (follow) kc_wait_for_termination();
    else kc_stream_wait(stream, -1);
    kc_stream_free(stream);  /* stops a followed log and joins its thread */
    kc_client_free(client);
    return final == KC_OK ? 0 : 1;
}
