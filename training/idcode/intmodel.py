"""Integer identity-code models: float CodeModel -> JSON contract (read by TS and the Python reference),
and a vectorised numpy evaluator of that contract (exactly the shipped arithmetic)."""

from __future__ import annotations

import base64
import json

import numpy as np

from .code import CodeModel

INPUT_SHIFT = 15


def quant_input(x: np.ndarray, mean_q: np.ndarray) -> np.ndarray:
    """Same ops as codec.ts identityCodeInput, vectorised (sum of squares in index order)."""
    x = x.astype(np.float64)
    ss = np.zeros(x.shape[0])
    for i in range(x.shape[1]):
        ss = ss + x[:, i] * x[:, i]
    norm = np.sqrt(ss)[:, None]
    return (np.floor((x / norm) * 2.0 ** INPUT_SHIFT + 0.5) - mean_q).astype(np.int64)


def to_json(models: list[CodeModel], x_train: np.ndarray, model_id: int, recognizer: dict) -> dict:
    """Integer contract: projections rounded at 2^shift, thresholds = training quantiles of the integer
    projections (so encoder and thresholds live in one exact integer domain), centroids at 1/4096.
    The contract's input mean is 0: a rate point's centring (m.mean) only shifts its projections, which
    the quantile thresholds absorb, so it is folded into that rate point's centroids."""
    mean_q = np.zeros(x_train.shape[1], dtype=np.int64)
    xq = quant_input(x_train, mean_q)
    rps = []
    for m in models:
        shift = int(min(20, np.floor(np.log2(32767.0 / np.abs(m.proj).max()))))
        pq = np.clip(np.floor(m.proj * 2.0 ** shift + 0.5), -32768, 32767).astype(np.int64)
        y = xq @ pq.T                                   # exact int64
        scale = 2.0 ** (INPUT_SHIFT + shift)
        offset = (pq / 2.0 ** shift) @ m.mean          # projection of the rate point's centre
        thr, cent = [], []
        for j in range(m.k):
            levels = 2 ** int(m.bits[j])
            t = np.floor(np.quantile(y[:, j].astype(np.float64), np.linspace(0, 1, levels + 1)[1:-1]) + 0.5).astype(np.int64)
            lv = (y[:, j:j + 1] >= t[None, :]).sum(1)
            c = [(y[lv == l, j].mean() / scale if np.any(lv == l) else t[min(l, levels - 2)] / scale) - offset[j]
                 for l in range(levels)]
            thr.append([int(v) for v in t])
            cent.append([int(np.clip(np.floor(v * 256 * 16 + 0.5), -32768, 32767)) for v in c])
        rps.append({
            "bits": int(m.bits.sum()), "dims": int(m.k), "bitsPerDim": [int(b) for b in m.bits],
            "projection": base64.b64encode(pq.astype("<i2").tobytes()).decode(),
            "projectionShift": shift, "thresholds": thr, "centroids": cent,
        })
    return {"format": "semface-identity-code", "version": 1, "id": model_id,
            "inputDim": int(x_train.shape[1]), "mean": mean_q.tolist(), "recognizer": recognizer,
            "ratePoints": rps}


class IntModel:
    """Vectorised evaluator of a JSON contract."""

    def __init__(self, js: dict):
        self.js = js
        self.mean = np.array(js["mean"], dtype=np.int64)
        d = js["inputDim"]
        self.rps = []
        for r in js["ratePoints"]:
            p = np.frombuffer(base64.b64decode(r["projection"]), dtype="<i2").astype(np.int64).reshape(r["dims"], d)
            self.rps.append((r, p, [np.array(t, dtype=np.int64) for t in r["thresholds"]],
                             [np.array(c, dtype=np.int64) for c in r["centroids"]]))

    def levels(self, x: np.ndarray, rate: int) -> np.ndarray:
        r, p, thr, _ = self.rps[rate]
        y = quant_input(x, self.mean) @ p.T
        return np.stack([(y[:, j:j + 1] >= thr[j][None, :]).sum(1) for j in range(r["dims"])], 1)

    def vectors(self, x: np.ndarray, rate: int) -> np.ndarray:
        _, _, _, cent = self.rps[rate]
        lv = self.levels(x, rate)
        return np.stack([cent[j][lv[:, j]] for j in range(len(cent))], 1).astype(np.float64)


def dump(js: dict, path) -> None:
    with open(path, "w") as f:
        json.dump(js, f, separators=(",", ":"))
        f.write("\n")
