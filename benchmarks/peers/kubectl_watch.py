"""kubectl -w as a watch peer: counts the lines `kubectl get pods -A -w -o name` prints.

  kubectl_watch.py KUBECONFIG PODS EVENTS
The first PODS lines are the initial list; the clock starts after them and stops at the last
line of the watch (every non-BOOKMARK event prints one line), or after a 3 s lull.
Prints `seconds=S items=N events_per_sec=R`.
"""
import shutil
import subprocess
import sys
import threading
import time


def main() -> None:
    kubeconfig, pods, events = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    expected = events - events // 1000
    proc = subprocess.Popen([shutil.which("kubectl") or "kubectl", "--kubeconfig", kubeconfig, "get", "pods", "-A",
                             "-w", "-o", "name"], stdout=subprocess.PIPE, bufsize=1 << 20)
    assert proc.stdout is not None
    state = {"lines": 0, "t0": 0.0, "last": 0.0, "changed": time.perf_counter()}

    def watchdog() -> None:
        while proc.poll() is None:
            time.sleep(0.1)
            if time.perf_counter() - state["changed"] > 3.0 and state["lines"] > 0:
                proc.kill()

    threading.Thread(target=watchdog, daemon=True).start()
    for _ in proc.stdout:
        state["lines"] += 1
        now = time.perf_counter()
        state["changed"] = now
        if state["lines"] == pods:
            state["t0"] = now
        elif state["lines"] > pods:
            state["last"] = now
            if state["lines"] - pods >= expected:
                break
    proc.kill()
    proc.wait()
    n = max(0, state["lines"] - pods)
    seconds = state["last"] - state["t0"] if state["t0"] else 0.0
    print(f"seconds={seconds:.4f} items={n} events_per_sec={n / seconds if seconds > 0 else 0:.0f}")


if __name__ == "__main__":
    main()
