"""Do phantoms teach the cues real lesions show? Train a small CNN on phantoms only, test it on
real HAM10000 images, and print balanced accuracy (7 classes) and malignant-vs-benign AUC.

    .venv/bin/python bench/phantom_fidelity.py --real ../shared/data/ham10000/sample

`--real` is a folder with one sub-folder of JPEGs per diagnosis (dx code). Chance is 1/7 = 0.14
balanced accuracy and 0.50 AUC.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from PIL import Image
from rich.progress import Progress, TimeRemainingColumn

from engine.synth import SynthConfig, rendered
from engine.vocabulary import DIAGNOSES, MALIGNANT

REPO = Path(__file__).resolve().parent.parent


def phantoms(*, n: int, size: int, seed: int, workers: int) -> tuple[np.ndarray, np.ndarray]:
    config = SynthConfig(n=n, size=size, seed=seed, class_mix="balanced")
    images = np.empty((n, size, size, 3), np.uint8)
    labels = np.empty(n, np.int32)
    with Progress(*Progress.get_default_columns()[:-1], TimeRemainingColumn()) as progress:
        task = progress.add_task("render phantoms", total=n)
        for index, image, _, profile in rendered(config, workers=workers):
            images[index] = image
            labels[index] = DIAGNOSES.index(profile.dx)
            progress.advance(task)
    return images, labels


def real_images(folder: Path, size: int) -> tuple[np.ndarray, np.ndarray]:
    """Centre-cropped square, resized like the phantoms."""
    images, labels = [], []
    for dx in DIAGNOSES:
        for path in sorted((folder / dx).glob("*.jpg")):
            image = Image.open(path).convert("RGB")
            side = min(image.size)
            left, top = (image.width - side) // 2, (image.height - side) // 2
            image = image.crop((left, top, left + side, top + side))
            images.append(np.asarray(image.resize((size, size), Image.Resampling.LANCZOS)))
            labels.append(DIAGNOSES.index(dx))
    if not images:
        raise SystemExit(f"no images under {folder}/<dx>/*.jpg")
    return np.stack(images), np.array(labels, np.int32)


def build_model(size: int):
    import keras
    from keras import layers

    inputs = keras.Input((size, size, 3))
    # Colour jitter and blur: the camera, light and focus of real images vary more than any
    # one renderer's; the classifier should learn the lesion, not the white balance.
    x = layers.RandomColorJitter(value_range=(0, 255), brightness_factor=0.15,
                                 contrast_factor=0.2, saturation_factor=(0.35, 0.65),
                                 hue_factor=0.03)(inputs)
    x = layers.RandomGaussianBlur(factor=(0.0, 1.0), kernel_size=3, sigma=(0.1, 1.2),
                                  value_range=(0, 255))(x)
    x = layers.Rescaling(1 / 127.5, offset=-1)(x)
    x = layers.RandomFlip("horizontal_and_vertical")(x)
    x = layers.RandomRotation(0.5, fill_mode="reflect")(x)
    x = layers.RandomZoom((-0.2, 0.2), fill_mode="reflect")(x)
    for filters in (32, 64, 96, 128):  # small enough to train in minutes on a shared CPU
        x = layers.Conv2D(filters, 3, padding="same", use_bias=False)(x)
        # Momentum 0.9: with a few hundred steps the default 0.99 leaves the moving
        # statistics half-way from their initial values, and inference collapses to one class.
        x = layers.BatchNormalization(momentum=0.9)(x)
        x = layers.Activation("relu")(x)
        x = layers.MaxPooling2D()(x)
    x = layers.GlobalAveragePooling2D()(x)
    x = layers.Dropout(0.3)(x)
    outputs = layers.Dense(len(DIAGNOSES), activation="softmax")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(1e-3),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", type=Path, default=REPO.parent / "shared/data/ham10000/sample")
    parser.add_argument("--n", type=int, default=20000)
    parser.add_argument("--size", type=int, default=64)
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    import keras
    from sklearn.metrics import balanced_accuracy_score, roc_auc_score

    keras.utils.set_random_seed(args.seed)
    started = time.perf_counter()
    train_x, train_y = phantoms(n=args.n, size=args.size, seed=args.seed, workers=args.workers)
    rendered_s = time.perf_counter() - started
    test_x, test_y = real_images(args.real, args.size)
    model = build_model(args.size)
    model.fit(train_x, train_y, batch_size=64, epochs=args.epochs, validation_split=0.05,
              verbose=2)
    probabilities = model.predict(test_x, verbose=0)
    predicted = probabilities.argmax(axis=1)
    malignant_columns = [DIAGNOSES.index(dx) for dx in MALIGNANT]
    malignant_truth = np.isin(test_y, malignant_columns)
    balanced = balanced_accuracy_score(test_y, predicted)
    auc = roc_auc_score(malignant_truth, probabilities[:, malignant_columns].sum(axis=1))
    print(f"phantoms: {args.n} at {args.size} px rendered in {rendered_s:.0f} s; "
          f"real test images: {len(test_y)}")
    print(f"{'metric':<34}{'phantom-trained':>16}{'chance':>10}")
    print(f"{'balanced accuracy (7 classes)':<34}{balanced:>16.3f}{1 / len(DIAGNOSES):>10.3f}")
    print(f"{'malignant-vs-benign AUC':<34}{auc:>16.3f}{0.5:>10.3f}")
    recalls = {dx: float((predicted[test_y == i] == i).mean()) for i, dx in enumerate(DIAGNOSES)}
    print("per-class recall: " + ", ".join(f"{dx} {r:.1f}" for dx, r in recalls.items()))
    print("confusion (rows: real class, columns: predicted " + " ".join(DIAGNOSES) + ")")
    for index, dx in enumerate(DIAGNOSES):
        counts = np.bincount(predicted[test_y == index], minlength=len(DIAGNOSES))
        print(f"  {dx:<6}" + "".join(f"{c:>6}" for c in counts))
    print(f"total {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
