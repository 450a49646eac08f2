"""The Python side of benchmarks/run.py, through the kubeclient binding (bindings/python).

  kcbench.py list KUBECONFIG                    Resource.list() of every pod, into dicts
  kcbench.py list-lazy KUBECONFIG               Resource.list(lazy=True) of every pod, items as LazyObjects
  kcbench.py list-nogc KUBECONFIG               the same bytes through kc_list, json.loads with the cyclic GC paused
                                                 (what bindings/python/kubeclient/client.py would gain)
  kcbench.py informer-sync KUBECONFIG [drop]    dynamic informer on pods until synced; RSS delta per cached object
  kcbench.py informer-watch KUBECONFIG EVENTS   watch events/s through an informer to a Python callback (dicts)
  kcbench.py informer-watch-raw KUBECONFIG EVENTS  the same with ctypes callbacks that take the bytes
                                                 undecoded: what the callback hop itself costs
  kcbench.py workqueue [CYCLES] [WORKERS]       add/get/forget/done cycles/s through the workqueue binding
  kcbench.py coldstart KUBECONFIG               import + config + client + GET /version (run.py times the process)

Prints key=value pairs (seconds= always); `skip=REASON` and exit code 3 when the binding lacks the feature.
"""
import ctypes
import gc
import os
import sys
import threading
import time

T_START = time.perf_counter()
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "bindings", "python"))


def skip(reason: str) -> None:
    print(f"skip={reason}")
    sys.exit(3)


def settled_rss() -> int:
    """RSS once garbage is collected and freed heap went back to the kernel."""
    gc.collect()
    try:
        ctypes.CDLL(None).malloc_trim(0)
    except AttributeError:
        pass
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGESIZE")


def client(kubeconfig: str):
    import kubeclient
    return kubeclient.Client(kubeclient.Config.load(kubeconfig))


def informer_parts():
    try:
        from kubeclient.informer import InformerFactory
    except ImportError as e:
        skip(f"no informer binding: {e}")
    return InformerFactory


def cached_count(informer) -> int:
    return sum(len(informer.index_keys("namespace", f"team-{i:02d}")) for i in range(20))


def list_lazy(kubeconfig: str) -> None:
    """Resource.list(lazy=True) of every pod: items as LazyObjects over the bytes the library split."""
    c = client(kubeconfig)
    try:
        r = c.resource("v1", "pods")
        t0 = time.perf_counter()
        items = len(r.list(lazy=True)["items"])
    except TypeError as e:  # a binding without lazy lists
        skip(f"no list(lazy=True): {e}")
    print(f"items={items} seconds={time.perf_counter() - t0:.4f}")


def main() -> None:
    mode = sys.argv[1]
    if mode == "list":
        c = client(sys.argv[2])
        t0 = time.perf_counter()
        items = len(c.resource("v1", "pods").list()["items"])
        print(f"items={items} seconds={time.perf_counter() - t0:.4f}")
    elif mode == "list-lazy": list_lazy(sys.argv[2])  # noqa: E701
    elif mode == "list-nogc":
        from kubeclient._call import call_string
        from kubeclient._native import lib
        from kubeclient.client import _list_options
        import json
        c = client(sys.argv[2])
        r = c.resource("v1", "pods")
        t0 = time.perf_counter()
        options = _list_options()
        text = call_string(lib.kc_list, *r._args(), ctypes.byref(options))
        gc.disable()
        try:
            items = len(json.loads(text)["items"])
        finally:
            gc.enable()
        print(f"items={items} seconds={time.perf_counter() - t0:.4f}")
    elif mode == "informer-sync":
        InformerFactory = informer_parts()
        drop = len(sys.argv) > 3 and sys.argv[3] == "drop"
        c = client(sys.argv[2])
        factory = InformerFactory(c, drop_managed_fields=drop)
        informer = factory.informer("v1", "pods")
        before = settled_rss()
        t0 = time.perf_counter()
        factory.start()
        factory.wait_for_sync()
        seconds = time.perf_counter() - t0
        after = settled_rss()
        items = cached_count(informer)
        print(f"items={items} seconds={seconds:.4f} bytes_per_object={(after - before) / max(items, 1):.0f}")
        factory.close()
    elif mode in ("informer-watch", "informer-watch-raw"):
        InformerFactory = informer_parts()
        events = int(sys.argv[3])
        c = client(sys.argv[2])
        factory = InformerFactory(c)
        informer = factory.informer("v1", "pods")
        state = {"n": 0, "last": 0.0}
        lock = threading.Lock()

        def seen() -> None:
            with lock:
                state["n"] += 1
                state["last"] = time.perf_counter()

        if mode == "informer-watch":
            # What a Python user writes: the binding hands each callback its objects as dicts.
            informer.add_handler(on_add=lambda obj, initial: None if initial else seen(),
                                 on_update=lambda old, new: seen(),
                                 on_delete=lambda obj, unknown: seen())
        else:
            # The same registration through the binding's ctypes declarations, objects left as bytes.
            from kubeclient import informer as inf
            from kubeclient._native import lib
            add_cb = inf.ADD_CB(lambda p, n, initial, u: None if initial else seen())
            update_cb = inf.UPDATE_CB(lambda op, on, np_, nn, u: seen())
            delete_cb = inf.DELETE_CB(lambda p, n, unknown, u: seen())
            handlers = inf.kc_informer_handlers(inf.HANDLERS_VERSION, add_cb, update_cb, delete_cb, 0)
            out = ctypes.c_void_p()
            if lib.kc_informer_add_handlers(informer._handle, ctypes.byref(handlers), None, ctypes.byref(out)) != 0:
                raise SystemExit("kc_informer_add_handlers failed")
            keep = (add_cb, update_cb, delete_cb, handlers)  # noqa: F841 - alive while the library calls them
        factory.start()
        factory.wait_for_sync()
        t0 = time.perf_counter()
        expected = events - events // 1000  # every 1000th event is a BOOKMARK
        last_n, changed = 0, t0
        while True:
            time.sleep(0.005)
            n, t = state["n"], time.perf_counter()
            if n >= expected:
                break
            if n != last_n:
                last_n, changed = n, t
            if t - changed > 2.0:
                break
        n = state["n"]
        seconds = state["last"] - t0
        print(f"items={n} seconds={seconds:.4f} events_per_sec={n / seconds if seconds > 0 else 0:.0f}")
        factory.close()
    elif mode == "workqueue":
        cycles = int(sys.argv[2]) if len(sys.argv) > 2 else 300_000
        workers = int(sys.argv[3]) if len(sys.argv) > 3 else 2
        try:
            from kubeclient.workqueue import WorkQueue  # type: ignore
        except ImportError as e:
            skip(f"no workqueue binding (bindings/python/kubeclient/workqueue.py): {e}")
        queue = WorkQueue()
        for i in range(10_000):
            queue.add(f"ns-{i % 20}/obj-{i}")
        per = cycles // workers

        def work() -> None:
            for _ in range(per):
                key = queue.get()
                if key is None:
                    return
                queue.forget(key)
                queue.done(key)
                queue.add(key)

        threads = [threading.Thread(target=work) for _ in range(workers)]
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        seconds = time.perf_counter() - t0
        print(f"items={per * workers} seconds={seconds:.4f} cycles_per_sec={per * workers / seconds:.0f}")
        queue.shut_down()
        queue.close()
    elif mode == "coldstart":
        c = client(sys.argv[2])
        c.server_version()
        print(f"seconds={time.perf_counter() - T_START:.4f}")
    else:
        raise SystemExit(f"unknown mode {mode}")


if __name__ == "__main__":
    main()
