/*
 * kubeclient/stream.h — the streaming subresources of pods: logs, exec, attach and
 * port-forward (kubectl logs -f / exec / attach / port-forward).
 *
 *   #include <kubeclient.h>   (which includes this header)
 *
 * OBJECTS
 *   kc_stream          a byte stream: a pod's log (read only) or one port-forward connection
 *                      (read and write). Constructors kc_pod_logs_open, kc_pod_logs_start,
 *                      kc_port_forward_open; destructor kc_stream_free.
 *   kc_exec            a running exec or attach session. Constructors kc_exec_start,
 *                      kc_attach_start; destructor kc_exec_free.
 *   kc_port_forwarder  a local listener forwarding 127.0.0.1:LOCAL to pod:PORT, one
 *                      port-forward connection per accepted client. Constructor
 *                      kc_port_forwarder_start; destructor kc_port_forwarder_free.
 *
 * TRANSPORT
 *   Logs are a plain HTTP GET whose body is text (never decoded as JSON). Exec, attach and
 *   port-forward are WebSocket upgrades made by the client's transport (libcurl), so TLS,
 *   client certificates, proxies, tls-server-name and credentials apply as to every other
 *   request. Exec and attach speak v5.channel.k8s.io, falling back to v4.channel.k8s.io;
 *   port-forward speaks portforward.k8s.io. A server that refuses the upgrade gives its
 *   Status (KC_ERR_NOT_FOUND for a missing pod, KC_ERR_API 400 for an unknown container);
 *   an unsupported protocol, a malformed or oversized frame (above 32 MiB) or a dropped
 *   connection gives KC_ERR_TRANSPORT with a message saying which.
 *
 * THREADS
 *   Callbacks (data, done) run on a thread the library creates for the stream or session
 *   and joins on stop/free, one at a time and in order. A callback may call the write,
 *   close-stdin, resize and stop functions of its own object; kc_*_free from inside a
 *   callback only requests the stop (as kc_watch_free does). Every other function may be
 *   called from any thread.
 *
 * STOPPING
 *   kc_stream_stop / kc_exec_stop / kc_port_forwarder_stop end the stream, session or
 *   listener within 0.5 s, whatever it is blocked on (the socket is shut down), join its
 *   threads and close its descriptors. From another thread they return after the last
 *   callback returned. A `kc_cancel` in the options, cancelled from any thread, does the same.
 */
#ifndef KUBECLIENT_STREAM_H
#define KUBECLIENT_STREAM_H

#include "export.h"
#include "stream_types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ===================================================================================== */
/* Pod logs (GET /api/v1/namespaces/NS/pods/NAME/log)                                    */
/* ===================================================================================== */

/** Sets *options to its defaults for `version` (KC_POD_LOG_OPTIONS_VERSION). */
KC_EXTERN kc_status kc_pod_log_options_init(kc_pod_log_options *options, unsigned int version);

/**
 * The log as one buffer: blocks until the server ends the body (with `follow`, until the
 * container ends or options->cancel is cancelled, which returns KC_ERR_CANCELLED).
 * *out_log (free with kc_free()) is NUL-terminated for convenience; its length, which counts
 * any NUL bytes inside, goes to *out_len (may be NULL). `options` may be NULL.
 * Errors: KC_ERR_NOT_FOUND (no such pod), KC_ERR_API (400: unknown or ambiguous container),
 * KC_ERR_TRANSPORT, KC_ERR_TIMEOUT, KC_ERR_CANCELLED.
 */
KC_EXTERN kc_status kc_pod_logs(kc_client *client, const char *namespace_name, const char *pod,
                                const kc_pod_log_options *options, char **out_log, size_t *out_len);

/**
 * Callback form (constructor): returns once the request was answered with 200 (so a missing pod
 * or container is reported here, not later); then chunks arrive through `on_data` on the
 * stream's thread and `on_done` follows once. `on_data` must not be NULL; `on_done` may be.
 * `user_data` must stay valid until on_done has returned or kc_stream_free() returned.
 */
