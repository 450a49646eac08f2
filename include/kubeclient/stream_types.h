/*
 * kubeclient/stream_types.h — the types of the stream API (stream.h): handles, options and
 * callbacks of pod logs, exec, attach and port-forward.
 */
#ifndef KUBECLIENT_STREAM_TYPES_H
#define KUBECLIENT_STREAM_TYPES_H

#include "types.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct kc_stream kc_stream;
typedef struct kc_exec kc_exec;
typedef struct kc_port_forwarder kc_port_forwarder;

/** Bytes from a stream: `data` is borrowed for the duration of the call (copy what you keep),
 *  never NUL-terminated, `len` > 0. Log chunks are not aligned to lines. */
typedef void (*kc_stream_data_cb)(const char *data, size_t len, void *user_data);

/**
 * Called once, last, on the stream's thread: KC_OK when the stream ended (the server closed
 * it, or it was stopped or cancelled by you), else the failure, with `error` (borrowed for
 * the call) describing it.
 */
typedef void (*kc_stream_done_cb)(kc_status status, const kc_error *error, void *user_data);

#define KC_POD_LOG_OPTIONS_VERSION 2
/** Options of a log request. A zeroed struct (with version set) means kubectl's defaults:
 *  the whole log of the only container, no follow. Version 2: since_ms replaced version 1's
 *  since_seconds (version 1 is refused). */
typedef struct kc_pod_log_options {
    unsigned int version;        /**< KC_POD_LOG_OPTIONS_VERSION */
    const char *container;       /**< NULL: the pod's only container (400 when it has several) */
    int follow;                  /**< nonzero: keep the stream open for new lines (`-f`) */
    int previous;                /**< nonzero: the previous, terminated container's log */
    int64_t since_ms;            /**< > 0: only lines newer than this (sent as sinceSeconds, rounded
                                      up to whole seconds); 0: not set; < 0: KC_ERR_INVALID_ARGUMENT */
    const char *since_time;      /**< RFC 3339 time; only lines at or after it; NULL: not set */
    int timestamps;              /**< nonzero: prefix every line with its RFC 3339 time */
    int has_tail_lines;          /**< nonzero: tail_lines is set */
    int64_t tail_lines;          /**< with has_tail_lines: only the last N lines (0: none) */
    int64_t limit_bytes;         /**< > 0: stop after this many bytes; 0: not set */
    int insecure_skip_tls_verify_backend; /**< nonzero: the kubelet's certificate is not checked */
    kc_cancel *cancel;           /**< NULL, or a token that ends the request when cancelled
                                      (KC_ERR_CANCELLED for kc_pod_logs; the end of the stream for
                                      the stream forms) */
} kc_pod_log_options;
#define KC_POD_LOG_OPTIONS_INIT { KC_POD_LOG_OPTIONS_VERSION, NULL, 0, 0, 0, NULL, 0, 0, 0, 0, 0, NULL }

#define KC_EXEC_OPTIONS_VERSION 1
/** Options of an exec or attach session. A zeroed struct (with version set): the pod's only
 *  container, no stdin, no TTY; stdout and stderr are asked for when their callback is set. */
typedef struct kc_exec_options {
    unsigned int version;        /**< KC_EXEC_OPTIONS_VERSION */
    const char *container;       /**< NULL: the pod's only container */
    int stdin_enabled;           /**< nonzero: open stdin (write with kc_exec_write_stdin) */
    int tty;                     /**< nonzero: a terminal; stderr is merged into stdout */
    kc_cancel *cancel;           /**< NULL, or a token that stops the session when cancelled */
} kc_exec_options;
#define KC_EXEC_OPTIONS_INIT { KC_EXEC_OPTIONS_VERSION, NULL, 0, 0, NULL }

/**
 * Called once, last, on the session's thread. status KC_OK: the command ended and
 * `exit_code` is its exit status (a non-zero exit is a result, not an error); otherwise the
 * session failed (exit_code -1) and `error` (borrowed for the call) describes it.
 */
typedef void (*kc_exec_done_cb)(kc_status status, int exit_code, const kc_error *error, void *user_data);

#define KC_EXEC_HANDLERS_VERSION 1
/** The callbacks of a session; NULL on_stdout / on_stderr: that stream is not asked for. */
typedef struct kc_exec_handlers {
    unsigned int version;        /**< KC_EXEC_HANDLERS_VERSION */
    kc_stream_data_cb on_stdout;
    kc_stream_data_cb on_stderr;
    kc_exec_done_cb on_done;
} kc_exec_handlers;
#define KC_EXEC_HANDLERS_INIT { KC_EXEC_HANDLERS_VERSION, NULL, NULL, NULL }

#ifdef __cplusplus
}
#endif

#endif /* KUBECLIENT_STREAM_TYPES_H */
