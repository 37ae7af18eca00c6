"""Image emotion teacher: Human's mini-Xception (packages/extractor/models/emotion.onnx) on every FER2013
image, once. Preprocessing as packages/eval/src/models/emotion-model.ts: bilinear resize 48 -> 64 with
half-pixel centres (resizeRaw, rounded to uint8), gray / 255, (g - 0.5) * 2.

Writes artifacts/refine/teacher-<split>.npz with keys (image key "class/file"), probs (N, 7, in
EXPRESSION_LABELS order), logits (N, 7), feat (N, C: global average of the last residual block, the input
of the final 3x3 conv + GAP), labels.

  training/.venv/bin/python -m training.refine.teacher --split validation
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
from PIL import Image

from training.heads.data import EXPRESSION_LABELS

REPO = Path(__file__).resolve().parents[2]
DATA = REPO.parent / "shared/data/fer2013"
MODEL_LABELS = ("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral")
FEAT = "StatefulPartitionedCall/model_1/add_2/add:0"
LOGITS = "StatefulPartitionedCall/model_1/global_average_pooling2d_1/Mean_Squeeze__104:0"


def resize_raw(img: np.ndarray, size: int) -> np.ndarray:
    """Port of resizeRaw (raw-image.ts): bilinear, half-pixel centres, clamped, Math.round to uint8."""
    s = img.shape[0]
    if s == size:
        return img
    scale = s / size
    f = np.clip((np.arange(size) + 0.5) * scale - 0.5, 0, s - 1)
    i0 = np.floor(f).astype(int)
    i1 = np.minimum(s - 1, i0 + 1)
    w = f - i0
    a = img.astype(np.float64)
    top = a[i0][:, i0] * (1 - w)[None, :] + a[i0][:, i1] * w[None, :]
    bot = a[i1][:, i0] * (1 - w)[None, :] + a[i1][:, i1] * w[None, :]
    v = top * (1 - w)[:, None] + bot * w[:, None]
    return np.floor(v + 0.5).astype(np.uint8)  # Math.round for v >= 0


def session(path: Path) -> ort.InferenceSession:
    m = onnx.load(str(path))
    have = {o.name for o in m.graph.output}
    for name in (FEAT, LOGITS):
        if name not in have:
            m.graph.output.append(onnx.helper.make_empty_tensor_value_info(name))
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    opts.inter_op_num_threads = 1
    return ort.InferenceSession(m.SerializeToString(), opts)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=("train", "validation"), required=True)
    ap.add_argument("--model", type=Path, default=REPO / "packages/extractor/models/emotion.onnx")
    ap.add_argument("--out", type=Path, default=REPO / "artifacts/refine")
    args = ap.parse_args(argv)
    sess = session(args.model)
    inp = sess.get_inputs()[0].name
    order = [MODEL_LABELS.index(l) for l in EXPRESSION_LABELS]
    files = sorted((DATA / args.split).glob("*/*"))
    keys, labels, probs, logits, feats = [], [], [], [], []
    for s in range(0, len(files), 256):
        chunk = files[s : s + 256]
        x = np.empty((len(chunk), 64, 64, 1), np.float32)
        for n, f in enumerate(chunk):
            g = np.asarray(Image.open(f).convert("L"))
            assert g.shape == (48, 48), f
            x[n, :, :, 0] = (resize_raw(g, 64).astype(np.float32) / 255 - 0.5) * 2
        p, feat, lg = sess.run(["Identity:0", FEAT, LOGITS], {inp: x})
        probs.append(p[:, order])
        logits.append(lg[:, order])
        # the converted graph is NCHW inside: average over the spatial axes
        feats.append(feat.mean(axis=(2, 3)) if feat.shape[1] != feat.shape[3] or feat.shape[1] > 16 else feat.mean(axis=(1, 2)))
        for f in chunk:
            keys.append(f"{f.parent.name}/{f.name}")
            labels.append(EXPRESSION_LABELS.index(f.parent.name))
        if s == 0:
            print("feature map shape", feat.shape)
    probs_a, labels_a = np.concatenate(probs), np.asarray(labels)
    acc = float((probs_a.argmax(1) == labels_a).mean())
    print(f"{args.split}: {len(keys)} images, emotion.onnx accuracy {acc:.4f}")
    args.out.mkdir(parents=True, exist_ok=True)
    np.savez(
        args.out / f"teacher-{args.split}.npz",
        keys=np.asarray(keys),
        labels=labels_a,
        probs=probs_a,
        logits=np.concatenate(logits),
        feat=np.concatenate(feats).astype(np.float32),
    )


if __name__ == "__main__":
    main()
