"""Learned factorised prior (wire coder `rans`) with ESCAPE, coded by the multi-symbol range coder.

Mirrors packages/codec-core/src/entropy/factorized-coder.ts.
"""

from .range_coder import RangeDecoder, RangeEncoder, CorruptPayload
from .signed_map import MAX_EG_PREFIX, eg_prefix_length, to_signed, to_unsigned

PRECISION = 16
BIT_CDF = [0, 0x8000, 0x10000]


class CdfTable:
    def __init__(self, cdf_json: dict) -> None:
        assert cdf_json["precision"] == PRECISION
        self.channels = cdf_json["channels"]
        self.min = list(cdf_json["min"])
        self.cdf = [list(r) for r in cdf_json["cdf"]]


def factorized_encode_frame(table: CdfTable, latents) -> bytes:
    rc = RangeEncoder()
    for c, v in enumerate(latents):
        v = int(v)
        row = table.cdf[c]
        k = len(row) - 2
        s = v - table.min[c]
        if 0 <= s < k:
            rc.encode_freq(row[s], row[s + 1] - row[s])
            continue
        rc.encode_freq(row[k], row[k + 1] - row[k])
        u = to_unsigned(v)
        x = u + 1
        n = eg_prefix_length(u)
        for _ in range(n):
            rc.encode_freq(0x8000, 0x8000)
        rc.encode_freq(0, 0x8000)
        for i in range(n - 1, -1, -1):
            rc.encode_freq(0x8000 if (x >> i) & 1 else 0, 0x8000)
    return rc.finish()


def factorized_decode_frame(table: CdfTable, payload: bytes):
    rc = RangeDecoder(payload)
    out = []
    for c in range(table.channels):
        row = table.cdf[c]
        k = len(row) - 2
        s = rc.decode_freq(row, k)
        if s < k:
            out.append(table.min[c] + s)
            continue
        n = 0
        while rc.decode_freq(BIT_CDF, 1) == 1:
            n += 1
            if n >= MAX_EG_PREFIX:
                raise CorruptPayload("escape prefix")
        x = 1
        for _ in range(n):
            x = x * 2 + rc.decode_freq(BIT_CDF, 1)
        v = to_signed(x - 1)
        if table.min[c] <= v < table.min[c] + k:
            raise CorruptPayload("escaped value inside the CDF range")
        out.append(v)
    return out
