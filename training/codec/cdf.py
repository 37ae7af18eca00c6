"""Frozen integer CDF tables for the entropy coders in packages/codec-core (cdf.json contract).

For channel c, cdf[c] has K_c + 2 entries: symbols 0..K_c-1 stand for integer latent values
min[c]..min[c]+K_c-1 and symbol K_c is ESCAPE (value outside the range, sent by a bypass code).
cdf[c][0] = 0, cdf[c][-1] = 2**precision, strictly increasing.
"""

from __future__ import annotations

import numpy as np

PRECISION = 16
TOTAL = 1 << PRECISION
MAX_SYMBOLS = 1024


def quantize_pmf(pmf: np.ndarray, escape: float, precision: int = PRECISION) -> np.ndarray:
    """Probabilities of K symbols + escape -> integer CDF of length K + 2 summing to 2**precision.

    Every symbol gets at least frequency 1; the rest is shared in proportion to probability
    (largest-remainder rounding), so the table is exact and strictly increasing.
    """
    total = 1 << precision
    probs = np.concatenate([np.clip(pmf, 0.0, None), [max(escape, 0.0)]]).astype(np.float64)
    n = len(probs)
    if n > total:
        raise ValueError(f"{n} symbols do not fit {precision}-bit precision")
    probs = probs / probs.sum() if probs.sum() > 0 else np.full(n, 1.0 / n)
    spare = total - n
    share = probs * spare
    freq = np.floor(share).astype(np.int64)
    remainder = spare - int(freq.sum())
    if remainder > 0:
        order = np.argsort(-(share - freq), kind="stable")
        freq[order[:remainder]] += 1
    freq += 1
    cdf = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(freq, out=cdf[1:])
    assert cdf[-1] == total
    return cdf


def build_tables(minimum: np.ndarray, pmfs: list[np.ndarray], precision: int = PRECISION) -> dict[str, object]:
    """cdf.json content from per-channel ranges and probabilities."""
    cdfs = []
    for p in pmfs:
        escape = max(0.0, 1.0 - float(p.sum()))
        cdfs.append([int(v) for v in quantize_pmf(p, escape, precision)])
    return {"precision": precision, "channels": len(pmfs), "min": [int(v) for v in minimum], "cdf": cdfs}


def validate_tables(tables: dict[str, object]) -> None:
    """Raises ValueError unless the tables follow the cdf.json contract."""
    precision = int(tables["precision"])  # type: ignore[arg-type]
    channels = int(tables["channels"])  # type: ignore[arg-type]
    mins = tables["min"]
    cdfs = tables["cdf"]
    if not (isinstance(mins, list) and isinstance(cdfs, list)) or len(mins) != channels or len(cdfs) != channels:
        raise ValueError("min/cdf must be lists with one entry per channel")
    for c, cdf in enumerate(cdfs):
        a = np.asarray(cdf, dtype=np.int64)
        if len(a) < 3:
            raise ValueError(f"channel {c}: need at least one symbol plus escape")
        if a[0] != 0 or a[-1] != (1 << precision):
            raise ValueError(f"channel {c}: cdf must run from 0 to 2**{precision}")
        if np.any(np.diff(a) < 1):
            raise ValueError(f"channel {c}: cdf not strictly increasing")


def escape_payload_bits(values: np.ndarray) -> np.ndarray:
    """Bypass bits after ESCAPE, as packages/codec-core's FactorizedEncoder writes them: Exp-Golomb
    order 0 of the signed value mapped 0, -1, 1, -2, ... -> 0, 1, 2, 3, ..."""
    v = np.asarray(values, dtype=np.int64)
    u = np.where(v >= 0, 2 * v, -2 * v - 1)
    return 2 * np.floor(np.log2(u + 1)).astype(np.int64) + 1


def estimate_bits(q: np.ndarray, tables: dict[str, object]) -> np.ndarray:
    """Ideal code length (bits) of each row of integer latents q [N, C] under the frozen tables."""
    mins = np.asarray(tables["min"], dtype=np.int64)
    total = float(1 << int(tables["precision"]))  # type: ignore[arg-type]
    q = np.asarray(q, dtype=np.int64)
    bits = np.zeros(q.shape[0], dtype=np.float64)
    for c, cdf in enumerate(tables["cdf"]):  # type: ignore[arg-type]
        freq = np.diff(np.asarray(cdf, dtype=np.int64))
        k = len(freq) - 1
        sym = q[:, c] - mins[c]
        inside = (sym >= 0) & (sym < k)
        bits[inside] += -np.log2(freq[sym[inside]] / total)
        outside = ~inside
        if outside.any():
            bits[outside] += -np.log2(freq[k] / total) + escape_payload_bits(q[outside, c])
    return bits
