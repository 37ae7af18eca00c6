"""Expression head E(expression', rotation', translation') -> 7 FER2013 class probabilities.

Trained on FER2013 train descriptors and their codec round trips (every rate point of the expression
and full models). The epoch is selected on a held-out part of FER2013 train (`--select-fraction`, mean
accuracy over clean + decoded variants); FER2013 validation is only scored, once, at the end.

  training/.venv/bin/python -m training.heads.train_expression \
      --train artifacts/cache/fer2013-train.npy --val artifacts/cache/fer2013-validation.npy
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
from training.heads.data import EXPRESSION_LABELS, expression_targets, load_cache
from training.heads.export import SDK_MODELS, export_onnx, write_head
from training.heads.model import ProbabilityEnsemble, ResidualMlp
from training.heads.train_common import train

REPO = Path(__file__).resolve().parents[2]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--train", type=Path, default=REPO / "artifacts/cache/fer2013-train.npy")
    ap.add_argument("--val", type=Path, default=REPO / "artifacts/cache/fer2013-validation.npy")
    ap.add_argument("--codec-models", type=Path, default=REPO / "packages/codec-core/models")
    ap.add_argument("--out", type=Path, default=SDK_MODELS)
    ap.add_argument("--epochs", type=int, default=25)
    ap.add_argument("--width", type=int, default=512)
    ap.add_argument("--blocks", type=int, default=2)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--noise", type=float, default=0.3)
    ap.add_argument("--dropout", type=float, default=0.5)
    ap.add_argument("--weight-decay", type=float, default=1e-2)
    ap.add_argument("--label-smoothing", type=float, default=0.1)
    ap.add_argument("--ensemble", type=int, default=1, help="members (seeds) whose probabilities are averaged")
    ap.add_argument("--select-fraction", type=float, default=0.1, help="share of FER2013 train held out for selection")
    ap.add_argument(
        "--no-val", action="store_true", help="selection experiments: do not read or score FER2013 validation, write no model"
    )
    args = ap.parse_args(argv)
    torch.set_num_threads(1)

    idx = profile_indices("expression")
    xtr, rtr, htr = load_cache(args.train)
    ytr = expression_targets(rtr, htr)
    perm = np.random.default_rng(7).permutation(len(ytr))
    n_sel = int(round(len(ytr) * args.select_fraction))
    sel, fit = np.sort(perm[:n_sel]), np.sort(perm[n_sel:])
    codec = CodecRoundTrip(args.codec_models, "expression")
    print(f"train {len(fit)} select {len(sel)}; codec variants: {codec.names() or 'none (noise only)'}")
    all_vars = [xtr[:, idx]] + [d[:, idx] for d in codec.decode_all(xtr)]
    tr_vars = [v[fit] for v in all_vars]
    sel_t = [torch.from_numpy(v[sel].astype(np.float32)) for v in all_vars]
    mean, std = tr_vars[0].mean(0), tr_vars[0].std(0) + 1e-6

    ce = nn.CrossEntropyLoss(label_smoothing=args.label_smoothing)

    def accs(m: nn.Module, xs: list[torch.Tensor], y: np.ndarray) -> list[float]:
        with torch.no_grad():
            return [float((m(v).argmax(1).numpy() == y).mean()) for v in xs]

    members, epochs = [], []
    for seed in range(args.ensemble):
        member = ResidualMlp(len(idx), len(EXPRESSION_LABELS), mean, std, args.width, args.blocks, softmax=True, dropout=args.dropout)
        member, _, epoch = train(
            member, tr_vars, ytr[fit], ce, lambda m: float(np.mean(accs(m, sel_t, ytr[sel]))), args.epochs, args.lr, std,
            args.noise, weight_decay=args.weight_decay, seed=seed,
        )
        members.append(member)
        epochs.append(epoch + 1)
    model = ProbabilityEnsemble(members) if len(members) > 1 else members[0]
    model.eval()
    score = float(np.mean(accs(model, sel_t, ytr[sel])))
    print({"selectionAccuracy": score, "selectedEpoch": epochs})
    if args.no_val:
        return
    xva, rva, hva = load_cache(args.val)
    yva = expression_targets(rva, hva)
    va_t = [torch.from_numpy(v.astype(np.float32)) for v in [xva[:, idx]] + [d[:, idx] for d in codec.decode_all(xva)]]
    final = accs(model, va_t, yva)
    metrics = {
        "split": "FER2013 validation (PublicTest) descriptors, rows with a detected face; scored once, not used for selection",
        "selectedOn": f"{len(sel)} held-out FER2013 train rows (seed 7), mean accuracy over clean + decoded variants",
        "selectionAccuracy": score,
        "rows": int(len(yva)),
        "accuracyClean": final[0],
        "accuracyDecoded": dict(zip(codec.names(), final[1:])),
        "selectedEpoch": epochs if len(epochs) > 1 else epochs[0],
    }
    print(metrics)
    entry = write_head(
        args.out,
        {
            "kind": "expression",
            "file": "expression.onnx",
            "profile": "expression",
            "inputDim": int(len(idx)),
            "outputDim": len(EXPRESSION_LABELS),
            "labels": list(EXPRESSION_LABELS),
            "training": {
                "command": "training/.venv/bin/python -m training.heads.train_expression " + shlex.join(sys.argv[1:]),
                "data": f"FER2013 train descriptors ({args.train.name}, {len(fit)} of {len(ytr)} rows) + codec round trips",
                "codecVariants": codec.names(),
                "architecture": (
                    f"residual MLP width {args.width}, {args.blocks} blocks, dropout {args.dropout}, softmax"
                    + (f"; mean of {args.ensemble} members' probabilities" if args.ensemble > 1 else "")
                ),
                "regularisation": {"noise": args.noise, "weightDecay": args.weight_decay, "labelSmoothing": args.label_smoothing},
                "epochs": args.epochs,
            },
            "metrics": metrics,
        },
        export_onnx(model, len(idx), "probabilities"),
    )
    print(f"wrote {args.out / entry['file']}")


if __name__ == "__main__":
    main()
