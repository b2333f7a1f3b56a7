"""Train on synthetic, test on real (TSTR) and augmentation with synthetic images.

The same small CNN is trained on real-only, synthetic-only and real+synthetic mixes (synthetic
to real 1:1 and 5:1) and tested on held-out real images: balanced accuracy (mean per-class
recall) and malignant AUC. All arms use the same number of real images, chosen so that the
largest mix can be filled from the synthetic images available.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.evaluation.classification import classification_scores
from engine.evaluation.images import square_resize
from engine.evaluation.inputs import EvaluationInputs, MetricResult, SampleSet
from engine.vocabulary import DIAGNOSES

MIXES = (1, 5)  # synthetic images per real image
IMAGE_SIZE = 32  # the classifiers see 32 px thumbnails: enough for colour and structure cues


@dataclass(frozen=True)
class TstrConfig:
    epochs: int = 8
    batch_size: int = 64
    learning_rate: float = 2e-3
    minimum_real: int = 20


@dataclass(frozen=True)
class LabelledImages:
    images: np.ndarray  # (N, h, w, 3) uint8
    labels: np.ndarray  # (N,) diagnosis index

    def __post_init__(self) -> None:
        if len(self.images) != len(self.labels):
            raise ValueError(f"{len(self.images)} images but {len(self.labels)} labels")

    def head(self, count: int) -> LabelledImages:
        return LabelledImages(self.images[:count], self.labels[:count])


def _small_cnn(image_shape: tuple[int, int, int], learning_rate: float):
    import keras

    inputs = keras.Input(shape=image_shape)
    x = keras.layers.Rescaling(1 / 127.5, offset=-1)(inputs)
    for filters in (16, 32, 64):
        x = keras.layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = keras.layers.MaxPooling2D()(x)
    x = keras.layers.GlobalAveragePooling2D()(x)
    outputs = keras.layers.Dense(len(DIAGNOSES), activation="softmax")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(learning_rate),
                  loss="sparse_categorical_crossentropy")
    return model


def train_and_score(
    *, train: LabelledImages, test: LabelledImages, config: TstrConfig, seed: int
) -> dict[str, float]:
    """Fit the small CNN on `train` (class-balanced weights) and score it on `test`."""
    import keras

    keras.utils.set_random_seed(seed)
    model = _small_cnn(train.images.shape[1:], config.learning_rate)
    counts = np.bincount(train.labels, minlength=len(DIAGNOSES)).astype(np.float64)
    weights = (len(train.labels) / (np.count_nonzero(counts) * counts.clip(1)))[train.labels]
    order = np.random.default_rng(seed).permutation(len(train.labels))
    model.fit(train.images[order].astype(np.float32), train.labels[order],
              sample_weight=weights[order], epochs=config.epochs,
              batch_size=config.batch_size, verbose=0)
    probabilities = model.predict(test.images.astype(np.float32), batch_size=256, verbose=0)
    scores = classification_scores(labels=test.labels, probabilities=probabilities)
    return {"balanced_accuracy": scores.balanced_accuracy, "malignant_auc": scores.malignant_auc}


def train_synthetic_test_real(
    *,
    real: LabelledImages,
    synthetic: LabelledImages,
    test: LabelledImages,
    config: TstrConfig = TstrConfig(),
    seed: int = 0,
) -> dict[str, dict[str, float]]:
    """Scores on `test` of the classifier trained on each arm: real, synthetic, real+synthetic."""
    real_count = min(len(real.labels), len(synthetic.labels) // max(MIXES))
    if real_count < config.minimum_real:
        raise ValueError(
            f"TSTR needs at least {config.minimum_real} real training images and "
            f"{max(MIXES)}x as many synthetic ones; got {len(real.labels)} real and "
            f"{len(synthetic.labels)} synthetic"
        )
    real = real.head(real_count)
    arms = {"real": real, "synthetic": synthetic.head(real_count)}
    for mix in MIXES:
        extra = synthetic.head(real_count * mix)
        arms[f"real+synthetic {mix}:1"] = LabelledImages(
            np.concatenate([real.images, extra.images]),
            np.concatenate([real.labels, extra.labels]),
        )
    return {name: train_and_score(train=arm, test=test, config=config, seed=seed)
            for name, arm in arms.items()}


def _labelled(sample: SampleSet) -> LabelledImages:
    small = np.stack([square_resize(image, size=IMAGE_SIZE) for image in sample.thumbnails])
    return LabelledImages(small, sample.labels)


def tstr_metric(inputs: EvaluationInputs, *, seed: int) -> MetricResult:
    """Value: balanced accuracy of the synthetic-only arm; floor: that of the real-only arm."""
    scores = train_synthetic_test_real(real=_labelled(inputs.holdout),
                                       synthetic=_labelled(inputs.candidate),
                                       test=_labelled(inputs.reference), seed=seed)
    return MetricResult(
        name="tstr_balanced_accuracy", value=scores["synthetic"]["balanced_accuracy"],
        floor=scores["real"]["balanced_accuracy"], higher_is_better=True,
        details={"arms": scores},
    )
