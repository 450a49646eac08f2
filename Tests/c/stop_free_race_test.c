/*
 * Issue 11, item 2: every kc_watch_stop / kc_watch_free / kc_informer_factory_free (and
 * kc_controller_stop / kc_controller_free) returns
 * only after the last callback of its handle has returned, also when two threads call them
 * at once and when one of the calls comes from inside a callback.
 *
 * Each case runs a deliberately slow callback that writes to its heap user_data after the
 * slow part. Two threads stop/free the handle while it runs; whichever call returns first
 * frees user_data at once. A call returning early shows as a use after free under
 * valgrind / ASan, and as `callbacks_running != 0` in a plain run.
 */
#define _POSIX_C_SOURCE 200809L
#include "kc_test.h"

#include <pthread.h>
#include <stdatomic.h>
#include <time.h>

int kc_test_failures = 0;

static const char *kubeconfig;
static const char *NS = "kc-race";

/* Callbacks inside their slow part right now (global, so it is readable after user_data is freed). */
static atomic_int callbacks_running;

typedef struct slow_state {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    int entered;           /* a slow callback has started */
    int touched;           /* written by every callback after its slow part */
    int free_from_inside;  /* the callback frees its own handle (watch or factory) */
    kc_watch *watch;
    kc_informer_factory *factory;
} slow_state;

static slow_state *state_new(int free_from_inside) {
    slow_state *state = calloc(1, sizeof *state);
    pthread_mutex_init(&state->lock, NULL);
    pthread_cond_init(&state->changed, NULL);
    state->free_from_inside = free_from_inside;
    return state;
}

static void state_free(slow_state *state) {
    pthread_mutex_destroy(&state->lock);
    pthread_cond_destroy(&state->changed);
    /* Scribble before freeing so a late callback reading it in a plain run misbehaves visibly. */
    memset(state, 0xAB, sizeof *state);
    free(state);
}

static void sleep_ms(long ms) {
    struct timespec t = { ms / 1000, (ms % 1000) * 1000000L };
    while (nanosleep(&t, &t) != 0) {}
}

/* The slow part of every callback: announce, optionally free the own handle, dawdle, touch. */
static void slow_callback(slow_state *state) {
    atomic_fetch_add(&callbacks_running, 1);
    pthread_mutex_lock(&state->lock);
    int first = !state->entered;
    state->entered = 1;
    pthread_cond_broadcast(&state->changed);
    /* The handle reaches the test only when its constructor returns: wait for it. */
    while (state->free_from_inside && first && state->watch == NULL && state->factory == NULL) {
        pthread_cond_wait(&state->changed, &state->lock);
    }
    kc_watch *watch = state->watch;
    kc_informer_factory *factory = state->factory;
    pthread_mutex_unlock(&state->lock);
    if (state->free_from_inside && first) {
        /* From inside its own callback: must return at once (no self-join deadlock). */
        if (watch) kc_watch_free(watch);
        if (factory) kc_informer_factory_free(factory);
    }
    /* Wide enough for the racing stop/free calls below to be under way (even under valgrind). */
    sleep_ms(300);
    pthread_mutex_lock(&state->lock);
    state->touched++;
    pthread_mutex_unlock(&state->lock);
    atomic_fetch_sub(&callbacks_running, 1);
}

static void publish(slow_state *state, kc_watch *watch, kc_informer_factory *factory) {
    pthread_mutex_lock(&state->lock);
    state->watch = watch;
    state->factory = factory;
    pthread_cond_broadcast(&state->changed);
    pthread_mutex_unlock(&state->lock);
}

/* Waits (at most 20 s) until a slow callback has started. */
static int await_entered(slow_state *state) {
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 20;
    pthread_mutex_lock(&state->lock);
    while (!state->entered) {
        if (pthread_cond_timedwait(&state->changed, &state->lock, &deadline) != 0) break;
    }
    int entered = state->entered;
    pthread_mutex_unlock(&state->lock);
    return entered;
}

/* ---- racing callers ---------------------------------------------------------------- */

