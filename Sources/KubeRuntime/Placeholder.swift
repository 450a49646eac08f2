// Module KubeRuntime.
