"""Self-check of the Python reference: decode(encode(x)) == x. Run: training/.venv/bin/python test_roundtrip.py"""

import json
import os
import zlib

from semface_ref.crc32 import crc32
from semface_ref.golden import build, LATENT, LATENT_FRAMES, LATENT_SEED
from semface_ref.golden_inputs import golden_latents
from semface_ref.ppm import PpmCoder
from semface_ref.rans import CdfTable, factorized_decode_frame, factorized_encode_frame

here = os.path.dirname(os.path.abspath(__file__))
models = os.path.join(here, "..", "..", "packages", "codec-core", "src", "models", "fixtures", "tiny")
assert crc32(b"123456789") == 0xCBF43926 == zlib.crc32(b"123456789")
latents = golden_latents(LATENT_FRAMES, LATENT, LATENT_SEED)
enc, dec = PpmCoder(LATENT), PpmCoder(LATENT)
for f in latents:
    assert dec.decode_frame(enc.encode_frame(f)) == f
manifest = json.load(open(os.path.join(models, "manifest.json")))
m = manifest["models"][0]
table = CdfTable(json.load(open(os.path.join(models, m["id"], "cdf.json"))))
for f in latents:
    assert factorized_decode_frame(table, factorized_encode_frame(table, f)) == f
assert len(build(models)) == 10
print("python reference round trip ok")
