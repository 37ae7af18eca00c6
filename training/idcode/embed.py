"""Candidate recogniser embeddings for a cached set, from the images and the cached face mesh.

    nice -n 10 training/.venv/bin/python -m training.idcode.embed --set lfw --name mobilefacenet \
        [--onnx artifacts/recognizers/mobilefacenet.onnx] [--range 0,1] [--size 112] [--scale 1.0]

Writes artifacts/cache/idcode/<set>-<tag>.npy (N x D float32), tag = name[-variant].
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import onnxruntime as ort
from PIL import Image

from .align import aligned_crop
from .data import CACHE, REPO, FaceSet


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--set", default="lfw")
    p.add_argument("--name", required=True)
    p.add_argument("--onnx")
    p.add_argument("--range", default="0,1")
    p.add_argument("--size", type=int, default=112)
    p.add_argument("--scale", type=float, default=1.0)
    p.add_argument("--tag")
    p.add_argument("--output")
    p.add_argument("--limit", type=int)
    a = p.parse_args()
    fs = FaceSet(a.set)
    lo, hi = (float(v) for v in a.range.split(","))
    so = ort.SessionOptions(); so.intra_op_num_threads = 1; so.inter_op_num_threads = 1
    sess = ort.InferenceSession(a.onnx or str(REPO / f"artifacts/recognizers/{a.name}.onnx"), so,
                                providers=["CPUExecutionProvider"])
    inp = sess.get_inputs()[0].name
    outs = [o.name for o in sess.get_outputs()]
    out_name = a.output or max(outs, key=lambda o: sess.get_outputs()[outs.index(o)].shape[-1])
    five = fs.five_points()
    n = len(fs.rows) if a.limit is None else a.limit
    res, t0, batch = [], time.time(), []

    def flush():
        if batch:
            res.append(sess.run([out_name], {inp: np.stack(batch).astype(np.float32)})[0])
            batch.clear()

    for i in range(n):
        img = np.asarray(Image.open(fs.image_path(i)).convert("RGB"), dtype=np.float64)
        crop = aligned_crop(img, five[i], a.size, a.scale)
        batch.append(lo + crop / 255.0 * (hi - lo))
        if len(batch) == 32:
            flush()
        if i % 2000 == 0:
            print(f"{i}/{n} {time.time() - t0:.0f}s", flush=True)
    flush()
    x = np.concatenate(res).reshape(n, -1).astype(np.float32)
    tag = a.tag or a.name
    np.save(CACHE / f"{a.set}-{tag}.npy", x)
    print(f"wrote {CACHE / f'{a.set}-{tag}.npy'} {x.shape} in {time.time() - t0:.0f}s")


if __name__ == "__main__":
    main()
