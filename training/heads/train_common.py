"""Training loop shared by the heads: each sample is drawn from a random codec variant per epoch."""

from __future__ import annotations

import copy
from collections.abc import Callable

import numpy as np
import torch
from torch import nn


def variant_batches(
    variants: list[np.ndarray], targets: np.ndarray, batch: int, rng: np.random.Generator, noise: float, std: np.ndarray
):
    """Yields (x, y) batches: every row comes from one randomly chosen variant (clean or decoded at a
    rate point), plus Gaussian noise of a random strength up to `noise` x the per-dimension std."""
    n = targets.shape[0]
    order = rng.permutation(n)
    pick = rng.integers(0, len(variants), size=n)
    stacked = np.stack(variants)  # (V, N, D)
    for s in range(0, n, batch):
        idx = order[s : s + batch]
        x = stacked[pick[idx], idx]
        if noise > 0:
            sigma = rng.uniform(0, noise, size=(len(idx), 1)).astype(np.float32)
            x = x + rng.standard_normal(x.shape).astype(np.float32) * sigma * std
        yield torch.from_numpy(x.astype(np.float32)), torch.from_numpy(targets[idx])


def train(
    model: nn.Module,
    variants: list[np.ndarray],
    targets: np.ndarray,
    loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
    select: Callable[[nn.Module], float],
    epochs: int,
    lr: float,
    std: np.ndarray,
    noise: float = 0.1,
    batch: int = 256,
    seed: int = 0,
    log: Callable[[str], None] = print,
    weight_decay: float = 1e-4,
) -> tuple[nn.Module, float, int]:
    """AdamW + cosine schedule; keeps the state with the best `select` score (higher is better)."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=weight_decay)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=epochs)
    best, best_state, best_epoch = -np.inf, copy.deepcopy(model.state_dict()), -1
    for epoch in range(epochs):
        model.train()
        total, count = 0.0, 0
        for x, y in variant_batches(variants, targets, batch, rng, noise, std):
            opt.zero_grad()
            loss = loss_fn(model.logits(x) if hasattr(model, "logits") else model(x), y)
            loss.backward()
            opt.step()
            total += loss.item() * len(y)
            count += len(y)
        sched.step()
        model.eval()
        with torch.no_grad():
            score = select(model)
        if score > best:
            best, best_state, best_epoch = score, copy.deepcopy(model.state_dict()), epoch
        log(f"epoch {epoch + 1}/{epochs} loss {total / max(1, count):.4f} select {score:.4f}")
    model.load_state_dict(best_state)
    model.eval()
    return model, float(best), best_epoch
