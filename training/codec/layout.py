"""Descriptor layout and profiles, read from the data contract shared with codec-core.

packages/codec-core/contracts/descriptor-layout.json is the single source of the field offsets,
the profiles (in wire order) and the latent quantisation rule; codec-core compiles the same file
into TypeScript (packages/codec-core/scripts/generate-contracts.mjs), so Python never reads .ts.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[2]
CONTRACT_JSON = REPO_ROOT / "packages" / "codec-core" / "contracts" / "descriptor-layout.json"


@lru_cache(maxsize=1)
def contract() -> dict:
    """The parsed contract (checked: contiguous fields covering the descriptor, known profile fields)."""
    c = json.loads(CONTRACT_JSON.read_text(encoding="utf-8"))
    if c.get("format") != "semface-descriptor-contract" or c.get("version") != 1:
        raise RuntimeError(f"{CONTRACT_JSON}: not a semface-descriptor-contract v1 file")
    at = 0
    for f in c["fields"]:
        if f["start"] != at or f["end"] <= f["start"]:
            raise RuntimeError(f"{CONTRACT_JSON}: field {f['name']} is not contiguous")
        at = f["end"]
    if at != c["descriptorLength"]:
        raise RuntimeError(f"{CONTRACT_JSON}: fields cover {at} values, descriptorLength is {c['descriptorLength']}")
    names = {f["name"] for f in c["fields"]}
    for p in c["profiles"]:
        if not set(p["fields"]) <= names:
            raise RuntimeError(f"{CONTRACT_JSON}: profile {p['name']} has unknown fields")
    return c


@lru_cache(maxsize=1)
def _parse() -> tuple[int, dict[str, tuple[int, int]], dict[str, tuple[str, ...]], tuple[str, ...]]:
    c = contract()
    fields = {f["name"]: (int(f["start"]), int(f["end"])) for f in c["fields"]}
    profiles = {p["name"]: tuple(p["fields"]) for p in c["profiles"]}
    order = tuple(p["name"] for p in c["profiles"])
    return int(c["descriptorLength"]), fields, profiles, order


def descriptor_length() -> int:
    """Length of the full descriptor (257)."""
    return _parse()[0]


def fields() -> dict[str, tuple[int, int]]:
    """Field name -> half-open [start, end) range, in layout order."""
    return dict(_parse()[1])


def profile_names() -> tuple[str, ...]:
    """Profile names in wire order."""
    return _parse()[3]


def profile_fields(profile: str) -> tuple[str, ...]:
    """Fields carried by a profile."""
    profiles = _parse()[2]
    if profile not in profiles:
        raise KeyError(f"unknown profile {profile!r}; known: {sorted(profiles)}")
    return profiles[profile]


def profile_indices(profile: str) -> np.ndarray:
    """Descriptor indices covered by a profile, in layout order (matches profileIndices in TS)."""
    wanted = set(profile_fields(profile))
    out: list[int] = []
    for name, (start, end) in fields().items():
        if name in wanted:
            out.extend(range(start, end))
    return np.asarray(out, dtype=np.int64)


def profile_field_slices(profile: str) -> dict[str, slice]:
    """Field name -> slice into a profile vector (the profile's own, compacted coordinates)."""
    wanted = set(profile_fields(profile))
    out: dict[str, slice] = {}
    offset = 0
    for name, (start, end) in fields().items():
        if name in wanted:
            out[name] = slice(offset, offset + end - start)
            offset += end - start
    return out
