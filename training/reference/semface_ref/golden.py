"""Generates the golden vectors of test/golden/ (mirrored by test/golden/golden.test.ts).

Usage: training/.venv/bin/python -m semface_ref.golden --out DIR [--models MODELS_DIR]
(run from training/reference). Writes one binary per vector and vectors.json with sha256 hashes.
"""

import argparse
import hashlib
import json
import math
import os

from .bitstream import write_file, write_frame_packet
from .golden_inputs import golden_descriptors, golden_latents
from .ppm import PpmCoder
from .factorized import CdfTable, factorized_encode_frame

LATENT = 256
LATENT_FRAMES = 24
LATENT_SEED = 0x5EED1234
DESCRIPTOR_FRAMES = 16
DESCRIPTOR_SEED = 0x0DE5C001
KEY_FRAME_INTERVAL = 8
FIXTURE_SCALE = 4.0
# Field ranges of the 257-D descriptor; the TypeScript source of truth is
# packages/codec-core/src/descriptor/layout.ts (profiles list fields in layout order).
FIELDS = {"identity": (0, 80), "expression": (80, 144), "texture": (144, 224),
          "rotation": (224, 227), "lighting": (227, 254), "translation": (254, 257)}
PROFILE_FIELDS = {"full": list(FIELDS), "expression": ["expression", "rotation", "translation"],
                  "identity": ["identity", "texture"]}


def profile_indices(profile):
    return [i for name in FIELDS if name in PROFILE_FIELDS[profile] for i in range(*FIELDS[name])]


def encode_frames(coder, frames, table):
    if coder == "ppm":
        ppm = PpmCoder(LATENT)
        return [ppm.encode_frame(f) for f in frames]
    return [factorized_encode_frame(table, f) for f in frames]


def stream_packets(model_id, profile, coder, frames, table):
    ppm = PpmCoder(LATENT)
    out = bytearray()
    for seq, f in enumerate(frames):
        key = seq % KEY_FRAME_INTERVAL == 0
        if coder == "ppm":
            if key:
                ppm.reset()
            payload = ppm.encode_frame(f)
        else:
            payload = factorized_encode_frame(table, f)
        out += write_frame_packet(model_id, profile, 0, coder, LATENT, seq, key, payload)
    return bytes(out)


def fixture_latents(descriptors, profile):
    idx = profile_indices(profile)
    d = len(idx)
    return [[math.floor(FIXTURE_SCALE * row[idx[j % d]] + 0.5) for j in range(LATENT)] for row in descriptors]


def build(models_dir):
    manifest = json.load(open(os.path.join(models_dir, "manifest.json")))
    by_profile = {m["profile"]: m for m in manifest["models"] if m["rateIndex"] == 0}
    full = by_profile["full"]
    table = CdfTable(json.load(open(os.path.join(models_dir, full["id"], full["files"]["cdf"]))))
    vectors = {}
    latents = golden_latents(LATENT_FRAMES, LATENT, LATENT_SEED)
    for coder in ("ppm", "rans"):
        vectors[f"latent-{coder}-file"] = write_file(
            full["id"], "full", 0, coder, LATENT, encode_frames(coder, latents, table))
        vectors[f"latent-{coder}-stream"] = stream_packets(full["id"], "full", coder, latents, table)
    descriptors = golden_descriptors(DESCRIPTOR_FRAMES, 257, DESCRIPTOR_SEED)
    for profile, model in by_profile.items():
        lat = fixture_latents(descriptors, profile)
        for coder in ("ppm", "rans"):
            vectors[f"descriptor-{profile}-{coder}-file"] = write_file(
                model["id"], profile, 0, coder, LATENT, encode_frames(coder, lat, table))
    return vectors


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    default_models = os.path.join(here, "..", "..", "..", "packages", "codec-core", "src", "models", "fixtures", "tiny")
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--models", default=default_models)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    index = {}
    for name, data in sorted(build(args.models).items()):
        with open(os.path.join(args.out, f"{name}.bin"), "wb") as fh:
            fh.write(data)
        index[name] = {"file": f"{name}.bin", "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    with open(os.path.join(args.out, "vectors.json"), "w") as fh:
        json.dump(index, fh, indent=2)
        fh.write("\n")
    for name, v in index.items():
        print(f"{name}: {v['bytes']} bytes {v['sha256'][:16]}")


if __name__ == "__main__":
    main()
