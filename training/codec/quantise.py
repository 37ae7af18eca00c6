"""The codec's latent quantisation rule, from the data contract shared with codec-core.

q = floor(y + 0.5) evaluated in float64 (ties round toward +inf, not to even as np.round does),
clamped to [-maxMagnitude, maxMagnitude] (2^22 - 1): exactly codec-core's quantize() on the
float32 analysis outputs (packages/codec-core/src/quant/quantize.ts). The rule and the bound come
from packages/codec-core/contracts/descriptor-layout.json ("quantisation").
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from . import layout

IMPLEMENTED_RULE = {"rule": "floor(y + 0.5)", "rounding": "half-up", "arithmetic": "float64"}


@lru_cache(maxsize=1)
def max_magnitude() -> int:
    """Largest latent magnitude the coders carry (the clamp bound, 2^22 - 1)."""
    q = layout.contract()["quantisation"]
    for key, value in IMPLEMENTED_RULE.items():
        if q.get(key) != value:
            raise RuntimeError(f"{layout.CONTRACT_JSON}: quantisation {key} {q.get(key)!r}; only {value!r} is implemented")
    return int(q["maxMagnitude"])


def quantise(y: np.ndarray) -> np.ndarray:
    """Integer latents (int64) of analysis outputs y, as codec-core quantises them.

    The sum y + 0.5 is taken in float64 like the TypeScript side: in float32 it can round up to the
    next integer (e.g. y = 0.5 - 2^-25), which would differ from codec-core."""
    m = max_magnitude()
    q = np.floor(np.asarray(y, dtype=np.float64) + 0.5)
    return np.clip(q, -m, m).astype(np.int64)
