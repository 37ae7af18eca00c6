"""Verification head P(shape', texture') -> 128-D vector regressing face-api's embedding of the photo.

LFW View 2 protocol: for every fold k a model is trained on the images of the people of the other nine
folds only (people.txt assigns every LFW person to one fold), plus one deployed model on everyone.
Each model's threshold is chosen on pairs of its training folds only. Targets: teacher embeddings
from `semface eval --teacher` (artifacts/cache/lfw-teacher.npy).

  training/.venv/bin/python -m training.heads.train_verification --folds all
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

import numpy as np
import torch
from torch import nn

from training.codec.layout import profile_indices
from training.heads.codec_aug import CodecRoundTrip
from training.heads.data import image_key, load_cache, read_pairs, read_people_folds
from training.heads.export import SDK_MODELS, export_onnx, write_head
from training.heads.model import ResidualMlp
from training.heads.train_common import train

REPO = Path(__file__).resolve().parents[2]


def best_threshold(d: np.ndarray, same: np.ndarray) -> tuple[float, float]:
    order = np.argsort(d)
    d, same = d[order], same[order]
    below_same = np.cumsum(same)
    above_diff = (~same).sum() - np.cumsum(~same)
    correct = below_same + above_diff
    i = int(np.argmax(correct))
    t = (d[i] + d[min(i + 1, len(d) - 1)]) / 2 if i + 1 < len(d) else d[i] + 1e-6
    return float(t), float(correct[i] / len(d))


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lfw", type=Path, default=REPO / "artifacts/cache/lfw.npy")
    ap.add_argument("--teacher", type=Path, default=REPO / "artifacts/cache/lfw-teacher.npy")
    ap.add_argument("--lfw-root", type=Path, default=REPO.parent / "shared/data/lfw")
    ap.add_argument("--codec-models", type=Path, default=REPO / "packages/codec-core/models")
    ap.add_argument("--out", type=Path, default=SDK_MODELS)
    ap.add_argument("--folds", default="all", help="'all' (10 fold models + deployed), 'deployed', or a list 0,3")
    ap.add_argument("--epochs", type=int, default=30)
    ap.add_argument("--width", type=int, default=256)
    ap.add_argument("--blocks", type=int, default=2)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--noise", type=float, default=0.1)
    ap.add_argument("--dropout", type=float, default=0.0)
    ap.add_argument("--weights", default="1,1,5", help="loss weights: MSE, cosine, pairwise-distance (relational)")
    args = ap.parse_args(argv)
    w_mse, w_cos, w_rel = (float(v) for v in args.weights.split(","))
    torch.set_num_threads(1)

    idx = profile_indices("identity")
    x, rows, _ = load_cache(args.lfw)
    t, trows, _ = load_cache(args.teacher) if args.teacher.suffix == ".npy" else (None, None, None)
    tkey = {image_key(r["source"]): i for i, r in enumerate(trows)}
    keys = [image_key(r["source"]) for r in rows]
    has = np.array([k in tkey for k in keys])
    x, keys = x[has], [k for k, h in zip(keys, has) if h]
    y = np.stack([t[tkey[k]] for k in keys]).astype(np.float32)
    person_fold = read_people_folds(args.lfw_root / "people.txt")
    folds_of = np.array([person_fold.get(k.split("/")[0], -1) for k in keys])
    pairs = read_pairs(args.lfw_root / "pairs.txt")
    row_of = {k: i for i, k in enumerate(keys)}
    pairs = [(row_of[a], row_of[b], s, f) for a, b, s, f in pairs if a in row_of and b in row_of]
    pa = np.array([p[0] for p in pairs])
    pb = np.array([p[1] for p in pairs])
    psame = np.array([p[2] for p in pairs])
    pfold = np.array([p[3] for p in pairs])
    codec = CodecRoundTrip(args.codec_models, "identity")
    print(f"{len(keys)} images with descriptor + teacher; {len(pairs)} View 2 pairs; codec: {codec.names() or 'none'}")
    variants_all = [x[:, idx]] + [d[:, idx] for d in codec.decode_all(x)]

    if args.folds == "all":
        todo: list[int | None] = [*range(10), None]
    elif args.folds == "deployed":
        todo = [None]
    else:
        todo = [int(f) for f in args.folds.split(",")]

    def loss_fn(pred: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        mse = ((pred - target) ** 2).sum(1).mean()
        cos = 1 - nn.functional.cosine_similarity(pred, target, dim=1).mean()
        loss = w_mse * mse + w_cos * cos
        if w_rel > 0:
            # Relational distillation: the batch's pairwise distances should match the teacher's,
            # which is what verification thresholds act on.
            rel = ((torch.cdist(pred, pred) - torch.cdist(target, target)) ** 2).mean()
            loss = loss + w_rel * rel
        return loss

    for fold in todo:
        train_mask = folds_of != fold if fold is not None else np.ones(len(keys), bool)
        tr_idx = np.nonzero(train_mask)[0]
        rng = np.random.default_rng(1)
        held = rng.choice(tr_idx, size=max(1, len(tr_idx) // 20), replace=False)
        fit_idx = np.setdiff1d(tr_idx, held)
        tr_vars = [v[fit_idx] for v in variants_all]
        mean, std = tr_vars[0].mean(0), tr_vars[0].std(0) + 1e-6
        model = ResidualMlp(len(idx), 128, mean, std, args.width, args.blocks, dropout=args.dropout)
        held_t = [torch.from_numpy(v[held]) for v in variants_all]
        yh = torch.from_numpy(y[held])

        def select(m: nn.Module) -> float:
            return -float(np.mean([float(loss_fn(m(v), yh)) for v in held_t]))

        model, score, epoch = train(model, tr_vars, y[fit_idx], loss_fn, select, args.epochs, args.lr, std, args.noise,
                                    log=lambda s: print(f"[fold {fold}] {s}"))
        with torch.no_grad():
            vec = model(torch.from_numpy(variants_all[0])).numpy()
        dist = np.linalg.norm(vec[pa] - vec[pb], axis=1)
        train_pairs = pfold != fold if fold is not None else np.ones(len(pairs), bool)
        thr, train_acc = best_threshold(dist[train_pairs], psame[train_pairs])
        metrics: dict[str, object] = {
            "thresholdChosenOn": "View 2 pairs of the training folds" if fold is not None else "all View 2 pairs (training data)",
            "trainPairAccuracy": train_acc,
            "heldOutImageLoss": -score,
            "selectedEpoch": epoch + 1,
        }
        if fold is not None:
            test = pfold == fold
            metrics["foldAccuracyClean"] = float(((dist[test] < thr) == psame[test]).mean())
            metrics["split"] = f"LFW View 2 fold {fold} (people never seen in training)"
        print(f"[fold {fold}] threshold {thr:.4f} {metrics}")
        name = "verification.onnx" if fold is None else f"verification-fold{fold}.onnx"
        entry = {
            "kind": "verification",
            "file": name,
            "profile": "identity",
            "inputDim": int(len(idx)),
            "outputDim": 128,
            "threshold": thr,
            "training": {
                "command": "training/.venv/bin/python -m training.heads.train_verification " + shlex.join(sys.argv[1:]),
                "data": (
                    f"LFW descriptors of people outside View 2 fold {fold} ({len(tr_idx)} images) + codec round trips"
                    if fold is not None
                    else f"all LFW descriptors ({len(tr_idx)} images) + codec round trips"
                ),
                "teacher": "face-api 128-D embedding of the original photo (FaceEmbedder)",
                "codecVariants": codec.names(),
                "architecture": f"residual MLP width {args.width}, {args.blocks} blocks, dropout {args.dropout}",
                "loss": f"{w_mse} x MSE + {w_cos} x (1 - cosine) + {w_rel} x pairwise-distance MSE vs the teacher",
                "epochs": args.epochs,
            },
            "metrics": metrics,
        }
        if fold is not None:
            entry["fold"] = fold
        write_head(args.out, entry, export_onnx(model, len(idx), "embedding"))


if __name__ == "__main__":
    main()
