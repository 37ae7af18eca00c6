"""Trains the semface face model (3DMM) from mesh caches and writes the model files.

Usage (from the repository root):
  training/.venv/bin/python -m training.facemodel.build \
      --cache artifacts/cache/lfw --cache artifacts/cache/videos \
      --out packages/extractor/models/face-model

Method: generalised Procrustes alignment of all training meshes; identity basis = the most
person-discriminative directions (Fisher: between-group over regularised within-group scatter,
groups = LFW person / video clip), orthonormalised; expression basis = PCA of within-group
deviations outside the identity subspace; both orthogonal to infinitesimal similarity motions. Texture:
per-image SH lighting with the current mean albedo, divided out (delighting), then PCA of the delit
albedo (LFW only). Bases are stored multiplied by each component's standard deviation.

Held out from training (for evaluation): LFW View 1 test people (peopleDevTest.txt) and the video
clips in HOLDOUT_CLIPS.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import scipy.linalg

from .geometry import (
    align_to,
    similarity_batch,
    EYE_LEFT_OUTER,
    EYE_RIGHT_OUTER,
    SH_DC,
    boundary_vertices,
    generalized_procrustes,
    mediapipe_triangles,
    rigid_motion_basis,
    sh_basis,
    vertex_normals,
)
from .model_io import write_model

V = 468
HOLDOUT_CLIPS = {"liveportrait-d9", "sadtalker-WDA_KatieHill_000", "video_retalking-face2"}
VISIBILITY = 0.2  # minimum -n_z for a vertex colour to count (as FaceFitter's default)


def load_caches(dirs: list[Path]) -> tuple[np.ndarray, np.ndarray, list[dict]]:
    meshes, colors, meta = [], [], []
    for d in dirs:
        m = np.load(d / "meshes.npy").astype(np.float64).reshape(-1, V, 3)
        c = np.load(d / "colors.npy").astype(np.float64).reshape(-1, V, 3)
        rows = [json.loads(line) for line in (d / "meta.jsonl").read_text().splitlines() if line.strip()]
        if not (len(m) == len(c) == len(rows)):
            raise ValueError(f"{d}: {len(m)} meshes, {len(c)} colour rows, {len(rows)} meta rows")
        meshes.append(m)
        colors.append(c)
        meta.extend(rows)
    return np.concatenate(meshes), np.concatenate(colors), meta


def read_people(path: Path) -> set[str]:
    lines = path.read_text().splitlines()[1:]
    return {ln.split("\t")[0] for ln in lines if ln.strip()}


def split_masks(meta: list[dict], lfw_root: Path) -> tuple[np.ndarray, np.ndarray]:
    """(train, heldout) masks: heldout = View 1 test people + HOLDOUT_CLIPS."""
    test_people = read_people(lfw_root / "peopleDevTest.txt")
    held = np.array(
        [
            (r["source"] == "lfw" and r["group"] in test_people)
            or (r["source"] == "video" and r["group"] in HOLDOUT_CLIPS)
            for r in meta
        ]
    )
    return ~held, held


def pca(rows: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, float]:
    """Top-k principal directions (k, D) of zero-mean rows, their std, and the variance fraction they explain."""
    cov = rows.T @ rows / len(rows)
    w, u = np.linalg.eigh(cov)
    order = np.argsort(w)[::-1]
    w, u = np.maximum(w[order], 0), u[:, order]
    return u[:, :k].T.copy(), np.sqrt(w[:k]), float(w[:k].sum() / max(w.sum(), 1e-30))


def parity_parts(rows: np.ndarray, partner: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric and antisymmetric parts of displacement rows under mirroring."""
    m = mirror_rows(rows, partner)
    return 0.5 * (rows + m), 0.5 * (rows - m)


