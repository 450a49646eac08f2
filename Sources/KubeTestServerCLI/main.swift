print("kubeclient-testserver")
