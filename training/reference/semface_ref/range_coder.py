"""Range coder (LZMA-style carry handling): 12-bit binary probabilities and 16-bit multi-symbol CDFs.

Mirrors packages/codec-core/src/entropy/range-coder.ts.
"""

PROB_BITS = 12
PROB_MIN = 1
PROB_MAX = (1 << PROB_BITS) - 1
FREQ_BITS = 16
TOP = 1 << 24
TWO32 = 1 << 32


class RangeEncoder:
    def __init__(self) -> None:
        self.low = 0
        self.range = 0xFFFFFFFF
        self.cache = 0
        self.cache_size = 1
        self.skip_first = True
        self.out = bytearray()

    def encode(self, bit: int, p0: int) -> None:
        bound = (self.range >> PROB_BITS) * p0
        if bit == 0:
            self.range = bound
        else:
            self.low += bound
            self.range -= bound
        while self.range < TOP:
            self.range *= 256
            self._shift_low()

    def encode_freq(self, start: int, freq: int) -> None:
        r = self.range >> FREQ_BITS
        self.low += r * start
        self.range = r * freq
        while self.range < TOP:
            self.range *= 256
            self._shift_low()

    def _shift_low(self) -> None:
        if self.low < 0xFF000000 or self.low >= TWO32:
            carry = 1 if self.low >= TWO32 else 0
            temp = self.cache
            while True:
                self._emit((temp + carry) & 0xFF)
                temp = 0xFF
                self.cache_size -= 1
                if self.cache_size == 0:
                    break
            self.cache = (self.low >> 24) & 0xFF
        self.cache_size += 1
        self.low = (self.low & 0xFFFFFF) * 256

    def _emit(self, b: int) -> None:
        if self.skip_first:
            self.skip_first = False
            return
        self.out.append(b)

    def finish(self) -> bytes:
        v = self.low + 0xFFFFFF
        self.low = v - (v % TOP)
        self._shift_low()
        self._shift_low()
        out = bytes(self.out)
        return out.rstrip(b"\x00")


class CorruptPayload(Exception):
    pass


class RangeDecoder:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.pos = 0
        self.range = 0xFFFFFFFF
        self.code = 0
        for _ in range(4):
            self.code = self.code * 256 + self._next()
        if self.code >= self.range:
            raise CorruptPayload("initial code out of range")

    def _next(self) -> int:
        p = self.pos
        self.pos += 1
        return self.data[p] if p < len(self.data) else 0

    def decode(self, p0: int) -> int:
        bound = (self.range >> PROB_BITS) * p0
        if self.code < bound:
            self.range = bound
            bit = 0
        else:
            self.code -= bound
            self.range -= bound
            bit = 1
        while self.range < TOP:
            self.range *= 256
            self.code = self.code * 256 + self._next()
        return bit

    def decode_freq(self, cdf, k: int) -> int:
        """Symbol 0..k of the 2^16-scale CDF list `cdf` (length k + 2)."""
        r = self.range >> FREQ_BITS
        slot = min(self.code // r, 0xFFFF)
        s = max(i for i in range(k + 1) if cdf[i] <= slot)
        self.code -= r * cdf[s]
        self.range = r * (cdf[s + 1] - cdf[s])
        if self.code >= self.range:
            raise CorruptPayload("code outside the symbol interval")
        while self.range < TOP:
            self.range *= 256
            self.code = self.code * 256 + self._next()
        return s
