/*
 * kubeclient.h — C API of libkubeclient, a Kubernetes client library.
 *
 *   #include <kubeclient.h>      cc app.c $(pkg-config --cflags --libs kubeclient)
 *
 * CONVENTIONS (read once, they hold for every function below)
 *
 * Status. Functions return kc_status: KC_OK (0) on success, else a specific code. Every
 *   function records its outcome in the calling thread's error record, which kc_error_last()
 *   returns: status, HTTP code, server Status reason and a one-line message; a success resets
 *   it to KC_OK. That includes the functions returning a value instead of a kc_status
 *   (kc_config_host, kc_cancel_is_cancelled, kc_informer_has_synced, kc_workqueue_len, ...):
 *   their "0 / NULL" answer for a NULL or freed handle is recorded as KC_ERR_INVALID_ARGUMENT
 *   or KC_ERR_CLOSED. The exceptions, which leave the record as it was so that they can be
 *   called while handling an error: kc_error_last, kc_error_clear (which resets it),
 *   kc_version, kc_status_str, kc_free, the destructors (kc_*_free), kc_wait_for_termination
 *   and kc_terminate_trigger. Resource exhaustion (no thread, no pipe, no memory) is
 *   KC_ERR_INTERNAL, never KC_ERR_INVALID_ARGUMENT.
 *
 * Arguments. Receiver handle first, inputs next, out-parameters last. A NULL handle, a
 *   NULL required string or a NULL out-parameter gives KC_ERR_INVALID_ARGUMENT; a handle
 *   used after it was stopped/closed gives KC_ERR_CLOSED where the library can tell. On
 *   failure, out-parameters are set to NULL / 0.
 *   api_version is "v1" for the core group, else "group/version" ("apps/v1").
 *   resource is the lower-case plural ("deployments"); a subresource is written
 *   "deployments/status" or "deployments/scale" where a verb supports it.
 *   namespace_name NULL or "" means cluster-scoped resources, or all namespaces for
 *   list, list_all, watch and delete_collection of namespaced resources.
 *   Input strings are borrowed for the duration of the call, UTF-8, NUL-terminated.
 *   Every string argument and string option field is checked: invalid UTF-8 (a stray
 *   0xFF, an overlong or truncated sequence) gives KC_ERR_INVALID_ARGUMENT with a message
 *   naming the parameter ("name is not valid UTF-8"); it is never repaired, so two
 *   different byte strings never address the same object.
 *
 * Time. One unit everywhere: milliseconds, as poll(2) counts them. Every timeout, period,
 *   delay and duration parameter or field is an int64_t whose name ends in _ms
 *   (timeout_ms, delay_ms, lease_duration_ms, requeue_after_ms); measured durations in
 *   metrics are double milliseconds, also named *_ms. Where the Kubernetes API itself counts
 *   whole seconds (a list's timeoutSeconds, a delete's gracePeriodSeconds, a log's
 *   sinceSeconds) the library rounds up to the next whole second when it sends the request.
 *   A blocking wait's timeout_ms: < 0 waits without limit, 0 does not wait.
 *
 * Numbers. No numeric argument can abort the process. Negative counts and durations are
 *   KC_ERR_INVALID_ARGUMENT unless a field gives them a meaning; NaN and infinite doubles
 *   are KC_ERR_INVALID_ARGUMENT where a field says so. Time spans longer than
 *   KC_MAX_DURATION_MS are clamped to it (about 31.7 years), so INT64_MAX waits as long as
 *   "no limit".
 *
 * Options. Options structs are versioned: set `version` to the struct's KC_*_VERSION (the
 *   _INIT macro or kc_*_options_init() do), then the fields you need. Every other member
 *   left zero (or NULL) means "the default" — in every struct, so `{ .version = V }` is the
 *   same as the _INIT macro and as passing NULL. A member whose zero would be a meaningful
 *   value has a has_* flag beside it (kc_delete_options.has_grace_period,
 *   kc_pod_log_options.has_tail_lines). A version the library does not know, or one older
 *   than the first layout it still reads, gives KC_ERR_INVALID_ARGUMENT.
 *
 * Ownership. What comes back through an out-parameter belongs to the caller:
 *   char * strings (JSON text, NUL-terminated)  -> kc_free()
 *   kc_config * / kc_client * / kc_watch *      -> kc_config_free() / kc_client_free() / kc_watch_free()
 *   kc_cancel *                                -> kc_cancel_free()
 *   (and every other handle -> its own kc_<type>_free()). The one exception: the
 *   kc_informer that kc_informer_factory_informer() returns through its out-parameter is
 *   borrowed from the factory, valid until kc_informer_factory_free(); never free it.
 *   Every free function accepts NULL. What comes back as a return value (const char *,
 *   const kc_error *, kc_controller_queue's kc_workqueue *) is borrowed; its lifetime is
 *   stated at the function. Never free library memory with free(3), and never pass your own
 *   memory to kc_free().
 *
 * Freeing order. One rule for every handle: free (or stop) an object before the object it
 *   was made from — watches, streams, exec sessions, port forwarders, informer factories,
 *   leader electors and event recorders before their kc_client; registrations before their
 *   informer's factory. The library keeps allocated what a live object still uses, so the
 *   other order does not touch freed memory, but kc_client_free() closes the client (exec
 *   credential plugins stop, its watches end) and what still uses it then fails.
 *
 * Threads. Every call blocks the calling thread until it completes (like client-go); a
 *   kc_client may be used from many threads at once. A kc_config is immutable and may be
 *   shared. Watches deliver events on a thread the library creates and joins. No library
 *   initialisation call is needed.
 *
 * Never blocks, never calls back. These functions return without waiting for anything but
 *   a short internal lock, and never call a callback (not even the log handler): kc_free,
 *   kc_workqueue_add, kc_workqueue_add_after, kc_workqueue_add_rate_limited,
 *   kc_workqueue_forget, kc_workqueue_num_requeues, kc_workqueue_get with timeout_ms 0,
 *   kc_workqueue_done, kc_workqueue_len and kc_workqueue_is_shutting_down. No library thread
 *   holds those locks while it runs a callback or waits for one. So a caller that must not
 *   give up a lock of its own around the call (a language runtime's global lock: the Python
 *   binding calls these through ctypes.PyDLL, keeping the GIL) cannot deadlock with the
 *   library's threads. A change that breaks this for any of them breaks that binding.
 *
 * Global state. The library keeps this process-wide state, and nothing else: the handle
 *   tables that tell live handles from freed ones (one per handle type); the log handler
 *   (kc_log_set_handler); the SIGINT/SIGTERM handlers and their wake-up pipe, installed by
 *   the first kc_controller_run_until_signal / kc_wait_for_termination; the token table, a
 *   thread-specific slot holding each thread's bound cancellation token (kc_cancel_bind); a
 *   lazily initialised libcurl; and, per thread, the error record.
 *
 * Secrets (tokens, keys, passwords) never appear in any message the library produces.
 */
