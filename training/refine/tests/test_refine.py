"""Expression refinement: contract reading, video smoothing parity with the extractor, mesh displacement."""

import json

import numpy as np
import torch

from training.refine.common import MeshDisplacement
from training.refine.contract import (
    DESCRIPTOR_COLUMNS,
    EMOTION_LABELS,
    INPUT,
    REPO,
    refiner_features,
    smooth_video_emotion,
)


def test_contract_features_follow_the_slices_then_the_emotion_values():
    x = np.arange(2 * 257, dtype=np.float32).reshape(2, 257)
    e = np.full((2, 7), -1.0, np.float32)
    z = refiner_features(x, e)
    assert z.shape == (2, INPUT["width"]) and INPUT["width"] == 77
    assert z[0, 0] == 80 and z[0, 63] == 143 and z[0, 64] == 224 and z[0, 67] == 254
    assert (z[:, 70:] == -1).all()
    assert len(DESCRIPTOR_COLUMNS) == 70 and len(EMOTION_LABELS) == 7


def test_video_smoothing_matches_the_extractor_fixture():
    f = json.loads((REPO / "packages/extractor/contracts/parity/emotion-smoothing.json").read_text())
    got = smooth_video_emotion(np.asarray(f["input"], np.float32), f["rows"])
    assert np.array_equal(got, np.asarray(f["output"], np.float32))


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


def test_cross_fit_folds_partition_the_fit_rows_and_never_touch_the_selection_rows():
    from training.refine.cross_fit import folds
    from training.refine.train_refine import selection_split

    sel, fit = selection_split(1000)
    assert len(sel) == 100 and np.intersect1d(sel, fit).size == 0 and len(fit) == 900
    parts = folds(fit, 5)
    assert [len(p) for p in parts] == [180] * 5
    joined = np.concatenate(parts)
    assert np.array_equal(np.sort(joined), fit)
    assert np.intersect1d(joined, sel).size == 0
