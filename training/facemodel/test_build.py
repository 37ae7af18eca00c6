"""Synthetic-data tests of the face-model trainer: known bases must be recovered.

Run: training/.venv/bin/python -m pytest training/facemodel -q
"""
from __future__ import annotations

import numpy as np

from .build import fit_model
from .geometry import boundary_vertices, canonical_frame, rigid_motion_basis, sh_basis, similarity, vertex_normals
from .model_io import read_model, write_model

COLS, ROWS = 18, 26


def grid_model(rng):
    c, r = np.meshgrid(np.arange(COLS), np.arange(ROWS))
    x = (c - (COLS - 1) / 2) / (COLS - 1) * 1.7
    y = (r - (ROWS - 1) / 2) / (ROWS - 1) * 2.4
    z = -np.sqrt(np.maximum(0.05, 2.2 - x**2 - 0.5 * y**2))
    mean = canonical_frame(np.stack([x, y, z], -1).reshape(-1, 3))
    tris = []
    for rr in range(ROWS - 1):
        for cc in range(COLS - 1):
            i = rr * COLS + cc
            tris += [[i, i + COLS, i + 1], [i + 1, i + COLS, i + COLS + 1]]
    return mean, np.array(tris)


def smooth_dirs(rng, mean, k, rigid=None):
    x, y = mean[:, 0], mean[:, 1]
    cols = []
    for _ in range(k):
        f, ph = rng.uniform(1, 4, 3), rng.uniform(0, 6.3, 3)
        cols.append(np.stack([np.cos(f[a] * x + ph[a]) * np.cos(f[(a + 1) % 3] * y + ph[(a + 1) % 3]) for a in range(3)], -1).reshape(-1))
    m = np.stack(cols, 1)
    if rigid is not None:
        m -= rigid.T @ (rigid @ m)
    q, _ = np.linalg.qr(m)
    return q.T


def random_rotation(rng, scale):
    a = rng.normal(size=3) * scale
    th = np.linalg.norm(a)
    k = np.array([[0, -a[2], a[1]], [a[2], 0, -a[0]], [-a[1], a[0], 0]]) / max(th, 1e-12)
    return np.eye(3) + np.sin(th) * k + (1 - np.cos(th)) * k @ k


def overlap(a, b):
    """Mean squared cosine between row subspaces (1 = identical)."""
    qa, _ = np.linalg.qr(a.T)
    qb, _ = np.linalg.qr(b.T)
    return float((np.linalg.norm(qa.T @ qb) ** 2) / a.shape[0])


def test_recovers_known_bases(tmp_path):
    rng = np.random.default_rng(1)
    mean, tris = grid_model(rng)
    v = len(mean)
    rigid = rigid_motion_basis(mean)
    ident = smooth_dirs(rng, mean, 4, rigid)
    expr = smooth_dirs(rng, mean, 3, rigid)
    # Keep identity and expression subspaces orthogonal, as the trainer's construction assumes.
    ident -= (ident @ expr.T) @ expr
    ident = np.linalg.qr(ident.T)[0].T
    id_std, ex_std = np.array([0.08, 0.06, 0.05, 0.04]), np.array([0.07, 0.05, 0.03])
    alb_mean = np.tile([0.7, 0.5, 0.4], (v, 1))
    tex = np.linalg.qr(rng.normal(size=(v * 3, 3)))[0].T
    tex_std = np.array([0.8, 0.6, 0.4])
    meshes, colors, meta = [], [], []
    for p in range(80):
        a = rng.normal(size=4) * id_std
        t = rng.normal(size=3) * tex_std
        albedo = alb_mean + (t @ tex).reshape(v, 3)
        for k in range(6):
            b = rng.normal(size=3) * ex_std
            shape = (mean.reshape(-1) + a @ ident + b @ expr).reshape(v, 3)
            r = random_rotation(rng, 0.15)
            s = rng.uniform(50, 90)
            posed = s * shape @ r.T + np.array([125, 125, 0]) + rng.normal(size=3) * 5
            posed += rng.normal(size=posed.shape) * 1e-3
            n = vertex_normals(posed, tris)
            gamma = np.zeros((3, 9))
            gamma[:, 0] = rng.uniform(0.9, 1.2)
            gamma[:, 1:4] = rng.normal(size=3) * 0.1
            shade = sh_basis(n) @ gamma.T
            meshes.append(posed)
            colors.append(albedo * shade)
            meta.append({"source": "lfw", "group": f"p{p}", "index": k + 1})
    meshes, colors = np.array(meshes), np.array(colors)
    arrays, stats = fit_model(
        meshes, colors, meta, np.arange(len(meshes)), tris, identity=4, expression=3, texture=3, texture_limit=0
    )
    # The learned frame matches the canonical frame of the true mean up to a tiny similarity.
    s, r, t = similarity(mean, arrays["meanShape"])
    assert abs(s - 1) < 1e-2 and np.allclose(r, np.eye(3), atol=1e-2)
    assert overlap(arrays["expressionBasis"], expr) > 0.95
    assert overlap(arrays["identityBasis"], ident) > 0.9
    # Boundary vertices are never used for colour, so compare texture on the interior only.
    interior = np.repeat(~boundary_vertices(arrays["triangles"].astype(np.int64), v), 3)
    assert overlap(arrays["textureBasis"][:, interior], tex[:, interior]) > 0.9
    # Stored stds match the true ones (bases are scaled by std).
    assert np.allclose(np.linalg.norm(arrays["expressionBasis"], axis=1), ex_std, rtol=0.25)
    assert stats["shapeNoiseVariance"] < 1e-6

    header = write_model(
        tmp_path,
        arrays,
        {"eyeRightOuter": 33, "eyeLeftOuter": 263},
        {"shapeNoiseVariance": stats["shapeNoiseVariance"], "textureNoiseVariance": stats["textureNoiseVariance"]},
        {"synthetic": True},
    )
    back_header, back = read_model(tmp_path)
    assert back_header == header
    assert np.allclose(back["identityBasis"], arrays["identityBasis"], atol=1e-6)
    assert (back["triangles"] == arrays["triangles"]).all()



def test_mirror_closed_pca():
    """--mirror-closed: a mirrored basis direction lies in the basis's span (fits of mirrored faces mirror)."""
    from .build import mirror_partners, pca, pca_mirror_closed
    from .mirror_closure import outside_span

    rng = np.random.default_rng(2)
    half = rng.normal(size=(60, 3)) + np.array([2.0, 0.0, 0.0])
    mid = np.stack([np.zeros(4), rng.normal(size=4), rng.normal(size=4)], 1)
    mean = np.concatenate([half, half * np.array([-1.0, 1.0, 1.0]), mid])
    partner = mirror_partners(mean)
    assert (partner[partner] == np.arange(len(mean))).all()
    rows = rng.normal(size=(500, 5)) @ rng.normal(size=(5, mean.size)) + 0.01 * rng.normal(size=(500, mean.size))

    def outside(dirs):
        return outside_span(dirs, dirs, partner)

    plain, _, _ = pca(rows - rows.mean(0), 6)
    closed, std, frac = pca_mirror_closed(rows - rows.mean(0), partner, 6)
    assert outside(plain).max() > 0.05
    assert outside(closed).max() < 1e-9
    assert np.all(np.diff(std) <= 0) and 0 < frac <= 1
