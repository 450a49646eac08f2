/* kubectl port-forward POD [LOCAL]:REMOTE, in C: listens on 127.0.0.1:LOCAL (":REMOTE": any
 * free port; "PORT": the same port on both sides) and forwards every connection to the pod's
 * REMOTE port until Ctrl-C.
 * Usage: port_forward [--kubeconfig PATH] [--master URL] [--context NAME] [-n NAMESPACE]
 *                     [--address ADDR] POD [LOCAL]:REMOTE | PORT */
#include <kubeclient.h>
#include "example_args.h"
#include "example_flags.h"
#include <stdio.h>
#include <stdlib.h>

#define USAGE "[-n NAMESPACE] [--address ADDR] POD [LOCAL]:REMOTE | PORT"

/* As kubectl: "8080" is 8080 -> 8080, ":8080" any free port -> 8080, "9000:8080" 9000 -> 8080.
 * Returns 0 when malformed. */
static int parse_ports(const char *text, unsigned *local, unsigned *remote) {
    const char *colon = strchr(text, ':');
    char *end = NULL;
    if (!colon) {
        *remote = (unsigned)strtoul(text, &end, 10);
        *local = *remote;
    } else {
        *local = colon == text ? 0 : (unsigned)strtoul(text, &end, 10);
        if (colon != text && end != colon) return 0;
        *remote = (unsigned)strtoul(colon + 1, &end, 10);
    }
    return end && *end == '\0' && *local <= 65535 && *remote > 0 && *remote <= 65535;
}

int main(int argc, char **argv) {
    const char *namespace_arg = example_value(&argc, argv, "-n", "--namespace", NULL);
    const char *address = example_value(&argc, argv, NULL, "--address", "127.0.0.1");
    example_args args;
    example_args_parse(argc, argv, USAGE, NULL, &args);
    const char *pod = example_arg(&args, 0, NULL);
    const char *ports = example_arg(&args, 1, NULL);
    unsigned local = 0, remote = 0;
    if (!pod || !ports || !parse_ports(ports, &local, &remote)) {
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
    kc_port_forwarder *forwarder = NULL;
    if (kc_port_forwarder_start(client, namespace_name, pod, address, (uint16_t)local, (uint16_t)remote,
                                &forwarder) != KC_OK) {
        fprintf(stderr, "error: port-forward to pod %s/%s: %s\n", namespace_name, pod, kc_error_last()->message);
        kc_client_free(client);
        return 1;
    }
    uint16_t bound = 0;
    kc_port_forwarder_local_port(forwarder, &bound);
    printf("Forwarding from %s:%u -> %u\n", address, (unsigned)bound, remote);
    fflush(stdout);
    kc_wait_for_termination();
    kc_port_forwarder_free(forwarder);  /* closes every forwarded connection */
    kc_client_free(client);
    return 0;
}
