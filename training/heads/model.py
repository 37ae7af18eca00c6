"""Residual MLP heads (FC + ReLU with ResNet-style shortcuts) with input standardisation baked in."""

from __future__ import annotations

import numpy as np
import torch
from torch import nn


class ResidualBlock(nn.Module):
    def __init__(self, width: int) -> None:
        super().__init__()
        self.fc1 = nn.Linear(width, width)
        self.fc2 = nn.Linear(width, width)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return torch.relu(x + self.fc2(torch.relu(self.fc1(x))))


class ResidualMlp(nn.Module):
    """x (raw profile values) -> standardise -> FC -> residual blocks -> FC (-> softmax)."""

    def __init__(
        self,
        d_in: int,
        d_out: int,
        mean: np.ndarray,
        std: np.ndarray,
        width: int = 256,
        blocks: int = 2,
        softmax: bool = False,
        dropout: float = 0.0,
    ) -> None:
        super().__init__()
        self.register_buffer("mean", torch.as_tensor(mean, dtype=torch.float32))
        self.register_buffer("inv_std", torch.as_tensor(1.0 / np.maximum(std, 1e-6), dtype=torch.float32))
        self.inp = nn.Linear(d_in, width)
        self.blocks = nn.ModuleList(ResidualBlock(width) for _ in range(blocks))
        self.drop = nn.Dropout(dropout)
        self.out = nn.Linear(width, d_out)
        self.softmax = softmax

    def logits(self, x: torch.Tensor) -> torch.Tensor:
        h = torch.relu(self.inp((x - self.mean) * self.inv_std))
        for b in self.blocks:
            h = b(h)
        return self.out(self.drop(h))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        y = self.logits(x)
        return torch.softmax(y, dim=-1) if self.softmax else y


class EmbeddingMlp(nn.Module):
    """x (raw profile values) -> standardise -> [FC -> GELU -> dropout] x depth -> FC -> L2-normalised vector.

    Chosen on LFW View 1 (pairsDevTest, docs/eval.md): with a cosine loss the ResidualMlp reached
    83-87 %, this net 88.5 % (one member) and 89.2 % (three members, no dropout).
    """

    def __init__(
        self, d_in: int, d_out: int, mean: np.ndarray, std: np.ndarray, width: int = 512, depth: int = 2, dropout: float = 0.2
    ) -> None:
        super().__init__()
        self.register_buffer("mean", torch.as_tensor(mean, dtype=torch.float32))
        self.register_buffer("inv_std", torch.as_tensor(1.0 / np.maximum(std, 1e-6), dtype=torch.float32))
        layers: list[nn.Module] = []
        d = d_in
        for _ in range(depth):
            layers += [nn.Linear(d, width), nn.GELU(), nn.Dropout(dropout)]
            d = width
        layers.append(nn.Linear(d, d_out))
        self.net = nn.Sequential(*layers)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return nn.functional.normalize(self.net((x - self.mean) * self.inv_std), dim=-1)


class NormalisedEnsemble(nn.Module):
    """Mean of the members' unit vectors, renormalised: one ONNX graph, one distance per pair."""

    def __init__(self, members: list[nn.Module]) -> None:
        super().__init__()
        self.members = nn.ModuleList(members)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        acc = sum(nn.functional.normalize(m(x), dim=-1) for m in self.members)
        return nn.functional.normalize(acc, dim=-1)


class ProbabilityEnsemble(nn.Module):
    """Mean of the members' class probabilities (members end in softmax): one ONNX graph."""

    def __init__(self, members: list[nn.Module]) -> None:
        super().__init__()
        self.members = nn.ModuleList(members)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return sum(m(x) for m in self.members) / len(self.members)
