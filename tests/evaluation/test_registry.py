"""The registry runs every metric on a common input and reports each one's real floor."""

import numpy as np
import pytest

from engine.evaluation.conditional_accuracy import misreadings, per_class_accuracy
from engine.evaluation.features import INCEPTION_ENVIRONMENT, load_inception
from engine.evaluation.inputs import EvaluationInputs, SampleSet
from engine.evaluation.registry import METRICS, metric, run_metrics


def _sample_set(rng, count, *, shift=0.0, name="set"):
    labels = rng.integers(0, 7, count)
    features = rng.normal(size=(count, 6)) + labels[:, None] * 0.5 + shift
    probabilities = np.full((count, 7), 0.01)
    probabilities[np.arange(count), labels] = 0.94
    return SampleSet(name=name, features=features, labels=labels, probabilities=probabilities,
                     diameter_mm=rng.uniform(2, 20, count),
                     measured_diameter_px=rng.uniform(5, 60, count),
                     colour_counts=rng.integers(1, 5, count).astype(float),
                     thumbnails=np.zeros((count, 8, 8, 3), np.uint8))


def test_floors_come_from_the_holdout_and_a_shifted_candidate_scores_worse():
    rng = np.random.default_rng(0)
    inputs = EvaluationInputs(candidate=_sample_set(rng, 300, shift=1.5),
                              reference=_sample_set(rng, 300), holdout=_sample_set(rng, 300))
    names = ("fid", "kid", "precision", "coverage", "conditional_accuracy", "diversity",
             "colour_consistency")
    results = run_metrics(inputs, names=names)
    assert set(results) == set(names)
    assert results["fid"].value > 5 * results["fid"].floor
    assert results["kid"].value > results["kid"].floor
    assert results["coverage"].value < results["coverage"].floor
    assert results["conditional_accuracy"].value == pytest.approx(1.0)
    assert results["diversity"].floor == pytest.approx(1.0, abs=0.1)


def test_memorization_is_skipped_without_training_images_and_unknown_names_fail():
    rng = np.random.default_rng(1)
    inputs = EvaluationInputs(candidate=_sample_set(rng, 50), reference=_sample_set(rng, 50),
                              holdout=_sample_set(rng, 50))
    assert "memorization" in METRICS
    assert set(run_metrics(inputs, names=("memorization", "fid"))) == {"fid"}
    with pytest.raises(ValueError, match="unknown metric 'fud'"):
        metric("fud")


def test_sample_set_refuses_misaligned_arrays():
    rng = np.random.default_rng(2)
    good = _sample_set(rng, 10)
    with pytest.raises(ValueError, match="labels has 9 rows"):
        SampleSet(**{**good.__dict__, "labels": good.labels[:9]})


def test_inception_is_used_only_when_a_local_weights_file_is_configured(monkeypatch, tmp_path):
    monkeypatch.delenv(INCEPTION_ENVIRONMENT, raising=False)
    assert load_inception() is None
    monkeypatch.setenv(INCEPTION_ENVIRONMENT, str(tmp_path / "missing.weights.h5"))
    with pytest.raises(ValueError, match="not a file"):
        load_inception()


def test_conditional_accuracy_says_where_misread_images_go():
    # class 0: 6 images, 3 right, 2 read as class 2 and 1 as class 1; class 1: all right.
    conditioned = np.array([0, 0, 0, 0, 0, 0, 1, 1])
    predicted = np.array([0, 0, 0, 2, 2, 1, 1, 1])
    overall, per_class = per_class_accuracy(conditioned=conditioned, predicted=predicted,
                                            classes=("a", "b", "c"))
    assert overall == pytest.approx(5 / 8)
    assert per_class == {"a": pytest.approx(0.5), "b": 1.0}
    misread = misreadings(conditioned=conditioned, predicted=predicted, classes=("a", "b", "c"))
    assert list(misread["a"].items()) == [("c", pytest.approx(2 / 6)), ("b", pytest.approx(1 / 6))]
    assert misread["b"] == {}


def test_skin_type_accuracy_is_the_worst_type_with_enough_images():
    rng = np.random.default_rng(3)
    candidate = _sample_set(rng, 65)
    skin_types = np.array([1] * 30 + [6] * 30 + [3] * 5)
    wrong = np.r_[np.zeros(30, bool), np.arange(30) % 2 == 0, np.ones(5, bool)]
    probabilities = candidate.probabilities.copy()
    probabilities[wrong] = np.roll(probabilities[wrong], 1, axis=1)
    candidate = SampleSet(**{**candidate.__dict__, "probabilities": probabilities,
                             "skin_types": skin_types})
    holdout = _sample_set(rng, 40)
    inputs = EvaluationInputs(candidate=candidate, reference=_sample_set(rng, 40),
                              holdout=SampleSet(**{**holdout.__dict__,
                                                   "skin_types": np.full(40, 2)}))
    result = run_metrics(inputs, names=("skin_type_accuracy",))["skin_type_accuracy"]
    table = result.details["by_skin_type"]
    assert {k: (row["accuracy"], row["images"]) for k, row in table.items()} == {
        1: (1.0, 30), 3: (0.0, 5), 6: (0.5, 30)}
    assert result.value == 0.5 and result.floor == 1.0
    without = EvaluationInputs(candidate=_sample_set(rng, 30), reference=inputs.reference,
                               holdout=holdout)
    assert run_metrics(without, names=("skin_type_accuracy", "fid")).keys() == {"fid"}
    with pytest.raises(ValueError, match="skin_types has 3 rows"):
        SampleSet(**{**holdout.__dict__, "skin_types": np.ones(3)})
