"""The model: positioned YAML values, typed views of Kubernetes objects and the cross-file index."""
