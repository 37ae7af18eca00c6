"""Writes the tiny test models used by codec-core tests (not trained; exact scaled selections).

analysis:  y[:, j] = 4 * x[:, j % D]          (D = profile length; Gather + Mul)
synthesis: x_hat[:, i] = y_hat[:, i] / 4 for i < min(D, 256), else 0 (Pad + Gather + Mul)
cdf.json:  discretised Laplacians over [-R_c, R_c] plus ESCAPE, 16-bit.

Usage: training/.venv/bin/python training/reference/make_fixtures.py <models-dir>
"""

import hashlib
import json
import math
import os
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

LATENT = 256
PROFILE_LEN = {"full": 257, "expression": 70, "identity": 160}
SCALE = 4.0


def _model(name, nodes, inp, out, d_in, d_out, inits):
    graph = helper.make_graph(
        nodes,
        name,
        [helper.make_tensor_value_info(inp, TensorProto.FLOAT, ["N", d_in])],
        [helper.make_tensor_value_info(out, TensorProto.FLOAT, ["N", d_out])],
        initializer=inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="semface-fixture")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model.SerializeToString(deterministic=True)


def analysis_model(d):
    idx = numpy_helper.from_array(np.array([j % d for j in range(LATENT)], np.int64), name="idx")
    k = numpy_helper.from_array(np.array(SCALE, np.float32), name="k")
    nodes = [helper.make_node("Gather", ["x", "idx"], ["g"], axis=1), helper.make_node("Mul", ["g", "k"], ["y"])]
    return _model("analysis", nodes, "x", "y", d, LATENT, [idx, k])


def synthesis_model(d):
    # Column LATENT of the padded input is zero: fields beyond the latent width decode to 0.
    sel = [i if i < LATENT else LATENT for i in range(d)]
    idx = numpy_helper.from_array(np.array(sel, np.int64), name="idx")
    pads = numpy_helper.from_array(np.array([0, 0, 0, 1], np.int64), name="pads")
    k = numpy_helper.from_array(np.array(1.0 / SCALE, np.float32), name="k")
    nodes = [
        helper.make_node("Pad", ["y_hat", "pads"], ["p"]),
        helper.make_node("Gather", ["p", "idx"], ["g"], axis=1),
        helper.make_node("Mul", ["g", "k"], ["x_hat"]),
    ]
    return _model("synthesis", nodes, "y_hat", "x_hat", LATENT, d, [idx, pads, k])


def laplace_cdf(c):
    r = 4 + 4 * (c % 4)
    b = 1.0 + (c % 8)
    weights = [math.exp(-abs(v) / b) for v in range(-r, r + 1)] + [0.002]
    total = 1 << 16
    s = sum(weights)
    freqs = [max(1, int(w / s * total)) for w in weights]
    freqs[r] += total - sum(freqs)  # symbol for value 0 absorbs rounding
    cdf = [0]
    for f in freqs:
        cdf.append(cdf[-1] + f)
    assert cdf[-1] == total and all(f > 0 for f in freqs)
    return -r, cdf


def main(root):
    os.makedirs(root, exist_ok=True)
    mins, cdfs = zip(*(laplace_cdf(c) for c in range(LATENT)))
    cdf_bytes = json.dumps({"precision": 16, "channels": LATENT, "min": list(mins), "cdf": [list(r) for r in cdfs]},
                           separators=(",", ":")).encode()
    entries = []
    for profile, d in PROFILE_LEN.items():
        files = {
            "analysis": analysis_model(d),
            "synthesis": synthesis_model(d),
            "cdf": cdf_bytes,
        }
        model_id = hashlib.sha256(files["analysis"] + files["synthesis"] + files["cdf"]).hexdigest()[:12]
        names = {"analysis": "analysis.onnx", "synthesis": "synthesis.onnx", "cdf": "cdf.json"}
        os.makedirs(os.path.join(root, model_id), exist_ok=True)
        for k, data in files.items():
            with open(os.path.join(root, model_id, names[k]), "wb") as fh:
                fh.write(data)
        entries.append({
            "id": model_id,
            "profile": profile,
            "rateIndex": 0,
            "lambdaR": 0,
            "latentDim": LATENT,
            "files": names,
            "sha256": {k: hashlib.sha256(v).hexdigest() for k, v in files.items()},
            "training": {"fixture": "scaled selection, not trained", "scale": SCALE},
            "metrics": {},
        })
    with open(os.path.join(root, "manifest.json"), "w") as fh:
        json.dump({"models": entries}, fh, indent=2)
        fh.write("\n")
    print("\n".join(f"{e['profile']}: {e['id']}" for e in entries))


if __name__ == "__main__":
    main(sys.argv[1])
