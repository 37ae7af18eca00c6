"""Converters for @vladmandic/face-api weight manifests (tfjs layers-free weight maps) to ONNX."""
