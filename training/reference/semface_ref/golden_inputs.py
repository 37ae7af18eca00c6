"""Deterministic inputs for golden vectors; mirrored by test/golden/inputs.ts."""

MAX_LATENT_MAGNITUDE = (1 << 22) - 1


class XorShift32:
    def __init__(self, seed: int) -> None:
        self.x = seed & 0xFFFFFFFF or 1

    def next(self) -> int:
        x = self.x
        x ^= (x << 13) & 0xFFFFFFFF
        x ^= x >> 17
        x ^= (x << 5) & 0xFFFFFFFF
        self.x = x
        return x


def golden_latents(frames: int, dim: int, seed: int):
    """Small per-channel ranges, temporal repeats, rare outliers, and a last frame of extreme values."""
    rng = XorShift32(seed)
    prev = [0] * dim
    out = []
    for f in range(frames - 1):
        row = []
        for c in range(dim):
            r = rng.next()
            if f > 0 and (r & 3) == 0:
                v = prev[c]
            elif ((r >> 2) & 0xFF) == 0:
                v = ((r >> 10) % 4000) - 2000
            else:
                a = c % 6
                v = ((r >> 10) % (2 * a + 1)) - a
            prev[c] = v
            row.append(v)
        out.append(row)
    out.append([(1 if c % 2 else -1) * (MAX_LATENT_MAGNITUDE >> (c % 23)) for c in range(dim)])
    return out


def golden_descriptors(frames: int, dim: int, seed: int):
    """Values k / 256 with k in [-1000, 1000]: exact in float32, so the fixture models act exactly."""
    rng = XorShift32(seed)
    return [[((rng.next() >> 8) % 2001 - 1000) / 256 for _ in range(dim)] for _ in range(frames)]