def pca_mirror_closed(rows: np.ndarray, partner: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray, float]:
    """`pca` of the rows together with their mirrors, every direction exactly symmetric or antisymmetric.

    The covariance of rows and mirrors is S'S + A'A (S, A: parity parts), whose eigenvectors are those of
    each part: PCA of each, merged by variance (a joint eigensolver would mix near-equal pairs).
    """
    sym, anti = parity_parts(rows, partner)
    parts = [pca(p, min(k, p.shape[1])) for p in (sym, anti)]
    dirs = np.concatenate([d for d, _, _ in parts])
    std = np.concatenate([s for _, s, _ in parts])
    order = np.argsort(std)[::-1][:k]
    total = (sym**2).sum() / len(rows) + (anti**2).sum() / len(rows)
    return dirs[order].copy(), std[order], float((std[order] ** 2).sum() / max(total, 1e-30))


def mirror_partners(mean: np.ndarray) -> np.ndarray:
    """Index of each vertex's left/right partner: the nearest vertex to its reflection in x."""
    from scipy.spatial import cKDTree

    c = mean - mean.mean(axis=0)
    _, partner = cKDTree(c).query(c * np.array([-1.0, 1.0, 1.0]))
    return partner


def mirror_points(points: np.ndarray, partner: np.ndarray) -> np.ndarray:
    """Points (V x 3) reflected in the plane x = their mean x, vertices relabelled by `partner`."""
    cx = points[:, 0].mean()
    out = points[partner].copy()
    out[:, 0] = 2 * cx - out[:, 0]
    return out


def mirror_rows(rows: np.ndarray, partner: np.ndarray) -> np.ndarray:
    """Displacement rows (N x V*3) mirrored: x negated, vertices relabelled."""
    r = rows.reshape(len(rows), -1, 3)[:, partner, :] * np.array([-1.0, 1.0, 1.0])
    return r.reshape(len(rows), -1)


def group_indices(rows: list[dict]) -> dict[str, np.ndarray]:
    """Row positions per group (`source:group`), in first-seen order."""
    groups: dict[str, list[int]] = {}
    for i, r in enumerate(rows):
        groups.setdefault(f'{r["source"]}:{r["group"]}', []).append(i)
    return {g: np.array(v) for g, v in groups.items()}


def mean_pitch(mean: np.ndarray, meshes: np.ndarray) -> float:
    """Pitch (rotation about x, R = Rz Ry Rx) of the average rotation taking `mean` onto the meshes."""
    _, r, _ = similarity_batch(mean, meshes)
    u, _, vt = np.linalg.svd(r.mean(0))
    rbar = u @ vt
    return float(np.arctan2(rbar[2, 1], rbar[2, 2]))


def orient_triangles(tris: np.ndarray, mean: np.ndarray) -> tuple[np.ndarray, int]:
    """Flips the whole triangulation if most mean-shape face normals point away from the camera (+z)."""
    a, b, c = mean[tris[:, 0]], mean[tris[:, 1]], mean[tris[:, 2]]
    nz = np.cross(b - a, c - a)[:, 2]
    if (nz > 0).sum() > (nz < 0).sum():
        tris = tris[:, [0, 2, 1]]
        nz = -nz
    return tris, int((nz > 0).sum())


