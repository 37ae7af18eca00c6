"""Python reference of the identity-code packet (docs/bitstream.md, "Identity code"), pure Python.

Mirrors packages/codec-core/src/identity-code/codec.ts operation for operation (float64 normalisation in
index order, round half up at 2^15, exact integer projection, threshold counting, MSB-first packing).
"""

from __future__ import annotations

import base64
import math
import struct

VERSION = 1
HEADER_BYTES = 4
INPUT_SCALE = 2 ** 15


class IdentityCodeModel:
    def __init__(self, js: dict):
        assert js["format"] == "semface-identity-code" and js["version"] == 1
        self.id = int(js["id"])
        self.input_dim = int(js["inputDim"])
        self.mean = [int(v) for v in js["mean"]]
        self.rate_points = []
        for r in js["ratePoints"]:
            raw = base64.b64decode(r["projection"])
            n = r["dims"] * self.input_dim
            proj = list(struct.unpack(f"<{n}h", raw))
            self.rate_points.append({
                "bits": r["bits"], "dims": r["dims"], "bits_per_dim": [int(b) for b in r["bitsPerDim"]],
                "projection": proj, "thresholds": [[int(t) for t in ts] for ts in r["thresholds"]],
                "centroids": [[int(c) for c in cs] for cs in r["centroids"]],
            })


def code_input(model: IdentityCodeModel, embedding) -> list[int]:
    ss = 0.0
    for v in embedding:
        ss += float(v) * float(v)
    norm = math.sqrt(ss)
    return [math.floor((float(v) / norm) * INPUT_SCALE + 0.5) - model.mean[i] for i, v in enumerate(embedding)]


def code_levels(model: IdentityCodeModel, embedding, rate_index: int) -> list[int]:
    rp = model.rate_points[rate_index]
    x = code_input(model, embedding)
    d = model.input_dim
    out = []
    for j in range(rp["dims"]):
        row = rp["projection"][j * d:(j + 1) * d]
        y = sum(p * xi for p, xi in zip(row, x))
        lvl = 0
        for t in rp["thresholds"][j]:
            if y >= t:
                lvl += 1
            else:
                break
        out.append(lvl)
    return out


def encode(model: IdentityCodeModel, embedding, rate_index: int) -> bytes:
    rp = model.rate_points[rate_index]
    levels = code_levels(model, embedding, rate_index)
    payload = bytearray((rp["bits"] + 7) // 8)
    bit = 0
    for j, lvl in enumerate(levels):
        for b in range(rp["bits_per_dim"][j] - 1, -1, -1):
            if (lvl >> b) & 1:
                payload[bit >> 3] |= 0x80 >> (bit & 7)
            bit += 1
    return bytes([VERSION, rate_index, model.id & 0xFF, model.id >> 8]) + bytes(payload)


def decode(model: IdentityCodeModel, data: bytes) -> tuple[int, list[int]]:
    if len(data) < HEADER_BYTES or data[0] != VERSION or (data[2] | data[3] << 8) != model.id:
        raise ValueError("bad identity-code header")
    rate_index = data[1]
    rp = model.rate_points[rate_index]
    n = (rp["bits"] + 7) // 8
    if len(data) != HEADER_BYTES + n:
        raise ValueError("bad identity-code length")
    levels, bit = [], 0
    for j in range(rp["dims"]):
        lvl = 0
        for _ in range(rp["bits_per_dim"][j]):
            lvl = (lvl << 1) | ((data[HEADER_BYTES + (bit >> 3)] >> (7 - (bit & 7))) & 1)
            bit += 1
        levels.append(lvl)
    return rate_index, levels


def vector(model: IdentityCodeModel, rate_index: int, levels: list[int]) -> list[int]:
    rp = model.rate_points[rate_index]
    return [rp["centroids"][j][l] for j, l in enumerate(levels)]


def golden_embeddings(count: int, dim: int, seed: int) -> list[list[float]]:
    """xorshift32 (as test/golden/identity-code inputs): values k / 1024, k in [-2048, 2047]."""
    s = seed & 0xFFFFFFFF
    out = []
    for _ in range(count):
        row = []
        for _ in range(dim):
            s ^= (s << 13) & 0xFFFFFFFF
            s ^= s >> 17
            s ^= (s << 5) & 0xFFFFFFFF
            row.append(((s % 4096) - 2048) / 1024)
        out.append(row)
    return out