typedef enum { CALL_WATCH_STOP, CALL_WATCH_FREE, CALL_FACTORY_FREE, CALL_CONTROLLER_STOP, CALL_CONTROLLER_FREE,
               CALL_REGISTRATION_FREE } call_kind;

typedef struct racer {
    call_kind kind;
    void *handle;
    _Atomic(slow_state *) *shared;  /* the first caller to return frees it */
    int running_after;              /* callbacks_running right after the call returned */
} racer;

static void *race(void *arg) {
    racer *r = arg;
    switch (r->kind) {
    case CALL_WATCH_STOP: kc_watch_stop(r->handle); break;
    case CALL_WATCH_FREE: kc_watch_free(r->handle); break;
    case CALL_FACTORY_FREE: kc_informer_factory_free(r->handle); break;
    case CALL_CONTROLLER_STOP: kc_controller_stop(r->handle); break;
    case CALL_CONTROLLER_FREE: kc_controller_free(r->handle); break;
    case CALL_REGISTRATION_FREE: kc_informer_registration_free(r->handle); break;
    }
    r->running_after = atomic_load(&callbacks_running);
    slow_state *state = atomic_exchange(r->shared, NULL);
    if (state) state_free(state);
    return NULL;
}

/* Runs `a` and `b` at once on the handle, while a slow callback of `state` runs. */
static void run_race(slow_state *state, void *handle, call_kind a, call_kind b) {
    _Atomic(slow_state *) shared = state;
    racer ra = { a, handle, &shared, -1 }, rb = { b, handle, &shared, -1 };
    pthread_t ta, tb;
    CHECK(pthread_create(&ta, NULL, race, &ra) == 0);
    CHECK(pthread_create(&tb, NULL, race, &rb) == 0);
    pthread_join(ta, NULL);
    pthread_join(tb, NULL);
    CHECK(ra.running_after == 0);
    CHECK(rb.running_after == 0);
    CHECK(atomic_load(&shared) == NULL);
}

/* ---- watch ------------------------------------------------------------------------- */

static void watch_event(kc_event_type type, const char *object, size_t len, void *user_data) {
    (void)type; (void)object; (void)len;
    slow_callback(user_data);
}

static void watch_done(kc_status status, const kc_error *error, void *user_data) {
    (void)status; (void)error;
    slow_state *state = user_data;
    /* on_done also touches user_data: it too must be over when stop/free returns. */
    pthread_mutex_lock(&state->lock);
    state->touched++;
    pthread_mutex_unlock(&state->lock);
}

static kc_watch *slow_watch(kc_client *client, slow_state *state) {
    kc_watch_handlers handlers = KC_WATCH_HANDLERS_INIT;
    handlers.on_event = watch_event;
    handlers.on_done = watch_done;
    kc_watch *watch = NULL;
    CHECK_OK(kc_watch_start(client, "v1", "configmaps", NS, NULL, &handlers, state, &watch));
    publish(state, watch, NULL);
    CHECK(await_entered(state));   /* the namespace holds a configmap: its ADDED event is slow */
    return watch;
}

static void test_watch_two_stops(kc_client *client) {
    slow_state *state = state_new(0);
    kc_watch *watch = slow_watch(client, state);
    run_race(state, watch, CALL_WATCH_STOP, CALL_WATCH_STOP);
    kc_watch_free(watch);
}

static void test_watch_stop_and_free(kc_client *client) {
    slow_state *state = state_new(0);
    kc_watch *watch = slow_watch(client, state);
    run_race(state, watch, CALL_WATCH_STOP, CALL_WATCH_FREE);
}

static void test_watch_two_frees(kc_client *client) {
    slow_state *state = state_new(0);
    kc_watch *watch = slow_watch(client, state);
    run_race(state, watch, CALL_WATCH_FREE, CALL_WATCH_FREE);
}

static void test_watch_free_inside_and_outside(kc_client *client) {
    slow_state *state = state_new(1);
    kc_watch *watch = slow_watch(client, state);
    /* The callback frees its watch itself; a free from another thread must still wait. */
    _Atomic(slow_state *) shared = state;
    racer r = { CALL_WATCH_FREE, watch, &shared, -1 };
    race(&r);
    CHECK(r.running_after == 0);
}

