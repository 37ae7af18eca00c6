"""Crude rate test: uniform scalar quantisation of the expression profile (64 expression coefficients and
the 6 pose values, each over its FER2013-train [0.5 %, 99.5 %] range, clamped) at k bits per value; a
single-member head of the production recipe (ResidualMlp 512 x 2, dropout 0.5, noise 0.3, label smoothing
0.1, AdamW + cosine, epoch selected on the seed-7 10 % of train) is trained on the quantised train rows and
scored on the quantised validation rows. Bits: fixed-length 70 k, and the ideal code length of per-value
static histograms fitted on train (an entropy coder's rate without context modelling).

  training/.venv/bin/python -m training.refine.quant_test --tag A --bits 3 4 5
"""

from __future__ import annotations

import argparse
import json

import numpy as np
import torch
from torch import nn

from training.codec.layout import profile_indices
from training.heads.data import EXPRESSION_LABELS, expression_targets, load_cache
from training.heads.model import ResidualMlp
from training.heads.train_common import train
from training.refine.common import ART, REPO, entropy_bits, quantise_uniform


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tag", required=True)
    ap.add_argument("--bits", type=int, nargs="+", default=[3, 4, 5])
    ap.add_argument("--epochs", type=int, default=12)
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    if args.tag == "unrefined":
        tr, va = REPO / "artifacts/cache/fer2013-train.npy", REPO / "artifacts/cache/fer2013-validation.npy"
    else:
        tr, va = ART / args.tag / "fer2013-train.npy", ART / args.tag / "fer2013-validation.npy"
    idx = profile_indices("expression")
    xtr, rtr, htr = load_cache(tr)
    xva, rva, hva = load_cache(va)
    ytr, yva = expression_targets(rtr, htr), expression_targets(rva, hva)
    perm = np.random.default_rng(7).permutation(len(ytr))
    n_sel = int(round(len(ytr) * 0.1))
    sel, fit = np.sort(perm[:n_sel]), np.sort(perm[n_sel:])
    a, b = xtr[:, idx], xva[:, idx]
    lo, hi = np.percentile(a[fit], 0.5, axis=0), np.percentile(a[fit], 99.5, axis=0)
    out = []
    for k in args.bits:
        qa, sa = quantise_uniform(a, lo, hi, k)
        qb, sb = quantise_uniform(b, lo, hi, k)
        mean, std = qa[fit].mean(0), qa[fit].std(0) + 1e-6
        m = ResidualMlp(len(idx), len(EXPRESSION_LABELS), mean, std, 512, 2, softmax=True, dropout=0.5)
        sel_t = torch.from_numpy(qa[sel])
        acc = lambda mm: float((mm(sel_t).argmax(1).numpy() == ytr[sel]).mean())  # noqa: E731
        m, score, ep = train(m, [qa[fit]], ytr[fit], nn.CrossEntropyLoss(label_smoothing=0.1), acc, args.epochs, 2e-3, std, 0.3,
                             weight_decay=1e-2, seed=0, log=lambda s: None)
        with torch.no_grad():
            va_acc = float((m(torch.from_numpy(qb)).argmax(1).numpy() == yva).mean())
        r = {
            "tag": args.tag, "bitsPerValue": k, "fixedBits": 70 * k,
            "entropyBits": entropy_bits(sa[fit], sb, 2**k),
            "selectionAccuracy": score, "epoch": ep + 1,
            "valAccuracyRowsWithFace": va_acc, "valAccuracyAll3589": va_acc * len(yva) / 3589,
        }
        print(json.dumps(r), flush=True)
        out.append(r)
    (ART / args.tag).mkdir(parents=True, exist_ok=True)
    (ART / args.tag / "quant-test.json").write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
