/* kubectl exec [-i] [-t] [-c CONTAINER] POD -- COMMAND [ARGS...], in C: output through
 * callbacks on the session's thread; with -i, this program's stdin goes to the command until
 * end-of-file. Exits with the command's exit code.
 * Usage: pod_exec [--kubeconfig PATH] [--master URL] [--context NAME] [-n NAMESPACE]
 *                 [-i] [-t] [-c CONTAINER] POD -- COMMAND [ARGS...] */
#include <kubeclient.h>
#include "example_args.h"
#include "example_flags.h"
#include <stdio.h>
#include <unistd.h>

#define USAGE "[-n NAMESPACE] [-i] [-t] [-c CONTAINER] POD -- COMMAND [ARGS...]"

static void on_stdout(const char *data, size_t len, void *user_data) {
    (void)user_data;
    fwrite(data, 1, len, stdout);
    fflush(stdout);
}

static void on_stderr(const char *data, size_t len, void *user_data) {
    (void)user_data;
    fwrite(data, 1, len, stderr);
}

int main(int argc, char **argv) {
    int interactive = example_flag(&argc, argv, "-i", "--stdin");
    int tty = example_flag(&argc, argv, "-t", "--tty");
    const char *container = example_value(&argc, argv, "-c", "--container", NULL);
    const char *namespace_arg = example_value(&argc, argv, "-n", "--namespace", NULL);
    /* The command is everything after "--"; example_args_parse sees what comes before. */
    int dash = 1;
    while (dash < argc && strcmp(argv[dash], "--") != 0) dash++;
    if (dash >= argc - 1) {
        example_usage(stderr, argv[0], USAGE);
        return 2;
    }
    example_args args;
    example_args_parse(dash, argv, USAGE, NULL, &args);
    const char *pod = example_arg(&args, 0, NULL);
    if (!pod) {
        example_usage(stderr, argv[0], USAGE);
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

    kc_exec_options options;
    kc_exec_options_init(&options, KC_EXEC_OPTIONS_VERSION);
    options.container = container;
    options.stdin_enabled = interactive;
    options.tty = tty;
    kc_exec_handlers handlers = KC_EXEC_HANDLERS_INIT;
    handlers.on_stdout = on_stdout;
    handlers.on_stderr = on_stderr;
    kc_exec *session = NULL;
    const char *const *command = (const char *const *)&argv[dash + 1];
    if (kc_exec_start(client, namespace_name, pod, command, (size_t)(argc - dash - 1), &options, &handlers, NULL,
                      &session) != KC_OK) {
        fprintf(stderr, "error: exec in pod %s/%s: %s\n", namespace_name, pod, kc_error_last()->message);
        kc_client_free(client);
        return 1;
    }
    if (interactive) {
        char buffer[16384];
        ssize_t n;
        while ((n = read(STDIN_FILENO, buffer, sizeof buffer)) > 0) {
            if (kc_exec_write_stdin(session, buffer, (size_t)n) != KC_OK) break;  /* the command ended */
        }
        kc_exec_close_stdin(session);
    }
    int exit_code = -1;
    status = kc_exec_wait(session, -1, &exit_code);
    if (status != KC_OK) fprintf(stderr, "error: %s\n", kc_error_last()->message);
    kc_exec_free(session);
    kc_client_free(client);
    return status == KC_OK ? exit_code : 1;
}
