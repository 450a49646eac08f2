"""The seed walkthrough against an installed wheel: run by scripts/test-packaging.sh in a fresh
venv, from a folder outside the checkout, with no Swift on PATH and no KUBECLIENT_LIBRARY.

Usage: python walkthrough.py KUBECONFIG EXPECTED_VERSION
Checks that the library came from the wheel (kubeclient/libkubeclient.so in site-packages),
then lists namespaces, creates/updates/deletes a deployment, runs an informer that syncs and
sees an add, and a workqueue add/get/done. Prints one line per step; exits non-zero on failure.
"""
import importlib.metadata
import os
import sys
import sysconfig
import threading
import uuid
from pathlib import Path

import kubeclient
from kubeclient.informer import InformerFactory
from kubeclient.workqueue import WorkQueue


def main() -> None:
    kubeconfig, expected_version = sys.argv[1], sys.argv[2]

    library = Path(kubeclient.library_path()).resolve()
    platlib = Path(sysconfig.get_paths()["platlib"]).resolve()
    assert library == platlib / "kubeclient" / "libkubeclient.so", f"library loaded from {library}"
    assert "KUBECLIENT_LIBRARY" not in os.environ
    versions = {"kc_version()": kubeclient.version(), "dist": importlib.metadata.version("kubeclient")}
    assert set(versions.values()) == {expected_version}, versions
    print(f"library {library} version {kubeclient.version()}")

    # The type hints ship in the wheel: PEP 561 marker, the models, the typing overloads' stub.
    package = Path(kubeclient.__file__).resolve().parent
    missing = [name for name in ("py.typed", "models/core_v1.py", "models/_typed.pyi") if not (package / name).is_file()]
    assert not missing, f"not in the wheel: {missing}"
    from kubeclient.models.core_v1 import Pod
    assert Pod.__required_keys__ == frozenset() and "spec" in Pod.__annotations__
    print("type hints: py.typed, kubeclient.models, models/_typed.pyi")

    config = kubeclient.Config.load(kubeconfig)
    with kubeclient.Client(config) as client:
        names = [n["metadata"]["name"] for n in client.resource("v1", "namespaces").list()["items"]]
        assert "default" in names, names
        print(f"namespaces: {', '.join(sorted(names))}")

        namespace = "wheel-" + uuid.uuid4().hex[:8]
        client.resource("v1", "namespaces").create(
            {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}})

        deployments = client.resource("apps/v1", "deployments", namespace=namespace)
        created = deployments.create("""
apiVersion: apps/v1
kind: Deployment
metadata:
  name: my-nginx-app
spec:
  replicas: 2
  selector:
    matchLabels: {app: nginx}
  template:
    metadata:
      labels: {app: nginx}
    spec:
      containers:
      - name: nginx
        image: nginx:1.13
""")
        deployment = deployments.get(created["metadata"]["name"])
        deployment["spec"]["replicas"] = 1
        deployment["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:1.14"
        updated = deployments.update(deployment)
        assert updated["spec"]["replicas"] == 1
        assert updated["metadata"]["resourceVersion"] != created["metadata"]["resourceVersion"]
        deployments.delete("my-nginx-app")
        print("deployment: created, updated (replicas 1, nginx:1.14), deleted")

        seen = threading.Event()
        with InformerFactory(client) as factory:
            informer = factory.informer("v1", "configmaps", namespace)

            def on_add(configmap, is_initial_list: bool) -> None:
                if configmap["metadata"]["name"] == "informer-probe" and not is_initial_list:
                    seen.set()

            informer.add_handler(on_add)
            factory.start()
            assert factory.wait_for_sync(timeout=30), "the informer did not sync"
            client.resource("v1", "configmaps", namespace=namespace).create(
                {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": "informer-probe"},
                 "data": {"k": "v"}})
            assert seen.wait(30), "the informer did not see the add"
        print("informer: synced, saw the add")

        with WorkQueue(name="packaging") as queue:
            queue.add(f"{namespace}/informer-probe")
            key = queue.get(timeout=5)
            assert key == f"{namespace}/informer-probe", key
            queue.done(key)
            assert len(queue) == 0
        print("workqueue: add, get, done")

        client.resource("v1", "namespaces").delete(namespace)
    print("walkthrough: ok")


if __name__ == "__main__":
    main()
