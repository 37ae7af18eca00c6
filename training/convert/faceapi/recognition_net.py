"""face-api's FaceRecognitionNet (dlib's ResNet-34-like 128-D face descriptor) rebuilt as an ONNX graph.

Mirrors ``src/faceRecognitionNet/*.ts`` of @vladmandic/face-api 1.7.15 op for op:

* preprocessing: ``(rgb - [122.782, 117.001, 104.298]) / 255`` (FaceRecognitionNet.forwardInput),
* ``conv`` layer = conv2d + bias, then the affine "scale" layer ``x * w + b``, optional relu. Both affine
  steps are folded into the convolution weights and bias (exact up to float rounding),
* ``residual``: conv(relu) -> conv -> + x -> relu,
* ``residualDown``: stride-2 'valid' conv(relu) -> conv, shortcut avgPool(2, 2, 'valid') zero-padded on
  channels; when the conv output is one pixel smaller than the pooled shortcut, the conv output gets a zero
  row at the bottom and a zero column at the right (face-api's ``isAdjustShape`` branch),
* global mean over H, W then ``matMul`` with ``fc`` [256, 128] (no normalisation of the descriptor).

Graph input ``image``: float32 [N, 150, 150, 3], RGB in 0..255 (NHWC, as tfjs). Output ``descriptor``:
float32 [N, 128].
"""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

from .weights import Quantized

INPUT_SIZE = 150
MEAN_RGB = (122.782, 117.001, 104.298)
DIVISOR = 255.0
DESCRIPTOR_SIZE = 128

# (name, kind) in forward order; kind "res" = residual, "down" = residualDown
_BLOCKS = [
    ("conv32_1", "res"), ("conv32_2", "res"), ("conv32_3", "res"),
    ("conv64_down", "down"), ("conv64_1", "res"), ("conv64_2", "res"), ("conv64_3", "res"),
    ("conv128_down", "down"), ("conv128_1", "res"), ("conv128_2", "res"),
    ("conv256_down", "down"), ("conv256_1", "res"), ("conv256_2", "res"),
    ("conv256_down_out", "down"),
]


