MAX_EG_PREFIX = 24
MAX_LATENT_MAGNITUDE = (1 << 22) - 1


def to_unsigned(v: int) -> int:
    return 2 * v if v >= 0 else -2 * v - 1


def to_signed(u: int) -> int:
    return u // 2 if u % 2 == 0 else -(u + 1) // 2


def eg_prefix_length(u: int) -> int:
    return (u + 1).bit_length() - 1
