/*
 * kubeclient/types.h — types of the kubeclient C API: status codes, the error record,
 * options structs and callback typedefs. Included by <kubeclient.h>; include that instead.
 *
 * Kept apart from the function declarations so that the Swift implementation can import
 * exactly these layouts (Sources/CKubeABI) and the compiler checks that both sides agree.
 */
#ifndef KUBECLIENT_TYPES_H
#define KUBECLIENT_TYPES_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------------------------
 * Opaque handles. Each is created by a constructor (kc_<type>_new / _load / _start) and
 * destroyed by its kc_<type>_free, which accepts NULL.
 * ---------------------------------------------------------------------------------- */

/** Connection settings resolved from a kubeconfig or the in-cluster environment. Immutable. */
typedef struct kc_config kc_config;
/** A client: connection pool, credentials, rate limiter, discovery cache. Thread-safe. */
typedef struct kc_client kc_client;
/** One running watch stream and the library thread that delivers its events. */
typedef struct kc_watch kc_watch;
/** A cancellation token: cancelling it ends the blocking calls it was passed to. */
typedef struct kc_cancel kc_cancel;

/* ------------------------------------------------------------------------------------
 * Status codes. 0 is success; codes are appended, never renumbered.
 * ---------------------------------------------------------------------------------- */
typedef enum kc_status {
    KC_OK = 0,
    KC_ERR_NOT_FOUND = 1,          /**< HTTP 404 / NotFound */
    KC_ERR_ALREADY_EXISTS = 2,     /**< HTTP 409 / AlreadyExists */
    KC_ERR_CONFLICT = 3,           /**< HTTP 409 / Conflict (stale resourceVersion) */
    KC_ERR_GONE = 4,               /**< HTTP 410 / Gone or Expired (resourceVersion too old) */
    KC_ERR_INVALID = 5,            /**< HTTP 422 / Invalid (the server rejected the object) */
    KC_ERR_UNAUTHORIZED = 6,       /**< HTTP 401 */
    KC_ERR_FORBIDDEN = 7,          /**< HTTP 403 */
    KC_ERR_TOO_MANY_REQUESTS = 8,  /**< HTTP 429 after the client's retries */
    KC_ERR_TIMEOUT = 9,            /**< client-side timeout, or server Timeout / 504 */
    KC_ERR_CANCELLED = 10,         /**< the call or watch was cancelled */
    KC_ERR_API = 11,               /**< any other non-2xx answer from the server */
    KC_ERR_TRANSPORT = 12,         /**< no complete HTTP answer: DNS, connect, TLS, protocol */
    KC_ERR_CONFIG = 13,            /**< kubeconfig / in-cluster config / credentials unusable */
    KC_ERR_INVALID_ARGUMENT = 14,  /**< the caller passed NULL or malformed input */
    KC_ERR_DECODE = 15,            /**< the server's answer or a manifest was not valid JSON/YAML */
    KC_ERR_CLOSED = 16,            /**< the handle was already freed, stopped or closed */
    KC_ERR_INTERNAL = 17           /**< a bug in the library; please report it */
} kc_status;

/**
 * The last error of the calling thread (see kc_error_last()).
 *
 * All strings are UTF-8, never NULL ("" when absent), owned by the library and valid
 * until the next kc_* call on the same thread. Fields may be appended in later versions.
 */
typedef struct kc_error {
    kc_status status;     /**< KC_OK when the last call succeeded */
    int http_code;        /**< HTTP status of an API error, else 0 */
    const char *reason;   /**< the server Status reason ("NotFound", ...), else "" */
    const char *message;  /**< one line, no "error:" prefix, never a secret */
    const char *status_json; /**< an API error's Status object as JSON (details.causes with
                                  field paths, details.retryAfterSeconds), else "" */
} kc_error;

/** Severity of a log line (kc_log_set_handler), as swift-log and syslog order them. */
typedef enum kc_log_level {
    KC_LOG_TRACE = 0,
    KC_LOG_DEBUG = 1,
    KC_LOG_INFO = 2,
    KC_LOG_NOTICE = 3,
    KC_LOG_WARNING = 4,
    KC_LOG_ERROR = 5,
    KC_LOG_CRITICAL = 6
} kc_log_level;

/** Receives one log line: its level, the component that logged it, and the text. */
typedef void (*kc_log_cb)(kc_log_level level, const char *component, const char *message, void *user_data);

/** The longest time span the library uses, in milliseconds (1e12 ms, about 31.7 years).
 *  Every longer timeout, period or delay passed in is clamped to it (see "Numbers" in
 *  kubeclient.h). */
#define KC_MAX_DURATION_MS INT64_C(1000000000000)