class _Builder:
    def __init__(self, weights: dict[str, np.ndarray], quantized: dict[str, Quantized] | None):
        self.w = weights
        self.q = quantized or {}
        self.used: set[str] = set()
        self.nodes: list[onnx.NodeProto] = []
        self.inits: list[onnx.TensorProto] = []
        self._n = 0

    def name(self, hint: str) -> str:
        self._n += 1
        return f"{hint}_{self._n}"

    def const(self, hint: str, value: np.ndarray) -> str:
        n = self.name(hint)
        self.inits.append(numpy_helper.from_array(value, n))
        return n

    def op(self, op_type: str, inputs: list[str], hint: str, **attrs) -> str:
        out = self.name(hint)
        self.nodes.append(helper.make_node(op_type, inputs, [out], name=out, **attrs))
        return out

    def weight(self, key: str, perm: tuple[int, ...] | None = None, shape: tuple[int, ...] | None = None) -> str:
        """A graph value holding weight ``key`` (transposed by ``perm``, then reshaped to ``shape``).

        Quantised weights stay uint8 in the file and are dequantised by Cast/Mul/Add, which onnxruntime
        constant-folds when the session is created, so the graph costs nothing extra at inference time.
        """
        self.used.add(key)
        q = self.q.get(key)
        arr = q.codes if q is not None else self.w[key].astype(np.float32)
        if perm is not None:
            arr = arr.transpose(perm)
        if shape is not None:
            arr = arr.reshape(shape)
        arr = np.ascontiguousarray(arr)
        tag = key.replace("/", "_")
        if q is None:
            return self.const(tag, arr)
        codes = self.op("Cast", [self.const(tag + "_q", arr)], tag + "_f", to=TensorProto.FLOAT)
        scaled = self.op("Mul", [codes, self.const(tag + "_scale", np.array(q.scale, dtype=np.float32))], tag + "_s")
        return self.op("Add", [scaled, self.const(tag + "_min", np.array(q.min, dtype=np.float32))], tag)

    def conv(self, x: str, prefix: str, stride: int, relu: bool, same: bool) -> str:
        kh, kw, _, cout = self.w[f"{prefix}/conv/filters"].shape  # tfjs HWIO
        tag = prefix.replace("/", "_")
        # ((conv(x) + bias) * sw + sb) == conv(x; filters * sw) + (bias * sw + sb)
        filters = self.weight(f"{prefix}/conv/filters", perm=(3, 2, 0, 1))
        sw_col = self.weight(f"{prefix}/scale/weights", shape=(cout, 1, 1, 1))
        w_oihw = self.op("Mul", [filters, sw_col], tag + "_W")
        self.used.discard(f"{prefix}/scale/weights")
        sw = self.weight(f"{prefix}/scale/weights")
        bias = self.op("Mul", [self.weight(f"{prefix}/conv/bias"), sw], tag + "_bs")
        b = self.op("Add", [bias, self.weight(f"{prefix}/scale/biases")], tag + "_B")
        if same:
            # TF 'same' with stride 1 and odd kernels pads (k-1)/2 on each side
            pads = [(kh - 1) // 2, (kw - 1) // 2, kh - 1 - (kh - 1) // 2, kw - 1 - (kw - 1) // 2]
            assert stride == 1
        else:
            pads = [0, 0, 0, 0]
        y = self.op(
            "Conv",
            [x, w_oihw, b],
            prefix.replace("/", "_"),
            kernel_shape=[kh, kw], strides=[stride, stride], pads=pads,
        )
        return self.op("Relu", [y], prefix.replace("/", "_") + "_relu") if relu else y

    def residual(self, x: str, prefix: str) -> str:
        out = self.conv(x, f"{prefix}/conv1", 1, True, True)
        out = self.conv(out, f"{prefix}/conv2", 1, False, True)
        return self.op("Relu", [self.op("Add", [out, x], f"{prefix}_add")], f"{prefix}_relu")

    def residual_down(self, x: str, prefix: str, in_hw: int, in_c: int) -> tuple[str, int, int]:
        out = self.conv(x, f"{prefix}/conv1", 2, True, False)
        out = self.conv(out, f"{prefix}/conv2", 1, False, True)
        out_c = self.w[f"{prefix}/conv2/conv/filters"].shape[3]
        conv_hw = (in_hw - 3) // 2 + 1
        pool_hw = in_hw // 2
        pooled = self.op("AveragePool", [x], f"{prefix}_pool", kernel_shape=[2, 2], strides=[2, 2])
        if conv_hw != pool_hw:
            assert pool_hw == conv_hw + 1
            pads = self.const(f"{prefix}/hwpad", np.array([0, 0, 0, 0, 0, 0, 1, 1], dtype=np.int64))
            out = self.op("Pad", [out, pads], f"{prefix}_hwpad", mode="constant")
        if out_c != in_c:
            pads = self.const(f"{prefix}/cpad", np.array([0, 0, 0, 0, 0, out_c - in_c, 0, 0], dtype=np.int64))
            pooled = self.op("Pad", [pooled, pads], f"{prefix}_cpad", mode="constant")
        y = self.op("Relu", [self.op("Add", [pooled, out], f"{prefix}_add")], f"{prefix}_relu")
        return y, pool_hw, out_c


def build_recognition_model(
    weights: dict[str, np.ndarray], quantized: dict[str, Quantized] | None = None, opset: int = 17
) -> onnx.ModelProto:
    """Build the ONNX model from face-api's weight map (names as in the weights manifest).

    With ``quantized`` (from :func:`load_weight_map`) the quantised tensors keep their uint8 codes.
    """
    b = _Builder(weights, quantized)
    mean = np.array(MEAN_RGB, dtype=np.float32).reshape(1, 1, 1, 3)
    x = b.op("Sub", ["image", b.const("mean_rgb", mean)], "centred")
    x = b.op("Div", [x, b.const("divisor", np.array(DIVISOR, dtype=np.float32))], "normalised")
    x = b.op("Transpose", [x], "nchw", perm=[0, 3, 1, 2])

    x = b.conv(x, "conv32_down", 2, True, False)
    hw = (INPUT_SIZE - 7) // 2 + 1
    x = b.op("MaxPool", [x], "maxpool", kernel_shape=[3, 3], strides=[2, 2])
    hw = (hw - 3) // 2 + 1
    c = weights["conv32_down/conv/filters"].shape[3]
    for prefix, kind in _BLOCKS:
        if kind == "res":
            x = b.residual(x, prefix)
        else:
            x, hw, c = b.residual_down(x, prefix, hw, c)

    pooled = b.op("ReduceMean", [x], "global_avg", axes=[2, 3], keepdims=0) if opset < 18 else b.op(
        "ReduceMean", [x, b.const("gap_axes", np.array([2, 3], dtype=np.int64))], "global_avg", keepdims=0
    )
    b.nodes.append(helper.make_node("MatMul", [pooled, b.weight("fc")], ["descriptor"], name="fc"))

    unused = set(weights) - b.used
    if unused:
        raise ValueError(f"weights not used by the graph: {sorted(unused)}")

    graph = helper.make_graph(
        b.nodes,
        "faceapi_face_recognition",
        [helper.make_tensor_value_info("image", TensorProto.FLOAT, ["N", INPUT_SIZE, INPUT_SIZE, 3])],
        [helper.make_tensor_value_info("descriptor", TensorProto.FLOAT, ["N", DESCRIPTOR_SIZE])],
        b.inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)], producer_name="semface")
    model.ir_version = 8
    onnx.checker.check_model(model, full_check=True)
    return model


