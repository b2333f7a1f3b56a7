"""Does the GAN's discriminator see the image? The figures of docs/models.md, "The
discriminator's scale".

    .venv/bin/python scripts/discriminator_probe.py --data data/phantom-v23-128
    .venv/bin/python scripts/discriminator_probe.py --data data/phantom-v23-128 --run runs/NAME

Without --run: the shipped recipe's discriminator, freshly initialised as the code does it (He)
and with Keras's default (Glorot), side by side: per layer, the size of the activations and
their spread across real images. With --run: the run's trained discriminator (its
train_state.keras) on real images and on its generator's images, without augmentation: mean
scores, how well they separate (AUC), and whether the score moves when the image is replaced
by zeros (a correlation near 1 means the score depends on the condition alone), and how well
it tells real images under their own profile from the same images under a neighbour's.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

ACTIVATIONS_SUFFIX = "_act"


def load_real(data: Path, *, encoder, n: int):
    from engine.nets.gan import to_unit_range
    from engine.training_data import load_training_data

    real = load_training_data(data, format="isic2024", size=128, limit=n, progress=False,
                              encoder=encoder)
    return to_unit_range(real.images).numpy(), real.conditions.astype("float32")


def with_glorot(discriminator):
    """The same discriminator with Keras's default kernel initialisation."""
    import keras

    def rebuilt(layer):
        config = layer.get_config()
        if "kernel_initializer" in config:
            config["kernel_initializer"] = "glorot_uniform"
        return layer.__class__.from_config(config)

    return keras.models.clone_model(discriminator, clone_function=rebuilt)


def layer_spreads(discriminator, images, conditions) -> dict[str, tuple[float, float]]:
    """(root mean square, mean spread across images) of every activation."""
    import keras
    import numpy as np

    names = [layer.name for layer in discriminator.layers
             if layer.name.endswith(ACTIVATIONS_SUFFIX)]
    probe = keras.Model(discriminator.inputs, [discriminator.get_layer(n).output for n in names])
    spreads = {}
    for name, output in zip(names, probe([images, conditions]), strict=True):
        values = np.asarray(output).reshape(len(images), -1)
        spreads[name] = (float(np.sqrt(np.mean(values ** 2))), float(values.std(axis=0).mean()))
    return spreads


def probe_initialisation(images, conditions, architecture) -> None:
    import keras

    from engine.nets.gan_networks import build_discriminator

    keras.utils.set_random_seed(0)
    he = build_discriminator(architecture)
    glorot = with_glorot(he)
    rows = zip(layer_spreads(he, images, conditions).items(),
               layer_spreads(glorot, images, conditions).values(), strict=True)
    print(f"{'layer':<16}{'He: size':>12}{'spread':>10}{'Glorot: size':>15}{'spread':>10}")
    for (name, (he_size, he_spread)), (glorot_size, glorot_spread) in rows:
        print(f"{name:<16}{he_size:>12.2e}{he_spread:>10.2e}{glorot_size:>15.2e}"
              f"{glorot_spread:>10.2e}")


def probe_run(run: Path, images, conditions) -> None:
    import numpy as np
    from sklearn.metrics import roc_auc_score

    from engine.nets.checkpoints import TRAIN_STATE_FILE, read_config
    from engine.nets.gan_networks import mismatched_conditions
    from engine.training import TrainConfig, build_model

    saved = read_config(run)
    config = TrainConfig.from_json(saved["training"])
    model = build_model(config, condition_dim=conditions.shape[1])
    model.build_optimizers()
    model.load_weights(run / TRAIN_STATE_FILE)
    noise = np.random.default_rng(1).standard_normal((len(images), config.noise_dim))
    generated = np.asarray(model.generator([noise.astype("float32"), conditions]))

    def scores(batch, profiles=conditions):
        return np.asarray(model.discriminator([batch, profiles])).ravel()

    real, fake, blank = scores(images), scores(generated), scores(np.zeros_like(images))
    others = scores(images, np.asarray(mismatched_conditions(conditions)))
    labels = np.r_[np.ones(len(real)), np.zeros(len(fake))]
    features = layer_spreads(model.discriminator, images, conditions)["features_act"]
    print(f"{run} at step {model.training_step}, {len(images)} real and generated images")
    print(f"  score, real:      {real.mean():+.4f} +- {real.std():.4f}")
    print(f"  score, generated: {fake.mean():+.4f} +- {fake.std():.4f}")
    print(f"  AUC real vs generated: {roc_auc_score(labels, np.r_[real, fake]):.3f}")
    own_first = roc_auc_score(labels, np.r_[real, others])
    print(f"  AUC real under own vs neighbour's profile: {own_first:.3f}")
    print(f"  correlation of real images' scores with all-zero images': "
          f"{np.corrcoef(real, blank)[0, 1]:.4f}")
    print(f"  features: spread across real images {features[1]:.2e}")


def main() -> None:
    from engine.conditioning import ConditionEncoder
    from engine.nets.blocks import Architecture

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, required=True, help="isic2024 phantom folder")
    parser.add_argument("--run", type=Path, help="a GAN run folder with train_state.keras")
    parser.add_argument("--model", type=Path, default=Path("models/gan-128"),
                        help="without --run: the shipped model whose recipe is probed")
    parser.add_argument("--n", type=int, default=512)
    arguments = parser.parse_args()
    folder = arguments.run or arguments.model
    saved = json.loads((folder / "config.json").read_text())
    encoder = ConditionEncoder.from_json(saved["encoder"])
    images, conditions = load_real(arguments.data, encoder=encoder, n=arguments.n)
    if arguments.run:
        probe_run(arguments.run, images, conditions)
    else:
        probe_initialisation(images, conditions, Architecture.from_json(saved["architecture"]))


if __name__ == "__main__":
    main()
