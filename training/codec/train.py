"""Train one descriptor codec (one profile, one rate point).

loss = lambda_mae * MAE(normalised x, normalised x_hat) + lambda_R * bits per descriptor
Uniform noise U(-0.5, 0.5) stands in for rounding during training; the entropy model's
quantiles follow an auxiliary loss with their own optimiser (as in CompressAI).
"""

from __future__ import annotations

import argparse
import math
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import torch

from . import layout
from .data import real_split, synthetic_split
from .model import DescriptorCodec, ModelConfig


@dataclass(frozen=True)
class TrainConfig:
    profile: str
    lambda_r: float
    lambda_mae: float = 1.0
    epochs: int = 25
    batch: int = 256
    lr: float = 1e-3
    aux_lr: float = 1e-2
    # The density networks start far too wide for few epochs on CPU; a faster rate lets them settle.
    entropy_lr: float = 5e-3
    gain_lr: float = 1e-2
    betas: tuple[float, float] = (0.5, 0.999)
    hidden: int = 256
    blocks: int = 2
    seed: int = 0
    # The learning rate drops by 10x for the last fraction of epochs.
    decay_fraction: float = 0.25
    aux_steps_after: int = 3000
    # Fraction of training rows reduced to a random partial profile that the model's profile covers
    # (inputs outside it zeroed, loss over its values only), so one full model also carries the
    # partial profiles without retraining (encode option modelProfile).
    field_dropout: float = 0.0

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def normalisation(x: np.ndarray) -> tuple[torch.Tensor, torch.Tensor]:
    mean = x.mean(axis=0)
    std = x.std(axis=0)
    # Constant columns (e.g. unused coefficients) must not blow up the input scale.
    std = np.where(std < 1e-6, 1.0, std)
    return torch.from_numpy(mean.astype(np.float32)), torch.from_numpy(std.astype(np.float32))


def carried_masks(profile: str) -> torch.Tensor:
    """[P, D] 0/1 masks, in `profile`'s own coordinates, of every smaller profile that `profile` covers."""
    own = set(layout.profile_fields(profile))
    slices = layout.profile_field_slices(profile)
    dim = int(len(layout.profile_indices(profile)))
    masks: list[torch.Tensor] = []
    for other in layout.profile_names():
        fields = set(layout.profile_fields(other))
        if fields < own:
            mask = torch.zeros(dim)
            for name in fields:
                mask[slices[name]] = 1.0
            masks.append(mask)
    return torch.stack(masks) if masks else torch.zeros(0, dim)


def carried_mae(x_hat: torch.Tensor, target: torch.Tensor, carried: torch.Tensor) -> torch.Tensor:
    """MAE over carried values only; each row weighs the same whatever it carries (mean per row, then over rows)."""
    return torch.mean(torch.sum(torch.abs(x_hat - target) * carried, dim=1) / carried.sum(dim=1))


