"""Trains the expression refiner (issue 15) and exports it for the extractor.

The refiner adds a correction to the 64 expression coefficients of a fitted descriptor, computed from the
descriptor's expression, rotation and translation and the image emotion network's log-probabilities on the
face crop (the inputs of packages/extractor/contracts/expression-refinement.json, exactly as the extractor
computes them: the emotion values come from packages/extractor/src/cache/build-emotion-cache.ts). Loss:

  CE(C(e + delta), label) + kl * KL(teacher || C(e + delta))         FER2013 train rows
  kl * KL(teacher || C(e + delta)) + temporal * |delta_t - delta_t+1|² the video clips (no labels), in
                                                                     units of each coefficient's std
  + lambda * meshDisp(delta)                                         every row; lambda is a Lagrange
                                                                     multiplier holding the mean at --budget

C is a small classifier on the refined expression profile with the heads' input noise; meshDisp the mean
per-vertex 3-D displacement of delta through the expression basis in % IOD. The epoch is selected on the
seed-7 10 % of FER2013 train (C's accuracy among epochs within the budget, displacement measured as
the multiplier holds it: image and video rows mixed as in a batch); validation is not read here.

  training/.venv/bin/python -m training.refine.train_refine                 # -> packages/extractor/models
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

from training.heads.data import EXPRESSION_LABELS, expression_targets, load_cache
from training.heads.model import ResidualMlp
from training.refine.common import MeshDisplacement
from training.refine.contract import (
    EMOTION_LABELS,
    INPUT,
    OUTPUT,
    REPO,
    SPEC,
    emotion_cache_path,
    refiner_features,
    smooth_video_emotion,
)

UNREFINED = REPO / "artifacts/cache/unrefined"
MODELS = REPO / "packages/extractor/models"
PROFILE_WIDTH = INPUT["width"] - INPUT["emotionValues"]
DELTA = OUTPUT["end"] - OUTPUT["start"]
# rows per batch: FER2013 images, and video frames (VIDEO_BATCH / 2 consecutive pairs)
FER_BATCH = 256
VIDEO_BATCH = 64
# the teacher's classes in the heads' label order
TO_HEADS = [EMOTION_LABELS.index(label) for label in EXPRESSION_LABELS]


class Refiner(nn.Module):
    """Raw contract features -> standardised -> MLP -> delta (64); last layer zero-initialised so training
    starts from the unrefined descriptor."""

    def __init__(self, mean: np.ndarray, std: np.ndarray, width: int, depth: int) -> None:
        super().__init__()
        self.register_buffer("mean", torch.as_tensor(mean, dtype=torch.float32))
        self.register_buffer("inv_std", torch.as_tensor(1 / np.maximum(std, 1e-6), dtype=torch.float32))
        layers: list[nn.Module] = []
        d = INPUT["width"]
        for _ in range(depth):
            layers += [nn.Linear(d, width), nn.GELU()]
            d = width
        self.body = nn.Sequential(*layers)
        self.out = nn.Linear(d, DELTA)
        nn.init.zeros_(self.out.weight)
        nn.init.zeros_(self.out.bias)

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.out(self.body((z - self.mean) * self.inv_std))


def load_rows(data: Path, name: str) -> tuple[np.ndarray, list[dict], dict]:
    """A descriptor cache with its emotion values: (contract features, sidecar rows, header).
    Video rows get the tracking path's emotion filter, as the extractor applies it."""
    path = data / f"{name}.npy"
    x, rows, header = load_cache(path)
    emo = np.load(emotion_cache_path(path)).astype(np.float32)
    if rows and rows[0].get("frameIndex") is not None:
        emo = smooth_video_emotion(emo, rows)
    return refiner_features(x, emo), rows, header


def video_pairs(rows: list[dict]) -> np.ndarray:
    """Index pairs (i, j) of consecutive frames of the same clip."""
    out = [
        (i, i + 1)
        for i in range(len(rows) - 1)
        if rows[i]["source"] == rows[i + 1]["source"] and rows[i + 1]["frameIndex"] == rows[i]["frameIndex"] + 1
    ]
    return np.asarray(out, np.int64)


def selection_split(n: int) -> tuple[np.ndarray, np.ndarray]:
    """(sel, fit) row indices of FER2013 train: the seed-7 10 % held out for selection (the heads' split)."""
    perm = np.random.default_rng(7).permutation(n)
    n_sel = int(round(n * 0.1))
    return np.sort(perm[:n_sel]), np.sort(perm[n_sel:])


def export_onnx(refiner: Refiner, path: Path) -> bytes:
    refiner.eval()
    buf = io.BytesIO()
    torch.onnx.export(
        refiner,
        torch.zeros(1, INPUT["width"]),
        buf,
        input_names=[INPUT["name"]],
        output_names=[OUTPUT["name"]],
        dynamic_axes={INPUT["name"]: {0: "n"}, OUTPUT["name"]: {0: "n"}},
        opset_version=17,
        dynamo=False,
    )
    data = buf.getvalue()
    path.write_bytes(data)
    return data


