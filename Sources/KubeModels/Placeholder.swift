// Module KubeModels.
