"""Fast synthetic checks of the codec's building blocks (no real data)."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from training.codec import layout
from training.codec.cdf import PRECISION, build_tables, estimate_bits, quantize_pmf, validate_tables
from training.codec.entropy import EntropyBottleneck, quantize
from training.codec.export import export_files, frozen_outputs, model_id
from training.codec.gdn import GDN
from training.codec.model import LATENT_DIM, DescriptorCodec, ModelConfig


def test_layout_matches_typescript_profiles() -> None:
    assert layout.descriptor_length() == 257
    assert len(layout.profile_indices("full")) == 257
    assert len(layout.profile_indices("expression")) == 70
    assert len(layout.profile_indices("identity")) == 160
    assert layout.profile_indices("expression")[64:].tolist() == [224, 225, 226, 254, 255, 256]


def test_gdn_shapes_and_inverse() -> None:
    torch.manual_seed(0)
    x = torch.randn(5, 32)
    gdn, igdn = GDN(32), GDN(32, inverse=True)
    y = gdn(x)
    assert y.shape == (5, 32)
    # With identical parameters, IGDN(GDN(x)) is not x in general, but for the initial diagonal gamma
    # the map is per-element and monotone: same sign and smaller magnitude.
    assert torch.all(torch.sign(y) == torch.sign(x))
    assert torch.all(y.abs() <= x.abs() + 1e-6)
    assert torch.all(igdn(x).abs() >= x.abs() - 1e-6)


def test_gdn_matches_formula_and_stays_non_negative() -> None:
    torch.manual_seed(1)
    gdn = GDN(8)
    with torch.no_grad():
        gdn.gamma.uniform_(-0.5, 0.5)  # stored values may go negative; effective ones may not
        gdn.beta.uniform_(-1, 1)
    beta, gamma = gdn.effective()
    assert torch.all(beta >= 1e-6 - 1e-9) and torch.all(gamma >= 0)
    x = torch.randn(3, 8)
    expected = x / torch.sqrt(beta + (x * x) @ gamma.t())
    assert torch.allclose(gdn(x), expected, atol=1e-6)


def test_noise_in_training_and_rounding_in_eval() -> None:
    torch.manual_seed(2)
    eb = EntropyBottleneck(4)
    y = torch.randn(1000, 4) * 3
    noisy, _ = eb(y, training=True)
    delta = noisy - y
    assert delta.abs().max() <= 0.5 and delta.std() > 0.2
    rounded, lik = eb(y, training=False)
    assert torch.equal(rounded, torch.floor(y + 0.5))
    assert torch.all(lik > 0) and torch.all(lik <= 1)
    # Ties go up, the rule shared with the TypeScript codec.
    assert quantize(torch.tensor([-1.5, -0.5, 0.5, 1.49])).tolist() == [-1.0, 0.0, 1.0, 1.0]


def test_likelihoods_sum_to_one_over_integers() -> None:
    eb = EntropyBottleneck(3)
    grid = torch.arange(-400, 401, dtype=torch.float32).unsqueeze(1).repeat(1, 3)
    total = eb.likelihood(grid).sum(dim=0)
    assert torch.allclose(total, torch.ones(3), atol=1e-4)


def test_quantized_cdf_is_valid_with_escape() -> None:
    pmf = np.array([1e-12, 0.2, 0.5, 0.3 - 1e-6])
    cdf = quantize_pmf(pmf, escape=1e-6)
    assert len(cdf) == len(pmf) + 2
    assert cdf[0] == 0 and cdf[-1] == 1 << PRECISION
    assert np.all(np.diff(cdf) >= 1)
    assert np.diff(cdf)[-1] >= 1  # escape is always codable


def test_tables_from_entropy_model_follow_contract() -> None:
    eb = EntropyBottleneck(16)
    minimum, count = eb.symbol_ranges(max_symbols=64)
    tables = build_tables(minimum, eb.pmf(minimum, count))
    validate_tables(tables)
    assert tables["channels"] == 16 and len(tables["cdf"][0]) == count[0] + 2
    bad = {**tables, "cdf": [list(c) for c in tables["cdf"]]}
    bad["cdf"][0][1] = 0
    with pytest.raises(ValueError):
        validate_tables(bad)


def test_escape_costs_more_than_any_in_range_value() -> None:
    tables = build_tables(np.array([-2]), [np.array([0.1, 0.2, 0.4, 0.2, 0.1 - 1e-4])])
    inside = estimate_bits(np.array([[0]]), tables)[0]
    escaped = estimate_bits(np.array([[50]]), tables)[0]
    assert escaped > inside + 10


def test_export_roundtrip_parity_and_id() -> None:
    torch.manual_seed(3)
    model = DescriptorCodec(ModelConfig(input_dim=70, hidden=32, blocks=1), torch.zeros(70), torch.ones(70)).eval()
    with torch.no_grad():
        model.log_gain.uniform_(0.0, 2.0)  # the latent gain must fold into the exported layers
    files = export_files(model)
    assert set(files) == {"analysis.onnx", "synthesis.onnx", "cdf.json"}
    assert len(model_id(files)) == 12
    import onnxruntime as ort

    x = np.random.default_rng(0).normal(size=(3, 70)).astype(np.float32)
    y, y_hat, x_hat = frozen_outputs(model, x)
    assert y.shape == (3, LATENT_DIM) and x_hat.shape == (3, 70)
    analysis = ort.InferenceSession(files["analysis.onnx"])
    synthesis = ort.InferenceSession(files["synthesis.onnx"])
    np.testing.assert_allclose(analysis.run(["y"], {"x": x})[0], y, atol=1e-5)
    np.testing.assert_allclose(synthesis.run(["x_hat"], {"y_hat": y_hat})[0], x_hat, atol=1e-5)
    # The float16-stored graphs stay close to the float32 training model.
    with torch.no_grad():
        y_ref = model.encode(torch.from_numpy(x)).numpy()
        x_ref = model.decode(torch.from_numpy(y_hat)).numpy()
    np.testing.assert_allclose(y, y_ref, rtol=1e-2, atol=1e-2)
    np.testing.assert_allclose(x_hat, x_ref, rtol=1e-2, atol=1e-2)


def test_real_split_holds_out_view1_test_people_and_fer_validation(tmp_path) -> None:
    import json

    from training.codec.data import real_split, synthetic_descriptors

    cache = tmp_path / "cache"
    cache.mkdir()
    (tmp_path / "lfw").mkdir()
    (tmp_path / "lfw" / "peopleDevTest.txt").write_text("1\nBob_Test\t2\n")
    np.save(cache / "fer2013-train.npy", synthetic_descriptors(10, seed=1))
    np.save(cache / "fer2013-validation.npy", synthetic_descriptors(4, seed=2))
    lfw = synthetic_descriptors(5, seed=3)
    lfw[4] = np.nan  # a failed fit must be dropped
    np.save(cache / "lfw.npy", lfw)
    rows = [{"source": f"{p}/{p}_000{i}.jpg", "label": p} for i, p in enumerate(["Ann_Train", "Bob_Test", "Bob_Test", "Ann_Train", "Ann_Train"])]
    (cache / "lfw.json").write_text(json.dumps({"header": {}, "rows": rows, "failures": []}))
    split = real_split(cache, tmp_path)
    assert split.train.shape == (10 + 2, 257)
    assert split.eval.shape == (4 + 2, 257)
    assert np.isfinite(split.train).all() and np.isfinite(split.eval).all()


def test_carried_masks_cover_each_smaller_profile() -> None:
    from training.codec.train import carried_masks

    masks = carried_masks("full")
    assert masks.shape == (2, 257)
    assert sorted(int(m.sum()) for m in masks) == [70, 160]
    for m in masks:
        profile = "expression" if int(m.sum()) == 70 else "identity"
        assert np.array_equal(np.flatnonzero(m.numpy()), layout.profile_indices(profile))
    assert carried_masks("expression").shape == (0, 70)


def test_carried_mae_ignores_dropped_values_and_weighs_rows_equally() -> None:
    from training.codec.train import carried_mae

    target = torch.zeros(2, 4)
    x_hat = torch.tensor([[1.0, 1.0, 100.0, 100.0], [2.0, 2.0, 2.0, 2.0]])
    carried = torch.tensor([[1.0, 1.0, 0.0, 0.0], [1.0, 1.0, 1.0, 1.0]])
    assert float(carried_mae(x_hat, target, carried)) == pytest.approx((1.0 + 2.0) / 2)


def test_train_all_retrains_only_named_profiles_and_keeps_the_rest(tmp_path) -> None:
    import json

    from training.codec import train_all

    out = tmp_path / "models"
    common = ["--out", str(out), "--checkpoints", str(tmp_path / "ckpt"), "--fixtures", str(tmp_path / "fx"),
              "--report", str(tmp_path / "rd.md"), "--lambdas", "0.001", "--epochs", "1", "--hidden", "32"]
    train_all.main(common)
    first = json.loads((out / "manifest.json").read_text())
    assert sorted(m["profile"] for m in first["models"]) == ["expression", "full", "identity"]
    full = next(m for m in first["models"] if m["profile"] == "full")
    assert full["training"]["fieldDropout"] == 0.4
    # A motion transform registered by export_motion_transform must survive a retrain.
    first["transforms"] = [{"id": "0123456789ab", "kind": "motion-klt"}]
    (out / "manifest.json").write_text(json.dumps(first))
    (out / "0123456789ab").mkdir()
    train_all.main([*common, "--profiles", "identity", "--epochs", "2"])
    second = json.loads((out / "manifest.json").read_text())
    by_profile = {m["profile"]: m for m in second["models"]}
    before = {m["profile"]: m for m in first["models"]}
    for kept in ("full", "expression"):
        assert by_profile[kept]["id"] == before[kept]["id"]
        assert by_profile[kept]["training"] == before[kept]["training"]
        assert (out / by_profile[kept]["id"] / "analysis.onnx").exists()
    assert by_profile["identity"]["training"]["epochs"] == 2
    assert second["transforms"] == first["transforms"] and (out / "0123456789ab").is_dir()
    evaluation = json.loads((out / "evaluation.json").read_text())
    assert {z["profile"] for z in evaluation["zeroFilled"]} == {"expression", "identity"}
    assert (tmp_path / "fx" / "parity-identity.json").exists()
