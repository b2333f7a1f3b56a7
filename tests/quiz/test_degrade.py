import json

import numpy as np
import pytest

from engine.degrade import (
    DEGRADATIONS,
    DegradationSpec,
    DegradationStep,
    degrade,
    describe,
    replay,
    severity_spec,
)


def _difference(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.abs(a.astype(int) - b.astype(int)).mean())


def test_severity_zero_is_identity(lesion_image):
    result = degrade(lesion_image, severity=0, seed=3)
    assert np.array_equal(result.image, lesion_image)
    assert result.applied == ()
    assert "no degradation" in result.description


@pytest.mark.parametrize("severity", [1, 2, 3, 4])
def test_same_seed_same_image_and_parameters(lesion_image, severity):
    first = degrade(lesion_image, severity=severity, seed=11)
    second = degrade(lesion_image, severity=severity, seed=11)
    assert np.array_equal(first.image, second.image)
    assert first.applied == second.applied
    assert len(first.applied) == severity + 1
    other = degrade(lesion_image, severity=severity, seed=12)
    assert other.applied != first.applied


def test_replay_reproduces_from_stored_json(lesion_image):
    result = degrade(lesion_image, severity=4, seed=5)
    stored = json.loads(json.dumps(result.to_dict()))
    again = replay(lesion_image, applied=stored["applied"], seed=stored["seed"])
    assert np.array_equal(again, result.image)


def test_heavier_severity_changes_the_image_more(lesion_image):
    mean_change = [
        np.mean([_difference(degrade(lesion_image, severity=s, seed=seed).image, lesion_image)
                 for seed in range(12)])
        for s in (1, 2, 3, 4)
    ]
    assert mean_change == sorted(mean_change)
    assert mean_change[-1] > 2 * mean_change[0]


@pytest.mark.parametrize("name", sorted(DEGRADATIONS))
def test_every_degradation_at_its_heavy_end_changes_the_image(lesion_image, name):
    entry = DEGRADATIONS[name]
    ranges = {p.name: (p.heavy, p.heavy) for p in entry.parameters
              if not p.free and not p.signed}
    ranges.update({p.name: (abs(p.heavy), abs(p.heavy)) for p in entry.parameters if p.signed})
    result = degrade(lesion_image, spec=DegradationSpec(steps=(DegradationStep(name, ranges),)),
                     seed=1)
    assert result.image.shape == lesion_image.shape and result.image.dtype == np.uint8
    assert _difference(result.image, lesion_image) > 0.3
    assert [step["name"] for step in result.applied] == [name]
    for parameter in entry.parameters:
        assert parameter.low <= result.applied[0]["params"][parameter.name] <= parameter.high
    assert result.description.split()[0] in {"slight", "moderate", "heavy"}


def test_steps_apply_in_stage_order_whatever_the_spec_order(lesion_image):
    spec = DegradationSpec(steps=(DegradationStep("jpeg"), DegradationStep("hair"),
                                  DegradationStep("motion_blur")))
    result = degrade(lesion_image, spec=spec, seed=2)
    assert [s["name"] for s in result.applied] == ["hair", "motion_blur", "jpeg"]


def test_description_names_the_faults_with_their_strength():
    text = describe([{"name": "motion_blur", "params": {"length": 0.2, "angle": 10}},
                     {"name": "jpeg", "params": {"quality": 35}}])
    assert text.startswith("heavy motion blur")
    assert "JPEG quality 35" in text


def test_spec_round_trips_through_json():
    spec = severity_spec(3)
    again = DegradationSpec.from_dict(json.loads(json.dumps(spec.to_dict())))
    assert again == spec


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (lambda: DegradationStep("sepia"), "unknown degradation 'sepia'"),
        (lambda: DegradationStep("jpeg", {"quality": (0, 50)}), "within [1, 100]"),
        (lambda: DegradationStep("jpeg", {"quality": (60, 50)}), "must be ordered"),
        (lambda: DegradationStep("jpeg", {"qualty": (40, 50)}), "has no parameter 'qualty'"),
        (lambda: DegradationStep("jpeg", probability=1.5), "probability"),
        (lambda: DegradationSpec(steps=(DegradationStep("jpeg"),), choose=2), "choose 2"),
        (lambda: DegradationSpec(steps=(DegradationStep("jpeg"), DegradationStep("jpeg"))),
         "more than once"),
        (lambda: severity_spec(5), "severity 5"),
    ],
)
def test_invalid_specs_raise_clear_errors(build, message):
    with pytest.raises(ValueError, match=message.replace("[", r"\[").replace("(", r"\(")):
        build()


def test_bad_inputs_raise_clear_errors(lesion_image):
    with pytest.raises(ValueError, match="uint8 RGB"):
        degrade(lesion_image.astype(np.float32), severity=1, seed=0)
    with pytest.raises(ValueError, match="exactly one"):
        degrade(lesion_image, seed=0)
    with pytest.raises(ValueError, match="seed"):
        degrade(lesion_image, severity=1, seed=-1)
    with pytest.raises(ValueError, match="outside"):
        replay(lesion_image, applied=[{"name": "jpeg", "params": {"quality": 400}}], seed=0)
