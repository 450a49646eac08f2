/*
 * kubeclient/controller.h — the controller toolkit: a rate-limited workqueue of string keys,
 * a controller runner (N workers calling a reconcile callback), leader election on Leases
 * and an event recorder.
 *
 *   #include <kubeclient.h>   (which includes this header)
 *
 * OBJECTS
 *   kc_workqueue   constructor kc_workqueue_new, destructor kc_workqueue_free.
 *   kc_controller  constructor kc_controller_new, destructor kc_controller_free. Its queue
 *                  (kc_controller_queue) is borrowed: valid until kc_controller_free.
 *   kc_leader_elector  constructor kc_leader_elector_new, destructor kc_leader_elector_free.
 *   kc_event_recorder  constructor kc_event_recorder_new, destructor kc_event_recorder_free.
 *
 * WORKQUEUE GUARANTEES (client-go's)
 *   - Fair: keys are handed out in the order they were added.
 *   - Stingy: a key added several times before a worker takes it is handed out once.
 *   - Exclusive: a key is never handed to two workers at once. A key added while a worker
 *     holds it is handed out again after that worker calls kc_workqueue_done.
 *   - kc_workqueue_shutdown makes adds no-ops and wakes every blocked get; get keeps
 *     returning queued keys and then reports shutdown. kc_workqueue_shutdown_drain also
 *     waits until every key handed out is done.
 *   - Delayed keys (add_after, add_rate_limited) wait in one heap served by one library
 *     thread, joined by shutdown / free.
 *
 * THREADS
 *   Every kc_workqueue function may be called from any thread, concurrently. get blocks the
 *   caller (releasing no lock of yours). Reconcile callbacks run on the controller's worker
 *   threads (see kc_reconcile_cb).
 */
#ifndef KUBECLIENT_CONTROLLER_H
#define KUBECLIENT_CONTROLLER_H

#include "export.h"
#include "types.h"
#include "controller_types.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ===================================================================================== */
/* kc_workqueue                                                                          */
/* ===================================================================================== */

/** Fills `options` with defaults for `version` (KC_WORKQUEUE_OPTIONS_VERSION). */
KC_EXTERN kc_status kc_workqueue_options_init(kc_workqueue_options *options, unsigned int version);

/** Constructor: an empty queue. `options` may be NULL (default controller rate limiter). */
KC_EXTERN kc_status kc_workqueue_new(const kc_workqueue_options *options, kc_workqueue **out);

/** Destructor: shuts the queue down (waking blocked getters), joins its timer thread and
 *  releases the handle. No thread may still be inside a call on it. NULL is ignored. */
KC_EXTERN void kc_workqueue_free(kc_workqueue *queue);

/** Marks `key` as needing processing (ignored after shutdown; collapses with a waiting copy). */
KC_EXTERN kc_status kc_workqueue_add(kc_workqueue *queue, const char *key);

/** Adds `key` after `delay_ms` milliseconds (at once when ≤ 0; clamped to KC_MAX_DURATION_MS).
 *  A key already waiting keeps the earlier of its two times. */
KC_EXTERN kc_status kc_workqueue_add_after(kc_workqueue *queue, const char *key, int64_t delay_ms);

/** Adds `key` after the rate limiter's delay for it (a retry after a failure). */
KC_EXTERN kc_status kc_workqueue_add_rate_limited(kc_workqueue *queue, const char *key);

/** Resets the rate limiter's failure count of `key` (call after a success). */
KC_EXTERN kc_status kc_workqueue_forget(kc_workqueue *queue, const char *key);

/** Failures recorded for `key` since it was last forgotten. 0 also for a NULL or freed queue
 *  or a NULL / invalid key, with kc_error_last() says which (KC_ERR_INVALID_ARGUMENT / KC_ERR_CLOSED). */
KC_EXTERN int kc_workqueue_num_requeues(kc_workqueue *queue, const char *key);

/**
 * Takes the next key, blocking up to `timeout_ms` (< 0: no limit; 0: don't wait).
 * On KC_OK exactly one of these holds:
 *   *out_key != NULL  — a key to process: call kc_workqueue_done with it, then kc_free it;
 *   *out_shutdown = 1 — the queue is shut down and empty: stop the worker;
 *   neither           — the timeout passed.
 * `out_shutdown` may be NULL (then shutdown and timeout both give *out_key == NULL).
 */
