"""Read a tfjs weights manifest (``*-weights_manifest.json`` + shard ``.bin`` files) into numpy arrays.

tfjs stores all tensors of a manifest group back to back across its shard files, in manifest order.
Quantised entries hold ``uint8``/``uint16`` codes (dequantised as ``code * scale + min``) or
``float16`` values; everything else is raw little-endian float32/int32.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

_RAW_DTYPES = {"float32": np.float32, "int32": np.int32, "bool": np.bool_}
_QUANT_DTYPES = {"uint8": np.uint8, "uint16": np.uint16, "float16": np.float16}


@dataclass(frozen=True)
class Quantized:
    """The stored form of a quantised tensor: ``values == codes * scale + min`` (as tfjs decodes it)."""

    codes: np.ndarray
    scale: float
    min: float


def load_weight_map(
    manifest_path: str | Path, quantized: dict[str, Quantized] | None = None
) -> dict[str, np.ndarray]:
    """Return ``{name: float32/int32 array}`` for every weight in the manifest.

    If ``quantized`` is given, it is filled with the raw uint8/uint16 codes of each quantised entry so a
    converter can keep the weights compact (dequantising inside the graph).
    """
    manifest_path = Path(manifest_path)
    groups = json.loads(manifest_path.read_text())
    out: dict[str, np.ndarray] = {}
    for group in groups:
        buf = b"".join((manifest_path.parent / p).read_bytes() for p in group["paths"])
        offset = 0
        for entry in group["weights"]:
            shape = tuple(entry["shape"])
            count = int(np.prod(shape)) if shape else 1
            quant = entry.get("quantization")
            if quant is not None:
                qdtype = np.dtype(_QUANT_DTYPES[quant["dtype"]])
                nbytes = count * qdtype.itemsize
                codes = np.frombuffer(buf, dtype=qdtype.newbyteorder("<"), count=count, offset=offset)
                if quant["dtype"] == "float16":
                    values = codes.astype(np.float32)
                else:
                    # tfjs dequantises in JS doubles, then stores float32
                    values = (codes.astype(np.float64) * quant["scale"] + quant["min"]).astype(np.float32)
                    if quantized is not None:
                        quantized[entry["name"]] = Quantized(codes.reshape(shape), quant["scale"], quant["min"])
            else:
                dtype = np.dtype(_RAW_DTYPES[entry["dtype"]])
                nbytes = count * dtype.itemsize
                values = np.frombuffer(buf, dtype=dtype.newbyteorder("<"), count=count, offset=offset).copy()
            offset += nbytes
            if entry["name"] in out:
                raise ValueError(f"duplicate weight {entry['name']} in {manifest_path}")
            out[entry["name"]] = values.reshape(shape)
        if offset != len(buf):
            raise ValueError(f"{manifest_path}: manifest describes {offset} bytes, shards hold {len(buf)}")
    return out
