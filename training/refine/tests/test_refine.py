"""Refinement POC helpers: emotion-model resize, mesh displacement, uniform quantiser (no data needed)."""

import numpy as np
import torch

from training.refine.common import MeshDisplacement, quantise_uniform
from training.refine.teacher import resize_raw


def test_resize_raw_constant_and_identity():
    img = np.full((48, 48), 77, np.uint8)
    assert (resize_raw(img, 64) == 77).all()
    ramp = np.tile(np.arange(48, dtype=np.uint8), (48, 1))
    assert resize_raw(ramp, 48) is ramp
    out = resize_raw(ramp, 64)
    assert out.shape == (64, 64) and (np.diff(out[0].astype(int)) >= 0).all()


def test_mesh_displacement_is_zero_at_zero_and_homogeneous():
    m = MeshDisplacement()
    assert abs(m.iod - 1.0) < 1e-3
    d = torch.zeros(2, 64)
    d[1, 0] = 1.0
    out = m(d)
    assert float(out[0]) < 2e-4 and float(out[1]) > 0
    d2 = d.clone()
    d2[1, 0] = 2.0
    assert torch.allclose(m(d2)[1], 2 * out[1], rtol=1e-4)


def test_quantise_uniform_levels_and_clamp():
    x = np.array([[-10.0], [0.0], [0.49], [10.0]], np.float32)
    rec, sym = quantise_uniform(x, np.array([-1.0]), np.array([1.0]), 2)
    assert sym.ravel().tolist() == [0, 2, 2, 3]
    assert np.allclose(rec.ravel(), [-0.75, 0.25, 0.25, 0.75])
