"""Verification head P(shape', texture') -> 128-D unit vector regressing face-api's embedding of the photo.

Two protocols:
- `--protocol view1` (model selection): train on the people of LFW View 1 `peopleDevTrain.txt`, choose the
  threshold on `pairsDevTrain.txt`, report `pairsDevTest.txt` (people never seen). Writes no model; appends
  the run to `--selection-log`. Hyper-parameters are chosen here only, never on View 2.
- `--protocol view2` (default, the reported numbers): for every fold k a model is trained on the images
  of the people of the other nine folds only (people.txt assigns every LFW person to one fold), plus one
  deployed model on everyone. Each model's threshold is chosen on pairs of its training folds only.

Targets: teacher embeddings from `semface eval --teacher` (artifacts/cache/lfw-teacher.npy).

  training/.venv/bin/python -m training.heads.train_verification --protocol view1
  training/.venv/bin/python -m training.heads.train_verification --folds all
"""

from __future__ import annotations

import argparse
import json
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
from training.heads.model import EmbeddingMlp, NormalisedEnsemble
from training.heads.train_common import variant_batches

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


def fit_embedding(
    variants: list[np.ndarray], targets: np.ndarray, args: argparse.Namespace, seed: int, log=print
) -> EmbeddingMlp:
    """One member: AdamW + one-cycle schedule, cosine loss to the unit teacher vector, every row drawn
    per epoch from the clean descriptor or one of its codec round trips. The last epoch is kept (the
    schedule, not early stopping, ends training; the epoch count was chosen on View 1)."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    mean, std = variants[0].mean(0), variants[0].std(0) + 1e-6
    model = EmbeddingMlp(variants[0].shape[1], targets.shape[1], mean, std, args.width, args.depth, args.dropout)
    steps = args.epochs * ((len(targets) + args.batch - 1) // args.batch)
    opt = torch.optim.AdamW(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=args.lr, total_steps=steps)
    for epoch in range(args.epochs):
        model.train()
        total = 0.0
        for x, y in variant_batches(variants, targets, args.batch, rng, args.noise, std):
            loss = 1 - nn.functional.cosine_similarity(model(x), y, dim=1).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(y)
        if (epoch + 1) % 10 == 0 or epoch + 1 == args.epochs:
            log(f"seed {seed} epoch {epoch + 1}/{args.epochs} loss {total / len(targets):.4f}")
    model.eval()
    return model


def fit_ensemble(variants: list[np.ndarray], targets: np.ndarray, args: argparse.Namespace, log=print) -> NormalisedEnsemble:
    members = [fit_embedding(variants, targets, args, seed, log) for seed in range(args.ensemble)]
    return NormalisedEnsemble(members).eval()


def embed(model: nn.Module, x: np.ndarray) -> np.ndarray:
    with torch.no_grad():
        return model(torch.from_numpy(x.astype(np.float32))).numpy()


def pair_accuracy(vec: np.ndarray, pa: np.ndarray, pb: np.ndarray, same: np.ndarray, thr: float) -> float:
    return float(((np.linalg.norm(vec[pa] - vec[pb], axis=1) < thr) == same).mean())


def read_people(path: Path) -> set[str]:
    lines = [l.split() for l in path.read_text().splitlines()[1:] if l.strip()]
    return {l[0] for l in lines}


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--lfw", type=Path, default=REPO / "artifacts/cache/lfw.npy")
    ap.add_argument("--teacher", type=Path, default=REPO / "artifacts/cache/lfw-teacher.npy")
    ap.add_argument("--lfw-root", type=Path, default=REPO.parent / "shared/data/lfw")
    ap.add_argument("--codec-models", type=Path, default=REPO / "packages/codec-core/models")
    ap.add_argument("--out", type=Path, default=SDK_MODELS)
    ap.add_argument("--protocol", choices=("view1", "view2"), default="view2")
    ap.add_argument("--selection-log", type=Path, default=REPO / "docs/eval/verification-selection.jsonl")
    ap.add_argument("--folds", default="all", help="view2: 'all' (10 fold models + deployed), 'deployed', or a list 0,3")
    ap.add_argument("--epochs", type=int, default=40)
    ap.add_argument("--width", type=int, default=512)
    ap.add_argument("--depth", type=int, default=2)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--weight-decay", type=float, default=1e-2)
    ap.add_argument("--noise", type=float, default=0.0)
    ap.add_argument("--dropout", type=float, default=0.0)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--ensemble", type=int, default=3, help="members averaged into one graph")
    ap.add_argument(
        "--target-person-mean", type=float, default=0.0,
        help="weight of the person's mean teacher vector (over that person's training images) in the target",
    )
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    command = "training/.venv/bin/python -m training.heads.train_verification " + shlex.join(sys.argv[1:] if argv is None else argv)
    hyper = {k: getattr(args, k) for k in ("epochs", "width", "depth", "lr", "weight_decay", "noise", "dropout", "batch", "ensemble", "target_person_mean")}

    idx = profile_indices("identity")
    x, rows, _ = load_cache(args.lfw)
    t, trows, _ = load_cache(args.teacher)
    tkey = {image_key(r["source"]): i for i, r in enumerate(trows)}
    keys = [image_key(r["source"]) for r in rows]
    has = np.array([k in tkey for k in keys])
    x, keys = x[has], [k for k, h in zip(keys, has) if h]
    y = np.stack([t[tkey[k]] for k in keys]).astype(np.float32)
    y /= np.linalg.norm(y, axis=1, keepdims=True)
    person = np.array([k.split("/")[0] for k in keys])
    row_of = {k: i for i, k in enumerate(keys)}

    def pairs_of(name: str) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        ps = [(row_of[a], row_of[b], s, f) for a, b, s, f in read_pairs(args.lfw_root / name) if a in row_of and b in row_of]
        return tuple(np.array(v) for v in zip(*ps))  # type: ignore[return-value]

    codec = CodecRoundTrip(args.codec_models, "identity")
    variants_all = [x[:, idx]] + [d[:, idx] for d in codec.decode_all(x)]
    names = ["clean", *codec.names()]

    def training_set(rows: np.ndarray) -> tuple[list[np.ndarray], np.ndarray]:
        """The rows' variants and targets; with --target-person-mean the target moves toward the mean
        teacher vector of the same person's training images (identity, not the photo's nuisances)."""
        target = y[rows]
        w = args.target_person_mean
        if w > 0:
            _, inv = np.unique(person[rows], return_inverse=True)
            sums = np.zeros((inv.max() + 1, y.shape[1]), np.float32)
            np.add.at(sums, inv, target)
            centroid = sums[inv] / np.linalg.norm(sums[inv], axis=1, keepdims=True)
            target = (1 - w) * target + w * centroid
            target = target / np.linalg.norm(target, axis=1, keepdims=True)
        return [v[rows] for v in variants_all], target
    print(f"{len(keys)} images with descriptor + teacher; codec variants: {codec.names() or 'none'}")

    if args.protocol == "view1":
        train_people = read_people(args.lfw_root / "peopleDevTrain.txt")
        tr = np.nonzero(np.isin(person, list(train_people)))[0]
        a1, b1, s1, _ = pairs_of("pairsDevTrain.txt")
        a2, b2, s2, _ = pairs_of("pairsDevTest.txt")
        model = fit_ensemble(*training_set(tr), args)
        result: dict[str, object] = {"protocol": "LFW View 1: train peopleDevTrain, threshold pairsDevTrain, score pairsDevTest",
                                     "hyper": hyper, "command": command, "trainImages": int(len(tr)), "testPairs": int(len(s2))}
        acc: dict[str, float] = {}
        for name, v in zip(names, variants_all):
            vec = embed(model, v)
            thr, _ = best_threshold(np.linalg.norm(vec[a1] - vec[b1], axis=1), s1)
            acc[name] = pair_accuracy(vec, a2, b2, s2, thr)
        result["pairsDevTestAccuracy"] = acc
        print(json.dumps(result))
        args.selection_log.parent.mkdir(parents=True, exist_ok=True)
        with args.selection_log.open("a") as f:
            f.write(json.dumps(result) + "\n")
        return

    person_fold = read_people_folds(args.lfw_root / "people.txt")
    folds_of = np.array([person_fold.get(p, -1) for p in person])
    pa, pb, psame, pfold = pairs_of("pairs.txt")
    if args.folds == "all":
        todo: list[int | None] = [*range(10), None]
    elif args.folds == "deployed":
        todo = [None]
    else:
        todo = [int(f) for f in args.folds.split(",")]

    for fold in todo:
        tr = np.nonzero(folds_of != fold)[0] if fold is not None else np.arange(len(keys))
        model = fit_ensemble(*training_set(tr), args, log=lambda s: print(f"[fold {fold}] {s}"))
        vec = embed(model, variants_all[0])
        dist = np.linalg.norm(vec[pa] - vec[pb], axis=1)
        train_pairs = pfold != fold if fold is not None else np.ones(len(psame), bool)
        thr, train_acc = best_threshold(dist[train_pairs], psame[train_pairs])
        metrics: dict[str, object] = {
            "thresholdChosenOn": "View 2 pairs of the training folds" if fold is not None else "all View 2 pairs (training data)",
            "trainPairAccuracy": train_acc,
        }
        if fold is not None:
            test = pfold == fold
            metrics["foldAccuracyClean"] = pair_accuracy(vec, pa[test], pb[test], psame[test], thr)
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
                "command": command,
                "data": (
                    f"LFW descriptors of people outside View 2 fold {fold} ({len(tr)} images) + codec round trips"
                    if fold is not None
                    else f"all LFW descriptors ({len(tr)} images) + codec round trips"
                ),
                "teacher": "face-api 128-D embedding of the original photo (FaceEmbedder), L2-normalised",
                "codecVariants": codec.names(),
                "architecture": (
                    f"ensemble of {args.ensemble} MLPs (width {args.width}, {args.depth} hidden layers, GELU, dropout "
                    f"{args.dropout}), mean of unit vectors renormalised"
                ),
                "loss": "1 - cosine(vector, teacher)",
                "augmentation": "codec round trips",
                "hyperParameters": hyper,
                "selectedOn": "LFW View 1 (docs/eval/verification-selection.jsonl)",
            },
            "metrics": metrics,
        }
        if fold is not None:
            entry["fold"] = fold
        write_head(args.out, entry, export_onnx(model, len(idx), "embedding"))


if __name__ == "__main__":
    main()
