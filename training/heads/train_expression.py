"""Expression head E(expression', rotation', translation') -> 7 FER2013 class probabilities.

Trained on FER2013 train descriptors and their codec round trips (every rate point of the expression
and full models), selected on FER2013 validation (mean accuracy over clean + decoded variants).

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
from training.heads.model import ResidualMlp
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
    args = ap.parse_args(argv)
    torch.set_num_threads(1)

    idx = profile_indices("expression")
    xtr, rtr, htr = load_cache(args.train)
    xva, rva, hva = load_cache(args.val)
    ytr, yva = expression_targets(rtr, htr), expression_targets(rva, hva)
    codec = CodecRoundTrip(args.codec_models, "expression")
    print(f"train {len(ytr)} val {len(yva)}; codec variants: {codec.names() or 'none (noise only)'}")
    tr_vars = [xtr[:, idx]] + [d[:, idx] for d in codec.decode_all(xtr)]
    va_vars = [xva[:, idx]] + [d[:, idx] for d in codec.decode_all(xva)]
    mean, std = xtr[:, idx].mean(0), xtr[:, idx].std(0) + 1e-6

    model = ResidualMlp(len(idx), len(EXPRESSION_LABELS), mean, std, args.width, args.blocks, softmax=True, dropout=args.dropout)
    ce = nn.CrossEntropyLoss(label_smoothing=args.label_smoothing)
    va_t = [torch.from_numpy(v.astype(np.float32)) for v in va_vars]

    def accs(m: nn.Module) -> list[float]:
        return [float((m.logits(v).argmax(1).numpy() == yva).mean()) for v in va_t]

    model, score, epoch = train(
        model, tr_vars, ytr, ce, lambda m: float(np.mean(accs(m))), args.epochs, args.lr, std, args.noise,
        weight_decay=args.weight_decay,
    )
    final = accs(model)
    metrics = {
        "split": "FER2013 validation (PublicTest) descriptors, rows with a detected face",
        "rows": int(len(yva)),
        "accuracyClean": final[0],
        "accuracyDecoded": dict(zip(codec.names(), final[1:])),
        "selectedEpoch": epoch + 1,
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
                "data": f"FER2013 train descriptors ({args.train.name}, {len(ytr)} rows) + codec round trips",
                "codecVariants": codec.names(),
                "architecture": f"residual MLP width {args.width}, {args.blocks} blocks, dropout {args.dropout}, softmax",
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
