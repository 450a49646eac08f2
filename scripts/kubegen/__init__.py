"""kubeclient-gen: Swift models for the built-in API types and for CustomResourceDefinitions,
and Python TypedDicts for both. Run `scripts/kubeclient-gen --help`."""