def train_model(x_train: np.ndarray, config: TrainConfig, log=print) -> tuple[DescriptorCodec, list[dict[str, float]]]:
    """Trains on profile-sliced training rows [N, D]; returns the model and per-epoch history."""
    torch.manual_seed(config.seed)
    rng = np.random.default_rng(config.seed)
    mean, std = normalisation(x_train)
    # Lower rate weights want wider latents: start the gain near where training would take it.
    log_gain_init = 0.5 * math.log(max(1.0, 1e-3 / config.lambda_r))
    model = DescriptorCodec(ModelConfig(x_train.shape[1], config.hidden, config.blocks, log_gain_init=log_gain_init), mean, std)
    density = [p for n, p in model.named_parameters() if n.startswith("entropy.") and not n.endswith("quantiles")]
    transforms = [p for n, p in model.named_parameters() if not n.startswith("entropy.") and n != "log_gain"]
    optimiser = torch.optim.Adam(
        [
            {"params": transforms, "lr": config.lr},
            {"params": density, "lr": config.entropy_lr},
            {"params": [model.log_gain], "lr": config.gain_lr},
        ],
        betas=config.betas,
    )
    aux_optimiser = torch.optim.Adam(model.aux_parameters(), lr=config.aux_lr)
    data = torch.from_numpy(np.ascontiguousarray(x_train, dtype=np.float32))
    decay_epoch = int(math.ceil(config.epochs * (1.0 - config.decay_fraction)))
    masks = carried_masks(config.profile) if config.field_dropout > 0 else torch.zeros(0, data.shape[1])
    history: list[dict[str, float]] = []
    for epoch in range(config.epochs):
        if epoch == decay_epoch:
            for group in optimiser.param_groups:
                group["lr"] *= 0.1
        model.train()
        order = torch.from_numpy(rng.permutation(len(data)))
        sums = {"loss": 0.0, "mae": 0.0, "bits": 0.0, "aux": 0.0}
        steps = 0
        started = time.time()
        for i in range(0, len(order) - config.batch + 1, config.batch):
            x = data[order[i : i + config.batch]]
            target = (x - model.mean) / model.std
            if len(masks):
                carried = torch.ones_like(x)
                dropped = np.flatnonzero(rng.random(len(x)) < config.field_dropout)
                carried[dropped] = masks[rng.integers(0, len(masks), len(dropped))]
                out = model(x * carried)
                mae = carried_mae(out["x_hat_normalised"], target, carried)
            else:
                out = model(x)
                mae = torch.mean(torch.abs(out["x_hat_normalised"] - target))
            bits = out["bits"].mean()
            loss = config.lambda_mae * mae + config.lambda_r * bits
            optimiser.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.main_parameters(), 5.0)
            optimiser.step()
            aux = model.entropy.aux_loss()
            aux_optimiser.zero_grad(set_to_none=True)
            aux.backward()
            aux_optimiser.step()
            sums["loss"] += float(loss.detach())
            sums["mae"] += float(mae.detach())
            sums["bits"] += float(bits.detach())
            sums["aux"] += float(aux.detach())
            steps += 1
        record = {k: v / max(steps, 1) for k, v in sums.items()}
        record["epoch"] = epoch + 1
        record["seconds"] = time.time() - started
        history.append(record)
        log(
            f"[{config.profile} lambdaR={config.lambda_r:g}] epoch {epoch + 1}/{config.epochs} "
            f"loss {record['loss']:.4f} mae(norm) {record['mae']:.4f} bits {record['bits']:.1f} "
            f"aux {record['aux']:.1f} ({record['seconds']:.1f}s)"
        )
    # The quantiles only matter for the frozen tables: let them settle on the final density.
    for _ in range(config.aux_steps_after):
        aux = model.entropy.aux_loss()
        aux_optimiser.zero_grad(set_to_none=True)
        aux.backward()
        aux_optimiser.step()
    model.eval()
    return model, history


def save_checkpoint(path: Path, model: DescriptorCodec, config: TrainConfig, history: list[dict[str, float]]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    torch.save(
        {"model_config": model.config.to_dict(), "train_config": config.to_dict(), "history": history, "state": model.state_dict()},
        path,
    )


def load_checkpoint(path: Path) -> tuple[DescriptorCodec, dict[str, object]]:
    blob = torch.load(path, map_location="cpu", weights_only=False)
    cfg = ModelConfig(**blob["model_config"])
    model = DescriptorCodec(cfg, torch.zeros(cfg.input_dim), torch.ones(cfg.input_dim))
    model.load_state_dict(blob["state"])
    model.eval()
    return model, blob


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--profile", default="full", choices=layout.profile_names())
    parser.add_argument("--lambda-r", type=float, default=1e-3)
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--lr", type=float, default=1e-3)
    parser.add_argument("--field-dropout", type=float, default=0.0, help="fraction of rows reduced to a covered partial profile")
    parser.add_argument("--data", type=Path, help="directory of extractor .npy caches (omit for synthetic)")
    parser.add_argument("--data-root", type=Path, default=layout.REPO_ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, required=True, help="checkpoint path (.pt)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    split = real_split(args.data, args.data_root) if args.data else synthetic_split()
    cols = layout.profile_indices(args.profile)
    config = TrainConfig(profile=args.profile, lambda_r=args.lambda_r, epochs=args.epochs, lr=args.lr, field_dropout=args.field_dropout)
    model, history = train_model(split.train[:, cols], config)
    save_checkpoint(args.out, model, config, history)


if __name__ == "__main__":
    main()
