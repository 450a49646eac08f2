"""Deterministic, realistic pod objects for the benchmarks (about 7 KB of JSON each).

Each pod has what real clusters carry: labels, annotations, an ownerReference to a
ReplicaSet, managedFields from two managers, two containers with env, probes, resources
and volume mounts, several volumes, conditions and container statuses.
"""
from __future__ import annotations

import json
import random

NAMESPACES = [f"team-{i:02d}" for i in range(20)]


def _managed_fields(name: str) -> list[dict]:
    spec_fields = {
        "f:containers": {
            'k:{"name":"app"}': {
                ".": {}, "f:env": {'k:{"name":"LOG_LEVEL"}': {".": {}, "f:name": {}, "f:value": {}}},
                "f:image": {}, "f:imagePullPolicy": {}, "f:livenessProbe": {".": {}, "f:httpGet": {".": {}, "f:path": {}, "f:port": {}}},
                "f:name": {}, "f:ports": {".": {}, 'k:{"containerPort":8080,"protocol":"TCP"}': {".": {}, "f:containerPort": {}, "f:protocol": {}}},
                "f:resources": {".": {}, "f:limits": {".": {}, "f:cpu": {}, "f:memory": {}}, "f:requests": {".": {}, "f:cpu": {}, "f:memory": {}}},
                "f:terminationMessagePath": {}, "f:terminationMessagePolicy": {}, "f:volumeMounts": {".": {}, 'k:{"mountPath":"/etc/config"}': {".": {}, "f:mountPath": {}, "f:name": {}}},
            },
        },
        "f:dnsPolicy": {}, "f:enableServiceLinks": {}, "f:restartPolicy": {}, "f:schedulerName": {},
        "f:securityContext": {}, "f:terminationGracePeriodSeconds": {}, "f:volumes": {".": {}, 'k:{"name":"config"}': {".": {}, "f:configMap": {".": {}, "f:defaultMode": {}, "f:name": {}}, "f:name": {}}},
    }
    status_fields = {
        "f:conditions": {'k:{"type":"ContainersReady"}': {".": {}, "f:lastProbeTime": {}, "f:lastTransitionTime": {}, "f:status": {}, "f:type": {}},
                          'k:{"type":"Initialized"}': {".": {}, "f:lastProbeTime": {}, "f:lastTransitionTime": {}, "f:status": {}, "f:type": {}},
                          'k:{"type":"Ready"}': {".": {}, "f:lastProbeTime": {}, "f:lastTransitionTime": {}, "f:status": {}, "f:type": {}}},
        "f:containerStatuses": {}, "f:hostIP": {}, "f:phase": {}, "f:podIP": {}, "f:podIPs": {".": {}, 'k:{"ip":"10.244.1.5"}': {".": {}, "f:ip": {}}}, "f:startTime": {},
    }
    return [
        {"manager": "kube-controller-manager", "operation": "Update", "apiVersion": "v1", "time": "2026-11-01T10:00:00Z",
         "fieldsType": "FieldsV1", "fieldsV1": {"f:metadata": {"f:generateName": {}, "f:labels": {".": {}, "f:app": {}, "f:pod-template-hash": {}},
                                                              "f:ownerReferences": {".": {}, 'k:{"uid":"x"}': {}}}, "f:spec": spec_fields}},
        {"manager": "kubelet", "operation": "Update", "apiVersion": "v1", "time": "2026-11-01T10:00:05Z",
         "fieldsType": "FieldsV1", "fieldsV1": {"f:status": status_fields}, "subresource": "status"},
    ]