def reference_forward(weights: dict[str, np.ndarray], image_nhwc: np.ndarray) -> np.ndarray:
    """Unfolded float64 numpy forward pass (no ONNX), op for op as face-api, for cross-checking the graph."""
    def conv(x, prefix, stride, relu, same):
        f = weights[f"{prefix}/conv/filters"].astype(np.float64)
        kh, kw, _, cout = f.shape
        if same:
            p = (kh - 1) // 2
            x = np.pad(x, ((0, 0), (p, kh - 1 - p), (p, kw - 1 - p), (0, 0)))
        n, h, w, _ = x.shape
        oh, ow = (h - kh) // stride + 1, (w - kw) // stride + 1
        y = np.zeros((n, oh, ow, cout))
        for i in range(kh):
            for j in range(kw):
                patch = x[:, i:i + stride * (oh - 1) + 1:stride, j:j + stride * (ow - 1) + 1:stride, :]
                y += patch @ f[i, j]
        y = y + weights[f"{prefix}/conv/bias"]
        y = y * weights[f"{prefix}/scale/weights"] + weights[f"{prefix}/scale/biases"]
        return np.maximum(y, 0) if relu else y

    def pool(x, k, s, fn):
        n, h, w, c = x.shape
        oh, ow = (h - k) // s + 1, (w - k) // s + 1
        stack = [x[:, i:i + s * (oh - 1) + 1:s, j:j + s * (ow - 1) + 1:s, :] for i in range(k) for j in range(k)]
        return fn(np.stack(stack), axis=0)

    x = (image_nhwc.astype(np.float64) - np.array(MEAN_RGB)) / DIVISOR
    x = conv(x, "conv32_down", 2, True, False)
    x = pool(x, 3, 2, np.max)
    for prefix, kind in _BLOCKS:
        if kind == "res":
            out = conv(conv(x, f"{prefix}/conv1", 1, True, True), f"{prefix}/conv2", 1, False, True)
            x = np.maximum(out + x, 0)
        else:
            out = conv(conv(x, f"{prefix}/conv1", 2, True, False), f"{prefix}/conv2", 1, False, True)
            pooled = pool(x, 2, 2, np.mean)
            if out.shape[1] != pooled.shape[1]:
                out = np.pad(out, ((0, 0), (0, 1), (0, 1), (0, 0)))
            if out.shape[3] != pooled.shape[3]:
                pooled = np.pad(pooled, ((0, 0), (0, 0), (0, 0), (0, out.shape[3] - pooled.shape[3])))
            x = np.maximum(pooled + out, 0)
    return x.mean(axis=(1, 2)) @ weights["fc"].astype(np.float64)