#ifndef KUBECLIENT_H
#define KUBECLIENT_H

#include "kubeclient/export.h"
#include "kubeclient/types.h"

#ifdef __cplusplus
extern "C" {
#endif

#define KC_VERSION_MAJOR 0
#define KC_VERSION_MINOR 1
#define KC_VERSION_PATCH 0
#define KC_VERSION_STRING "0.1.0"

/* =====================================================================================
 * Library: version, errors, memory
 * ===================================================================================*/

/** The library's version, e.g. "0.1.0". Static string: never free it. */
KC_EXTERN const char *kc_version(void);

/** A short static English description of `status`, e.g. "not found". Never NULL; unknown codes give "unknown status". */
KC_EXTERN const char *kc_status_str(kc_status status);

/**
 * The outcome of the last kc_* call made on the calling thread. Never NULL.
 * Borrowed: valid until the next kc_* call on this thread; copy what you need.
 * Each thread has its own record, so reading it is safe from any thread.
 */
KC_EXTERN const kc_error *kc_error_last(void);

/** Resets this thread's error record to KC_OK. */
KC_EXTERN void kc_error_clear(void);

/** Frees a string the library returned through an out-parameter. NULL is ignored. */
KC_EXTERN void kc_free(void *ptr);

/**
 * Sends the library's log lines to `callback` instead of stderr: transport notes (client-side
 * throttling), server warnings (the Warning header, each distinct text once), informer and
 * controller retries, exec plugin stderr. `component` names the source ("kubeclient",
 * "kubeclient.informer", "kubeclient.exec", ...); lines below `minimum_level` are dropped
 * before the call. NULL `callback` restores the default: stderr at KC_LOG_INFO and above.
 *
 * Process-wide. Call it before any other kc_* function: loggers the library created before
 * the first call keep writing to stderr. `callback` may run on any library thread, several at
 * once; `component` and `message` are borrowed for the call. It must not call
 * kc_log_set_handler; other kc_* calls are allowed. `user_data` must stay valid until the
 * handler is replaced. Returns KC_ERR_INVALID_ARGUMENT for an unknown level.
 */
KC_EXTERN kc_status kc_log_set_handler(kc_log_cb callback, kc_log_level minimum_level, void *user_data);

/* =====================================================================================
 * kc_config — where and how to connect. Constructors: kc_config_load, kc_config_in_cluster.
 * Destructor: kc_config_free. Immutable after construction; safe to share across threads.
 * ===================================================================================*/

/**
 * Loads a kubeconfig (constructor).
 *
 * path:           the file; NULL = $KUBECONFIG (colon-separated list, merged like kubectl)
 *                 or else ~/.kube/config.
 * context:        context name; NULL = the current-context.
 * master_url:     overrides the cluster's server URL (client-go's BuildConfigFromFlags);
 *                 NULL = keep. With master_url set and no kubeconfig found, an
 *                 unauthenticated config for that URL is returned.
 * namespace_name: overrides the context's namespace; NULL = the context's, else "default".
 * out:            receives the new config; free it with kc_config_free().
 * Errors: KC_ERR_CONFIG (missing file, YAML error, unknown context, unreadable credential file).
 */
KC_EXTERN kc_status kc_config_load(const char *path, const char *context, const char *master_url,
                                   const char *namespace_name, kc_config **out);

/**
 * In-cluster config (constructor): KUBERNETES_SERVICE_HOST/PORT and the service account's
 * token, CA and namespace under /var/run/secrets/kubernetes.io/serviceaccount. The token
 * file is re-read as it rotates. Errors: KC_ERR_CONFIG when not running in a pod.
 */
KC_EXTERN kc_status kc_config_in_cluster(kc_config **out);

/** The API server URL, e.g. "https://127.0.0.1:6443". Borrowed: valid until kc_config_free().
 *  NULL for a NULL or freed handle (kc_error_last() says which). */
KC_EXTERN const char *kc_config_host(const kc_config *config);

/** The default namespace of the config. Borrowed: valid until kc_config_free(). NULL for a
 *  NULL or freed handle. */
KC_EXTERN const char *kc_config_namespace(const kc_config *config);

/** Destructor. NULL is ignored. Clients created from the config stay valid (they copied it). */
KC_EXTERN void kc_config_free(kc_config *config);

/* =====================================================================================
 * kc_client — a connection to one API server. Constructor: kc_client_new. Destructor:
 * kc_client_free. Thread-safe: all methods may run concurrently on one client.
 * ===================================================================================*/

/** Fills `options` with defaults for struct version `version` (pass KC_CLIENT_OPTIONS_VERSION). */
KC_EXTERN kc_status kc_client_options_init(kc_client_options *options, unsigned int version);

/**
 * Creates a client (constructor). `config` is copied and may be freed afterwards;
 * `options` may be NULL (defaults). No request is made here: an unreachable server shows
 * up at the first call. Errors: KC_ERR_CONFIG (bad CA or client certificate, bad URL).
 */
KC_EXTERN kc_status kc_client_new(const kc_config *config, const kc_client_options *options,
                                  kc_client **out);

/**
 * Destructor. Stops and joins any watch still running on this client (their on_done is
 * called first). Must not be called while other threads are still inside calls on this
 * client. NULL is ignored. Calling it from a watch callback of this client is not allowed.
 */
KC_EXTERN void kc_client_free(kc_client *client);

/* =====================================================================================
 * Dynamic verbs: any resource, JSON text in and out.
 * Out-parameter `out_json` receives the server's answer (an object, or a list with
 * "items"), NUL-terminated, to be freed with kc_free(). A successful (2xx) answer that is
 * not valid JSON — a proxy's HTML page, a truncated body — is KC_ERR_DECODE with *out_json
 * NULL, never KC_OK (also when an optional out_json is NULL).
 * ===================================================================================*/

/** Fills `options` with defaults for struct version `version`. */
KC_EXTERN kc_status kc_list_options_init(kc_list_options *options, unsigned int version);
/** Fills `options` with defaults for struct version `version`. */
KC_EXTERN kc_status kc_delete_options_init(kc_delete_options *options, unsigned int version);
/** Fills `options` with defaults for struct version `version` (1 or 2: only the members of
 *  that version are written, so a version-1 struct of an older program is safe). */
KC_EXTERN kc_status kc_apply_options_init(kc_apply_options *options, unsigned int version);
/** Fills `options` with defaults (server defaults) for struct version `version`. */
KC_EXTERN kc_status kc_write_options_init(kc_write_options *options, unsigned int version);

/** GET one object by name. Errors: KC_ERR_NOT_FOUND, ... */
KC_EXTERN kc_status kc_get(kc_client *client, const char *api_version, const char *resource,
                           const char *namespace_name, const char *name, char **out_json);

/** GET one page of a collection (`options` may be NULL). The answer's metadata.continue
 *  is the token for the next page when options->limit was set. */
KC_EXTERN kc_status kc_list(kc_client *client, const char *api_version, const char *resource,
                            const char *namespace_name, const kc_list_options *options, char **out_json);

/** Like kc_list but follows continue tokens and returns one list holding every item
 *  (options->limit is the page size used on the way; continue_token is ignored). */
KC_EXTERN kc_status kc_list_all(kc_client *client, const char *api_version, const char *resource,
                                const char *namespace_name, const kc_list_options *options, char **out_json);

/**
 * kc_list() answered as its items' byte ranges instead of one text to parse whole: for callers
 * that decode items one by one, lazily, or never (the Python binding's `list(lazy=True)` wraps
 * each item's bytes without parsing the list). The answer is split once, in the library: it is
 * checked for structure (a JSON object whose "items" is an array, brackets balanced, strings
 * terminated, nothing after it) but its items are not parsed, so a malformed number or escape
 * inside an item shows only when that item is decoded (kc_list() parses the whole answer).
 *
 * Results, each malloc'd and freed with its own kc_free():
 *   *out_list_json   the list without its items, NUL-terminated: apiVersion, kind and metadata
 *                    (resourceVersion, continue) as the server sent them, with "items": []
 *                    (or the server's "items": null when it sent that).
 *   *out_items_text  one buffer holding every item's JSON text, NUL-terminated as a whole (the
 *                    items are not: read each by its span); other bytes may lie between items.
 *   *out_spans       2 * *out_count size_t: item i is the (*out_spans)[2*i+1] bytes starting
 *                    (*out_spans)[2*i] bytes into *out_items_text, items in server order.
 *   *out_count       the number of items; 0 for an empty list (the buffers are still allocated).
 * Every out-parameter is required. On any error the pointers are NULL and *out_count is 0.
 * Threading and blocking as kc_list(). Errors: as kc_list(); KC_ERR_DECODE when a 2xx answer is
 * not a list as described.
 */
KC_EXTERN kc_status kc_list_items(kc_client *client, const char *api_version, const char *resource,
                                  const char *namespace_name, const kc_list_options *options,
                                  char **out_list_json, char **out_items_text, size_t **out_spans,
                                  size_t *out_count);

/** kc_list_all() answered as kc_list_items() does: every page's items in one text, in order
 *  (options->limit is the page size, default 500; continue_token is ignored). *out_list_json
 *  is the last page without its items (its resourceVersion is the snapshot's). An expired
 *  continue token mid-way (410) starts over with one unpaged list, as kc_list_all() does. */
KC_EXTERN kc_status kc_list_all_items(kc_client *client, const char *api_version, const char *resource,
                                      const char *namespace_name, const kc_list_options *options,
                                      char **out_list_json, char **out_items_text, size_t **out_spans,
                                      size_t *out_count);

/** POST a new object. `body_json` is the object as JSON text; YAML text holding one object
 *  is accepted too (converted to JSON), here and in kc_update / kc_update_status. For
 *  namespaced resources namespace_name NULL uses the object's metadata.namespace.
 *  Errors: KC_ERR_ALREADY_EXISTS, KC_ERR_INVALID, KC_ERR_DECODE (bad YAML), ... */
KC_EXTERN kc_status kc_create(kc_client *client, const char *api_version, const char *resource,
                              const char *namespace_name, const char *body_json, char **out_json);

/** kc_create with write options (`options` NULL = server defaults, as kc_create): dry run,
 *  field manager, field validation. With options->dry_run nothing is stored and *out_json is
 *  the object as it would have been created. */
KC_EXTERN kc_status kc_create_ext(kc_client *client, const char *api_version, const char *resource,
                                  const char *namespace_name, const char *body_json,
                                  const kc_write_options *options, char **out_json);

/** PUT a whole object; its metadata.name names it, metadata.resourceVersion guards it.
 *  Errors: KC_ERR_CONFLICT when the object changed meanwhile, KC_ERR_NOT_FOUND, ... */
KC_EXTERN kc_status kc_update(kc_client *client, const char *api_version, const char *resource,
                              const char *namespace_name, const char *body_json, char **out_json);

/** kc_update with write options (`options` NULL = server defaults, as kc_update). */
KC_EXTERN kc_status kc_update_ext(kc_client *client, const char *api_version, const char *resource,
                                  const char *namespace_name, const char *body_json,
                                  const kc_write_options *options, char **out_json);

/** PUT the status subresource of an object (same rules as kc_update). */
KC_EXTERN kc_status kc_update_status(kc_client *client, const char *api_version, const char *resource,
                                     const char *namespace_name, const char *body_json, char **out_json);

/** PATCH an object; `patch` is JSON text in the format `type` names. */
KC_EXTERN kc_status kc_patch(kc_client *client, const char *api_version, const char *resource,
                             const char *namespace_name, const char *name, kc_patch_type type,
                             const char *patch, char **out_json);

/** kc_patch with write options (`options` NULL = server defaults, as kc_patch). */
KC_EXTERN kc_status kc_patch_ext(kc_client *client, const char *api_version, const char *resource,
                                 const char *namespace_name, const char *name, kc_patch_type type,
                                 const char *patch, const kc_write_options *options, char **out_json);

/** Server-side apply of one object (`body`, JSON or YAML text with apiVersion, kind and
 *  metadata.name). `options` may be NULL (field manager "kubeclient", no force, no dry run,
 *  server-default field validation); a version-1 kc_apply_options is accepted.
 *  Errors: KC_ERR_CONFLICT when another manager owns a field and force is 0. */
KC_EXTERN kc_status kc_apply(kc_client *client, const char *api_version, const char *resource,
                             const char *namespace_name, const char *body, const kc_apply_options *options,
                             char **out_json);

/** DELETE one object. `options` may be NULL. `out_json` may be NULL (answer discarded);
 *  else it receives the server's answer (the object being deleted, or a Status). */
KC_EXTERN kc_status kc_delete(kc_client *client, const char *api_version, const char *resource,
                              const char *namespace_name, const char *name, const kc_delete_options *options,
                              char **out_json);

/** DELETE every object of a collection matching `list_options` (selectors). Both option
 *  structs may be NULL. `out_json` may be NULL. */
KC_EXTERN kc_status kc_delete_collection(kc_client *client, const char *api_version, const char *resource,
                                         const char *namespace_name, const kc_list_options *list_options,
                                         const kc_delete_options *options, char **out_json);

/**
 * Runs `fn(user_data)` again while it returns KC_ERR_CONFLICT (client-go's
 * retry.RetryOnConflict with retry.DefaultRetry): at most 5 attempts, about 10 ms apart
 * (each wait stretched by up to 10 % at random). `fn` must read the object afresh on every
 * attempt, so that each update carries the latest resourceVersion.
 *
 * Returns `fn`'s last status: KC_OK, the first status other than KC_ERR_CONFLICT (at once),
 * or KC_ERR_CONFLICT after the fifth conflicting attempt. kc_error_last() then describes that
 * status: the record `fn`'s own last kc_* call left, or, when `fn` returned a status without
 * one (its own logic), a record with that status and a message saying so.
 * `fn` runs on the calling thread, which blocks between attempts. NULL `fn`:
 * KC_ERR_INVALID_ARGUMENT.
 */
KC_EXTERN kc_status kc_retry_on_conflict(kc_retry_fn fn, void *user_data);

/* =====================================================================================
 * kc_watch — a stream of changes to a collection, delivered to callbacks on a library
 * thread. Constructor: kc_watch_start. Destructor: kc_watch_free.
 * ===================================================================================*/

/**
 * Starts watching (constructor). Returns once the request is on its way; events then
 * arrive on a new library thread, in order, through handlers->on_event, and
 * handlers->on_done is called once at the end. `options` may be NULL; set
 * options->resource_version to watch from a list's resourceVersion. The stream ends
 * when the server closes it (e.g. options->timeout_ms), on an ERROR event, or
 * when stopped: it does not reconnect (informers do that). An ERROR event is not passed
 * to on_event: it ends the watch with its Status as the final status, KC_ERR_GONE for
 * a resourceVersion that is too old (list again, then watch from the list's version).
 * `handlers` is copied; `user_data` is passed to every callback and must stay valid
 * until on_done has been called or kc_watch_free() has returned.
 * Errors here: KC_ERR_INVALID_ARGUMENT, KC_ERR_INTERNAL (no thread). HTTP errors of the
 * watch request itself (404, 403, 410...) arrive through on_done and kc_watch_wait().
 */
KC_EXTERN kc_status kc_watch_start(kc_client *client, const char *api_version, const char *resource,
                                   const char *namespace_name, const kc_list_options *options,
                                   const kc_watch_handlers *handlers, void *user_data, kc_watch **out);

/**
 * Starts a watch that does not end when the stream does (constructor; client-go's
 * RetryWatcher and UntilWithSync): a dropped or ended stream is resumed from the last
 * resourceVersion seen (events and bookmarks), and a 410 Gone makes it list again and deliver
 * what changed meanwhile as ADDED / MODIFIED / DELETED events (a DELETED object then carries
 * only its name and namespace), before it watches on. With no options->resource_version it
 * first lists and delivers every object as ADDED. BOOKMARK events are always asked for and
 * delivered; ERROR events never are. It ends only when stopped (KC_OK) or on a failure that
 * resuming cannot fix (403, 404, a malformed event), reported through on_done and
 * kc_watch_wait(). Everything else is as kc_watch_start: the same kc_watch handle, threads
 * and lifetime rules.
 */
KC_EXTERN kc_status kc_watch_start_resumable(kc_client *client, const char *api_version, const char *resource,
                                             const char *namespace_name, const kc_list_options *options,
                                             const kc_watch_handlers *handlers, void *user_data, kc_watch **out);

/**
 * Asks the watch to end. From any other thread it also waits until the watch thread has
 * finished (on_done included), so that no callback runs once it returns — also when several
 * threads call kc_watch_stop / kc_watch_free at once: every one of them waits. From inside
 * one of the watch's own callbacks it only asks (it cannot wait for the callback that
 * called it, and does not deadlock): no further event is delivered, on_done follows on
 * the same thread after the callback returns.
 * Idempotent. Returns KC_OK, KC_ERR_INVALID_ARGUMENT for NULL, KC_ERR_CLOSED for a freed
 * handle (when it races a kc_watch_free of the same handle, after waiting like it).
 */
KC_EXTERN kc_status kc_watch_stop(kc_watch *watch);

/**
 * Waits up to `timeout_ms` (< 0: no limit; above KC_MAX_DURATION_MS: clamped, so
 * INT64_MAX also waits without practical limit) for the watch to end by itself or by a stop.
 * Returns KC_ERR_TIMEOUT when it is still running; otherwise the watch's final status
 * (KC_OK when the stream ended or was stopped), with kc_error_last() describing it.
 * Calling it from the watch's own callback returns KC_ERR_INVALID_ARGUMENT.
 */
KC_EXTERN kc_status kc_watch_wait(kc_watch *watch, int64_t timeout_ms);

/**
 * Destructor: stops the watch (as kc_watch_stop) and releases the handle. From any other
 * thread it returns only after the last callback (on_done) has returned, even when another
 * thread is stopping or freeing the same watch at the same moment: user_data may be freed
 * as soon as it returns. May be called from the watch's own callback: it then returns at
 * once, and on_done is still called on the watch thread after that callback returns, so
 * user_data must stay valid until on_done has returned. NULL is ignored.
 */
KC_EXTERN void kc_watch_free(kc_watch *watch);

/* =====================================================================================
 * Discovery: what the server offers. JSON out, to be freed with kc_free().
 * Results are cached per client; kc_discovery_invalidate() drops the cache.
 * ===================================================================================*/

/** The server's /version object: {"major","minor","gitVersion",...}. */
KC_EXTERN kc_status kc_server_version(kc_client *client, char **out_json);

/** Every API group: an APIGroupList {"kind":"APIGroupList","groups":[{"name","versions",
 *  "preferredVersion"}...]}; the core group has the name "". */
KC_EXTERN kc_status kc_server_groups(kc_client *client, char **out_json);

/** The resources of one group-version (`group_version` "v1" or "apps/v1"): an
 *  APIResourceList {"groupVersion","resources":[{"name","singularName","namespaced",
 *  "kind","verbs","shortNames"}...]}, subresources included ("deployments/status"). */
KC_EXTERN kc_status kc_server_resources(kc_client *client, const char *group_version, char **out_json);

/** The preferred version's resources of every group, subresources excluded (what
 *  `kubectl api-resources` prints): a JSON array of APIResourceList objects. */
KC_EXTERN kc_status kc_server_preferred_resources(kc_client *client, char **out_json);

/** Forgets cached discovery results; the next discovery call asks the server again. */
KC_EXTERN kc_status kc_discovery_invalidate(kc_client *client);

/* =====================================================================================
 * Manifests
 * ===================================================================================*/

/**
 * Applies a manifest like `kubectl apply --server-side -f`: `manifest` is YAML (several
 * documents separated by "---") or JSON, `kind: List` included. Each object's kind is
 * mapped to its resource through discovery and server-side applied, in order.
 * default_namespace: used for namespaced objects without metadata.namespace; NULL = the
 * config's namespace. `options` may be NULL (options->dry_run is not supported here and gives
 * KC_ERR_INVALID_ARGUMENT). `out_json` receives a JSON array of the
 * applied objects as the server returned them. Stops at the first failure (objects
 * before it stay applied). Errors: KC_ERR_DECODE (YAML/JSON), KC_ERR_NOT_FOUND (unknown kind), ...
 */
KC_EXTERN kc_status kc_apply_manifest(kc_client *client, const char *manifest, const char *default_namespace,
                                      const kc_apply_options *options, char **out_json);

/* =====================================================================================
 * Raw requests: anything the functions above do not cover.
 * ===================================================================================*/

/**
 * Sends `method` ("GET", "POST", ...) to `path` (starting with "/", may carry a query)
 * with an optional body (`body` NULL or `body_len` 0: none; `content_type` NULL:
 * "application/json" when there is a body). Returns KC_OK whenever the server answered,
 * whatever the HTTP status: `out_http_code` receives it and `out_body` the body (a
 * Kubernetes Status JSON for non-2xx answers), NUL-terminated for convenience, its
 * length in `out_body_len` (which may be NULL). Free *out_body with kc_free().
 * Errors: KC_ERR_TRANSPORT, KC_ERR_TIMEOUT, KC_ERR_INVALID_ARGUMENT.
 */
KC_EXTERN kc_status kc_request(kc_client *client, const char *method, const char *path,
                               const char *body, size_t body_len, const char *content_type,
                               int *out_http_code, char **out_body, size_t *out_body_len);

/**
 * kc_request that can be cancelled: `cancel` (NULL: not cancellable, exactly kc_request) is a
 * token from kc_cancel_new(). When another thread calls kc_cancel_cancel() on it, the transfer
 * is aborted and this call returns KC_ERR_CANCELLED with *out_body NULL (what had arrived is
 * dropped), at once, also while the call is blocked waiting for bytes (a followed pod log,
 * "?follow=true"): a request with a token runs on a connection of its own, whose socket the
 * cancel shuts down. A token cancelled before the call makes it return KC_ERR_CANCELLED without
 * sending anything. The token is borrowed for the call: free it only after the call returned.
 * Errors: those of kc_request, KC_ERR_CANCELLED, KC_ERR_CLOSED for a freed token.
 */
KC_EXTERN kc_status kc_request_ext(kc_client *client, const char *method, const char *path,
                                   const char *body, size_t body_len, const char *content_type,
                                   kc_cancel *cancel, int *out_http_code, char **out_body,
                                   size_t *out_body_len);

/* =====================================================================================
 * kc_cancel — a cancellation token (Go's context cancel, Swift's CancellationToken).
 * Constructor: kc_cancel_new. Destructor: kc_cancel_free. Method: kc_cancel_cancel.
 * Pass it to the calls that take one (kc_request_ext, the stream options), or bind it to a
 * thread for every other request (kc_cancel_bind); cancelling it from any thread ends every
 * such call using it with KC_ERR_CANCELLED. Once cancelled it stays cancelled (it
 * cannot be reset): use a new token for the next call. Thread-safe.
 * ===================================================================================*/

/** Creates an uncancelled token (constructor). Free it with kc_cancel_free(). */
KC_EXTERN kc_status kc_cancel_new(kc_cancel **out);

/**
 * Cancels the token: calls using it end with KC_ERR_CANCELLED as soon as they notice (see each
 * call's documentation), later calls given it fail at once. Idempotent; callable from
 * any thread, but not from a signal handler (it takes a lock). KC_ERR_INVALID_ARGUMENT for
 * NULL, KC_ERR_CLOSED for a freed token.
 */
KC_EXTERN kc_status kc_cancel_cancel(kc_cancel *cancel);

/** 1 when kc_cancel_cancel() was called on the token, else 0 (also for NULL or a freed token,
 *  with kc_error_last() saying which). */
KC_EXTERN int kc_cancel_is_cancelled(const kc_cancel *cancel);

/** Destructor. NULL is ignored. A call still running with the token keeps it alive until it
 *  returns, but no thread may call kc_cancel_cancel() on it once this was called. */
KC_EXTERN void kc_cancel_free(kc_cancel *cancel);

/**
 * Binds `cancel` to the calling thread (NULL unbinds; a new binding replaces the old): until
 * then, every request this thread makes without a token of its own — kc_get, kc_list,
 * kc_list_all, kc_create/_ext, kc_update/_ext, kc_update_status, kc_patch/_ext, kc_apply,
 * kc_delete, kc_delete_collection, the discovery calls, kc_apply_manifest, kc_request, and
 * kc_retry_on_conflict's attempts — ends with KC_ERR_CANCELLED once another thread cancels it,
 * also while waiting for the rate limiter, an exec credential plugin or the server's bytes
 * (each such request gets a connection of its own, whose socket the cancel shuts down). Go
 * passes a context.Context to each call; this is the same without a parameter. The binding
 * holds a reference: kc_cancel_free() may be called while it is bound; the token is released
 * when the thread unbinds or ends. Calls that wait on the library rather than the network
 * (kc_watch_wait, kc_informer_wait_for_sync, kc_workqueue_get, kc_event_recorder_flush) take a
 * timeout instead. KC_ERR_CLOSED for a freed token.
 */
KC_EXTERN kc_status kc_cancel_bind(kc_cancel *cancel);

#ifdef __cplusplus
}
#endif

#include "kubeclient/informer.h"
#include "kubeclient/controller.h"
#include "kubeclient/stream.h"
#include "kubeclient/object.h"

#endif /* KUBECLIENT_H */
