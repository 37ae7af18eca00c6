"""Tiny identity-code model for unit tests (synthetic data, no real faces):
    training/.venv/bin/python -m training.idcode.fixture  -> packages/codec-core/src/identity-code/fixtures/tiny.json
"""

import numpy as np

from .code import fit
from .data import REPO
from .intmodel import dump, to_json


def main() -> None:
    rng = np.random.default_rng(13)
    centres = rng.standard_normal((40, 16))
    x = centres[np.arange(800) % 40] + 0.3 * rng.standard_normal((800, 16))
    models = [fit(x, 8, "itq", 8), fit(x, 16, "itq", 16), fit(x, 16, "itq", 8, center=True), fit(x, 15, "alloc"),
              fit(x, 64, "alloc")]
    js = to_json(models, x, 0xFFFE, {"name": "synthetic fixture"})
    for rp in js["ratePoints"]:
        rp["cosineThreshold"] = 0.5
    out = REPO / "packages/codec-core/src/identity-code/fixtures"
    out.mkdir(parents=True, exist_ok=True)
    dump(js, out / "tiny.json")
    print("wrote", out / "tiny.json")


if __name__ == "__main__":
    main()