/* ------------------------------------------------------------------------------------
 * Options structs. Each has a `version` field: initialise with the _INIT macro or the
 * kc_<x>_options_init() function, then set the fields you need. Every member left zero /
 * NULL means its default, so `{ .version = V }`, the _INIT macro and passing NULL instead
 * of a struct are the same. String fields are borrowed for the duration of the call.
 * A struct whose layout changed in a breaking release gets a new version, and the library
 * refuses the older version with KC_ERR_INVALID_ARGUMENT instead of misreading it.
 * ---------------------------------------------------------------------------------- */

#define KC_CLIENT_OPTIONS_VERSION 1
/** Options of kc_client_new(). */
typedef struct kc_client_options {
    unsigned int version;      /**< KC_CLIENT_OPTIONS_VERSION */
    double qps;                /**< requests per second; 0 = config/default (5); < 0 = no limit;
                                    NaN or infinite: KC_ERR_INVALID_ARGUMENT. A tiny qps (1e-12)
                                    makes requests wait, cancellably, at most KC_MAX_DURATION_MS */
    int burst;                 /**< burst above qps; 0 = config/default (10); < 0: KC_ERR_INVALID_ARGUMENT */
    int64_t timeout_ms;        /**< per-request timeout; 0 = config/default (none); watches never
                                    time out; < 0: KC_ERR_INVALID_ARGUMENT; clamped to KC_MAX_DURATION_MS */
    const char *user_agent;    /**< NULL = "kubeclient/VERSION (OS/ARCH)" */
} kc_client_options;
#define KC_CLIENT_OPTIONS_INIT { KC_CLIENT_OPTIONS_VERSION, 0.0, 0, 0, NULL }

#define KC_LIST_OPTIONS_VERSION 2
/** Query of list, list_all, watch and delete_collection. NULL strings / 0 numbers = unset.
 *  Version 2: timeout_ms replaced version 1's timeout_seconds (version 1 is refused). */
typedef struct kc_list_options {
    unsigned int version;               /**< KC_LIST_OPTIONS_VERSION */
    const char *label_selector;         /**< e.g. "app=web,tier!=db" */
    const char *field_selector;         /**< e.g. "metadata.name=x" */
    int64_t limit;                      /**< page size; 0 = server default (everything); < 0: KC_ERR_INVALID_ARGUMENT */
    const char *continue_token;         /**< from a previous page's metadata.continue */
    const char *resource_version;       /**< list from / watch after this resourceVersion */
    const char *resource_version_match; /**< "Exact" or "NotOlderThan" */
    int64_t timeout_ms;                 /**< server-side timeout of a list or watch; 0 = none;
                                             < 0: KC_ERR_INVALID_ARGUMENT; sent as timeoutSeconds,
                                             rounded up to whole seconds */
    int allow_watch_bookmarks;          /**< watch only: non-zero asks for BOOKMARK events */
} kc_list_options;
#define KC_LIST_OPTIONS_INIT { KC_LIST_OPTIONS_VERSION, NULL, NULL, 0, NULL, NULL, NULL, 0, 0 }

#define KC_DELETE_OPTIONS_VERSION 2
/** Options of kc_delete() and kc_delete_collection(). All zero = server defaults.
 *  Version 2: has_grace_period and grace_period_ms replaced version 1's grace_period_seconds,
 *  whose zero meant "delete immediately" (version 1 is refused). */
typedef struct kc_delete_options {
    unsigned int version;                  /**< KC_DELETE_OPTIONS_VERSION */
    int has_grace_period;                  /**< 0 = the object's own grace period (server default);
                                                non-zero: grace_period_ms is sent */
    int64_t grace_period_ms;               /**< with has_grace_period: 0 = delete immediately; > 0:
                                                sent as gracePeriodSeconds, rounded up to whole
                                                seconds; < 0: KC_ERR_INVALID_ARGUMENT */
    const char *propagation_policy;        /**< "Orphan", "Background", "Foreground" or NULL */
    const char *precondition_uid;          /**< delete only if the object still has this uid */
    const char *precondition_resource_version; /**< ... and this resourceVersion */
    int dry_run;                           /**< non-zero: dryRun=All */
} kc_delete_options;
#define KC_DELETE_OPTIONS_INIT { KC_DELETE_OPTIONS_VERSION, 0, 0, NULL, NULL, NULL, 0 }

#define KC_APPLY_OPTIONS_VERSION 2
/** Options of server-side apply: kc_apply() and kc_apply_manifest().
 *  Version 1 ends after dry_run; a version-1 struct is still accepted (field_validation is
 *  then unset and never read). */
