"""Descriptor layout and profiles, read from the single source of truth in codec-core.

The TypeScript file packages/codec-core/src/descriptor/layout.ts defines the field
offsets and profiles; parsing it here keeps Python from re-hard-coding them.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np

REPO_ROOT = Path(__file__).resolve().parents[2]
LAYOUT_TS = REPO_ROOT / "packages" / "codec-core" / "src" / "descriptor" / "layout.ts"


def _block(source: str, name: str) -> str:
    match = re.search(rf"export const {name} = \{{(.*?)\n\}}", source, re.S)
    if match is None:
        raise RuntimeError(f"{name} not found in {LAYOUT_TS}")
    return match.group(1)


@lru_cache(maxsize=1)
def _parse() -> tuple[int, dict[str, tuple[int, int]], dict[str, tuple[str, ...]], tuple[str, ...]]:
    source = LAYOUT_TS.read_text(encoding="utf-8")
    length_match = re.search(r"DESCRIPTOR_LENGTH = (\d+)", source)
    if length_match is None:
        raise RuntimeError(f"DESCRIPTOR_LENGTH not found in {LAYOUT_TS}")
    fields = {
        m.group(1): (int(m.group(2)), int(m.group(3)))
        for m in re.finditer(r"(\w+): \{ start: (\d+), end: (\d+) \}", _block(source, "DescriptorField"))
    }
    profiles = {
        m.group(1): tuple(re.findall(r"'(\w+)'", m.group(2)))
        for m in re.finditer(r"(\w+): \[([^\]]*)\]", _block(source, "Profile"))
    }
    names_match = re.search(r"PROFILE_NAMES = Object\.freeze\(\[(.*?)\]", source, re.S)
    if names_match is None:
        raise RuntimeError(f"PROFILE_NAMES not found in {LAYOUT_TS}")
    order = tuple(re.findall(r"'(\w+)'", names_match.group(1)))
    return int(length_match.group(1)), fields, profiles, order


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