/* ---- informer factory --------------------------------------------------------------- */

static void informer_add(const char *object, size_t len, int initial, void *user_data) {
    (void)object; (void)len; (void)initial;
    slow_callback(user_data);
}

static kc_informer_factory *slow_factory(kc_client *client, slow_state *state, kc_informer_registration **reg) {
    kc_informer_factory *factory = NULL;
    kc_informer *informer = NULL;
    CHECK_OK(kc_informer_factory_new(client, NULL, &factory));
    CHECK_OK(kc_informer_factory_informer(factory, "v1", "configmaps", NS, NULL, &informer));
    kc_informer_handlers handlers = KC_INFORMER_HANDLERS_INIT;
    handlers.on_add = informer_add;
    CHECK_OK(kc_informer_add_handlers(informer, &handlers, state, reg));
    publish(state, NULL, factory);
    CHECK_OK(kc_informer_factory_start(factory));
    CHECK(await_entered(state));
    return factory;
}

static void test_factory_two_frees(kc_client *client) {
    slow_state *state = state_new(0);
    kc_informer_registration *reg = NULL;
    kc_informer_factory *factory = slow_factory(client, state, &reg);
    run_race(state, factory, CALL_FACTORY_FREE, CALL_FACTORY_FREE);
    kc_informer_registration_free(reg);
}

static void test_factory_free_inside_and_outside(kc_client *client) {
    slow_state *state = state_new(1);
    kc_informer_registration *reg = NULL;
    kc_informer_factory *factory = slow_factory(client, state, &reg);
    _Atomic(slow_state *) shared = state;
    racer r = { CALL_FACTORY_FREE, factory, &shared, -1 };
    race(&r);
    CHECK(r.running_after == 0);
    kc_informer_registration_free(reg);
}

static void test_registration_two_frees(kc_client *client) {
    slow_state *state = state_new(0);
    kc_informer_registration *reg = NULL;
    kc_informer_factory *factory = slow_factory(client, state, &reg);
    run_race(state, reg, CALL_REGISTRATION_FREE, CALL_REGISTRATION_FREE);
    kc_informer_factory_free(factory);
}

/* Two callbacks of one informer stopping it at the same moment: each stop must return
 * without waiting for the other callback (which is itself inside a stop). */
typedef struct mutual_stop {
    pthread_mutex_t lock;
    pthread_cond_t changed;
    kc_informer *informer;
    int entered;
    int returned;
} mutual_stop;

typedef struct mutual_reg {
    mutual_stop *shared;
    int acted;   /* only this registration's thread touches it */
} mutual_reg;

static void mutual_add(const char *object, size_t len, int initial, void *user_data) {
    (void)object; (void)len; (void)initial;
    mutual_reg *reg = user_data;
    if (reg->acted) return;
    reg->acted = 1;
    mutual_stop *m = reg->shared;
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 20;
    pthread_mutex_lock(&m->lock);
    m->entered++;
    pthread_cond_broadcast(&m->changed);
    while (m->entered < 2) {
        if (pthread_cond_timedwait(&m->changed, &m->lock, &deadline) != 0) break;
    }
    kc_informer *informer = m->informer;
    pthread_mutex_unlock(&m->lock);
    kc_informer_stop(informer);
    pthread_mutex_lock(&m->lock);
    m->returned++;
    pthread_cond_broadcast(&m->changed);
    pthread_mutex_unlock(&m->lock);
}

