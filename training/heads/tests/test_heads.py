"""Heads: threshold choice, ONNX export parity and manifest upsert."""

import json

import numpy as np
import onnxruntime as ort
import torch

from training.heads.export import export_onnx, write_head
from training.heads.model import ResidualMlp
from training.heads.train_verification import best_threshold


def test_best_threshold_separates():
    d = np.array([0.1, 0.2, 0.8, 0.9])
    same = np.array([True, True, False, False])
    t, acc = best_threshold(d, same)
    assert 0.2 < t < 0.8 and acc == 1.0


def test_export_matches_torch_and_manifest_upserts(tmp_path):
    torch.manual_seed(0)
    m = ResidualMlp(5, 3, np.zeros(5), np.ones(5), width=8, blocks=1, softmax=True)
    data = export_onnx(m, 5, "probabilities")
    x = np.random.default_rng(0).standard_normal((4, 5)).astype(np.float32)
    y = ort.InferenceSession(data).run(None, {"x": x})[0]
    np.testing.assert_allclose(y, m(torch.from_numpy(x)).detach().numpy(), atol=1e-5)
    entry = {"kind": "expression", "file": "e.onnx", "profile": "expression", "inputDim": 5, "outputDim": 3}
    write_head(tmp_path, entry, data)
    write_head(tmp_path, entry, data)
    heads = json.loads((tmp_path / "manifest.json").read_text())["heads"]
    assert len(heads) == 1 and len(heads[0]["sha256"]) == 64


def test_embedding_ensemble_is_unit_norm_and_exports():
    from training.heads.model import EmbeddingMlp, NormalisedEnsemble

    torch.manual_seed(0)
    members = [EmbeddingMlp(6, 4, np.zeros(6), np.ones(6), width=8, depth=2, dropout=0.0) for _ in range(3)]
    ens = NormalisedEnsemble(members).eval()
    x = np.random.default_rng(1).standard_normal((5, 6)).astype(np.float32)
    y = ort.InferenceSession(export_onnx(ens, 6, "embedding")).run(None, {"x": x})[0]
    np.testing.assert_allclose(np.linalg.norm(y, axis=1), 1.0, atol=1e-5)
    expected = sum(m(torch.from_numpy(x)).detach().numpy() for m in members)
    expected /= np.linalg.norm(expected, axis=1, keepdims=True)
    np.testing.assert_allclose(y, expected, atol=1e-5)


def test_probability_ensemble_averages_members():
    from training.heads.model import ProbabilityEnsemble

    torch.manual_seed(0)
    members = [ResidualMlp(5, 3, np.zeros(5), np.ones(5), width=8, blocks=1, softmax=True) for _ in range(2)]
    ens = ProbabilityEnsemble(members).eval()
    x = torch.randn(4, 5)
    p = ens(x).detach().numpy()
    np.testing.assert_allclose(p.sum(1), 1.0, atol=1e-6)
    np.testing.assert_allclose(p, (members[0](x) + members[1](x)).detach().numpy() / 2, atol=1e-6)


class _FakeSession:
    """Stands in for an onnxruntime session: analysis returns fixed latents, synthesis its input."""

    def __init__(self, out=None):
        self.out = out
        self.seen = None

    def get_inputs(self):
        return [type("Input", (), {"name": "x"})()]

    def run(self, _names, feeds):
        self.seen = feeds["x"]
        return [self.seen if self.out is None else self.out]


def test_codec_aug_quantises_as_codec_core():
    from training.codec.layout import descriptor_length
    from training.heads.codec_aug import CodecRoundTrip

    n = descriptor_length()
    y = np.zeros((1, n), dtype=np.float32)
    y[0, :6] = [0.5, -0.5, 2.5, -2.5, 40000.4, -5e6]
    rt = CodecRoundTrip.__new__(CodecRoundTrip)
    rt.task_profile = "full"
    synthesis = _FakeSession()
    rt.entries = [({"profile": "full", "rateIndex": 0}, _FakeSession(y), synthesis)]
    (dec,) = rt.decode_all(np.zeros((1, n), dtype=np.float32))
    # floor(y + 0.5) (ties up, not to even) clamped at 2^22 - 1 (not 32767), as codec-core's quantize.
    assert synthesis.seen[0, :6].tolist() == [1, 0, 3, -2, 40000, -(2**22 - 1)]
    assert dec[0, :6].tolist() == [1, 0, 3, -2, 40000, -(2**22 - 1)]
