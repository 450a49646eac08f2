/*
 * kubeclient/informer.h — informers: local caches kept in sync by list + watch, with
 * add/update/delete handlers (callbacks or a pollable pull queue), listers and indexes.
 *
 *   #include <kubeclient.h>   (which includes this header)
 *
 * OBJECTS
 *   kc_informer_factory  constructor kc_informer_factory_new, destructor kc_informer_factory_free.
 *                        Hands out one shared kc_informer per (resource, namespace, label
 *                        selector, field selector, metadata-only).
 *   kc_informer          borrowed from its factory: valid until kc_informer_factory_free.
 *   kc_informer_registration
 *                        constructor kc_informer_add_handlers / kc_informer_add_pull,
 *                        destructor kc_informer_registration_free.
 *
 * GUARANTEES (the same as client-go's SharedInformer)
 *   - The cache converges to the server's state. After a watch gap (stream closed, 410
 *     Gone) the informer relists and swaps the cache to the new contents in one step.
 *   - Each registration has its own queue and thread: it receives events one at a time, in
 *     order for each object; a slow registration never delays the cache or the others.
 *   - A deletion missed while the watch was down is delivered as a delete of the last known
 *     object with final_state_unknown set.
 *   - A registration added after the informer synced first receives an add (with
 *     is_initial_list) for every cached object, then live events.
 *   - kc_informer_stop / kc_informer_factory_shutdown / _free end and join every thread the
 *     informers started, and return only after the last callback has returned — also when
 *     several threads call them at once. Called from a callback (any thread of the
 *     informer, or for the factory functions of any of its informers) they only request
 *     the stop and wait for nothing: a callback cannot wait for itself, and two callbacks
 *     stopping at once must not wait for each other. A call from a thread of yours still
 *     waits for every callback.
 *
 * THREADS
 *   Callbacks run on the registration's library thread (see informer_types.h for what they
 *   may call). Index functions run on the informer's processing thread with the cache
 *   locked. The watch-error handler (kc_informer_set_watch_error_handler) runs on the
 *   informer's reflector thread. Everything else may be called from any thread.
 *
 * OPTIONS
 *   kc_informer_factory_options (version 2): managedFields dropping, page size, idle limit,
 *   streaming lists (sendInitialEvents, falling back to paged LISTs), retry backoff.
 *   kc_informer_options: selectors, and metadata_only, for which the server sends
 *   PartialObjectMetadata ("kind":"PartialObjectMetadata") instead of whole objects.
 *
 * OBJECT TEXT
 *   Objects are compact JSON; lister results are JSON arrays of objects, returned through
 *   char ** out-parameters and freed with kc_free().
 */
#ifndef KUBECLIENT_INFORMER_H
#define KUBECLIENT_INFORMER_H

#include "export.h"
#include "types.h"
#include "informer_types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ===================================================================================== */
/* Factory                                                                               */
/* ===================================================================================== */

/** Fills `options` with defaults for `version` (KC_INFORMER_FACTORY_OPTIONS_VERSION). */
KC_EXTERN kc_status kc_informer_factory_options_init(kc_informer_factory_options *options, unsigned int version);

/** Fills `options` with defaults for `version` (KC_INFORMER_OPTIONS_VERSION). */
KC_EXTERN kc_status kc_informer_options_init(kc_informer_options *options, unsigned int version);

/**
 * Constructor: a factory whose informers list and watch through `client`. `options` may
 * be NULL. Free the factory before the client (the freeing-order rule of kubeclient.h).
 */
KC_EXTERN kc_status kc_informer_factory_new(kc_client *client, const kc_informer_factory_options *options,
                                            kc_informer_factory **out);

/**
 * The shared informer for `resource` (lower-case plural) of `api_version` in
 * `namespace_name` (NULL or "" = all namespaces, or a cluster-scoped resource), created on
 * first request. `options` may be NULL. *out is borrowed from the factory — the one
 * out-parameter of the API that is not the caller's (see Ownership in kubeclient.h): valid
 * until kc_informer_factory_free, never freed by you. When the factory was started, a new
 * informer starts at once. KC_ERR_CLOSED after shutdown.
 */
