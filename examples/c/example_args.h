/* The command line every C example shares, like client-go's
 * clientcmd.BuildConfigFromFlags(master, kubeconfig) plus a context:
 *
 *   --kubeconfig PATH   the kubeconfig file (default: $KUBECONFIG, else ~/.kube/config)
 *   --master URL        the API server URL, overriding the kubeconfig's server
 *   --context NAME      the kubeconfig context (default: its current-context)
 *
 * The flags win over the environment. `--flag=value` works too; the example may declare one
 * option of its own (e.g. "--leader-elect"); everything else is positional. Header-only:
 * each example is one .c file. */
#ifndef KUBECLIENT_EXAMPLE_ARGS_H
#define KUBECLIENT_EXAMPLE_ARGS_H

#include <kubeclient.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXAMPLE_MAX_POSITIONALS 4

typedef struct example_args {
    const char *kubeconfig;  /* NULL: $KUBECONFIG, else ~/.kube/config */
    const char *master;      /* NULL: the kubeconfig's server */
    const char *context;     /* NULL: the kubeconfig's current-context */
    const char *own_option;  /* the value of the example's own option, NULL when not given */
    int positional_count;
    const char *positional[EXAMPLE_MAX_POSITIONALS];
} example_args;

static inline void example_usage(FILE *to, const char *program, const char *usage) {
    fprintf(to, "usage: %s [--kubeconfig PATH] [--master URL] [--context NAME] %s\n", program, usage);
}

/* If argv[*i] is `name` or `name=value`, stores the value (taking argv[*i + 1] in the first
 * form) and returns 1; returns 0 for another argument; exits 2 when the value is missing. */
static inline int example_take(int argc, char **argv, int *i, const char *name, const char **value, const char *usage) {
    size_t length = strlen(name);
    if (strncmp(argv[*i], name, length) != 0) return 0;
    if (argv[*i][length] == '=') {
        *value = argv[*i] + length + 1;
        return 1;
    }
    if (argv[*i][length] != '\0') return 0;
    if (*i + 1 >= argc) {
        fprintf(stderr, "error: %s needs a value\n", name);
        example_usage(stderr, argv[0], usage);
        exit(2);
    }
    *value = argv[++*i];
    return 1;
}

/* Fills `args` from argv. `usage` describes the example's own arguments ("[namespace]");
 * `own_option` names its one extra option ("--leader-elect"), or is NULL. Prints the usage and
 * exits 0 for --help (-h), 2 for an unknown option or too many arguments. */
static inline void example_args_parse(int argc, char **argv, const char *usage, const char *own_option,
                               example_args *args) {
    memset(args, 0, sizeof *args);
    int options_done = 0;
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (!options_done && (strcmp(arg, "--help") == 0 || strcmp(arg, "-h") == 0)) {
            example_usage(stdout, argv[0], usage);
            exit(0);
        }
        if (!options_done && arg[0] == '-' && arg[1] == '-') {
            if (arg[2] == '\0') { options_done = 1; continue; }
            if (example_take(argc, argv, &i, "--kubeconfig", &args->kubeconfig, usage)) continue;
            if (example_take(argc, argv, &i, "--master", &args->master, usage)) continue;
            if (example_take(argc, argv, &i, "--context", &args->context, usage)) continue;
            if (own_option && example_take(argc, argv, &i, own_option, &args->own_option, usage)) continue;
            fprintf(stderr, "error: unknown option %s\n", arg);
            example_usage(stderr, argv[0], usage);
            exit(2);
        }
        if (args->positional_count == EXAMPLE_MAX_POSITIONALS) {
            fprintf(stderr, "error: too many arguments\n");
            example_usage(stderr, argv[0], usage);
            exit(2);
        }
        args->positional[args->positional_count++] = arg;
    }
}

/* Positional argument `index`, or `fallback` when there are fewer. */
static inline const char *example_arg(const example_args *args, int index, const char *fallback) {
    return index < args->positional_count ? args->positional[index] : fallback;
}

/* kc_config_load with the flags; `namespace_name` NULL keeps the context's namespace. */
static inline kc_status example_config_load(const example_args *args, const char *namespace_name, kc_config **out) {
    return kc_config_load(args->kubeconfig, args->context, args->master, namespace_name, out);
}

#endif /* KUBECLIENT_EXAMPLE_ARGS_H */
