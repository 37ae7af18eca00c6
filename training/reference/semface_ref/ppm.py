"""EG0 binarisation + PPM-style binary context model, mirrors ppm-model.ts / ppm-coder.ts."""

from .range_coder import PROB_BITS, PROB_MAX, PROB_MIN, RangeDecoder, RangeEncoder, CorruptPayload
from .signed_map import MAX_EG_PREFIX, eg_prefix_length, to_signed, to_unsigned

PREFIX_SLOTS = 12
SUFFIX_LENGTHS = 8
SUFFIX_POSITIONS = 3
BIN_SLOTS = PREFIX_SLOTS + SUFFIX_LENGTHS * SUFFIX_POSITIONS
CLASSES = 4
ORDER2_MIN_COUNT = 6
ORDER1_MIN_COUNT = 3
COUNT_LIMIT = 255


def prefix_slot(i: int) -> int:
    return i if i < PREFIX_SLOTS else PREFIX_SLOTS - 1


def suffix_slot(n: int, from_top: int) -> int:
    length = n if n < SUFFIX_LENGTHS else SUFFIX_LENGTHS
    pos = from_top if from_top < SUFFIX_POSITIONS - 1 else SUFFIX_POSITIONS - 1
    return PREFIX_SLOTS + (length - 1) * SUFFIX_POSITIONS + pos


def magnitude_class(n: int) -> int:
    return n if n < CLASSES - 1 else CLASSES - 1


class PpmModel:
    def __init__(self, channels: int) -> None:
        self.channels = channels
        self.reset()

    def reset(self) -> None:
        base = self.channels * BIN_SLOTS
        sizes = [base, base * CLASSES, base * CLASSES * CLASSES]
        self.n0 = [[0] * s for s in sizes]
        self.n1 = [[0] * s for s in sizes]
        self.prev1 = [0] * self.channels
        self.prev2 = [0] * self.channels

    def select(self, c: int, slot: int) -> int:
        i0 = c * BIN_SLOTS + slot
        i1 = i0 * CLASSES + self.prev1[c]
        i2 = i1 * CLASSES + self.prev2[c]
        self.idx = (i0, i1, i2)
        a, b = self.n0[2][i2], self.n1[2][i2]
        if a + b < ORDER2_MIN_COUNT:
            a, b = self.n0[1][i1], self.n1[1][i1]
            if a + b < ORDER1_MIN_COUNT:
                a, b = self.n0[0][i0], self.n1[0][i0]
        p = ((2 * a + 1) << PROB_BITS) // (2 * (a + b) + 2)
        return PROB_MIN if p < PROB_MIN else PROB_MAX if p > PROB_MAX else p

    def update(self, bit: int) -> None:
        for order, i in enumerate(self.idx):
            n0, n1 = self.n0[order], self.n1[order]
            if bit == 0:
                n0[i] += 1
            else:
                n1[i] += 1
            if n0[i] + n1[i] >= COUNT_LIMIT:
                n0[i] = (n0[i] + 1) >> 1
                n1[i] = (n1[i] + 1) >> 1

    def push_history(self, classes) -> None:
        self.prev2 = self.prev1
        self.prev1 = list(classes)


class PpmCoder:
    """Encoder or decoder state (statistics persist across frames until reset)."""

    def __init__(self, latent_dim: int) -> None:
        self.latent_dim = latent_dim
        self.model = PpmModel(latent_dim)

    def reset(self) -> None:
        self.model.reset()

    def encode_frame(self, latents) -> bytes:
        m = self.model
        rc = RangeEncoder()
        classes = []
        for c, v in enumerate(latents):
            u = to_unsigned(int(v))
            n = eg_prefix_length(u)
            for i in range(n + 1):
                bit = 1 if i < n else 0
                rc.encode(bit, m.select(c, prefix_slot(i)))
                m.update(bit)
            x = u + 1
            for i in range(n - 1, -1, -1):
                bit = (x >> i) & 1
                rc.encode(bit, m.select(c, suffix_slot(n, n - 1 - i)))
                m.update(bit)
            classes.append(magnitude_class(n))
        m.push_history(classes)
        return rc.finish()

    def decode_frame(self, payload: bytes):
        m = self.model
        rc = RangeDecoder(payload)
        out, classes = [], []
        for c in range(self.latent_dim):
            n = 0
            while True:
                bit = rc.decode(m.select(c, prefix_slot(n)))
                m.update(bit)
                if bit == 0:
                    break
                n += 1
                if n >= MAX_EG_PREFIX:
                    raise CorruptPayload("prefix too long")
            x = 1
            for i in range(n - 1, -1, -1):
                bit = rc.decode(m.select(c, suffix_slot(n, n - 1 - i)))
                m.update(bit)
                x = x * 2 + bit
            out.append(to_signed(x - 1))
            classes.append(magnitude_class(n))
        m.push_history(classes)
        return out
