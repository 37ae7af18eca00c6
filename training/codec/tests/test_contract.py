"""The data contract shared with codec-core: layout and quantisation parity with TypeScript.

packages/codec-core/contracts/descriptor-layout.json is read by both sides; quantise-parity.json holds
seeded float32 inputs and the integers codec-core's TypeScript gives for them (written and checked by
packages/codec-core/src/descriptor/contract.test.ts). When codec-core is built (dist/) and node is on
PATH, fresh seeded rows also go through the TypeScript round trip live.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess

import numpy as np
import pytest

from training.codec import layout
from training.codec.quantise import max_magnitude, quantise

CODEC_CORE = layout.REPO_ROOT / "packages" / "codec-core"
PARITY_JSON = CODEC_CORE / "contracts" / "quantise-parity.json"
ROUNDTRIP_MJS = CODEC_CORE / "scripts" / "contract-roundtrip.mjs"
DIST = CODEC_CORE / "dist" / "descriptor" / "layout.js"


def _float32_rows(rows: list[list[float]]) -> np.ndarray:
    x64 = np.asarray(rows, dtype=np.float64)
    x = x64.astype(np.float32)
    assert np.array_equal(x.astype(np.float64), x64), "parity inputs must be float32 values"
    return x


def _python_round_trip(x: np.ndarray) -> tuple[dict[str, list[int]], dict[str, list[list[int]]]]:
    indices, q = {}, {}
    for profile in layout.profile_names():
        idx = layout.profile_indices(profile)
        indices[profile] = idx.tolist()
        latents = quantise(x[:, idx])
        back = np.zeros((x.shape[0], layout.descriptor_length()), dtype=np.float32)
        back[:, idx] = latents.astype(np.float32)
        q[profile] = back[:, idx].astype(np.int64).tolist()
    return indices, q


def test_contract_layout() -> None:
    c = layout.contract()
    assert layout.descriptor_length() == c["descriptorLength"] == 257
    assert list(layout.fields()) == [f["name"] for f in c["fields"]]
    assert layout.profile_names() == ("full", "expression", "identity")
    assert max_magnitude() == 2**22 - 1


def test_quantise_is_floor_half_up_in_float64_with_the_contract_clamp() -> None:
    m = max_magnitude()
    y = np.array([0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.5 - 2**-25, m + 0.5, -m - 0.5, 1e9, -1e9], dtype=np.float32)
    assert quantise(y).tolist() == [1, 0, 2, -1, 3, -2, 0, m, -m, m, -m]
    # np.round (ties to even) and float32 arithmetic would each differ here.
    assert np.round(y[:6]).tolist() != quantise(y[:6]).tolist()
    assert int(np.floor(y[6] + np.float32(0.5))) == 1


def test_parity_vectors_match_typescript() -> None:
    vectors = json.loads(PARITY_JSON.read_text(encoding="utf-8"))
    indices, q = _python_round_trip(_float32_rows(vectors["rows"]))
    assert indices == vectors["indices"]
    assert q == vectors["q"]


def test_codec_fixture_latents_follow_the_contract() -> None:
    # yHat of codec-core's PyTorch-vs-ONNX fixtures came from torch.floor(y + 0.5) in training.
    for profile in layout.profile_names():
        fx = json.loads((CODEC_CORE / "src" / "models" / "fixtures" / f"parity-{profile}.json").read_text())
        assert quantise(np.asarray(fx["y"], dtype=np.float32)).tolist() == fx["yHat"]


@pytest.mark.skipif(shutil.which("node") is None or not DIST.exists(), reason="needs node and a built codec-core (pnpm build)")
def test_live_round_trip_matches_typescript(tmp_path) -> None:
    rng = np.random.default_rng(12)
    n = layout.descriptor_length()
    spread = np.array([0.3, 2.0, 40.0, 1e4, 3e6, 8e6], dtype=np.float64)[:, None]
    x = (rng.standard_normal((6, n)) * spread).astype(np.float32)
    ties = rng.random(x.shape) < 0.2
    x[ties] = (np.floor(x[ties]) + np.float32(0.5)).astype(np.float32)
    x[0, :8] = np.array([0.5, -0.5, 2.5, -2.5, 0.5 - 2**-25, -(0.5 - 2**-25), 4194303.5, -4194303.5], dtype=np.float32)
    (tmp_path / "in.json").write_text(json.dumps({"rows": x.astype(np.float64).tolist()}), encoding="utf-8")
    subprocess.run(["node", str(ROUNDTRIP_MJS), str(tmp_path / "in.json"), str(tmp_path / "out.json")], check=True)
    ts = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    indices, q = _python_round_trip(x)
    assert indices == ts["indices"]
    assert q == ts["q"]


def test_export_motion_transform_writes_json_only(tmp_path, monkeypatch) -> None:
    from types import SimpleNamespace

    from training.codec import export_motion_transform as emt

    rng = np.random.default_rng(3)
    train = rng.standard_normal((400, layout.descriptor_length())).astype(np.float32)
    monkeypatch.setattr(emt, "real_split", lambda *_: SimpleNamespace(train=train, description={"kind": "synthetic"}))
    (tmp_path / "manifest.json").write_text(json.dumps({"version": 1, "models": []}), encoding="utf-8")
    ts_module = CODEC_CORE / "src" / "temporal" / "motion-transform-data.ts"
    before = ts_module.read_bytes()
    monkeypatch.setattr("sys.argv", ["export_motion_transform", "--models", str(tmp_path)])
    emt.main()
    (entry,) = json.loads((tmp_path / "manifest.json").read_text())["transforms"]
    written = (tmp_path / entry["id"] / "transform.json").read_bytes()
    assert hashlib.sha256(written).hexdigest() == entry["sha256"]
    assert json.loads(written)["dims"] == 70
    assert ts_module.read_bytes() == before  # only the generator writes TypeScript (default models folder only)