KC_EXTERN kc_status kc_workqueue_get(kc_workqueue *queue, int64_t timeout_ms, char **out_key, int *out_shutdown);

/** Marks `key` (from kc_workqueue_get) as finished; requeues it if it was added meanwhile. */
KC_EXTERN kc_status kc_workqueue_done(kc_workqueue *queue, const char *key);

/** Keys waiting for a worker (not counting in-flight or delayed keys); 0 also for a NULL or
 *  freed queue, with kc_error_last() says which. */
KC_EXTERN size_t kc_workqueue_len(kc_workqueue *queue);

/** 1 once shutdown was requested, else 0 (also for a NULL or freed queue: kc_error_last() says which). */
KC_EXTERN int kc_workqueue_is_shutting_down(kc_workqueue *queue);

/** Shuts the queue down (see the guarantees above); returns at once. Idempotent. */
KC_EXTERN kc_status kc_workqueue_shutdown(kc_workqueue *queue);

/** Shuts down, then blocks until every key handed out has been done. Not from a worker
 *  that still holds a key (it would wait for itself). */
KC_EXTERN kc_status kc_workqueue_shutdown_drain(kc_workqueue *queue);

/** Fills `out` (whose `version` the caller set to KC_WORKQUEUE_METRICS_VERSION) with a
 *  snapshot of the queue's metrics: the metrics hook, to publish as you like. */
KC_EXTERN kc_status kc_workqueue_get_metrics(kc_workqueue *queue, kc_workqueue_metrics *out);

/* ===================================================================================== */
/* kc_controller                                                                         */
/* ===================================================================================== */

/** Fills `options` with defaults for `version` (KC_CONTROLLER_OPTIONS_VERSION). */
KC_EXTERN kc_status kc_controller_options_init(kc_controller_options *options, unsigned int version);

/**
 * Constructor: a controller whose workers call `reconcile(key, &after, user_data)` for each
 * key of its queue. Per result: SUCCESS forgets the key's backoff; REQUEUE and ERROR add it
 * back rate-limited (ERROR drops it after max_retries failures when that is set);
 * REQUEUE_AFTER forgets and adds it back after the delay. `user_data` must stay valid
 * until kc_controller_stop or kc_controller_free returns. `options` may be NULL.
 * Workers start with kc_controller_start.
 */
KC_EXTERN kc_status kc_controller_new(const kc_controller_options *options, kc_reconcile_cb reconcile,
                                      void *user_data, kc_controller **out);

/** The controller's queue: add keys here (from informer handlers, for example).
 *  Borrowed: valid until kc_controller_free; do not kc_workqueue_free it. NULL for a NULL or
 *  freed controller, with kc_error_last() says which. */
KC_EXTERN kc_workqueue *kc_controller_queue(kc_controller *controller);

/** Starts the worker threads. Idempotent. Errors: KC_ERR_INTERNAL (no thread). */
KC_EXTERN kc_status kc_controller_start(kc_controller *controller);

/** Graceful stop: the queue stops accepting keys, workers finish queued and in-flight keys,
 *  and every worker thread is joined. Every call — also one racing another stop or a free —
 *  returns only after the last reconcile has returned (racing a free it then gives
 *  KC_ERR_CLOSED). From a reconcile callback: KC_ERR_INVALID_ARGUMENT. */
KC_EXTERN kc_status kc_controller_stop(kc_controller *controller);

/** Starts, installs SIGINT/SIGTERM handlers, blocks until one arrives (or
 *  kc_terminate_trigger is called), then stops as kc_controller_stop. `out_signal` (may be
 *  NULL) receives the signal number (0 for kc_terminate_trigger). */
KC_EXTERN kc_status kc_controller_run_until_signal(kc_controller *controller, int *out_signal);

/** Installs SIGINT/SIGTERM handlers (once) and blocks until one arrives or
 *  kc_terminate_trigger is called; returns the signal number (0 for kc_terminate_trigger).
 *  For programs that start and stop their controllers themselves (e.g. on leadership). */
KC_EXTERN int kc_wait_for_termination(void);

/** Wakes one kc_controller_run_until_signal / kc_wait_for_termination as if a signal had
 *  arrived (it reports 0). */
KC_EXTERN void kc_terminate_trigger(void);

