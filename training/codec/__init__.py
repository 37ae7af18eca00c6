"""Learned descriptor codec: GDN autoencoder + factorised entropy model, exported to ONNX."""
