/*
 * kubeclient/informer_types.h — types of the informer C API (handles, options, handler
 * structs, callback typedefs). Included by <kubeclient/informer.h>; include that instead.
 *
 * Kept apart from the function declarations so that the Swift implementation imports
 * exactly these layouts (Sources/CKubeABI) and the compiler checks both sides agree.
 */
#ifndef KUBECLIENT_INFORMER_TYPES_H
#define KUBECLIENT_INFORMER_TYPES_H

#include <stddef.h>
#include <stdint.h>
#include "types.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Hands out shared informers, one per (resource, namespace, selectors); starts, syncs and stops them. */
typedef struct kc_informer_factory kc_informer_factory;
/** A local cache of one resource kept in sync by list + watch. Owned by its factory. */
typedef struct kc_informer kc_informer;
/** One handler set (or one pull queue) added to an informer. */
typedef struct kc_informer_registration kc_informer_registration;

#define KC_INFORMER_FACTORY_OPTIONS_VERSION 2
/** Options of kc_informer_factory_new(); NULL means all defaults. Members are only ever
 *  appended: a caller built against version 1 passes version 1 and the library reads
 *  only the version-1 members. */
typedef struct kc_informer_factory_options {
    unsigned int version;        /**< KC_INFORMER_FACTORY_OPTIONS_VERSION */
    int drop_managed_fields;     /**< non-zero: cut metadata.managedFields before caching */
    int64_t page_size;           /**< items per list page; 0 = 500; < 0 = unpaged lists */
    int64_t idle_timeout_ms;     /**< re-establish a watch silent this long; 0 = 150000 (informers
                                      ask for bookmarks, which kube-apiserver sends about once a
                                      minute: a longer silence is a dead connection);
                                      < 0: KC_ERR_INVALID_ARGUMENT; clamped to KC_MAX_DURATION_MS */
    /* version 2 */
    int streaming_list;          /**< non-zero: get the initial state from a streaming list
                                      (watch with sendInitialEvents), falling back to paged
                                      LISTs where the server refuses */
    int64_t backoff_initial_ms;  /**< first retry delay after a list/watch failure; 0 = 800;
                                      < 0: KC_ERR_INVALID_ARGUMENT; clamped to KC_MAX_DURATION_MS */
    int64_t backoff_max_ms;      /**< longest retry delay (before jitter); 0 = 30000; as above */
} kc_informer_factory_options;
#define KC_INFORMER_FACTORY_OPTIONS_INIT { KC_INFORMER_FACTORY_OPTIONS_VERSION, 0, 0, 0, 0, 0, 0 }

#define KC_INFORMER_OPTIONS_VERSION 1
/** What an informer covers besides resource and namespace; NULL means everything. */
typedef struct kc_informer_options {
    unsigned int version;        /**< KC_INFORMER_OPTIONS_VERSION */
    const char *label_selector;  /**< server-side label selector, NULL/"" = all */
    const char *field_selector;  /**< server-side field selector, NULL/"" = all */
    int metadata_only;           /**< non-zero: cache only apiVersion, kind and metadata */
} kc_informer_options;
#define KC_INFORMER_OPTIONS_INIT { KC_INFORMER_OPTIONS_VERSION, NULL, NULL, 0 }

/*
 * Handler callbacks. Objects are JSON text: NOT NUL-terminated, `*_len` bytes, borrowed —
 * valid only until the callback returns (copy what you keep).
 *
 * Thread: each registration has its own library thread that runs its callbacks one at a
 * time, in order for each object; a slow callback delays only its own registration.
 * A callback may call any kc_* function, including kc_informer_stop(),
 * kc_informer_registration_remove()/_free() on its own registration,
 * kc_informer_factory_shutdown() and kc_informer_factory_free(): none of them deadlocks.
 * Called from a callback they only request the stop and wait for no callback (the threads
 * end by themselves); called from your own threads they wait for every callback.
 */
/** An object appeared. `is_initial_list` is non-zero for the initial list and for the
 *  cache contents replayed to a registration added after the informer synced. */
typedef void (*kc_informer_add_cb)(const char *object, size_t object_len, int is_initial_list, void *user_data);
/** An object changed; after a resync or relist `old_object` may equal `new_object`. */
typedef void (*kc_informer_update_cb)(const char *old_object, size_t old_len, const char *new_object, size_t new_len,
                                      void *user_data);
/** An object is gone. With `final_state_unknown` non-zero the deletion happened while the
 *  watch was down and `object` is the last state the cache knew. */
typedef void (*kc_informer_delete_cb)(const char *object, size_t object_len, int final_state_unknown, void *user_data);

/** A list or watch of the informer failed (it retries by itself, with backoff). `error` is
 *  borrowed: valid only during the call. Runs on the informer's reflector thread, after the
 *  failure and before the retry's backoff; it may call any kc_* function, kc_informer_stop()
 *  on this informer included, and should return quickly (the informer waits for it). */
typedef void (*kc_informer_watch_error_cb)(const kc_error *error, void *user_data);

#define KC_INFORMER_HANDLERS_VERSION 1
/** The callbacks of a registration; a NULL member means "not interested". */
typedef struct kc_informer_handlers {
    unsigned int version;           /**< KC_INFORMER_HANDLERS_VERSION */
    kc_informer_add_cb on_add;
    kc_informer_update_cb on_update;
    kc_informer_delete_cb on_delete;
    int64_t resync_period_ms;       /**< > 0: re-deliver every cached object as an update this often
                                         (clamped to KC_MAX_DURATION_MS); < 0: KC_ERR_INVALID_ARGUMENT */
} kc_informer_handlers;
#define KC_INFORMER_HANDLERS_INIT { KC_INFORMER_HANDLERS_VERSION, NULL, NULL, NULL, 0 }

/** The kind of a pulled event (kc_informer_registration_next()). */
typedef enum kc_informer_event_type {
    KC_INFORMER_EVENT_NONE = 0,     /**< nothing waiting: poll the descriptor again */
    KC_INFORMER_EVENT_ADD = 1,
    KC_INFORMER_EVENT_UPDATE = 2,
    KC_INFORMER_EVENT_DELETE = 3
} kc_informer_event_type;

/**
 * One pulled event. Pointers are borrowed from the registration: valid until the next
 * kc_informer_registration_next() on it, or until it is freed.
 */
typedef struct kc_informer_event {
    kc_informer_event_type type;
    const char *object;             /**< the object (new state for updates); not NUL-terminated */
    size_t object_len;
    const char *old_object;         /**< updates only: the previous state, else NULL */
    size_t old_object_len;
    int is_initial_list;            /**< adds only */
    int final_state_unknown;        /**< deletes only */
} kc_informer_event;

/** Passed to an index function: call it once per index value of the object. `value` is
 *  NUL-terminated, UTF-8 and borrowed for the duration of the call; a value that is not
 *  valid UTF-8 is ignored (lookups refuse such values, so it could never be found). */
typedef void (*kc_index_emit_fn)(void *emit_context, const char *value);

/**
 * Computes the index values of one object (JSON text, not NUL-terminated, borrowed) by
 * calling `emit(emit_context, value)` for each value. Runs on the informer's processing
 * thread with the cache locked: it must be quick and must not call any kc_informer_* or
 * kc_informer_factory_* function.
 */
typedef void (*kc_index_fn)(const char *object, size_t object_len, kc_index_emit_fn emit, void *emit_context,
                            void *user_data);

#ifdef __cplusplus
}
#endif

#endif /* KUBECLIENT_INFORMER_TYPES_H */
