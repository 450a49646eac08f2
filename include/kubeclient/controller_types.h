/*
 * kubeclient/controller_types.h — types of the controller toolkit (workqueue, controller
 * runner). Included by <kubeclient/controller.h>; include <kubeclient.h> instead.
 * Kept apart from the functions so that the Swift thunks import exactly these layouts.
 */
#ifndef KUBECLIENT_CONTROLLER_TYPES_H
#define KUBECLIENT_CONTROLLER_TYPES_H

#include <stddef.h>
#include <stdint.h>
#include "types.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A rate-limited, delaying work queue of string keys (client-go's workqueue). Thread-safe. */
typedef struct kc_workqueue kc_workqueue;
/** N worker threads reconciling the keys of one kc_workqueue. */
typedef struct kc_controller kc_controller;

/** How retries (kc_workqueue_add_rate_limited) are spaced out. */
typedef enum kc_rate_limiter_kind {
    /** client-go's DefaultControllerRateLimiter: the larger of per-key exponential backoff
     *  (base_delay_ms × 2^failures, capped at max_delay_ms) and an overall token
     *  bucket (qps per second, burst). */
    KC_RATE_LIMITER_DEFAULT = 0,
    /** Per-key exponential backoff only: base_delay_ms × 2^failures, capped. */
    KC_RATE_LIMITER_EXPONENTIAL = 1,
    /** Per-key: fast_delay_ms for the first max_fast_attempts failures, then slow_delay_ms. */
    KC_RATE_LIMITER_FAST_SLOW = 2,
    /** Overall token bucket only (qps, burst); keys are not tracked. */
    KC_RATE_LIMITER_BUCKET = 3
} kc_rate_limiter_kind;

#define KC_WORKQUEUE_OPTIONS_VERSION 2
/** Options of kc_workqueue_new(). Zero numeric fields mean client-go's defaults. Negative
 *  delays, qps, burst or attempts: KC_ERR_INVALID_ARGUMENT; delays are clamped to
 *  KC_MAX_DURATION_MS. Version 2: delays in milliseconds (version 1's double seconds are refused). */
typedef struct kc_workqueue_options {
    unsigned int version;               /**< KC_WORKQUEUE_OPTIONS_VERSION */
    const char *name;                   /**< name reported in metrics; NULL = "" */
    kc_rate_limiter_kind rate_limiter;  /**< KC_RATE_LIMITER_DEFAULT */
    int64_t base_delay_ms;              /**< exponential: first delay; 0 = 5 */
    int64_t max_delay_ms;               /**< exponential: cap; 0 = 1000000 (1000 s) */
    double qps;                         /**< bucket: tokens per second; 0 = 10; NaN: KC_ERR_INVALID_ARGUMENT */
    int burst;                          /**< bucket: saved-up tokens; 0 = 100 */
    int64_t fast_delay_ms;              /**< fast-slow: fast delay; 0 = 5 */
    int64_t slow_delay_ms;              /**< fast-slow: slow delay; 0 = 10000 (10 s) */
    int max_fast_attempts;              /**< fast-slow: failures served fast; 0 = 5 */
} kc_workqueue_options;
#define KC_WORKQUEUE_OPTIONS_INIT { KC_WORKQUEUE_OPTIONS_VERSION, NULL, KC_RATE_LIMITER_DEFAULT, 0, 0, 0.0, 0, 0, 0, 0 }

/** Buckets of kc_duration_histogram: upper bounds 1e-5, 1e-4, ... 1e6 milliseconds (10 ns to
 *  1000 s), then overflow. */
#define KC_DURATION_HISTOGRAM_BUCKETS 13

/** Durations observed by a queue (client-go's workqueue buckets). */
typedef struct kc_duration_histogram {
    uint64_t count;                                  /**< observations */
    double sum_ms;                                   /**< sum of observations, milliseconds */
    double max_ms;                                   /**< largest observation, milliseconds */
    uint64_t buckets[KC_DURATION_HISTOGRAM_BUCKETS]; /**< per bucket (not cumulative); bucket i holds (1e-5·10^(i-1), 1e-5·10^i] ms */
} kc_duration_histogram;

#define KC_WORKQUEUE_METRICS_VERSION 2
/** A snapshot of a queue's metrics (kc_workqueue_get_metrics()); counters only grow.
 *  Version 2: durations in milliseconds (version 1 is refused). */
typedef struct kc_workqueue_metrics {
    unsigned int version;                      /**< set by the caller: KC_WORKQUEUE_METRICS_VERSION */
    int64_t depth;                             /**< keys waiting for a worker */
    int64_t processing;                        /**< keys between get and done */
    int64_t waiting_for_delay;                 /**< keys waiting for add_after / add_rate_limited time */
    uint64_t adds;                             /**< accepted adds (collapsed duplicates included) */
    uint64_t retries;                          /**< add_after and add_rate_limited calls */
    kc_duration_histogram queue_latency;       /**< time from add to get */
    kc_duration_histogram work_duration;       /**< time from get to done */
    double unfinished_work_ms;                 /**< summed age of in-flight keys, milliseconds */
    double longest_running_processor_ms;       /**< age of the oldest in-flight key, milliseconds; 0 when idle */
} kc_workqueue_metrics;

/** What a reconcile callback asks for its key. */
typedef enum kc_reconcile_result {
    KC_RECONCILE_SUCCESS = 0,      /**< done; the key's backoff is reset */
    KC_RECONCILE_REQUEUE = 1,      /**< again after the rate limiter's backoff */
    KC_RECONCILE_REQUEUE_AFTER = 2,/**< again after *requeue_after_ms; backoff reset */
    KC_RECONCILE_ERROR = 3         /**< failed: again after the backoff (or dropped after max_retries) */
} kc_reconcile_result;

