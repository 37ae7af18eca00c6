"""The descriptor autoencoder: fully connected layers with ReLU, GDN and residual shortcuts.

analysis:  x -> (x - mean) / std -> FC -> [h + GDN(FC(ReLU(h)))] x blocks -> FC -> y (256)
synthesis: y_hat -> FC -> [h + IGDN(FC(ReLU(h)))] x blocks -> FC -> * std + mean -> x_hat
The normalisation statistics come from the training data and are part of both graphs.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import torch
from torch import nn

from .entropy import EntropyBottleneck
from .gdn import GDN

LATENT_DIM = 256


@dataclass(frozen=True)
class ModelConfig:
    input_dim: int
    hidden: int = 256
    blocks: int = 2
    latent: int = LATENT_DIM
    log_gain_init: float = 0.0

    def to_dict(self) -> dict[str, float]:
        return asdict(self)


class ResidualGDNBlock(nn.Module):
    def __init__(self, width: int, inverse: bool) -> None:
        super().__init__()
        self.fc = nn.Linear(width, width)
        self.gdn = GDN(width, inverse=inverse)

    def forward(self, h: torch.Tensor) -> torch.Tensor:
        return h + self.gdn(self.fc(torch.relu(h)))


class Transform(nn.Module):
    def __init__(self, in_dim: int, hidden: int, out_dim: int, blocks: int, inverse: bool) -> None:
        super().__init__()
        self.fc_in = nn.Linear(in_dim, hidden)
        self.blocks = nn.ModuleList(ResidualGDNBlock(hidden, inverse) for _ in range(blocks))
        self.fc_out = nn.Linear(hidden, out_dim)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.fc_in(x)
        for block in self.blocks:
            h = block(h)
        return self.fc_out(torch.relu(h))


class DescriptorCodec(nn.Module):
    def __init__(self, config: ModelConfig, mean: torch.Tensor, std: torch.Tensor) -> None:
        super().__init__()
        self.config = config
        self.register_buffer("mean", mean.clone().float())
        self.register_buffer("std", std.clone().float())
        self.analysis = Transform(config.input_dim, config.hidden, config.latent, config.blocks, inverse=False)
        self.synthesis = Transform(config.latent, config.hidden, config.input_dim, config.blocks, inverse=True)
        self.entropy = EntropyBottleneck(config.latent)
        # Per-channel latent gain (y = gain * analysis, decoder sees y_hat / gain). High rates need
        # latents spanning hundreds of quantisation steps; a log-gain with its own learning rate gets
        # there in few CPU epochs, where the weights alone would grow too slowly. Folded into the
        # neighbouring layers at export.
        self.log_gain = nn.Parameter(torch.full((config.latent,), float(config.log_gain_init)))

    def gain(self) -> torch.Tensor:
        return torch.exp(self.log_gain)

    def encode(self, x: torch.Tensor) -> torch.Tensor:
        """Raw profile values [N, D] -> continuous latent [N, 256]."""
        return self.analysis((x - self.mean) / self.std) * self.gain()

    def decode_normalised(self, y_hat: torch.Tensor) -> torch.Tensor:
        return self.synthesis(y_hat / self.gain())

    def decode(self, y_hat: torch.Tensor) -> torch.Tensor:
        """Latent [N, 256] -> raw profile values [N, D]."""
        return self.decode_normalised(y_hat) * self.std + self.mean

    def forward(self, x: torch.Tensor) -> dict[str, torch.Tensor]:
        y = self.encode(x)
        y_hat, likelihood = self.entropy(y, training=self.training)
        return {
            "y": y,
            "x_hat_normalised": self.decode_normalised(y_hat),
            "bits": -torch.log2(likelihood).sum(dim=1),
        }

    def main_parameters(self) -> list[nn.Parameter]:
        return [p for n, p in self.named_parameters() if not n.endswith("quantiles")]

    def aux_parameters(self) -> list[nn.Parameter]:
        return [p for n, p in self.named_parameters() if n.endswith("quantiles")]