KC_EXTERN kc_status kc_informer_factory_informer(kc_informer_factory *factory, const char *api_version,
                                                 const char *resource, const char *namespace_name,
                                                 const kc_informer_options *options, kc_informer **out);

/** Starts every informer created so far and any created later. */
KC_EXTERN kc_status kc_informer_factory_start(kc_informer_factory *factory);

/**
 * Waits until every informer has synced and every callback registration has received its
 * initial list, at most `timeout_ms` (< 0 = forever; clamped to KC_MAX_DURATION_MS, so
 * INT64_MAX also waits without practical limit). KC_ERR_TIMEOUT when time ran out.
 */
KC_EXTERN kc_status kc_informer_factory_wait_for_sync(kc_informer_factory *factory, int64_t timeout_ms);

/**
 * Stops every informer and joins their threads. Idempotent. Every call — also a second
 * one running concurrently with another shutdown or free — returns only after every
 * callback of the factory's informers has returned. Called from one of those callbacks it
 * only requests the stop and returns without waiting (see GUARANTEES).
 */
KC_EXTERN kc_status kc_informer_factory_shutdown(kc_informer_factory *factory);

/**
 * Destructor: shuts down (if needed) and frees the factory and its informers. Returns only
 * after every callback (handlers, index functions, watch-error handlers) of the factory's
 * informers has returned, also when other threads free or shut down the same factory at
 * the same moment: their user_data may be freed as soon as it returns. Called from one of
 * those callbacks it returns without waiting for any callback (no deadlock; the callbacks
 * end by themselves), so user_data must then outlive them; a free from a thread of yours
 * (even racing that one) still waits for all of them. NULL is ignored.
 */
KC_EXTERN void kc_informer_factory_free(kc_informer_factory *factory);

/* ===================================================================================== */
/* Informer                                                                              */
/* ===================================================================================== */

/** Starts this informer alone (the factory's start starts them all). Idempotent. */
KC_EXTERN kc_status kc_informer_start(kc_informer *informer);

/** Stops this informer and joins its threads; from one of its callbacks it only requests the
 *  stop (see GUARANTEES). Idempotent; concurrent calls all wait. */
KC_EXTERN kc_status kc_informer_stop(kc_informer *informer);

/** Waits for this informer and its callback registrations to sync (pull registrations sync
 *  as you take their events: ask kc_informer_registration_has_synced); KC_ERR_TIMEOUT on
 *  timeout (< 0 = forever; clamped to KC_MAX_DURATION_MS). */
KC_EXTERN kc_status kc_informer_wait_for_sync(kc_informer *informer, int64_t timeout_ms);

/** 1 once the initial list is in the cache, else 0 (also for a NULL or dead handle:
 *  kc_error_last() says which). */
KC_EXTERN int kc_informer_has_synced(kc_informer *informer);

/**
 * Sets the handler of this informer's list/watch failures (client-go's
 * SetWatchErrorHandler); `fn` NULL restores the default, a warning in the log. Allowed
 * before or after start. `user_data` must stay valid until the handler is replaced or the
 * factory is freed. Thread: see kc_informer_watch_error_cb.
 */
KC_EXTERN kc_status kc_informer_set_watch_error_handler(kc_informer *informer, kc_informer_watch_error_cb fn,
                                                        void *user_data);

/**
 * Adds an index `index_name` computed by `fn` (see kc_index_fn). `user_data` is passed to
 * every call and must stay valid until the factory is freed. Existing objects are indexed
 * at once. KC_ERR_INVALID_ARGUMENT when the name exists ("namespace" is built in).
 */
KC_EXTERN kc_status kc_informer_add_index(kc_informer *informer, const char *index_name, kc_index_fn fn,
                                          void *user_data);