/**
 * Reconciles one key ("namespace/name"). Called on a controller worker thread; one key is
 * never reconciled by two workers at once. `key` is borrowed for the call. Set
 * *requeue_after_ms (0 on entry; <= 0: at once; clamped to KC_MAX_DURATION_MS) when returning
 * KC_RECONCILE_REQUEUE_AFTER. The callback may call any kc_* function except
 * kc_controller_stop/kc_controller_free of its own controller.
 */
typedef kc_reconcile_result (*kc_reconcile_cb)(const char *key, int64_t *requeue_after_ms, void *user_data);

#define KC_CONTROLLER_OPTIONS_VERSION 2
/** Options of kc_controller_new(). Version 2: its queue is a version-2 kc_workqueue_options
 *  and the reconcile callback takes milliseconds (version 1 is refused). */
typedef struct kc_controller_options {
    unsigned int version;          /**< KC_CONTROLLER_OPTIONS_VERSION */
    const char *name;              /**< names threads and logs; NULL = "controller" */
    int workers;                   /**< worker threads; 0 = 2; < 0 or > 1024: KC_ERR_INVALID_ARGUMENT */
    int max_retries;               /**< failures before a key is dropped; 0 = retry forever */
    kc_workqueue_options queue;    /**< the controller's queue */
} kc_controller_options;
#define KC_CONTROLLER_OPTIONS_INIT { KC_CONTROLLER_OPTIONS_VERSION, NULL, 0, 0, KC_WORKQUEUE_OPTIONS_INIT }


/* ------------------------------------------------------------------------------------
 * Leader election and event recording
 * ---------------------------------------------------------------------------------- */

/** One candidate in a leader election on a coordination.k8s.io/v1 Lease. */
typedef struct kc_leader_elector kc_leader_elector;
/** Writes core/v1 Events on a library thread, aggregating repeats, rate limited per object. */
typedef struct kc_event_recorder kc_event_recorder;

/** A leadership change; see kc_leader_callbacks for the calling thread. */
typedef void (*kc_leader_cb)(void *user_data);
/** The observed leader changed to `identity` (borrowed for the call). */
typedef void (*kc_new_leader_cb)(const char *identity, void *user_data);

#define KC_LEADER_CALLBACKS_VERSION 1
/** Callbacks of a leader elector; NULL members mean "not interested". */
typedef struct kc_leader_callbacks {
    unsigned int version;                /**< KC_LEADER_CALLBACKS_VERSION */
    /** This candidate became the leader. Runs on a library thread of its own, so it may block
     *  (e.g. run a controller until on_stopped_leading); kc_leader_elector_stop joins it. */
    kc_leader_cb on_started_leading;
    /** This candidate stopped leading (renewal failed, or stop). On the elector's thread. */
    kc_leader_cb on_stopped_leading;
    /** The observed leader changed (this candidate included). On the elector's thread. */
    kc_new_leader_cb on_new_leader;
} kc_leader_callbacks;
#define KC_LEADER_CALLBACKS_INIT { KC_LEADER_CALLBACKS_VERSION, NULL, NULL, NULL }

#define KC_LEADER_ELECTION_OPTIONS_VERSION 2
/** Options of kc_leader_elector_new(); zeros mean client-go's defaults; negative durations:
 *  KC_ERR_INVALID_ARGUMENT. Required: lease_duration > renew_deadline > 1.2 × retry_period.
 *  Version 2: milliseconds (version 1's double seconds are refused). */
typedef struct kc_leader_election_options {
    unsigned int version;           /**< KC_LEADER_ELECTION_OPTIONS_VERSION */
    int64_t lease_duration_ms;      /**< others wait this long after the last observed change; 0 = 15000 */
    int64_t renew_deadline_ms;      /**< the leader gives up after failing to renew this long; 0 = 10000 */
    int64_t retry_period_ms;        /**< between attempts; 0 = 2000 */
    int keep_lease_on_stop;         /**< 0 = release the lease on stop (fast takeover) */
} kc_leader_election_options;
#define KC_LEADER_ELECTION_OPTIONS_INIT { KC_LEADER_ELECTION_OPTIONS_VERSION, 0, 0, 0, 0 }

/** core/v1 Event types. */
typedef enum kc_event_record_type {
    KC_EVENT_RECORD_NORMAL = 0,
    KC_EVENT_RECORD_WARNING = 1
} kc_event_record_type;

/** The object an Event is about. Strings borrowed for the call; namespace_name and uid may be NULL. */
typedef struct kc_object_reference {
    const char *api_version;
    const char *kind;
    const char *namespace_name;
    const char *name;
    const char *uid;
} kc_object_reference;

#define KC_EVENT_RECORDER_OPTIONS_VERSION 1
/** Options of kc_event_recorder_new(); zeros mean client-go's defaults. */
typedef struct kc_event_recorder_options {
    unsigned int version;   /**< KC_EVENT_RECORDER_OPTIONS_VERSION */
    const char *host;       /**< source.host written on events; NULL = none */
    double qps;             /**< per-object token refill per second; 0 = 1/300 */
    int burst;              /**< per-object burst; 0 = 25 */
} kc_event_recorder_options;
#define KC_EVENT_RECORDER_OPTIONS_INIT { KC_EVENT_RECORDER_OPTIONS_VERSION, NULL, 0.0, 0 }

#ifdef __cplusplus
}
#endif

#endif /* KUBECLIENT_CONTROLLER_TYPES_H */
