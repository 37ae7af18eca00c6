"""Five-point similarity alignment (ArcFace template) and bilinear warping, numpy only.

The TypeScript sender does the same (packages/extractor/src/embed/similarity-align.ts): the template,
the least-squares similarity (Umeyama without reflection) and the bilinear sampling at pixel centres
with edge clamping are the contract.
"""

from __future__ import annotations

import numpy as np

# insightface's arcface_dst for 112x112 crops: eye, eye, nose tip, mouth corner, mouth corner (image left first).
ARCFACE_112 = np.array([[38.2946, 51.6963], [73.5318, 51.5014], [56.0252, 71.7366],
                        [41.5493, 92.3655], [70.7299, 92.2041]], dtype=np.float64)


def similarity(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """2x3 matrix M minimising sum |M [src;1] - dst|^2 over rotation+uniform scale+translation."""
    src = np.asarray(src, np.float64)
    dst = np.asarray(dst, np.float64)
    ms, md = src.mean(0), dst.mean(0)
    s, d = src - ms, dst - md
    # closed form for 2D: a = sum(s.d)/|s|^2, b = sum(s x d)/|s|^2 ; M = [[a,-b],[b,a]]
    n2 = float((s ** 2).sum())
    a = float((s * d).sum()) / n2
    b = float((s[:, 0] * d[:, 1] - s[:, 1] * d[:, 0]).sum()) / n2
    r = np.array([[a, -b], [b, a]])
    t = md - r @ ms
    return np.concatenate([r, t[:, None]], axis=1)


def warp(img: np.ndarray, m: np.ndarray, size: int) -> np.ndarray:
    """Output pixel (x, y) (centre x+0.5, y+0.5 in template units) samples the source at
    inverse(M)(x+0.5, y+0.5) - 0.5 bilinearly, clamped at the edges. img HxWxC float -> size x size x C."""
    r, t = m[:, :2], m[:, 2]
    ri = np.linalg.inv(r)
    ys, xs = np.mgrid[0:size, 0:size].astype(np.float64)
    p = np.stack([xs.ravel() + 0.5, ys.ravel() + 0.5], 0) - t[:, None]
    q = ri @ p - 0.5
    h, w = img.shape[:2]
    qx = np.clip(q[0], 0, w - 1)
    qy = np.clip(q[1], 0, h - 1)
    x0 = np.floor(qx).astype(int); y0 = np.floor(qy).astype(int)
    x1 = np.minimum(x0 + 1, w - 1); y1 = np.minimum(y0 + 1, h - 1)
    fx = (qx - x0)[:, None]; fy = (qy - y0)[:, None]
    im = img.astype(np.float64)
    out = (im[y0, x0] * (1 - fx) * (1 - fy) + im[y0, x1] * fx * (1 - fy)
           + im[y1, x0] * (1 - fx) * fy + im[y1, x1] * fx * fy)
    return out.reshape(size, size, -1)


def aligned_crop(img: np.ndarray, five: np.ndarray, size: int = 112, scale: float = 1.0) -> np.ndarray:
    """ArcFace-aligned crop of side `size` (template scaled by size/112, zoomed out by `scale` about the centre)."""
    dst = (ARCFACE_112 - 56.0) / scale + 56.0
    dst = dst * (size / 112.0)
    return warp(img, similarity(five, dst), size)