static void test_two_callbacks_stop_at_once(kc_client *client) {
    mutual_stop m = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, 0, 0 };
    mutual_reg r1 = { &m, 0 }, r2 = { &m, 0 };
    kc_informer_factory *factory = NULL;
    kc_informer *informer = NULL;
    kc_informer_registration *reg1 = NULL, *reg2 = NULL;
    CHECK_OK(kc_informer_factory_new(client, NULL, &factory));
    CHECK_OK(kc_informer_factory_informer(factory, "v1", "configmaps", NS, NULL, &informer));
    m.informer = informer;
    kc_informer_handlers handlers = KC_INFORMER_HANDLERS_INIT;
    handlers.on_add = mutual_add;
    CHECK_OK(kc_informer_add_handlers(informer, &handlers, &r1, &reg1));
    CHECK_OK(kc_informer_add_handlers(informer, &handlers, &r2, &reg2));
    CHECK_OK(kc_informer_factory_start(factory));
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += 30;
    pthread_mutex_lock(&m.lock);
    while (m.returned < 2) {
        if (pthread_cond_timedwait(&m.changed, &m.lock, &deadline) != 0) break;
    }
    int returned = m.returned;
    pthread_mutex_unlock(&m.lock);
    CHECK(returned == 2);   /* a deadlock leaves it below 2 */
    /* From this thread the free waits for both callbacks: m may go out of scope after it. */
    kc_informer_registration_free(reg1);
    kc_informer_registration_free(reg2);
    kc_informer_factory_free(factory);
}

/* ---- controller ---------------------------------------------------------------------- */

static kc_reconcile_result slow_reconcile(const char *key, int64_t *after_ms, void *user_data) {
    (void)key; (void)after_ms;
    slow_callback(user_data);
    return KC_RECONCILE_SUCCESS;
}

static kc_controller *slow_controller(slow_state *state) {
    kc_controller_options options = KC_CONTROLLER_OPTIONS_INIT;
    options.workers = 1;
    kc_controller *controller = NULL;
    CHECK_OK(kc_controller_new(&options, slow_reconcile, state, &controller));
    CHECK_OK(kc_workqueue_add(kc_controller_queue(controller), "key"));
    CHECK_OK(kc_controller_start(controller));
    CHECK(await_entered(state));
    return controller;
}

static void test_controller_two_frees(kc_client *client) {
    (void)client;
    slow_state *state = state_new(0);
    kc_controller *controller = slow_controller(state);
    run_race(state, controller, CALL_CONTROLLER_FREE, CALL_CONTROLLER_FREE);
}

static void test_controller_stop_and_free(kc_client *client) {
    (void)client;
    slow_state *state = state_new(0);
    kc_controller *controller = slow_controller(state);
    run_race(state, controller, CALL_CONTROLLER_STOP, CALL_CONTROLLER_FREE);
}

int main(void) {
    kubeconfig = kc_test_kubeconfig();
    kc_client *client = kc_test_client(kubeconfig, NULL);
    kc_test_ensure(client, "v1", "namespaces", NULL, "{\"apiVersion\":\"v1\",\"kind\":\"Namespace\",\"metadata\":{\"name\":\"kc-race\"}}");
    kc_test_ensure(client, "v1", "configmaps", NS,
                        "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"one\"}}");

    kc_test_case tests[] = {
        {"two concurrent kc_watch_stop wait for the running callback", NULL, test_watch_two_stops},
        {"concurrent kc_watch_stop and kc_watch_free wait for the running callback", NULL, test_watch_stop_and_free},
        {"two concurrent kc_watch_free wait for the running callback", NULL, test_watch_two_frees},
        {"kc_watch_free from another thread waits for a callback that freed its own watch", NULL, test_watch_free_inside_and_outside},
        {"two concurrent kc_informer_factory_free wait for the running callback", NULL, test_factory_two_frees},
        {"kc_informer_factory_free from another thread waits for a callback that freed the factory",
         NULL, test_factory_free_inside_and_outside},
        {"two concurrent kc_informer_registration_free wait for the running callback", NULL, test_registration_two_frees},
        {"two callbacks stopping their informer at once do not wait for each other", NULL, test_two_callbacks_stop_at_once},
        {"two concurrent kc_controller_free wait for the running reconcile", NULL, test_controller_two_frees},
        {"concurrent kc_controller_stop and kc_controller_free wait for the running reconcile",
         NULL, test_controller_stop_and_free},
    };
    return kc_test_run(tests, sizeof tests / sizeof tests[0], client);
}
