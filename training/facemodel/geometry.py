"""Procrustes, normals, spherical harmonics and mesh topology for face-model training."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[2]
HUMAN_COORDS = REPO / "packages/extractor/node_modules/@vladmandic/human/src/face/facemeshcoords.ts"

# MediaPipe landmark indices used to fix the canonical frame.
EYE_RIGHT_OUTER = 33  # subject's right eye, image left
EYE_LEFT_OUTER = 263
FOREHEAD = 10
CHIN = 152


def mediapipe_triangles() -> np.ndarray:
    """The 468-vertex MediaPipe triangulation (TRI468 from @vladmandic/human, MIT), T x 3."""
    text = HUMAN_COORDS.read_text()
    m = re.search(r"export const TRI468: number\[\] = \[(.*?)\];", text, re.S)
    if not m:
        raise RuntimeError(f"TRI468 not found in {HUMAN_COORDS}")
    return np.array([int(x) for x in re.findall(r"\d+", m.group(1))], dtype=np.int64).reshape(-1, 3)


def similarity(x: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """s, R, t minimising |s R x + t - y|^2 for point sets (n, 3) (Umeyama, no reflection)."""
    mx, my = x.mean(0), y.mean(0)
    a, b = x - mx, y - my
    u, sv, vt = np.linalg.svd(b.T @ a)
    d = np.ones(3)
    d[2] = np.sign(np.linalg.det(u @ vt)) or 1.0
    r = (u * d) @ vt
    s = float((sv * d).sum() / (a * a).sum())
    return s, r, my - s * r @ mx


def similarity_batch(x: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Aligns reference x (n,3) to each ys[i] (N,n,3): returns s (N,), R (N,3,3), t (N,3)."""
    mx = x.mean(0)
    my = ys.mean(1)
    a = x - mx
    b = ys - my[:, None, :]
    cov = np.einsum("nib,ia->nba", b, a)
    u, sv, vt = np.linalg.svd(cov)
    det = np.sign(np.linalg.det(u @ vt))
    det[det == 0] = 1
    d = np.ones((len(ys), 3))
    d[:, 2] = det
    r = (u * d[:, None, :]) @ vt
    s = (sv * d).sum(1) / (a * a).sum()
    t = my - s[:, None] * np.einsum("nij,j->ni", r, mx)
    return s, r, t


def align_to(reference: np.ndarray, meshes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Maps each mesh into the reference frame by the inverse of its best similarity; returns (aligned, scale)."""
    s, r, t = similarity_batch(reference, meshes)
    aligned = np.einsum("nji,nvj->nvi", r, meshes - t[:, None, :]) / s[:, None, None]
    return aligned, s


def generalized_procrustes(meshes: np.ndarray, iterations: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """GPA: returns (aligned meshes, mean shape) in the canonical frame of `canonical_frame`."""
    mean = canonical_frame(meshes[0])
    for _ in range(iterations):
        aligned, _ = align_to(mean, meshes)
        mean = canonical_frame(aligned.mean(0))
    aligned, _ = align_to(mean, meshes)
    return aligned, mean


def canonical_frame(shape: np.ndarray) -> np.ndarray:
    """Centres a shape, scales it to unit outer-eye-corner distance and rotates it so x points from the
    image-left eye corner to the image-right one, y from forehead to chin (down), z into the image."""
    p = shape - shape.mean(0)
    ex = p[EYE_LEFT_OUTER] - p[EYE_RIGHT_OUTER]
    iod = np.linalg.norm(ex)
    ex /= iod
    dv = p[CHIN] - p[FOREHEAD]
    ey = dv - dv.dot(ex) * ex
    ey /= np.linalg.norm(ey)
    ez = np.cross(ex, ey)
    rot = np.stack([ex, ey, ez])
    return (p @ rot.T) / iod


def rigid_motion_basis(mean: np.ndarray) -> np.ndarray:
    """Orthonormal basis (7, 3V) of infinitesimal similarity motions of `mean` (3 shifts, 3 rotations, scale)."""
    v = mean.shape[0]
    dirs = []
    for m in range(7):
        u = np.zeros((v, 3))
        if m < 3:
            u[:, m] = 1
        elif m == 3:
            u[:, 1], u[:, 2] = -mean[:, 2], mean[:, 1]
        elif m == 4:
            u[:, 0], u[:, 2] = mean[:, 2], -mean[:, 0]
        elif m == 5:
            u[:, 0], u[:, 1] = -mean[:, 1], mean[:, 0]
        else:
            u = mean.copy()
        dirs.append(u.reshape(-1))
    q, _ = np.linalg.qr(np.stack(dirs, 1))
    return q.T


def vertex_normals(verts: np.ndarray, tris: np.ndarray) -> np.ndarray:
    """Unit area-weighted vertex normals for (V, 3) or (N, V, 3) vertices."""
    single = verts.ndim == 2
    vv = verts[None] if single else verts
    a, b, c = vv[:, tris[:, 0]], vv[:, tris[:, 1]], vv[:, tris[:, 2]]
    fn = np.cross(b - a, c - a)
    n = np.zeros_like(vv)
    for k in range(3):
        np.add.at(n, (slice(None), tris[:, k]), fn)
    n /= np.maximum(np.linalg.norm(n, axis=-1, keepdims=True), 1e-12)
    return n[0] if single else n


def boundary_vertices(tris: np.ndarray, v: int) -> np.ndarray:
    """Boolean mask of vertices on an edge used by a single triangle."""
    e = np.sort(np.concatenate([tris[:, [0, 1]], tris[:, [1, 2]], tris[:, [2, 0]]]), 1)
    uniq, counts = np.unique(e, axis=0, return_counts=True)
    mask = np.zeros(v, bool)
    mask[uniq[counts == 1].reshape(-1)] = True
    return mask


_A0, _A1, _A2 = np.pi, 2 * np.pi / np.sqrt(3), 2 * np.pi / np.sqrt(8)
_C0, _C1, _C2 = 1 / np.sqrt(4 * np.pi), np.sqrt(3) / np.sqrt(4 * np.pi), 3 * np.sqrt(5) / np.sqrt(12 * np.pi)
SH_DC = _A0 * _C0


def sh_basis(n: np.ndarray) -> np.ndarray:
    """9 SH irradiance basis values per normal (same constants and order as spherical-harmonics.ts)."""
    x, y, z = n[..., 0], n[..., 1], n[..., 2]
    return np.stack(
        [
            np.full_like(x, _A0 * _C0),
            -_A1 * _C1 * y,
            _A1 * _C1 * z,
            -_A1 * _C1 * x,
            _A2 * _C2 * x * y,
            -_A2 * _C2 * y * z,
            _A2 * _C2 * 0.5 / np.sqrt(3) * (3 * z * z - 1),
            -_A2 * _C2 * x * z,
            _A2 * _C2 * 0.5 * (x * x - y * y),
        ],
        -1,
    )