typedef struct kc_apply_options {
    unsigned int version;       /**< KC_APPLY_OPTIONS_VERSION */
    const char *field_manager;  /**< NULL = "kubeclient" */
    int force;                  /**< non-zero: take over fields owned by other managers */
    int dry_run;                /**< non-zero: dryRun=All */
    /* version 2 */
    const char *field_validation; /**< "Ignore", "Warn" or "Strict" (see kc_write_options);
                                       NULL = server default */
} kc_apply_options;
#define KC_APPLY_OPTIONS_INIT { KC_APPLY_OPTIONS_VERSION, NULL, 0, 0, NULL }

#define KC_WRITE_OPTIONS_VERSION 1
/** Query options of a write (metav1.CreateOptions / UpdateOptions / PatchOptions):
 *  kc_create_ext(), kc_update_ext(), kc_patch_ext(). All zero / NULL = server defaults. */
typedef struct kc_write_options {
    unsigned int version;          /**< KC_WRITE_OPTIONS_VERSION */
    const char *field_manager;     /**< the actor recorded in metadata.managedFields; NULL or "" =
                                        server default (derived from the user agent) */
    int dry_run;                   /**< non-zero: dryRun=All — validated and admitted, not persisted;
                                        the answer is the object as it would have been stored */
    const char *field_validation;  /**< unknown or duplicate fields in the body: "Ignore" (drop
                                        silently), "Warn" (drop, answer with a Warning header) or
                                        "Strict" (refuse: KC_ERR_API, HTTP 400 BadRequest
                                        "strict decoding error: unknown field ..."); NULL or "" =
                                        server default (Warn); anything else: KC_ERR_INVALID_ARGUMENT */
} kc_write_options;
#define KC_WRITE_OPTIONS_INIT { KC_WRITE_OPTIONS_VERSION, NULL, 0, NULL }

/** Body format of kc_patch(). */
typedef enum kc_patch_type {
    KC_PATCH_JSON = 0,       /**< RFC 6902 JSON patch: application/json-patch+json */
    KC_PATCH_MERGE = 1,      /**< RFC 7386 merge patch: application/merge-patch+json */
    KC_PATCH_STRATEGIC = 2   /**< Kubernetes strategic merge patch */
} kc_patch_type;

/**
 * One attempt of a read-modify-write for kc_retry_on_conflict(): get the object afresh, change
 * it, update it, and return the status of the update (KC_ERR_CONFLICT asks for another attempt).
 * Called on the thread that called kc_retry_on_conflict(); it may call any kc_* function.
 */
typedef kc_status (*kc_retry_fn)(void *user_data);

/* ------------------------------------------------------------------------------------
 * Watch events and callbacks.
 * ---------------------------------------------------------------------------------- */

/** The `type` of a watch event. */
typedef enum kc_event_type {
    KC_EVENT_ADDED = 1,
    KC_EVENT_MODIFIED = 2,
    KC_EVENT_DELETED = 3,    /**< the object is its last state */
    KC_EVENT_BOOKMARK = 4,   /**< only metadata.resourceVersion is meaningful */
    KC_EVENT_ERROR = 5       /**< a Status (e.g. 410 Expired); kc_watch_* ends with it as its final status instead */
} kc_event_type;

/**
 * Receives one watch event.
 *
 * Called on the watch's own library thread, one event at a time, in the server's order.
 * `object` is the event's object as JSON text: NOT NUL-terminated, `object_len` bytes,
 * borrowed — valid only until the callback returns (copy it to keep it).
 * The callback may call any kc_* function, including kc_watch_stop() and kc_watch_free()
 * on its own watch (which then only request the stop: no deadlock); it should return quickly.
 */
typedef void (*kc_watch_event_cb)(kc_event_type type, const char *object, size_t object_len,
                                  void *user_data);

/**
 * Called exactly once, on the watch thread, after the last event: when the server ended
 * the stream (status KC_OK), when kc_watch_stop()/kc_watch_free() was called (KC_OK), or
 * when the watch failed (the error code; `error` describes it). `error` is borrowed for
 * the duration of the call and is never NULL.
 */
typedef void (*kc_watch_done_cb)(kc_status status, const kc_error *error, void *user_data);

#define KC_WATCH_HANDLERS_VERSION 1
/** The callbacks of a watch; a NULL member means "not interested". */
typedef struct kc_watch_handlers {
    unsigned int version;      /**< KC_WATCH_HANDLERS_VERSION */
    kc_watch_event_cb on_event;
    kc_watch_done_cb on_done;
} kc_watch_handlers;
#define KC_WATCH_HANDLERS_INIT { KC_WATCH_HANDLERS_VERSION, NULL, NULL }

#ifdef __cplusplus
}
#endif

#endif /* KUBECLIENT_TYPES_H */
