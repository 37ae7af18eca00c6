"""Identity-code training side vs the pure-Python reference (synthetic data only)."""

import sys
from pathlib import Path

import numpy as np

from training.idcode.code import allocate, fit
from training.idcode.intmodel import IntModel, to_json

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "reference"))
from semface_ref.identity_code import IdentityCodeModel, code_levels, decode, encode, vector  # noqa: E402


def synthetic(n=600, d=24, seed=0):
    rng = np.random.default_rng(seed)
    c = rng.standard_normal((30, d))
    return c[np.arange(n) % 30] + 0.3 * rng.standard_normal((n, d))


def test_allocation_spends_every_bit_within_limits():
    b = allocate(np.array([4.0, 1.0, 0.25, 0.01]), 10, max_bits=4)
    assert b.sum() == 10 and b.max() <= 4 and b[0] >= b[1] >= b[2] >= b[3]


def test_integer_contract_matches_reference_and_round_trips():
    x = synthetic()
    models = [fit(x, 16, "itq", 16, center=True), fit(x, 24, "alloc"), fit(x, 48, "itq", 16)]
    js = to_json(models, x, 7, {})
    im, ref = IntModel(js), IdentityCodeModel(js)
    probe = synthetic(40, seed=1)
    for r, rp in enumerate(js["ratePoints"]):
        assert rp["bits"] == sum(rp["bitsPerDim"])
        assert all(t == sorted(t) for t in rp["thresholds"])
        lv = im.levels(probe, r)
        vec = im.vectors(probe, r)
        for i, e in enumerate(probe.tolist()):
            assert code_levels(ref, e, r) == lv[i].tolist()
            data = encode(ref, e, r)
            assert len(data) == 4 + (rp["bits"] + 7) // 8
            ri, levels = decode(ref, data)
            assert ri == r and levels == lv[i].tolist()
            assert vector(ref, r, levels) == vec[i].astype(int).tolist()


def test_quantised_code_keeps_identity_structure():
    x = synthetic(900, seed=2)
    labels = np.arange(900) % 30
    im = IntModel(to_json([fit(x, 64, "alloc")], x, 1, {}))
    v = im.vectors(x, 0)
    v = v / np.linalg.norm(v, axis=1, keepdims=True)
    s = v @ v.T
    same = labels[:, None] == labels[None, :]
    assert s[same].mean() > s[~same].mean() + 0.5
