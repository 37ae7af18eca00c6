"""Identity-code transform (numpy, research + training).

Code = learned linear transform of the L2-normalised (optionally centred) embedding, then per-dimension
scalar quantisation into 2^b_j equiprobable levels (training quantiles) with a learned bit allocation.
Two transforms:
  - "itq":   PCA to k dims, ITQ rotation, the same b bits on every dim (b = 1: ITQ binary codes);
  - "alloc": PCA basis, bits allocated greedily (reverse water-filling on the PCA variances, <= 8 bits/dim),
             dims that get no bit are dropped.
Equiprobable levels make the learned prior uniform, so the fixed-length code is its entropy code.
The receiver reconstructs each dim as its level's training centroid and compares by cosine.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MAX_BITS = 8


def l2n(x: np.ndarray) -> np.ndarray:
    return x / np.maximum(np.linalg.norm(x, axis=1, keepdims=True), 1e-12)


def itq(v: np.ndarray, iters: int = 50, seed: int = 0) -> np.ndarray:
    """ITQ rotation (Gong & Lazebnik): R minimising |sign(VR) - VR|^2."""
    k = v.shape[1]
    rng = np.random.default_rng(seed)
    r, _ = np.linalg.qr(rng.standard_normal((k, k)))
    for _ in range(iters):
        b = np.sign(v @ r)
        b[b == 0] = 1
        u, _, wt = np.linalg.svd(b.T @ v)
        r = (u @ wt).T
    return r


def allocate(var: np.ndarray, total: int, max_bits: int = MAX_BITS) -> np.ndarray:
    """Greedy reverse water-filling: each bit goes to the dim whose distortion var * 4^-b drops most."""
    b = np.zeros(len(var), dtype=int)
    for _ in range(total):
        gain = var * 4.0 ** (-b)
        gain[b >= max_bits] = -1
        b[int(np.argmax(gain))] += 1
    return b


@dataclass
class CodeModel:
    mean: np.ndarray          # (D,)
    proj: np.ndarray          # (k, D) applied to (normalised x - mean)
    bits: np.ndarray          # (k,) bits per dim
    thresholds: list          # k arrays, 2^b_j - 1 ascending
    centroids: list           # k arrays, 2^b_j

    @property
    def k(self) -> int:
        return self.proj.shape[0]

    def project(self, x: np.ndarray) -> np.ndarray:
        return (l2n(x) - self.mean) @ self.proj.T

    def encode(self, x: np.ndarray) -> np.ndarray:
        y = self.project(x)
        return np.stack([np.searchsorted(self.thresholds[j], y[:, j], side="right") for j in range(self.k)], 1)

    def decode(self, q: np.ndarray) -> np.ndarray:
        return np.stack([self.centroids[j][q[:, j]] for j in range(self.k)], 1)


def fit(x: np.ndarray, total_bits: int, method: str = "alloc", k: int | None = None,
        center: bool = False, seed: int = 0) -> CodeModel:
    xn = l2n(x)
    mean = xn.mean(0) if center else np.zeros(x.shape[1])
    xc = xn - mean
    lam, vec = np.linalg.eigh(xc.T @ xc / len(xc))
    order = np.argsort(lam)[::-1]
    lam, vec = lam[order], vec[:, order]
    if method == "alloc":
        bits = allocate(lam, total_bits)
        keep = bits > 0
        proj, bits = vec[:, keep].T, bits[keep]
    elif method == "itq":
        assert k is not None and total_bits % k == 0
        w = vec[:, :k].T
        v = xc @ w.T
        r = itq(v / v.std(), seed=seed)
        proj, bits = r.T @ w, np.full(k, total_bits // k)
    else:
        raise ValueError(method)
    y = xc @ proj.T
    thr, cent = [], []
    for j in range(proj.shape[0]):
        levels = 2 ** int(bits[j])
        t = np.quantile(y[:, j], np.linspace(0, 1, levels + 1)[1:-1])
        q = np.searchsorted(t, y[:, j], side="right")
        thr.append(t)
        cent.append(np.array([y[q == l, j].mean() if np.any(q == l) else t[min(l, levels - 2)] for l in range(levels)]))
    return CodeModel(mean, proj, bits, thr, cent)


def cosine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.sum(l2n(a) * l2n(b), axis=1)