/** Destructor: stops (as kc_controller_stop) and releases the controller and its queue.
 *  Returns only after the last reconcile has returned, also when other threads stop or free
 *  the same controller at once: user_data may be freed as soon as it returns. NULL is
 *  ignored. From a reconcile callback of this controller it does nothing (it would wait for
 *  itself). */
KC_EXTERN void kc_controller_free(kc_controller *controller);


/* ===================================================================================== */
/* kc_leader_elector                                                                     */
/* ===================================================================================== */

/** Fills `options` with defaults for `version` (KC_LEADER_ELECTION_OPTIONS_VERSION). */
KC_EXTERN kc_status kc_leader_election_options_init(kc_leader_election_options *options, unsigned int version);

/**
 * Constructor: a candidate `identity` for the Lease `lease_namespace`/`lease_name`, reached
 * through `client` (free the elector before the client: the freeing-order rule of kubeclient.h). Decisions follow
 * client-go: a lease is taken over only when this candidate has seen it unchanged for
 * lease_duration on its own clock (clock skew between machines is harmless), through an
 * update guarded by resourceVersion (never two leaders). `options` may be NULL.
 * `callbacks` is copied; `user_data` must stay valid until kc_leader_elector_stop/free returns.
 * Errors: KC_ERR_INVALID_ARGUMENT (empty names, durations out of order).
 */
KC_EXTERN kc_status kc_leader_elector_new(kc_client *client, const char *lease_namespace, const char *lease_name,
                                          const char *identity, const kc_leader_election_options *options,
                                          const kc_leader_callbacks *callbacks, void *user_data,
                                          kc_leader_elector **out);

/** Starts competing on a library thread. Idempotent. */
KC_EXTERN kc_status kc_leader_elector_start(kc_leader_elector *elector);

/** Stops competing: a leader stops leading (on_stopped_leading) and releases the lease unless
 *  keep_lease_on_stop; joins the elector's threads. Not from on_stopped_leading/on_new_leader. */
KC_EXTERN kc_status kc_leader_elector_stop(kc_leader_elector *elector);

/** 1 while this candidate holds the lease (as last observed), else 0 (also for a NULL or
 *  freed elector: kc_error_last() says which). */
KC_EXTERN int kc_leader_elector_is_leader(kc_leader_elector *elector);

/** The identity of the current leader as last observed, or NULL when none is known.
 *  Free *out_identity with kc_free(). */
KC_EXTERN kc_status kc_leader_elector_leader(kc_leader_elector *elector, char **out_identity);

/** Destructor: stops (as kc_leader_elector_stop) and releases the elector. NULL is ignored. */
KC_EXTERN void kc_leader_elector_free(kc_leader_elector *elector);

/* ===================================================================================== */
/* kc_event_recorder                                                                     */
/* ===================================================================================== */

/** Fills `options` with defaults for `version` (KC_EVENT_RECORDER_OPTIONS_VERSION). */
KC_EXTERN kc_status kc_event_recorder_options_init(kc_event_recorder_options *options, unsigned int version);

/** Constructor: a recorder writing Events with source component `component` through
 *  `client` (free the recorder before the client: the freeing-order rule of kubeclient.h).
 *  `options` may be NULL. */
KC_EXTERN kc_status kc_event_recorder_new(kc_client *client, const char *component,
                                          const kc_event_recorder_options *options, kc_event_recorder **out);

/**
 * Records an Event about `object` without waiting for the server (a library thread writes
 * it). A repeat of an earlier event (same object, type, reason, message) increments that
 * Event's count instead of creating another. Returns KC_ERR_TOO_MANY_REQUESTS when the
 * object's rate limit (or the recorder's queue) dropped the event.
 */
KC_EXTERN kc_status kc_event_recorder_record(kc_event_recorder *recorder, const kc_object_reference *object,
                                             kc_event_record_type type, const char *reason, const char *message);

/** Waits up to `timeout_ms` (< 0: no limit; 0: don't wait) until every recorded event was
 *  written; KC_ERR_TIMEOUT otherwise. */
KC_EXTERN kc_status kc_event_recorder_flush(kc_event_recorder *recorder, int64_t timeout_ms);

/** Destructor: writes what is queued, stops the writer thread, releases the recorder. NULL is ignored. */
KC_EXTERN void kc_event_recorder_free(kc_event_recorder *recorder);

#ifdef __cplusplus
}
#endif

#endif /* KUBECLIENT_CONTROLLER_H */
