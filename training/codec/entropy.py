"""Factorised entropy model (Balle et al. 2018, "EntropyBottleneck" in CompressAI).

Each latent channel has its own small monotone network mapping a value to the logit of its
cumulative distribution. The likelihood of a (noisy or rounded) value y is
cdf(y + 0.5) - cdf(y - 0.5). Three quantiles per channel (lower tail, median, upper tail) are
learned by an auxiliary loss; the tails decide the symbol range of the frozen integer CDFs.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F

LIKELIHOOD_BOUND = 1e-9


class EntropyBottleneck(nn.Module):
    def __init__(
        self,
        channels: int,
        tail_mass: float = 1e-9,
        init_scale: float = 10.0,
        filters: tuple[int, ...] = (3, 3, 3),
    ) -> None:
        super().__init__()
        self.channels = channels
        self.tail_mass = tail_mass
        dims = (1, *filters, 1)
        scale = init_scale ** (1.0 / (len(dims) - 1))
        self.matrices = nn.ParameterList()
        self.biases = nn.ParameterList()
        self.factors = nn.ParameterList()
        for i in range(len(dims) - 1):
            init = math.log(math.expm1(1.0 / scale / dims[i + 1]))
            self.matrices.append(nn.Parameter(torch.full((channels, dims[i + 1], dims[i]), init)))
            self.biases.append(nn.Parameter(torch.rand(channels, dims[i + 1], 1) - 0.5))
            if i < len(dims) - 2:
                self.factors.append(nn.Parameter(torch.zeros(channels, dims[i + 1], 1)))
        self.quantiles = nn.Parameter(torch.tensor([-init_scale, 0.0, init_scale]).repeat(channels, 1, 1))
        target = math.log(2.0 / tail_mass - 1.0)
        self.register_buffer("target", torch.tensor([-target, 0.0, target]))

    def logits_cumulative(self, inputs: torch.Tensor, stop_gradient: bool = False) -> torch.Tensor:
        """inputs [C, 1, M] -> logits of the CDF at those points, [C, 1, M]."""
        logits = inputs
        for i, matrix in enumerate(self.matrices):
            m = F.softplus(matrix)
            bias = self.biases[i]
            if stop_gradient:
                m, bias = m.detach(), bias.detach()
            logits = torch.matmul(m, logits) + bias
            if i < len(self.factors):
                factor = self.factors[i].detach() if stop_gradient else self.factors[i]
                logits = logits + torch.tanh(factor) * torch.tanh(logits)
        return logits

    def likelihood(self, y: torch.Tensor) -> torch.Tensor:
        """y [N, C] -> P(bin of width 1 centred on y), [N, C], bounded below."""
        values = y.t().unsqueeze(1)
        n = values.shape[-1]
        # One pass over both bin edges halves the per-channel matmul overhead.
        both = self.logits_cumulative(torch.cat([values - 0.5, values + 0.5], dim=-1))
        lower, upper = both[..., :n], both[..., n:]
        # Evaluate on the side of the median where sigmoid is not saturated.
        sign = -torch.sign(lower + upper).detach()
        lik = torch.abs(torch.sigmoid(sign * upper) - torch.sigmoid(sign * lower))
        return torch.clamp_min(lik.squeeze(1).t(), LIKELIHOOD_BOUND)

    def aux_loss(self) -> torch.Tensor:
        """Pulls the quantiles onto the tail_mass/2, 0.5, 1 - tail_mass/2 points of each CDF."""
        logits = self.logits_cumulative(self.quantiles, stop_gradient=True)
        return torch.abs(logits - self.target).sum()

    def forward(self, y: torch.Tensor, training: bool) -> tuple[torch.Tensor, torch.Tensor]:
        """Training: additive uniform noise; evaluation: q = floor(y + 0.5). Returns (y_hat, likelihood)."""
        y_hat = y + torch.empty_like(y).uniform_(-0.5, 0.5) if training else quantize(y)
        return y_hat, self.likelihood(y_hat)

    @torch.no_grad()
    def symbol_ranges(self, max_symbols: int) -> tuple[np.ndarray, np.ndarray]:
        """Per channel: smallest integer value and symbol count covering the learned tail quantiles."""
        q = self.quantiles.detach().squeeze(1).cpu().numpy().astype(np.float64)
        lo = np.floor(q[:, 0] + 0.5).astype(np.int64)
        hi = np.floor(q[:, 2] + 0.5).astype(np.int64)
        hi = np.maximum(hi, lo)
        count = np.minimum(hi - lo + 1, max_symbols)
        # Keep the median inside a clipped range.
        med = np.floor(q[:, 1] + 0.5).astype(np.int64)
        lo = np.where(hi - lo + 1 > max_symbols, med - max_symbols // 2, lo)
        return lo, count

    @torch.no_grad()
    def pmf(self, minimum: np.ndarray, count: np.ndarray) -> list[np.ndarray]:
        """Probability of each integer value min[c]..min[c]+count[c]-1, per channel (float64)."""
        width = int(count.max())
        grid = torch.arange(width, dtype=torch.float32).unsqueeze(0) + torch.as_tensor(minimum, dtype=torch.float32).unsqueeze(1)
        values = grid.unsqueeze(1)  # [C, 1, W]
        lower = self.logits_cumulative(values - 0.5)
        upper = self.logits_cumulative(values + 0.5)
        sign = -torch.sign(lower + upper)
        p = torch.abs(torch.sigmoid(sign * upper) - torch.sigmoid(sign * lower)).squeeze(1).double().cpu().numpy()
        return [p[c, : int(count[c])] for c in range(self.channels)]


def quantize(y: torch.Tensor) -> torch.Tensor:
    """The codec's rounding rule, shared with the TypeScript side: q = floor(y + 0.5)."""
    return torch.floor(y + 0.5)