KC_EXTERN kc_status kc_pod_logs_start(kc_client *client, const char *namespace_name, const char *pod,
                                      const kc_pod_log_options *options, kc_stream_data_cb on_data,
                                      kc_stream_done_cb on_done, void *user_data, kc_stream **out);

/**
 * Pull form (constructor): returns once the request was answered with 200; read the log with
 * kc_stream_read, poll kc_stream_fd to learn when to read.
 */
KC_EXTERN kc_status kc_pod_logs_open(kc_client *client, const char *namespace_name, const char *pod,
                                     const kc_pod_log_options *options, kc_stream **out);

/* ===================================================================================== */
/* Streams (pull mode and port-forward connections)                                      */
/* ===================================================================================== */

/**
 * Reads up to `capacity` bytes into `buffer`, waiting up to `timeout_ms` (0: do not wait;
 * < 0: no limit) for at least one. KC_OK with *out_len > 0: bytes; KC_OK with *out_len == 0:
 * the end of the stream (as read(2)). KC_ERR_TIMEOUT: nothing arrived in time (the stream goes
 * on). A failure of the stream is returned once, after the bytes that came before it.
 * KC_ERR_INVALID_ARGUMENT for a callback-form stream.
 */
KC_EXTERN kc_status kc_stream_read(kc_stream *stream, char *buffer, size_t capacity, int64_t timeout_ms,
                                   size_t *out_len);

/**
 * A descriptor that polls readable while kc_stream_read has bytes or the end to return. Owned by
 * the stream: do not read or close it; valid until kc_stream_free.
 */
KC_EXTERN kc_status kc_stream_fd(kc_stream *stream, int *out_fd);

/**
 * Writes all `len` bytes to a port-forward connection (blocks while the peer is slow).
 * KC_ERR_INVALID_ARGUMENT for a log stream, KC_ERR_CLOSED after kc_stream_close_write or stop.
 */
KC_EXTERN kc_status kc_stream_write(kc_stream *stream, const char *data, size_t len);

/**
 * Ends the sending side of a port-forward connection: the pod's side reads end-of-file.
 * portforward.k8s.io has no half-close, so this starts the WebSocket close handshake: bytes the
 * pod sends after it saw the close may be lost. Read the answer you wait for first.
 */
KC_EXTERN kc_status kc_stream_close_write(kc_stream *stream);

/** Ends the stream (see STOPPING). Idempotent. */
KC_EXTERN kc_status kc_stream_stop(kc_stream *stream);

/**
 * Waits up to `timeout_ms` (< 0: no limit) for a callback-form stream to end. Returns
 * KC_ERR_TIMEOUT while it runs, else its final status (as passed to on_done).
 */
KC_EXTERN kc_status kc_stream_wait(kc_stream *stream, int64_t timeout_ms);

/** Destructor: stops the stream and releases it. NULL is ignored. */
KC_EXTERN void kc_stream_free(kc_stream *stream);

/* ===================================================================================== */
/* Exec and attach                                                                       */
/* ===================================================================================== */

/** Sets *options to its defaults for `version` (KC_EXEC_OPTIONS_VERSION). */
KC_EXTERN kc_status kc_exec_options_init(kc_exec_options *options, unsigned int version);

/**
 * Runs `argv[0..argc-1]` in a container (constructor): returns once the WebSocket upgrade
 * succeeded (a missing pod or container, a refused upgrade and an unsupported protocol are
 * reported here). Output then arrives through the handlers. `handlers` is copied; `user_data`
 * must stay valid until on_done has returned or kc_exec_free() returned.
 */
KC_EXTERN kc_status kc_exec_start(kc_client *client, const char *namespace_name, const char *pod,
                                  const char *const *argv, size_t argc, const kc_exec_options *options,
                                  const kc_exec_handlers *handlers, void *user_data, kc_exec **out);

/** Attaches to a running container's main process (constructor); as kc_exec_start. */
KC_EXTERN kc_status kc_attach_start(kc_client *client, const char *namespace_name, const char *pod,
                                    const kc_exec_options *options, const kc_exec_handlers *handlers,
                                    void *user_data, kc_exec **out);