def train_refiner(
    z: np.ndarray, y: np.ndarray, vz: np.ndarray, pairs: np.ndarray, fit: np.ndarray, sel: np.ndarray, args: argparse.Namespace
) -> tuple[Refiner, dict, list[dict]]:
    """Trains one refiner on FER2013 rows `fit` (+ the video rows `vz`, consecutive `pairs`) and keeps the
    epoch with the best classifier accuracy on rows `sel` within the displacement budget.
    Returns (refiner, {selectedEpoch, selection}, per-epoch log)."""
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    zfit = np.concatenate([z[fit], vz])
    p_all = z[:, :PROFILE_WIDTH]
    pmean, pstd = p_all[fit].mean(0), p_all[fit].std(0) + 1e-6
    coef_std = torch.from_numpy(pstd[:DELTA].astype(np.float32))
    mesh = MeshDisplacement()
    refiner = Refiner(zfit.mean(0), zfit.std(0) + 1e-6, args.width, args.depth)
    clf = ResidualMlp(PROFILE_WIDTH, 7, pmean, pstd, 256, 1, dropout=0.3)
    opt = torch.optim.AdamW(list(refiner.parameters()) + list(clf.parameters()), lr=args.lr, weight_decay=1e-3)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=args.epochs)
    ce = nn.CrossEntropyLoss(label_smoothing=0.1)
    lam = 1.0
    Z, VZ = torch.from_numpy(z), torch.from_numpy(vz)
    Y = torch.from_numpy(y)
    T = torch.from_numpy(z[:, PROFILE_WIDTH:][:, TO_HEADS].copy())  # teacher log-probs, heads order
    VT = torch.from_numpy(vz[:, PROFILE_WIDTH:][:, TO_HEADS].copy())
    pstd_t = torch.from_numpy(pstd.astype(np.float32))

    def refined_profile(zb: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        delta = refiner(zb)
        prof = zb[:, :PROFILE_WIDTH].clone()
        prof[:, :DELTA] = prof[:, :DELTA] + delta
        return prof, delta

    def kl(teacher_log: torch.Tensor, logits: torch.Tensor) -> torch.Tensor:
        t = torch.softmax(teacher_log, 1)
        return (t * (torch.log(t + 1e-8) - torch.log_softmax(logits, 1))).sum(1).mean()

    def evaluate(idx: np.ndarray) -> dict:
        refiner.eval()
        clf.eval()
        with torch.no_grad():
            pr, delta = refined_profile(Z[idx])
            acc = float((clf(pr).argmax(1) == Y[idx]).float().mean())
            teacher_acc = float((T[idx].argmax(1) == Y[idx]).float().mean())
            disp = mesh(delta).numpy()
            _, vdelta = refined_profile(VZ)
            vdisp = mesh(vdelta).numpy()
            step = ((vdelta[pairs[:, 0]] - vdelta[pairs[:, 1]]) / coef_std).abs().mean()
        return {
            "acc": acc,
            "teacherAcc": teacher_acc,
            "dispMean": float(disp.mean()),
            "dispP95": float(np.percentile(disp, 95)),
            "videoDispMean": float(vdisp.mean()),
            # what the multiplier holds: a batch is FER_BATCH image rows and VIDEO_BATCH video rows
            "batchDispMean": float((FER_BATCH * disp.mean() + VIDEO_BATCH * vdisp.mean()) / (FER_BATCH + VIDEO_BATCH)),
            "videoDeltaStepStd": float(step),
        }

    best, best_state, log = -1.0, None, []
    for epoch in range(args.epochs):
        refiner.train()
        clf.train()
        order = rng.permutation(fit)
        tot = {"ce": 0.0, "kl": 0.0, "disp": 0.0, "temporal": 0.0}
        batches = 0
        for s in range(0, len(order), FER_BATCH):
            b = torch.from_numpy(order[s : s + FER_BATCH])
            vp = torch.from_numpy(pairs[rng.integers(0, len(pairs), VIDEO_BATCH // 2)])
            pr, delta = refined_profile(Z[b])
            sigma = torch.rand(len(b), 1) * args.noise
            logits = clf.logits(pr + torch.randn_like(pr) * sigma * pstd_t)
            vb = torch.cat([vp[:, 0], vp[:, 1]])
            vpr, vdelta = refined_profile(VZ[vb])
            vlogits = clf.logits(vpr)
            l_ce = ce(logits, Y[b])
            l_kl = kl(T[b], logits) + kl(VT[vb], vlogits)
            half = VIDEO_BATCH // 2
            l_temp = (((vdelta[:half] - vdelta[half:]) / coef_std) ** 2).mean()
            disp = torch.cat([mesh(delta), mesh(vdelta)]).mean()
            loss = l_ce + args.kl * l_kl + args.temporal * l_temp + lam * disp
            opt.zero_grad()
            loss.backward()
            opt.step()
            lam = max(0.0, lam + args.dual_lr * (float(disp.detach()) - args.budget))
            for k, v in (("ce", l_ce), ("kl", l_kl), ("disp", disp), ("temporal", l_temp)):
                tot[k] += v.item()
            batches += 1
        sched.step()
        ev = evaluate(sel)
        line = {"epoch": epoch + 1, **{k: v / batches for k, v in tot.items()}, "lambda": lam, "sel": ev}
        log.append(line)
        print(json.dumps(line), flush=True)
        # The same quantity the multiplier holds at the budget (image and video rows mixed as in a batch);
        # image rows alone sit above it by construction (video rows need less correction).
        if ev["batchDispMean"] <= args.budget * 1.02 and ev["acc"] > best:
            best = ev["acc"]
            best_state = ({k: v.clone() for k, v in refiner.state_dict().items()}, epoch + 1)
    if best_state is None:
        raise SystemExit("no epoch within the displacement budget")
    refiner.load_state_dict(best_state[0])
    return refiner, {"selectedEpoch": best_state[1], "selection": evaluate(sel)}, log


def add_refiner_arguments(ap: argparse.ArgumentParser) -> None:
    """The refiner's hyper-parameters and its data folder (shared by train_refine and cross_fit)."""
    ap.add_argument("--budget", type=float, default=0.25, help="target mean mesh displacement, %% IOD")
    ap.add_argument("--kl", type=float, default=1.0)
    ap.add_argument("--temporal", type=float, default=1.0)
    ap.add_argument("--noise", type=float, default=0.3, help="classifier input noise, x per-dim std")
    ap.add_argument("--width", type=int, default=256)
    ap.add_argument("--depth", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--dual-lr", type=float, default=0.5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--data", type=Path, default=UNREFINED, help="unrefined caches (semface extract --no-refine) with their .emotion.npy")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_refiner_arguments(ap)
    ap.add_argument("--out", type=Path, default=MODELS, help="folder for expression-refiner.onnx (+ models.json entry)")
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    t0 = time.time()

    z, rows, header = load_rows(args.data, "fer2013-train")
    y = expression_targets(rows, header)
    vz, vrows, _ = load_rows(args.data, "videos")
    pairs = video_pairs(vrows)
    sel, fit = selection_split(len(y))
    refiner, result, log = train_refiner(z, y, vz, pairs, fit, sel, args)
    result["seconds"] = round(time.time() - t0)
    print(json.dumps(result))

    args.out.mkdir(parents=True, exist_ok=True)
    onnx_path = args.out / SPEC["refiner"]["model"]
    data = export_onnx(refiner, onnx_path)
    # the exported file must compute what the module computes
    import onnxruntime as ort

    sess = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    probe = z[sel[:256]]
    with torch.no_grad():
        want = refiner(torch.from_numpy(probe)).numpy()
    got = sess.run(None, {INPUT["name"]: probe})[0]
    parity = float(np.abs(got - want).max())
    assert parity < 1e-4, parity
    cmd = "training/.venv/bin/python -m training.refine.train_refine" + "".join(
        f" --{k.replace('_', '-')} {v}" for k, v in vars(args).items() if k not in ("out", "data") and v != ap.get_default(k)
    )
    entry = {
        "file": onnx_path.name,
        "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
        "source": {"trainedBy": "training/refine/train_refine.py", "contract": "contracts/expression-refinement.json"},
        "command": cmd,
        "data": {
            "train": "fer2013-train (90 %, seed-7 split; labels + emotion values) and videos (emotion values, consecutive frames) of --data",
            "selection": "the other 10 % of FER2013 train",
            "caches": {n: hashlib.sha256((args.data / f"{n}.npy").read_bytes()).hexdigest() for n in ("fer2013-train", "videos")},
        },
        "hyperParameters": {k: v for k, v in vars(args).items() if k not in ("out", "data")},
        "metrics": {**result, "onnxParityMaxAbsDiff": parity},
    }
    manifest_path = args.out / "models.json"
    manifest = json.loads(manifest_path.read_text()) if manifest_path.exists() else {"models": []}
    manifest["models"] = [m for m in manifest["models"] if m["file"] != entry["file"]] + [entry]
    manifest_path.write_text(json.dumps(manifest, indent=2) + "\n")
    (REPO / "artifacts/refine").mkdir(parents=True, exist_ok=True)
    (REPO / "artifacts/refine/train-log.json").write_text(json.dumps({"result": result, "log": log}, indent=1))
    print(f"wrote {onnx_path} ({len(data)} bytes)")


if __name__ == "__main__":
    main()
