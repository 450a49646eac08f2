"""The official Kubernetes Python client, as a peer.

  official_python.py list-typed KUBECONFIG
  official_python.py list-raw KUBECONFIG
  official_python.py watch KUBECONFIG EVENTS   (typed objects, as watch.Watch().stream yields them)
Prints `seconds=S items=N` (and events_per_sec=R for watch).
"""
import json
import sys
import time

from kubernetes import client, config, watch


def main() -> None:
    mode, kubeconfig = sys.argv[1], sys.argv[2]
    config.load_kube_config(config_file=kubeconfig)
    api = client.CoreV1Api()
    t0 = time.perf_counter()
    if mode == "list-typed":
        items = len(api.list_pod_for_all_namespaces().items)
    elif mode == "list-raw":
        resp = api.list_pod_for_all_namespaces(_preload_content=False)
        items = len(json.loads(resp.data)["items"])
    elif mode == "watch":
        # Every non-BOOKMARK event of the podserver's stream (every 1000th is a BOOKMARK).
        events = int(sys.argv[3])
        want = events - events // 1000
        rv = api.list_pod_for_all_namespaces(limit=1).metadata.resource_version
        t0 = time.perf_counter()
        items = 0
        w = watch.Watch()
        for event in w.stream(api.list_pod_for_all_namespaces, resource_version=rv, allow_watch_bookmarks=True):
            if event.get("type") == "BOOKMARK":
                continue
            items += 1
            if items >= want:
                w.stop()
                break
        seconds = time.perf_counter() - t0
        print(f"seconds={seconds:.4f} items={items} events_per_sec={items / seconds:.0f}")
        return
    else:
        raise SystemExit(f"unknown mode {mode}")
    print(f"seconds={time.perf_counter() - t0:.4f} items={items}")


if __name__ == "__main__":
    main()
