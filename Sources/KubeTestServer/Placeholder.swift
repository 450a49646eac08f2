// Module KubeTestServer.