/**
 * Constructor: registers `handlers` (copied; NULL members = not interested) with
 * `user_data`, which must stay valid until the registration is removed or freed.
 * Allowed before or after start. KC_ERR_CLOSED when the informer was stopped.
 */
KC_EXTERN kc_status kc_informer_add_handlers(kc_informer *informer, const kc_informer_handlers *handlers,
                                             void *user_data, kc_informer_registration **out);

/**
 * Constructor: a pull-mode registration. Events wait in its queue; its file descriptor
 * (kc_informer_registration_fd) polls readable while events wait or once the registration
 * is closed; take them with kc_informer_registration_next from any one thread at a time.
 * No library thread calls you. `resync_period_ms` > 0 adds periodic resync updates (clamped
 * to KC_MAX_DURATION_MS); < 0 is KC_ERR_INVALID_ARGUMENT.
 */
KC_EXTERN kc_status kc_informer_add_pull(kc_informer *informer, int64_t resync_period_ms,
                                         kc_informer_registration **out);

/* ===================================================================================== */
/* Registration                                                                          */
/* ===================================================================================== */

/** 1 once the registration has received every event of the initial list, else 0 (also for a
 *  NULL or freed registration: kc_error_last() says which). */
KC_EXTERN int kc_informer_registration_has_synced(kc_informer_registration *registration);

/**
 * Pull mode: the descriptor to poll for reading (epoll, poll, libuv, asyncio). Owned by
 * the registration: do not read or close it; valid until kc_informer_registration_free.
 */
KC_EXTERN kc_status kc_informer_registration_fd(kc_informer_registration *registration, int *out_fd);

/**
 * Pull mode, non-blocking: fills `out` with the next event, or with type
 * KC_INFORMER_EVENT_NONE when nothing waits. KC_ERR_CLOSED once the registration was
 * removed or its informer stopped and every event was taken.
 */
KC_EXTERN kc_status kc_informer_registration_next(kc_informer_registration *registration, kc_informer_event *out);

/** Stops deliveries and joins the registration's thread. Idempotent; every call, also one
 *  racing another remove or free, returns only after the running callback (if any) has
 *  returned — except from a callback of the same informer, where it only requests the end. */
KC_EXTERN kc_status kc_informer_registration_remove(kc_informer_registration *registration);

/** Destructor: removes (if needed) and frees the registration. Returns only after its last
 *  callback has returned, also when another thread frees it at the same moment, so its
 *  user_data may be freed then. From a callback of the same informer it returns at once
 *  (the running callback is the registration's last). NULL is ignored. */
KC_EXTERN void kc_informer_registration_free(kc_informer_registration *registration);

/* ===================================================================================== */
/* Lister and indexes (read the cache; never the server)                                 */
/* ===================================================================================== */

/**
 * The cached object `name` in `namespace_name` (NULL/"" for cluster-scoped) as JSON.
 * KC_ERR_NOT_FOUND when not cached.
 */
KC_EXTERN kc_status kc_informer_get(kc_informer *informer, const char *namespace_name, const char *name,
                                    char **out_json);

/**
 * The cached objects of `namespace_name` (NULL/"" = all) matching `label_selector`
 * (NULL/"" = all) as a JSON array. KC_ERR_INVALID_ARGUMENT for a malformed selector.
 */
KC_EXTERN kc_status kc_informer_list(kc_informer *informer, const char *namespace_name, const char *label_selector,
                                     char **out_json);

/** The cached objects whose index `index_name` holds `value`, as a JSON array. */
KC_EXTERN kc_status kc_informer_by_index(kc_informer *informer, const char *index_name, const char *value,
                                         char **out_json);

/** The keys ("namespace/name" or "name") whose index `index_name` holds `value`, as a JSON array of strings. */
KC_EXTERN kc_status kc_informer_index_keys(kc_informer *informer, const char *index_name, const char *value,
                                           char **out_json);

#ifdef __cplusplus
}
#endif

#endif /* KUBECLIENT_INFORMER_H */
