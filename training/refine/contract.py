"""The expression refinement contract (packages/extractor/contracts/expression-refinement.json), read as
data: the same file the extractor's TypeScript is generated from."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
CONTRACT_PATH = REPO / "packages/extractor/contracts/expression-refinement.json"
SPEC = json.loads(CONTRACT_PATH.read_text())

EMOTION_LABELS: tuple[str, ...] = tuple(SPEC["emotion"]["labels"])
INPUT = SPEC["refiner"]["input"]
OUTPUT = SPEC["refiner"]["output"]
EXPR = slice(OUTPUT["start"], OUTPUT["end"])
DESCRIPTOR_COLUMNS = np.concatenate([np.arange(s["start"], s["end"]) for s in INPUT["descriptorSlices"]])


def refiner_features(descriptors: np.ndarray, emotion_log_probs: np.ndarray) -> np.ndarray:
    """The refiner's raw input rows: descriptor slices in contract order, then the emotion log-probabilities."""
    if emotion_log_probs.shape != (len(descriptors), INPUT["emotionValues"]):
        raise ValueError(f"emotion values {emotion_log_probs.shape} do not match {len(descriptors)} descriptors")
    z = np.concatenate([descriptors[:, DESCRIPTOR_COLUMNS], emotion_log_probs], 1).astype(np.float32)
    assert z.shape[1] == INPUT["width"]
    return z


def emotion_cache_path(cache: Path) -> Path:
    """Where packages/extractor/src/cache/build-emotion-cache.ts writes a cache's emotion values."""
    return cache.with_name(cache.stem + ".emotion.npy")


def smooth_video_emotion(emotion_log_probs: np.ndarray, rows: list[dict]) -> np.ndarray:
    """The tracking path's filter (contract emotion.videoSmoothing): an exponential moving average over
    consecutive frames of one clip, restarted at each clip's first frame and at any gap in frame indices."""
    alpha = SPEC["emotion"]["videoSmoothing"]["alpha"]
    out = emotion_log_probs.astype(np.float32).copy()
    for i in range(1, len(rows)):
        prev, cur = rows[i - 1], rows[i]
        if cur["source"] == prev["source"] and cur["frameIndex"] == prev["frameIndex"] + 1:
            out[i] = np.float32(alpha) * emotion_log_probs[i] + np.float32(1 - alpha) * out[i - 1]
    return out
