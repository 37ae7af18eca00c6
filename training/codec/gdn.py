"""Generalised divisive normalisation for fully connected features (Balle et al.).

y_i = x_i / sqrt(beta_i + sum_j gamma_ij x_j^2); the inverse multiplies instead.
beta and gamma are stored reparametrised (as in CompressAI) so they stay non-negative and
their gradients stay useful near zero.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F


class _LowerBound(torch.autograd.Function):
    """max(x, bound) whose gradient still flows when it pushes x back above the bound."""

    @staticmethod
    def forward(ctx, x: torch.Tensor, bound: torch.Tensor) -> torch.Tensor:  # type: ignore[override]
        ctx.save_for_backward(x, bound)
        return torch.max(x, bound)

    @staticmethod
    def backward(ctx, grad: torch.Tensor):  # type: ignore[override]
        x, bound = ctx.saved_tensors
        pass_through = (x >= bound) | (grad < 0)
        return pass_through.type(grad.dtype) * grad, None


def lower_bound(x: torch.Tensor, bound: float) -> torch.Tensor:
    return _LowerBound.apply(x, torch.tensor(bound, dtype=x.dtype, device=x.device))


class NonNegative(nn.Module):
    """Stores v as sqrt(v + pedestal); reads back max(s, sqrt(min + pedestal))^2 - pedestal >= min."""

    def __init__(self, minimum: float = 0.0, offset: float = 2**-18) -> None:
        super().__init__()
        self.pedestal = offset**2
        self.bound = (minimum + self.pedestal) ** 0.5

    def init(self, value: torch.Tensor) -> torch.Tensor:
        return torch.sqrt(torch.clamp_min(value + self.pedestal, self.pedestal))

    def forward(self, stored: torch.Tensor) -> torch.Tensor:
        return lower_bound(stored, self.bound) ** 2 - self.pedestal


class GDN(nn.Module):
    """GDN over the channel axis of [N, C] features; ``inverse=True`` gives IGDN."""

    def __init__(self, channels: int, inverse: bool = False, beta_min: float = 1e-6, gamma_init: float = 0.1) -> None:
        super().__init__()
        self.inverse = inverse
        self.beta_reparam = NonNegative(minimum=beta_min)
        self.gamma_reparam = NonNegative()
        self.beta = nn.Parameter(self.beta_reparam.init(torch.ones(channels)))
        self.gamma = nn.Parameter(self.gamma_reparam.init(gamma_init * torch.eye(channels)))

    def effective(self) -> tuple[torch.Tensor, torch.Tensor]:
        """The non-negative (beta, gamma) actually applied."""
        return self.beta_reparam(self.beta), self.gamma_reparam(self.gamma)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        beta, gamma = self.effective()
        norm = F.linear(x * x, gamma, beta)
        return x * torch.sqrt(norm) if self.inverse else x * torch.rsqrt(norm)