/**
 * The simple case, blocking: runs the command with `stdin_data` (NULL / 0: no stdin) and
 * collects its output. *out_exit_code gets the exit status; *out_stdout / *out_stderr (each may
 * be NULL if not wanted; free with kc_free(), NUL-terminated) the output, their lengths in
 * *out_stdout_len / *out_stderr_len (may be NULL). KC_OK whenever the command ran, whatever
 * its exit status.
 */
KC_EXTERN kc_status kc_exec_run(kc_client *client, const char *namespace_name, const char *pod,
                                const char *const *argv, size_t argc, const kc_exec_options *options,
                                const char *stdin_data, size_t stdin_len, int *out_exit_code,
                                char **out_stdout, size_t *out_stdout_len,
                                char **out_stderr, size_t *out_stderr_len);

/** Sends bytes to the command's stdin. KC_ERR_INVALID_ARGUMENT without stdin_enabled,
 *  KC_ERR_CLOSED after kc_exec_close_stdin or once the session ended. */
KC_EXTERN kc_status kc_exec_write_stdin(kc_exec *session, const char *data, size_t len);

/** Closes stdin: the command reads end-of-file (v5.channel.k8s.io's CLOSE signal; on v4,
 *  which cannot signal it, KC_ERR_INVALID_ARGUMENT). Idempotent. */
KC_EXTERN kc_status kc_exec_close_stdin(kc_exec *session);

/** Tells the terminal its new size (columns, rows). KC_ERR_INVALID_ARGUMENT without tty. */
KC_EXTERN kc_status kc_exec_resize(kc_exec *session, uint16_t width, uint16_t height);

/**
 * Waits up to `timeout_ms` (< 0: no limit) for the session to end. KC_ERR_TIMEOUT while it runs;
 * else the final status as passed to on_done, with *out_exit_code (may be NULL) its exit code.
 */
KC_EXTERN kc_status kc_exec_wait(kc_exec *session, int64_t timeout_ms, int *out_exit_code);

/** Ends the session (see STOPPING): on_done gets KC_ERR_CANCELLED. Idempotent. */
KC_EXTERN kc_status kc_exec_stop(kc_exec *session);

/** Destructor: stops the session and releases it. NULL is ignored. */
KC_EXTERN void kc_exec_free(kc_exec *session);

/* ===================================================================================== */
/* Port-forward                                                                          */
/* ===================================================================================== */

/**
 * Opens one connection to `port` of the pod (constructor): a kc_stream to read and write with
 * kc_stream_read / kc_stream_write. The pod's side refusing the connection arrives as the
 * stream's failure (KC_ERR_API with the server's message) on the first read.
 * `cancel` may be NULL.
 */
KC_EXTERN kc_status kc_port_forward_open(kc_client *client, const char *namespace_name, const char *pod,
                                         uint16_t port, kc_cancel *cancel, kc_stream **out);

/**
 * Listens on `address` (NULL: "127.0.0.1") port `local_port` (0: any free port, see
 * kc_port_forwarder_local_port) and forwards every accepted connection to `remote_port` of the
 * pod over its own port-forward connection, as `kubectl port-forward` does (constructor).
 * Returns once listening. Errors: KC_ERR_TRANSPORT (the address is in use).
 */
KC_EXTERN kc_status kc_port_forwarder_start(kc_client *client, const char *namespace_name, const char *pod,
                                            const char *address, uint16_t local_port, uint16_t remote_port,
                                            kc_port_forwarder **out);

/** The port the forwarder listens on. */
KC_EXTERN kc_status kc_port_forwarder_local_port(kc_port_forwarder *forwarder, uint16_t *out_port);

/** Stops listening and closes every forwarded connection (see STOPPING). Idempotent. */
KC_EXTERN kc_status kc_port_forwarder_stop(kc_port_forwarder *forwarder);

/** Destructor: stops the forwarder and releases it. NULL is ignored. */
KC_EXTERN void kc_port_forwarder_free(kc_port_forwarder *forwarder);

#ifdef __cplusplus
}
#endif

#endif /* KUBECLIENT_STREAM_H */
