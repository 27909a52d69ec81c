"""stslint: a linter and policy checker for Kubernetes StatefulSet manifests."""

__version__ = "0.1.0"
