"""rANS (32-bit state, byte renormalisation, 16-bit CDFs) + factorised prior with ESCAPE, mirrors rans.ts."""

from .range_coder import CorruptPayload
from .signed_map import MAX_EG_PREFIX, eg_prefix_length, to_signed, to_unsigned

PRECISION = 16
SCALE = 1 << PRECISION
RANS_L = 1 << 23


def rans_encode(ops) -> bytes:
    """ops: list of (start, freq) in decode order."""
    out = bytearray()
    x = RANS_L
    for start, freq in reversed(ops):
        x_max = ((RANS_L >> PRECISION) << 8) * freq
        while x >= x_max:
            out.append(x & 0xFF)
            x >>= 8
        x = (x // freq) * SCALE + (x % freq) + start
    out += bytes([x & 0xFF, (x >> 8) & 0xFF, (x >> 16) & 0xFF, (x >> 24) & 0xFF])
    return bytes(reversed(out))


class CdfTable:
    def __init__(self, cdf_json: dict) -> None:
        assert cdf_json["precision"] == PRECISION
        self.channels = cdf_json["channels"]
        self.min = list(cdf_json["min"])
        self.cdf = [list(r) for r in cdf_json["cdf"]]


def _bit_op(bit: int):
    return (SCALE >> 1 if bit else 0, SCALE >> 1)


def factorized_encode_frame(table: CdfTable, latents) -> bytes:
    ops = []
    for c, v in enumerate(latents):
        v = int(v)
        row = table.cdf[c]
        k = len(row) - 2
        s = v - table.min[c]
        if 0 <= s < k:
            ops.append((row[s], row[s + 1] - row[s]))
            continue
        ops.append((row[k], row[k + 1] - row[k]))
        u = to_unsigned(v)
        x = u + 1
        n = eg_prefix_length(u)
        ops += [_bit_op(1)] * n + [_bit_op(0)]
        ops += [_bit_op((x >> i) & 1) for i in range(n - 1, -1, -1)]
    return rans_encode(ops)


def factorized_decode_frame(table: CdfTable, payload: bytes):
    if len(payload) < 4:
        raise CorruptPayload("short")
    x = int.from_bytes(payload[:4], "big")
    pos = 4
    if x < RANS_L or x >= 1 << 31:
        raise CorruptPayload("state")

    def advance(start, freq):
        nonlocal x, pos
        x = freq * (x >> PRECISION) + (x & (SCALE - 1)) - start
        while x < RANS_L:
            if pos >= len(payload):
                raise CorruptPayload("ended early")
            x = x * 256 + payload[pos]
            pos += 1

    def get_bit():
        bit = 1 if (x & (SCALE - 1)) >= SCALE >> 1 else 0
        advance(*_bit_op(bit))
        return bit

    out = []
    for c in range(table.channels):
        row = table.cdf[c]
        k = len(row) - 2
        slot = x & (SCALE - 1)
        s = max(i for i in range(k + 1) if row[i] <= slot)
        advance(row[s], row[s + 1] - row[s])
        if s < k:
            out.append(table.min[c] + s)
            continue
        n = 0
        while get_bit() == 1:
            n += 1
            if n >= MAX_EG_PREFIX:
                raise CorruptPayload("escape prefix")
        v = 1
        for _ in range(n):
            v = v * 2 + get_bit()
        out.append(to_signed(v - 1))
    if x != RANS_L or pos != len(payload):
        raise CorruptPayload("end state")
    return out