def fit_lighting(obs: np.ndarray, albedo: np.ndarray, h: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Per image and channel LS of obs = albedo * (H gamma) with vertex weights w: returns gamma (N, 3, 9)."""
    gam = np.zeros((len(obs), 3, 9))
    for c in range(3):
        a = albedo[..., c] if albedo.ndim == 3 else np.broadcast_to(albedo[:, c], obs.shape[:2])
        ah = h * a[..., None]  # (N, V, 9)
        wt = w
        m = np.einsum("nv,nvi,nvj->nij", wt, ah, ah)
        tot = wt.sum(1)
        ridge = 1e-5 * np.maximum(tot, 1e-9)
        m += ridge[:, None, None] * np.eye(9)
        rhs = np.einsum("nv,nvi,nv->ni", wt, ah, np.nan_to_num(obs[..., c]))
        rhs[:, 0] += ridge / SH_DC
        gam[:, c] = np.linalg.solve(m, rhs[..., None])[..., 0]
    return gam


def delight(meshes: np.ndarray, colors: np.ndarray, tris: np.ndarray, boundary: np.ndarray, iterations: int = 3):
    """Estimates a mean albedo and per-image delit albedo; returns (mean albedo (V,3), delit (N,V,3), mask (N,V))."""
    normals = vertex_normals(meshes, tris)
    h = sh_basis(normals)
    vis = (-normals[..., 2] >= VISIBILITY) & ~boundary[None] & np.isfinite(colors).all(-1)
    w = vis.astype(np.float64)
    obs = np.where(vis[..., None], colors, np.nan)
    albedo = np.nanmedian(obs, axis=0)
    albedo = np.where(np.isfinite(albedo), albedo, np.nanmean(albedo))
    target_level = float(np.nanmean(obs))
    delit = None
    for _ in range(iterations):
        gam = fit_lighting(obs, albedo, h, w)
        shade = np.einsum("nvk,nck->nvc", h, gam)
        ok = vis[..., None] & (shade > 0.05)
        delit = np.where(ok, np.nan_to_num(obs) / np.where(ok, shade, 1), np.nan)
        delit = np.clip(delit, 0, 1.5)
        albedo = np.nanmean(delit, axis=0)
        albedo = np.where(np.isfinite(albedo), albedo, np.nanmean(albedo))
        albedo *= target_level / albedo.mean()
    mask = np.isfinite(delit).all(-1)
    return albedo, delit, mask


def train(args: argparse.Namespace) -> None:
    t0 = time.time()
    caches = [Path(c) for c in args.cache]
    meshes, colors, meta = load_caches(caches)
    train_mask, held_mask = split_masks(meta, Path(args.data_root) / "lfw")
    log(f"loaded {len(meshes)} meshes ({train_mask.sum()} train, {held_mask.sum()} held out)")
    arrays, stats = fit_model(
        meshes,
        colors,
        meta,
        np.flatnonzero(train_mask),
        mediapipe_triangles(),
        identity=args.identity,
        expression=args.expression,
        texture=args.texture,
        person_cap=args.person_cap,
        video_cap=args.video_cap,
        texture_limit=args.texture_limit,
        fisher_reg=args.fisher_reg,
        mirror_closed=args.mirror_closed,
    )
    metrics = evaluate(meshes, meta, np.flatnonzero(held_mask), arrays, stats["shapeNoiseVariance"])
    metrics.update(stats["metrics"])
    training = {
        "method": "GPA + Fisher identity directions + within-group PCA (expression) + delit albedo PCA (texture)",
        "data": {
            "caches": [str(c) for c in caches],
            **stats["data"],
            "heldOut": "LFW peopleDevTest.txt people; video clips " + ", ".join(sorted(HOLDOUT_CLIPS)),
            "detector": "@semface/extractor FaceMeshDetector defaults (BlazeFace + face mesh + iris refine)",
        },
        "command": " ".join(["python", "-m", "training.facemodel.build", *sys.argv[1:]]),
        "gitCommit": git_commit(),
        "componentStd": stats["componentStd"],
        "metrics": metrics,
        "seconds": round(time.time() - t0, 1),
    }
    header = write_model(
        Path(args.out),
        arrays,
        {"eyeRightOuter": EYE_RIGHT_OUTER, "eyeLeftOuter": EYE_LEFT_OUTER},
        {"shapeNoiseVariance": stats["shapeNoiseVariance"], "textureNoiseVariance": stats["textureNoiseVariance"]},
        training,
    )
    log(f"wrote {args.out} ({header['blob']['bytes']} bytes, sha256 {header['blob']['sha256'][:12]})")
    print(json.dumps(metrics, indent=2))


def fit_model(
    meshes: np.ndarray,
    colors: np.ndarray,
    meta: list[dict],
    tr: np.ndarray,
    tris: np.ndarray,
    *,
    identity: int,
    expression: int,
    texture: int,
    person_cap: int = 20,
    video_cap: int = 80,
    texture_limit: int = 6000,
    fisher_reg: float = 1e-2,
    seed: int = 0,
    mirror_closed: bool = False,
) -> tuple[dict, dict]:
    """Learns the model from the training rows `tr`; returns (model arrays, statistics)."""
    v = meshes.shape[1]
    aligned, mean = generalized_procrustes(meshes[tr])
    rms = np.sqrt(((aligned - mean) ** 2).sum(-1).mean(-1))
    med = np.median(rms)
    mad = np.median(np.abs(rms - med))
    keep = rms <= med + 8 * 1.4826 * mad + 1e-9
    log(f"GPA done; dropping {int((~keep).sum())} outlier meshes (rms > {med + 8 * 1.4826 * mad:.4f} IOD)")
    tr = tr[keep]
    aligned, mean = generalized_procrustes(meshes[tr])
    # Zero pitch = the average photographed head pose (the forehead-chin axis of the canonical frame
    # leans back a few degrees in typical frontal photos). Only pitch: yaw and roll stay defined by
    # the face's own left/right symmetry so a mirror negates them exactly.
    pitch = mean_pitch(mean, meshes[tr])
    c, s_ = np.cos(pitch), np.sin(pitch)
    rx = np.array([[1, 0, 0], [0, c, -s_], [0, s_, c]])
    mean = mean @ rx.T
    aligned, _ = align_to(mean, meshes[tr])
    log(f"canonical pitch offset {np.degrees(pitch):.2f} deg removed")
    tris, wrong = orient_triangles(tris, mean)
    boundary = boundary_vertices(tris, v)
    log(f"triangles: {len(tris)}, {wrong} facing away on the mean; boundary vertices {int(boundary.sum())}")

    partner = None
    if mirror_closed:
        # A fit of a mirrored face can only be the mirror of the fit if the mean is symmetric and
        # mirroring maps each basis into its own span: symmetric mean, and bases learned from the
        # deviations together with their mirrors, each direction symmetric or antisymmetric.
        partner = mirror_partners(mean)
        if not (partner[partner] == np.arange(len(partner))).all():
            raise ValueError("the mean shape's vertices do not pair up under mirroring")
        mean = 0.5 * (mean + mirror_points(mean, partner))
    x = aligned.reshape(len(tr), -1) - mean.reshape(-1)
    rigid = rigid_motion_basis(mean)
    x -= (x @ rigid.T) @ rigid

    groups = group_indices([meta[i] for i in tr])  # local row indices
    rng = np.random.default_rng(seed)
    within = []
    for g, idx in groups.items():
        if len(idx) < 2:
            continue
        gm = x[idx].mean(0)
        cap = video_cap if g.startswith("video:") else person_cap
        sub = idx if len(idx) <= cap else rng.choice(idx, cap, replace=False)
        # Deviations from a sample mean shrink by (n-1)/n in variance; undo that.
        within.append((x[sub] - gm) * np.sqrt(len(idx) / (len(idx) - 1)))
    within = np.concatenate(within)
    means = np.stack([x[idx].mean(0) for idx in groups.values()])
    means -= means.mean(0)
    # Identity: the most person-discriminative directions (Fisher: maximise between-person over
    # within-person variance, within-scatter regularised), orthonormalised in rank order.
    if partner is None:
        sw = within.T @ within / len(within)
        sb = means.T @ means / len(means)
        reg = fisher_reg * np.trace(sw) / len(sw)
        _, u = scipy.linalg.eigh(sb, sw + reg * np.eye(len(sw)))
        u = u[:, ::-1][:, :identity]
    else:
        # The scatters of the deviations together with their mirrors are block-diagonal in the
        # symmetric/antisymmetric split: solve each block, keep the best `identity` directions of both.
        ws, wa = parity_parts(within, partner)
        ms, ma = parity_parts(means, partner)
        sw = (ws.T @ ws + wa.T @ wa) / len(within)
        sb = (ms.T @ ms + ma.T @ ma) / len(means)
        reg = fisher_reg * np.trace(sw) / len(sw)
        sw_reg = sw + reg * np.eye(len(sw))
        found = [scipy.linalg.eigh(m.T @ m / len(means), sw_reg) for m in (ms, ma)]
        vals = np.concatenate([w for w, _ in found])
        vecs = np.concatenate([u for _, u in found], axis=1)
        u = vecs[:, np.argsort(vals)[::-1][:identity]]
        within = np.concatenate([within, mirror_rows(within, partner)])
        means = np.concatenate([means, mirror_rows(means, partner)])
    # QR in rank order keeps each direction's parity (symmetric and antisymmetric vectors are orthogonal).
    i_dirs = np.linalg.qr(u)[0].T
    i_std = np.sqrt(((means @ i_dirs.T) ** 2).mean(0))
    i_frac = float((i_std**2).sum() / np.trace(sb))
    fisher = float(((means @ i_dirs.T) ** 2).mean(0).sum() / ((within @ i_dirs.T) ** 2).mean(0).sum())
    log(f"identity: {len(means)} group means, {identity} comps hold {i_frac:.3f} of between variance, "
        f"between/within {fisher:.2f}")
    # Expression: within-person variation left outside the identity subspace.
    within_perp = within - (within @ i_dirs.T) @ i_dirs
    e_dirs, e_std, e_frac = (
        pca(within_perp, expression) if partner is None else pca_mirror_closed(within_perp, partner, expression)
    )
    log(f"expression: {len(within)} within-group deviations, {expression} comps explain {e_frac:.4f}")

    basis = np.concatenate([i_dirs, e_dirs])
    coef, *_ = np.linalg.lstsq(basis.T, x.T, rcond=None)
    resid = x - coef.T @ basis
    shape_noise = float((resid**2).mean())
    total_var = float((x**2).mean())
    log(f"shape residual variance {shape_noise:.3e} of total {total_var:.3e}")

    lfw_tr = np.array([meta[i]["source"] == "lfw" for i in tr])
    tex_idx = tr[lfw_tr]
    if texture_limit and len(tex_idx) > texture_limit:
        tex_idx = np.sort(rng.choice(tex_idx, texture_limit, replace=False))
    albedo, delit, tmask = delight(meshes[tex_idx], colors[tex_idx], tris, boundary)
    d = np.where(tmask[..., None], delit - albedo, 0).reshape(len(tex_idx), -1)
    t_dirs, t_std, t_frac = pca(d, texture)
    tres = d - (d @ t_dirs.T) @ t_dirs
    m3 = np.repeat(tmask, 3, axis=1)
    tex_noise = float((tres[m3] ** 2).mean())
    log(f"texture: {len(tex_idx)} images, {texture} comps explain {t_frac:.3f}; residual var {tex_noise:.3e}")

    arrays = {
        "meanShape": mean,
        "identityBasis": i_dirs * i_std[:, None],
        "expressionBasis": e_dirs * e_std[:, None],
        "meanAlbedo": albedo,
        "textureBasis": t_dirs * t_std[:, None],
        "triangles": tris.astype(np.uint16),
    }
    stats = {
        "shapeNoiseVariance": shape_noise,
        "textureNoiseVariance": tex_noise,
        "data": {
            "trainMeshes": int(len(tr)),
            "outliersDropped": int((~keep).sum()),
            "canonicalPitchOffsetDegrees": round(float(np.degrees(pitch)), 3),
            "trainGroups": int(len(groups)),
            "withinGroupDeviations": int(len(within)),
            "textureImages": int(len(tex_idx)),
        },
        "componentStd": {
            "identity": [round(float(s), 6) for s in i_std],
            "expression": [round(float(s), 6) for s in e_std],
            "texture": [round(float(s), 6) for s in t_std],
        },
        "metrics": {
            "expressionVarianceExplained": round(e_frac, 4),
            "identityBetweenVarianceExplained": round(i_frac, 4),
            "identityBetweenOverWithinTrain": round(fisher, 3),
            "textureVarianceExplained": round(t_frac, 4),
            "shapeResidualVarianceTrain": shape_noise,
            "shapeTotalVarianceTrain": total_var,
            "textureResidualVarianceTrain": tex_noise,
        },
    }
    return arrays, stats


def evaluate(meshes, meta, held, arrays: dict, noise: float) -> dict:
    """Held-out shape metrics from a MAP projection (the TS fit adds pose refinement and appearance)."""
    if len(held) == 0:
        return {}
    v = meshes.shape[1]
    mean = arrays["meanShape"]
    rigid = rigid_motion_basis(mean)
    aligned, _ = align_to(mean, meshes[held])
    x = aligned.reshape(len(held), -1) - mean.reshape(-1)
    x -= (x @ rigid.T) @ rigid
    k_id = len(arrays["identityBasis"])
    b = np.concatenate([arrays["identityBasis"], arrays["expressionBasis"]])
    coef = np.linalg.solve(b @ b.T + noise * np.eye(len(b)), b @ x.T).T
    rec = coef @ b
    err3 = np.linalg.norm((x - rec).reshape(len(held), v, 3), axis=-1).mean(-1) * 100  # % IOD (canonical unit)
    base = np.linalg.norm(x.reshape(len(held), v, 3), axis=-1).mean(-1) * 100
    ident = coef[:, :k_id]
    groups = group_indices([meta[i] for i in held])
    within, between = [], []
    for idx in groups.values():
        between.append(ident[idx].mean(0))
        if len(idx) > 1:
            within.append(ident[idx] - ident[idx].mean(0))
    wv = float(np.concatenate(within).var(0).sum()) if within else float("nan")
    bv = float(np.stack(between).var(0).sum())
    return {
        "heldOutMeshes": int(len(held)),
        "heldOutShapeErrorPercentIod3d": round(float(err3.mean()), 3),
        "heldOutMeanShapeErrorPercentIod3d": round(float(base.mean()), 3),
        "heldOutIdentityWithinVariance": round(wv, 4),
        "heldOutIdentityBetweenVariance": round(bv, 4),
    }


def git_commit() -> str:
    try:
        return subprocess.check_output(["git", "rev-parse", "HEAD"], text=True).strip()
    except Exception:  # noqa: BLE001
        return "unknown"


def log(msg: str) -> None:
    print(f"[facemodel] {msg}", file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cache", action="append", required=True, help="mesh cache directory (repeatable)")
    p.add_argument("--out", required=True, help="output model directory")
    p.add_argument("--data-root", default=os.environ.get("SEMFACE_DATA_ROOT", "../shared/data"))
    p.add_argument("--identity", type=int, default=80)
    p.add_argument("--expression", type=int, default=64)
    p.add_argument("--texture", type=int, default=80)
    p.add_argument("--person-cap", type=int, default=20, help="max deviations per LFW person for expression PCA")
    p.add_argument("--video-cap", type=int, default=80, help="max deviations per video clip for expression PCA")
    p.add_argument("--fisher-reg", type=float, default=1e-2, help="within-scatter ridge, x mean eigenvalue")
    p.add_argument("--texture-limit", type=int, default=6000, help="max images for texture PCA (memory)")
    p.add_argument("--mirror-closed", action="store_true",
                   help="symmetric mean; identity and expression bases closed under left/right mirroring")
    train(p.parse_args(argv))


if __name__ == "__main__":
    main()
