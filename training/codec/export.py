"""Export a trained codec as the files packages/codec-core loads.

analysis.onnx  : "x" float32 [N, D] raw profile values  -> "y" float32 [N, 256]
synthesis.onnx : "y_hat" float32 [N, 256]               -> "x_hat" float32 [N, D] raw values
cdf.json       : frozen integer CDFs of the entropy model (see cdf.py)

The graphs are built from "frozen" modules holding the effective weights: GDN's reparametrised
beta/gamma are resolved and weight matrices are stored as float16 (cast to float32 inside the
graph) to halve the file size. The frozen PyTorch modules compute exactly what the ONNX graphs
compute, so they are the reference for the parity fixture.
"""

from __future__ import annotations

import hashlib
import io
import json
from pathlib import Path

import numpy as np
import onnx
import torch
from torch import nn

from .cdf import MAX_SYMBOLS, build_tables, validate_tables
from .model import DescriptorCodec, Transform

OPSET = 17


class FrozenTransform(nn.Module):
    """Inference-only copy of a Transform with float16-stored matrices."""

    def __init__(
        self,
        t: Transform,
        inverse: bool,
        pre: tuple[torch.Tensor, torch.Tensor] | None,
        post: tuple[torch.Tensor, torch.Tensor] | None,
        in_scale: torch.Tensor | None = None,
        out_scale: torch.Tensor | None = None,
    ) -> None:
        super().__init__()
        self.inverse = inverse
        half = lambda w: w.detach().to(torch.float16).clone()  # noqa: E731
        full = lambda w: w.detach().to(torch.float32).clone()  # noqa: E731
        # Input scaling (x * in_scale) folds into the first layer's columns.
        w_in = t.fc_in.weight * in_scale.unsqueeze(0) if in_scale is not None else t.fc_in.weight
        self.register_buffer("w_in", half(w_in))
        self.register_buffer("b_in", full(t.fc_in.bias))
        self.n_blocks = len(t.blocks)
        for i, block in enumerate(t.blocks):
            beta, gamma = block.gdn.effective()
            self.register_buffer(f"w_{i}", half(block.fc.weight))
            self.register_buffer(f"b_{i}", full(block.fc.bias))
            self.register_buffer(f"beta_{i}", full(beta))
            self.register_buffer(f"gamma_{i}", half(gamma))
        # Output scaling folds into the last layer's rows.
        w_out, b_out = t.fc_out.weight, t.fc_out.bias
        if out_scale is not None:
            w_out, b_out = w_out * out_scale.unsqueeze(1), b_out * out_scale
        self.register_buffer("w_out", half(w_out))
        self.register_buffer("b_out", full(b_out))
        self.has_pre = pre is not None
        self.has_post = post is not None
        if pre is not None:
            self.register_buffer("pre_mean", full(pre[0]))
            self.register_buffer("pre_std", full(pre[1]))
        if post is not None:
            self.register_buffer("post_mean", full(post[0]))
            self.register_buffer("post_std", full(post[1]))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.has_pre:
            x = (x - self.pre_mean) / self.pre_std
        h = torch.matmul(x, self.w_in.float().t()) + self.b_in
        for i in range(self.n_blocks):
            u = torch.matmul(torch.relu(h), getattr(self, f"w_{i}").float().t()) + getattr(self, f"b_{i}")
            norm = torch.matmul(u * u, getattr(self, f"gamma_{i}").float().t()) + getattr(self, f"beta_{i}")
            h = h + (u * torch.sqrt(norm) if self.inverse else u / torch.sqrt(norm))
        out = torch.matmul(torch.relu(h), self.w_out.float().t()) + self.b_out
        if self.has_post:
            out = out * self.post_std + self.post_mean
        return out


def frozen_pair(model: DescriptorCodec) -> tuple[FrozenTransform, FrozenTransform]:
    with torch.no_grad():
        gain = model.gain()
        analysis = FrozenTransform(model.analysis, False, (model.mean, model.std), None, out_scale=gain).eval()
        synthesis = FrozenTransform(model.synthesis, True, None, (model.mean, model.std), in_scale=1.0 / gain).eval()
    return analysis, synthesis


def _onnx_bytes(module: nn.Module, dim: int, input_name: str, output_name: str) -> bytes:
    buffer = io.BytesIO()
    with torch.no_grad():
        torch.onnx.export(
            module,
            (torch.zeros(2, dim),),
            buffer,
            input_names=[input_name],
            output_names=[output_name],
            dynamic_axes={input_name: {0: "N"}, output_name: {0: "N"}},
            opset_version=OPSET,
            # Folding would turn the float16 initialisers back into float32 ones.
            do_constant_folding=False,
            dynamo=False,
        )
    proto = onnx.load_from_string(buffer.getvalue())
    proto.producer_name = "semface-training"
    proto.doc_string = "semface descriptor codec"
    onnx.checker.check_model(proto)
    return proto.SerializeToString()


def cdf_tables(model: DescriptorCodec) -> dict[str, object]:
    minimum, count = model.entropy.symbol_ranges(MAX_SYMBOLS)
    tables = build_tables(minimum, model.entropy.pmf(minimum, count))
    validate_tables(tables)
    return tables


def export_files(model: DescriptorCodec) -> dict[str, bytes]:
    """The three model files as bytes, keyed by file name."""
    analysis, synthesis = frozen_pair(model)
    d, latent = model.config.input_dim, model.config.latent
    return {
        "analysis.onnx": _onnx_bytes(analysis, d, "x", "y"),
        "synthesis.onnx": _onnx_bytes(synthesis, latent, "y_hat", "x_hat"),
        "cdf.json": (json.dumps(cdf_tables(model), separators=(",", ":")) + "\n").encode(),
    }


def model_id(files: dict[str, bytes]) -> str:
    """12 hex chars of sha256(analysis.onnx + synthesis.onnx + cdf.json)."""
    h = hashlib.sha256()
    for name in ("analysis.onnx", "synthesis.onnx", "cdf.json"):
        h.update(files[name])
    return h.hexdigest()[:12]


def write_model_dir(root: Path, files: dict[str, bytes]) -> tuple[str, Path]:
    mid = model_id(files)
    target = root / mid
    target.mkdir(parents=True, exist_ok=True)
    for name, blob in files.items():
        (target / name).write_bytes(blob)
    return mid, target


def file_hashes(files: dict[str, bytes]) -> dict[str, str]:
    return {name: hashlib.sha256(blob).hexdigest() for name, blob in files.items()}


def frozen_outputs(model: DescriptorCodec, x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Reference (y, y_hat, x_hat) of the frozen modules for raw profile rows x."""
    analysis, synthesis = frozen_pair(model)
    with torch.no_grad():
        y = analysis(torch.from_numpy(np.asarray(x, dtype=np.float32)))
        y_hat = torch.floor(y + 0.5)
        x_hat = synthesis(y_hat)
    return y.numpy(), y_hat.numpy(), x_hat.numpy()
