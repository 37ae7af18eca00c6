"""Out-of-fold refinement of FER2013 train for the expression head (issue 15).

The refiner is trained with FER2013 train labels (CE), so on the rows it was fitted on its correction
carries label information that it cannot produce for an unseen face. A head trained on those rows learns to
trust that signal: on the held-out selection rows (refined by a refiner that never saw them, as validation
and every live face are) it peaks after 1-3 of 25 epochs. Cross-fitting removes the leak: the selection
split's fit rows are cut into K folds, K refiners are trained each without one fold (same settings,
epoch selected on the same seed-7 selection rows), and every fit row is refined by the refiner that did
not see it. The selection rows keep the shipped refiner's correction (they are out of its sample already).
The deployed refiner is unchanged; only the head's training data changes.

  training/.venv/bin/python -m training.refine.cross_fit --fold 0     # ... --fold 4 (each ~80 s; run two at once)
  training/.venv/bin/python -m training.refine.cross_fit --assemble  # -> artifacts/cache/fer2013-train-oof.npy
"""

from __future__ import annotations

import argparse
import json
import shutil
import time
from pathlib import Path

import numpy as np
import torch

from training.heads.data import expression_targets, load_cache
from training.refine.contract import OUTPUT, REPO
from training.refine.train_refine import add_refiner_arguments, load_rows, selection_split, train_refiner, video_pairs

OOF = REPO / "artifacts/refine/oof"
REFINED = REPO / "artifacts/cache/fer2013-train.npy"
OUT = REPO / "artifacts/cache/fer2013-train-oof.npy"
FOLD_SEED = 11


def folds(fit: np.ndarray, k: int) -> list[np.ndarray]:
    """The selection split's fit rows cut into `k` folds (seed 11), each sorted."""
    perm = np.random.default_rng(FOLD_SEED).permutation(fit)
    return [np.sort(part) for part in np.array_split(perm, k)]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--fold", type=int, help="train the refiner without this fold and write its rows' corrections")
    ap.add_argument("--assemble", action="store_true", help="write the out-of-fold cache from the folds' corrections")
    ap.add_argument("--refined", type=Path, default=REFINED, help="the shipped refiner's cache (selection rows are taken from it)")
    ap.add_argument("--out", type=Path, default=OUT)
    add_refiner_arguments(ap)  # the shipped refiner's settings by default
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    OOF.mkdir(parents=True, exist_ok=True)

    z, rows, header = load_rows(args.data, "fer2013-train")
    y = expression_targets(rows, header)
    sel, fit = selection_split(len(y))
    parts = folds(fit, args.folds)

    if args.fold is not None:
        if not 0 <= args.fold < args.folds:
            raise SystemExit(f"--fold must be in 0..{args.folds - 1}")
        t0 = time.time()
        vz, vrows, _ = load_rows(args.data, "videos")
        held = parts[args.fold]
        train_rows = np.setdiff1d(fit, held)
        refiner, result, _ = train_refiner(z, y, vz, video_pairs(vrows), train_rows, sel, args)
        refiner.eval()
        with torch.no_grad():
            delta = refiner(torch.from_numpy(z[held])).numpy()
        np.save(OOF / f"fold-{args.fold}.npy", delta.astype(np.float32))
        result.update({"fold": args.fold, "rows": int(len(held)), "seconds": round(time.time() - t0)})
        (OOF / f"fold-{args.fold}.json").write_text(json.dumps(result, indent=1) + "\n")
        print(json.dumps(result))
        return

    if args.assemble:
        x_un, _, _ = load_cache(args.data / "fer2013-train.npy")
        x, _, _ = load_cache(args.refined)
        if x.shape != x_un.shape:
            raise SystemExit(f"{args.refined} and the unrefined cache differ in shape")
        out = x.copy()
        lo, hi = OUTPUT["start"], OUTPUT["end"]
        for k, held in enumerate(parts):
            delta = np.load(OOF / f"fold-{k}.npy")
            if delta.shape != (len(held), hi - lo):
                raise SystemExit(f"fold {k}: {delta.shape} corrections for {len(held)} rows")
            out[held] = x_un[held]
            out[held, lo:hi] += delta
        np.save(args.out, out.astype(np.float32))
        shutil.copyfile(args.refined.with_suffix(".json"), args.out.with_suffix(".json"))
        print(f"wrote {args.out}: {len(fit)} fit rows refined out of fold ({args.folds} folds), {len(sel)} selection rows as shipped")
        return
    raise SystemExit("give --fold K or --assemble")


if __name__ == "__main__":
    main()
