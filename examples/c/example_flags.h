/* Boolean and valued flags of the stream examples (-f, -i, -t, -n NS, -c CONTAINER), taken
 * out of argv before example_args_parse sees the rest. Header-only, like example_args.h. */
#ifndef KUBECLIENT_EXAMPLE_FLAGS_H
#define KUBECLIENT_EXAMPLE_FLAGS_H

#include <string.h>

/* Removes argv[i] (and n - 1 following) from argv, keeping the order. */
static inline void example_drop(int *argc, char **argv, int i, int n) {
    memmove(&argv[i], &argv[i + n], (size_t)(*argc - i - n + 1) * sizeof *argv);
    *argc -= n;
}

/* 1 when `short_name` or `long_name` appears before "--" (and removes it), else 0. */
static inline int example_flag(int *argc, char **argv, const char *short_name, const char *long_name) {
    for (int i = 1; i < *argc && strcmp(argv[i], "--") != 0; i++) {
        if ((short_name && strcmp(argv[i], short_name) == 0) || (long_name && strcmp(argv[i], long_name) == 0)) {
            example_drop(argc, argv, i, 1);
            return 1;
        }
    }
    return 0;
}

/* The value after `short_name` / `long_name` before "--" (both removed), else `fallback`. */
static inline const char *example_value(int *argc, char **argv, const char *short_name, const char *long_name,
                                        const char *fallback) {
    for (int i = 1; i + 1 < *argc && strcmp(argv[i], "--") != 0; i++) {
        if ((short_name && strcmp(argv[i], short_name) == 0) || (long_name && strcmp(argv[i], long_name) == 0)) {
            const char *value = argv[i + 1];
            example_drop(argc, argv, i, 2);
            return value;
        }
    }
    return fallback;
}

#endif /* KUBECLIENT_EXAMPLE_FLAGS_H */
