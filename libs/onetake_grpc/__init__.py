"""The gRPC server runtime both services share: health, reflection, metrics, logs, shutdown."""
