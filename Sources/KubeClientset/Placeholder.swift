// Module KubeClientset.
