"""Descriptor data: real caches from the extraction pipeline, or synthetic stand-ins.

Held-out split (documented in docs/rate-distortion.md):
  train: FER2013 train + LFW images of people NOT in LFW View 1 test (peopleDevTest.txt)
  eval:  FER2013 validation (PublicTest) + LFW images of the View 1 test people
Rows that are not finite (failed fits) are dropped.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from . import layout


@dataclass
class Split:
    train: np.ndarray
    eval: np.ndarray
    description: dict[str, object] = field(default_factory=dict)


def _finite_rows(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    if x.ndim != 2 or x.shape[1] != layout.descriptor_length():
        raise ValueError(f"expected N x {layout.descriptor_length()} descriptors, got {x.shape}")
    keep = np.isfinite(x).all(axis=1) & (np.abs(x).sum(axis=1) > 0)
    return x[keep]


def synthetic_descriptors(n: int, seed: int = 0) -> np.ndarray:
    """Correlated Gaussian descriptors with per-field scales, roughly like 3DMM coefficients."""
    rng = np.random.default_rng(seed)
    d = layout.descriptor_length()
    scales = {"identity": 1.0, "expression": 0.6, "texture": 1.2, "rotation": 0.15, "lighting": 0.3, "translation": 0.4}
    offsets = {"lighting": 0.2, "translation": 0.1}
    basis_rng = np.random.default_rng(1234)  # same structure for every seed
    rank = 48
    basis = basis_rng.normal(size=(rank, d)) / np.sqrt(rank)
    x = rng.normal(size=(n, rank)) @ basis + 0.3 * rng.normal(size=(n, d))
    for name, (start, end) in layout.fields().items():
        x[:, start:end] = x[:, start:end] * scales[name] + offsets.get(name, 0.0)
    return x.astype(np.float32)


def synthetic_split(n_train: int = 20000, n_eval: int = 4000) -> Split:
    return Split(
        synthetic_descriptors(n_train, seed=1),
        synthetic_descriptors(n_eval, seed=2),
        {"kind": "synthetic", "train_rows": n_train, "eval_rows": n_eval},
    )


def _read_people(path: Path) -> set[str]:
    lines = path.read_text(encoding="utf-8").splitlines()[1:]
    return {line.split("\t")[0] for line in lines if line.strip()}


def _row_people(npy: Path) -> list[str] | None:
    """Per-row LFW person from the extractor's sidecar (out.npy -> out.json): `label`, else the source path."""
    sidecar = npy.with_suffix(".json")
    if sidecar.exists():
        doc = json.loads(sidecar.read_text(encoding="utf-8"))
        rows = doc.get("rows") if isinstance(doc, dict) else None
        if isinstance(rows, list):
            return [str(r["label"]) if r.get("label") else _lfw_person(str(r["source"])) for r in rows]
    sources = _row_sources(npy)
    return None if sources is None else [_lfw_person(s) for s in sources]


def _row_sources(npy: Path) -> list[str] | None:
    """Per-row source paths from a sidecar next to the cache, if the extractor wrote one."""
    for candidate in (npy.with_suffix(".json"), npy.with_suffix(".txt"), Path(str(npy) + ".json")):
        if not candidate.exists():
            continue
        if candidate.suffix == ".txt":
            return [line for line in candidate.read_text(encoding="utf-8").splitlines() if line.strip()]
        meta = json.loads(candidate.read_text(encoding="utf-8"))
        if isinstance(meta, list):
            return [str(s) for s in meta]
        for key in ("sources", "paths", "files", "rows"):
            if key in meta:
                return [s if isinstance(s, str) else str(s.get("path", s.get("source"))) for s in meta[key]]
    return None


def _lfw_person(source: str) -> str:
    # .../lfw-deepfunneled/<Person_Name>/<Person_Name>_0001.jpg
    name = Path(source).name
    match = re.match(r"(.+)_\d{4}\.\w+$", name)
    return match.group(1) if match else Path(source).parent.name


def real_split(cache: Path, data_root: Path) -> Split:
    """Train/eval split of the extractor's caches (see module docstring)."""
    files = sorted(cache.glob("*.npy"))
    by_name = {f.stem.lower(): f for f in files}

    # Exact cache names of `semface extract --dataset ...`; other files (e.g. lfw-teacher.npy) are not descriptors.
    fer_train = [by_name[n] for n in ("fer2013-train",) if n in by_name]
    fer_eval = [by_name[n] for n in ("fer2013-validation",) if n in by_name]
    lfw = [by_name[n] for n in ("lfw",) if n in by_name]
    if not lfw and not (fer_train and fer_eval):
        raise FileNotFoundError(f"need lfw and/or fer2013 train+validation caches in {cache}, found {[f.name for f in files]}")
    test_people = _read_people(data_root / "lfw" / "peopleDevTest.txt")

    train_parts: list[np.ndarray] = []
    eval_parts: list[np.ndarray] = []
    desc: dict[str, object] = {"kind": "real", "cache": str(cache), "files": {}}
    for f in fer_train:
        x = _finite_rows(np.load(f))
        train_parts.append(x)
        desc["files"][f.name] = {"role": "train", "rows": len(x)}  # type: ignore[index]
    for f in fer_eval:
        x = _finite_rows(np.load(f))
        eval_parts.append(x)
        desc["files"][f.name] = {"role": "eval", "rows": len(x)}  # type: ignore[index]
    for f in lfw:
        raw = np.load(f).astype(np.float32)
        people = _row_people(f)
        if people is None or len(people) != len(raw):
            raise FileNotFoundError(f"{f.name}: need a per-row sidecar to split LFW by person")
        is_test = np.array([p in test_people for p in people])
        ok = np.isfinite(raw).all(axis=1) & (np.abs(raw).sum(axis=1) > 0)
        train_parts.append(raw[ok & ~is_test])
        eval_parts.append(raw[ok & is_test])
        desc["files"][f.name] = {  # type: ignore[index]
            "role": "train (people outside View 1 test) + eval (View 1 test people)",
            "train_rows": int((ok & ~is_test).sum()),
            "eval_rows": int((ok & is_test).sum()),
        }
    missing = [name for name, found in (("fer2013 train", fer_train), ("fer2013 validation", fer_eval), ("lfw", lfw)) if not found]
    if missing:
        desc["missing"] = missing
    split = Split(np.concatenate(train_parts), np.concatenate(eval_parts), desc)
    desc["train_rows"] = len(split.train)
    desc["eval_rows"] = len(split.eval)
    return split
