"""Bitstream v1 writer (batch files and frame packets), mirrors packages/codec-core/src/bitstream."""

import struct

from .crc32 import crc32

VERSION = 1
FILE_MAGIC = b"SFC1"
FRAME_MARKER = 0xA0
PROFILES = ["full", "expression", "identity"]
CODERS = ["ppm", "rans"]
KEY_FRAME = 0x01


def _varint(v: int) -> bytes:
    out = bytearray()
    while True:
        b = v & 0x7F
        v >>= 7
        out.append(b | 0x80 if v else b)
        if not v:
            return bytes(out)


def _params(model_id: str, profile: str, rate_index: int, coder: str, latent_dim: int) -> bytes:
    return bytes.fromhex(model_id) + struct.pack(
        "<BBBH", PROFILES.index(profile), rate_index, CODERS.index(coder), latent_dim
    )


def write_file(model_id, profile, rate_index, coder, latent_dim, payloads) -> bytes:
    body = bytearray(FILE_MAGIC + bytes([VERSION, 0]))
    body += _params(model_id, profile, rate_index, coder, latent_dim)
    body += struct.pack("<I", len(payloads))
    for p in payloads:
        body += _varint(len(p))
    for p in payloads:
        body += p
    return bytes(body) + struct.pack("<I", crc32(bytes(body)))


def write_frame_packet(model_id, profile, rate_index, coder, latent_dim, sequence, key_frame, payload) -> bytes:
    """Key frames carry the stream params; other frames only marker, flags, sequence, length, payload, CRC."""
    body = bytearray([FRAME_MARKER | VERSION, KEY_FRAME if key_frame else 0])
    if key_frame:
        body += _params(model_id, profile, rate_index, coder, latent_dim)
    body += struct.pack("<H", sequence & 0xFFFF)
    body += _varint(len(payload))
    body += payload
    return bytes(body) + struct.pack("<I", crc32(bytes(body)))
