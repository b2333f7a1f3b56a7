"""tf.data pipeline: shapes, ranges, conditions and labels, square modes, bad images,
class-balanced sampling."""

from __future__ import annotations

import numpy as np
import pytest

from engine.conditioning import CategoricalColumn, ConditionEncoder, NumericColumn
from engine.datasets import open_dataset, split_by_group
from engine.datasets.pipeline import PipelineConfig, conditions_for, make_dataset
from engine.vocabulary import DIAGNOSES, SEXES, SITES

from .conftest import jpeg_bytes

tf = pytest.importorskip("tensorflow")


def encoder_for(reader) -> ConditionEncoder:
    """A fixed encoder; HAM10000 has no diameter_mm column, ISIC 2024 has one."""
    return ConditionEncoder(
        [NumericColumn("age", 50.0, 20.0), NumericColumn("diameter_mm", 6.0, 4.0)],
        [CategoricalColumn("dx", DIAGNOSES), CategoricalColumn("sex", SEXES),
         CategoricalColumn("site", SITES)])


def collect(dataset):
    images, conditions, labels = zip(*[(batch[0].numpy(), batch[1].numpy(), batch[2].numpy())
                                       for batch in dataset], strict=True)
    return np.concatenate(images), np.concatenate(conditions), np.concatenate(labels)


@pytest.mark.parametrize("decode", ["tensorflow", "pillow"])
@pytest.mark.parametrize("resize", ["crop", "pad"])
def test_batches_have_shapes_ranges_conditions_and_labels(ham_official, decode, resize):
    reader = open_dataset(ham_official, format="ham10000")
    encoder = encoder_for(reader)
    dataset = make_dataset(reader, encoder=encoder, config=PipelineConfig(
        size=24, batch_size=5, decode=decode, resize=resize))
    images, conditions, labels = collect(dataset)
    assert images.shape == (14, 24, 24, 3) and images.dtype == np.float32
    assert -1.0 <= images.min() and images.max() <= 1.0 and images.std() > 0.05
    if resize == "pad":  # 150x112 fitted into 24x24: black bars top and bottom
        assert np.all(images[:, 0] == -1.0) and images[:, 12].min() > -1.0
    metadata = reader.metadata()
    assert np.allclose(conditions, conditions_for(metadata, encoder=encoder))
    assert labels.tolist() == [DIAGNOSES.index(dx) for dx in metadata["dx"]]
    missing_diameter = encoder.feature_names.index("diameter_mm__missing__")
    assert np.all(conditions[:, missing_diameter] == 1.0)


def test_both_decoders_agree(ham_official):
    reader = open_dataset(ham_official, format="ham10000")
    encoder = encoder_for(reader)
    fast, _, _ = collect(make_dataset(reader, encoder=encoder,
                                      config=PipelineConfig(size=32, decode="tensorflow")))
    robust, _, _ = collect(make_dataset(reader, encoder=encoder,
                                        config=PipelineConfig(size=32, decode="pillow")))
    assert np.abs(fast - robust).mean() < 0.02


def test_split_positions_and_malignant_labels(isic2024_dir):
    reader = open_dataset(isic2024_dir, format="isic2024")
    train, _, test = split_by_group(reader.metadata(), fractions=(0.5, 0.0, 0.5), seed=0)
    config = PipelineConfig(size=16, batch_size=8, label="malignant")
    _, _, labels = collect(make_dataset(reader, encoder=encoder_for(reader), config=config,
                                        positions=test))
    assert labels.tolist() == reader.metadata()["target"].iloc[test].astype(int).tolist()
    with pytest.raises(ValueError, match="positions must be row numbers"):
        make_dataset(reader, encoder=encoder_for(reader), config=config, positions=[99])


@pytest.mark.parametrize("decode", ["tensorflow", "pillow"])
def test_bad_image_is_skipped_and_counted_or_named(ham_official, decode):
    target = next(ham_official.rglob("ISIC_0025146.jpg"))
    target.write_bytes(jpeg_bytes(60, 40)[:200])
    config = PipelineConfig(size=16, batch_size=4, decode=decode)
    reader = open_dataset(ham_official, format="ham10000", skip_bad=True)
    images, _, _ = collect(make_dataset(reader, encoder=encoder_for(reader), config=config))
    assert len(images) == 13 and reader.report.skipped == {"corrupt image": 1}
    strict = open_dataset(ham_official, format="ham10000")
    with pytest.raises(Exception, match="ISIC_0025146.jpg"):
        collect(make_dataset(strict, encoder=encoder_for(strict), config=config))


def test_shuffle_is_a_reproducible_permutation(ham_official):
    reader = open_dataset(ham_official, format="ham10000")
    config = PipelineConfig(size=8, batch_size=14, shuffle=True, repeat=True, seed=5)

    def two_passes():
        dataset = make_dataset(reader, encoder=encoder_for(reader), config=config)
        return [batch[2].numpy().tolist() for batch in dataset.take(2)]

    first, second = two_passes()
    assert sorted(first) == sorted(second) == sorted([i // 2 for i in range(14)])
    assert first != second  # a new order on each pass
    assert two_passes() == [first, second]


@pytest.mark.slow
def test_balanced_sampling_evens_out_classes(isic2024_dir):
    reader = open_dataset(isic2024_dir, format="isic2024")
    config = PipelineConfig(size=8, batch_size=60, balanced=True, seed=3)
    dataset = make_dataset(reader, encoder=encoder_for(reader), config=config)
    labels = np.concatenate([label.numpy() for _, _, label in dataset.take(3)])
    counts = np.bincount(labels, minlength=len(DIAGNOSES))
    present = [DIAGNOSES.index(dx) for dx in ("bcc", "mel", "nv")]
    assert counts.sum() == 180 and set(np.flatnonzero(counts)) == set(present)
    assert counts[present].min() > 35  # 60 expected each; the data set has 1 of each
    again = np.concatenate([label.numpy() for _, _, label in make_dataset(
        reader, encoder=encoder_for(reader), config=config).take(3)])
    assert np.array_equal(labels, again)


def test_config_is_validated():
    with pytest.raises(ValueError, match="resize 'stretch' must be one of crop, pad"):
        PipelineConfig(resize="stretch")
    with pytest.raises(ValueError, match="size 4 must be"):
        PipelineConfig(size=4)
