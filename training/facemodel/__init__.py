"""Face model (3DMM) training from MediaPipe mesh caches."""
