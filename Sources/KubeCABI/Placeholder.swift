// Module KubeCABI.
