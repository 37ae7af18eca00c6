"""Golden vectors of the identity-code packet (mirrored by test/golden/identity-code.test.ts).

Usage (from training/reference): python -m semface_ref.identity_code_golden --model MODEL.json --out DIR
Writes identity-code-r<rate>.bin (the packets of GOLDEN_FACES seeded embeddings, concatenated) and
identity-code-vectors.json (sha256 per file).
"""

import argparse
import hashlib
import json
import os

from .identity_code import IdentityCodeModel, encode, golden_embeddings

GOLDEN_FACES = 8
GOLDEN_SEED = 0x1DC0DE01


def build(model_path: str) -> dict[str, bytes]:
    model = IdentityCodeModel(json.load(open(model_path)))
    faces = golden_embeddings(GOLDEN_FACES, model.input_dim, GOLDEN_SEED)
    return {f"identity-code-r{r}": b"".join(encode(model, f, r) for f in faces)
            for r in range(len(model.rate_points))}


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True)
    p.add_argument("--out", required=True)
    a = p.parse_args()
    os.makedirs(a.out, exist_ok=True)
    index = {}
    for name, data in build(a.model).items():
        with open(os.path.join(a.out, f"{name}.bin"), "wb") as f:
            f.write(data)
        index[name] = {"file": f"{name}.bin", "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    with open(os.path.join(a.out, "identity-code-vectors.json"), "w") as f:
        json.dump(index, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