def pod(index: int, resource_version: int, seed: int = 7) -> dict:
    rng = random.Random(seed * 1_000_003 + index)
    ns = NAMESPACES[index % len(NAMESPACES)]
    app = f"svc-{index % 97:02d}"
    name = f"{app}-{rng.randrange(16**10):010x}-{rng.randrange(36**5):05x}"
    node = f"node-{index % 50:03d}"
    ip = f"10.{index % 250}.{(index // 250) % 250}.{index % 200 + 2}"
    def container(cname: str, port: int) -> dict:
        return {
            "name": cname, "image": f"registry.example.com/{app}/{cname}:v1.{index % 13}.{index % 7}",
            "ports": [{"containerPort": port, "protocol": "TCP", "name": "http"}],
            "env": [{"name": "LOG_LEVEL", "value": "info"}, {"name": "POD_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}},
                    {"name": "POD_NAMESPACE", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.namespace"}}},
                    {"name": "CACHE_SIZE", "value": str(rng.randrange(64, 4096))}],
            "resources": {"limits": {"cpu": "500m", "memory": "512Mi"}, "requests": {"cpu": "100m", "memory": "128Mi"}},
            "volumeMounts": [{"name": "config", "mountPath": "/etc/config"}, {"name": "kube-api-access-abcde", "readOnly": True, "mountPath": "/var/run/secrets/kubernetes.io/serviceaccount"}],
            "livenessProbe": {"httpGet": {"path": "/healthz", "port": port, "scheme": "HTTP"}, "initialDelaySeconds": 10, "timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3},
            "readinessProbe": {"httpGet": {"path": "/ready", "port": port, "scheme": "HTTP"}, "timeoutSeconds": 1, "periodSeconds": 5, "successThreshold": 1, "failureThreshold": 3},
            "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File", "imagePullPolicy": "IfNotPresent",
        }
    def status(cname: str) -> dict:
        return {"name": cname, "state": {"running": {"startedAt": "2026-11-01T10:00:04Z"}}, "lastState": {}, "ready": True, "restartCount": index % 3,
                "image": f"registry.example.com/{app}/{cname}:v1.{index % 13}.{index % 7}",
                "imageID": f"registry.example.com/{app}/{cname}@sha256:{rng.randrange(16**64):064x}",
                "containerID": f"containerd://{rng.randrange(16**64):064x}", "started": True}
    return {
        "apiVersion": "v1", "kind": "Pod",
        "metadata": {
            "name": name, "generateName": name[:-5], "namespace": ns,
            "uid": f"{rng.randrange(16**8):08x}-{rng.randrange(16**4):04x}-4{rng.randrange(16**3):03x}-a{rng.randrange(16**3):03x}-{rng.randrange(16**12):012x}",
            "resourceVersion": str(resource_version), "creationTimestamp": "2026-11-01T10:00:00Z",
            "labels": {"app": app, "pod-template-hash": name.split("-")[-2], "tier": ["web", "api", "worker"][index % 3], "version": f"v1.{index % 13}"},
            "annotations": {"kubectl.kubernetes.io/restartedAt": "2026-10-30T08:12:44Z", "prometheus.io/scrape": "true", "prometheus.io/port": "8080"},
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": name[:-6], "uid": f"{rng.randrange(16**32):032x}", "controller": True, "blockOwnerDeletion": True}],
            "managedFields": _managed_fields(name),
        },
        "spec": {
            "volumes": [{"name": "config", "configMap": {"name": f"{app}-config", "defaultMode": 420}},
                        {"name": "kube-api-access-abcde", "projected": {"sources": [{"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}},
                                                                                   {"configMap": {"name": "kube-root-ca.crt", "items": [{"key": "ca.crt", "path": "ca.crt"}]}}], "defaultMode": 420}}],
            "containers": [container("app", 8080), container("sidecar", 9090)],
            "restartPolicy": "Always", "terminationGracePeriodSeconds": 30, "dnsPolicy": "ClusterFirst",
            "serviceAccountName": "default", "serviceAccount": "default", "nodeName": node, "securityContext": {},
            "schedulerName": "default-scheduler", "tolerations": [{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}],
            "priority": 0, "enableServiceLinks": True, "preemptionPolicy": "PreemptLowerPriority",
        },
        "status": {
            "phase": "Running",
            "conditions": [{"type": t, "status": "True", "lastProbeTime": None, "lastTransitionTime": "2026-11-01T10:00:05Z"} for t in ("Initialized", "Ready", "ContainersReady", "PodScheduled")],
            "hostIP": f"192.168.{index % 50}.10", "podIP": ip, "podIPs": [{"ip": ip}], "startTime": "2026-11-01T10:00:00Z",
            "containerStatuses": [status("app"), status("sidecar")], "qosClass": "Burstable",
        },
    }


def dumps(obj: dict) -> bytes:
    return json.dumps(obj, separators=(",", ":")).encode()


if __name__ == "__main__":
    sizes = [len(dumps(pod(i, 1000 + i))) for i in range(200)]
    print("average pod JSON bytes:", sum(sizes) / len(sizes))
