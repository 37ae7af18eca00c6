"""Self-checks of the Python reference coder. Run: training/.venv/bin/python -m pytest training/reference"""

import json
import os
import zlib

import pytest

from semface_ref.bitstream import write_file, write_frame_packet
from semface_ref.crc32 import crc32
from semface_ref.golden import LATENT, LATENT_FRAMES, LATENT_SEED, build
from semface_ref.golden_inputs import golden_latents
from semface_ref.ppm import PpmCoder
from semface_ref.range_coder import RangeDecoder, RangeEncoder, CorruptPayload
from semface_ref.factorized import CdfTable, factorized_decode_frame, factorized_encode_frame
from semface_ref.signed_map import to_signed, to_unsigned

HERE = os.path.dirname(os.path.abspath(__file__))
MODELS = os.path.join(HERE, "..", "..", "..", "packages", "codec-core", "src", "models", "fixtures", "tiny")


@pytest.fixture(scope="module")
def table():
    manifest = json.load(open(os.path.join(MODELS, "manifest.json")))
    return CdfTable(json.load(open(os.path.join(MODELS, manifest["models"][0]["id"], "cdf.json"))))


@pytest.fixture(scope="module")
def latents():
    return golden_latents(LATENT_FRAMES, LATENT, LATENT_SEED)


@pytest.mark.parametrize("data", [b"", b"123456789", b"The quick brown fox", bytes(range(256)) * 3])
def test_crc32_matches_zlib(data):
    assert crc32(data) == zlib.crc32(data)


def test_signed_map():
    assert [to_unsigned(v) for v in (0, -1, 1, -2, 2)] == [0, 1, 2, 3, 4]
    assert all(to_signed(to_unsigned(v)) == v for v in range(-500, 500))


def test_range_coder_round_trip():
    bits = [(i * 7) % 3 == 0 for i in range(5000)]
    probs = [(1, 4095, 2048, 300)[i % 4] for i in range(5000)]
    enc = RangeEncoder()
    for b, p in zip(bits, probs):
        enc.encode(int(b), p)
    dec = RangeDecoder(enc.finish())
    assert [bool(dec.decode(p)) for p in probs] == bits


def test_ppm_round_trip_with_state(latents):
    enc, dec = PpmCoder(LATENT), PpmCoder(LATENT)
    for f in latents:
        assert dec.decode_frame(enc.encode_frame(f)) == f


def test_factorized_round_trip(table, latents):
    for f in latents:
        assert factorized_decode_frame(table, factorized_encode_frame(table, f)) == f


def test_factorized_corruption_is_detected_or_changes_output(table, latents):
    payload = bytearray(factorized_encode_frame(table, latents[0]))
    payload[len(payload) // 2] ^= 0x5A
    try:
        out = factorized_decode_frame(table, bytes(payload))
    except CorruptPayload:
        return
    assert len(out) == LATENT and out != latents[0]


def test_writers_layout():
    f = write_file("0123456789ab", "identity", 2, "rans", 256, [b"abc", b""])
    assert f[:6] == b"SFC1\x01\x00" and len(f) == 21 + 2 + 3 + 4
    assert int.from_bytes(f[-4:], "little") == zlib.crc32(f[:-4])
    p = write_frame_packet("0123456789ab", "full", 0, "ppm", 256, 9, True, b"xy")
    assert p[:2] == b"\xa1\x01" and len(p) == 2 + 11 + 2 + 1 + 2 + 4
    q = write_frame_packet("0123456789ab", "full", 0, "ppm", 256, 10, False, b"xy")
    assert q[:4] == b"\xa1\x00\x0a\x00" and len(q) == 2 + 2 + 1 + 2 + 4


def test_golden_vectors_match_committed():
    committed = json.load(open(os.path.join(HERE, "..", "..", "..", "test", "golden", "vectors.json")))
    import hashlib

    built = build(MODELS)
    assert sorted(built) == sorted(committed)
    for name, data in built.items():
        assert hashlib.sha256(data).hexdigest() == committed[name]["sha256"], name
