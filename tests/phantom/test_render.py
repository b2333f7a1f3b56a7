"""render(): the public contract, determinism by seed, and the criteria record."""

import json

import numpy as np
import pytest

from engine.phantom import GENERATOR_ID, VERSION, Criteria, render
from engine.profiles import PatientProfile

PROFILE = PatientProfile(dx="mel", age=55, sex="male", site="back", skin_type=2,
                         diameter_mm=7.0)


def test_render_returns_an_rgb_image_and_its_criteria():
    image, criteria = render(PROFILE, size=96, seed=1)
    assert image.shape == (96, 96, 3) and image.dtype == np.uint8
    assert isinstance(criteria, Criteria)
    assert criteria.dx == "mel" and criteria.diameter_mm == 7.0
    assert image.std() > 5  # not a flat fill
    assert GENERATOR_ID == "phantom" and VERSION


def test_same_seed_same_image_and_other_seed_other_image():
    first, criteria_first = render(PROFILE, size=64, seed=7)
    again, criteria_again = render(PROFILE, size=64, seed=7)
    other, _ = render(PROFILE, size=64, seed=8)
    assert np.array_equal(first, again) and criteria_first == criteria_again
    assert not np.array_equal(first, other)
    from_generator, _ = render(PROFILE, size=64, seed=np.random.default_rng(7))
    assert np.array_equal(first, from_generator)


def test_artefacts_off_keeps_the_lesion_and_records_nothing():
    with_artefacts, criteria = render(PROFILE, size=64, seed=3)
    clean, clean_criteria = render(PROFILE, size=64, seed=3, artefacts=False)
    assert clean_criteria.artefacts == ()
    assert criteria.artefacts  # at least the vignette or circular field
    assert clean_criteria.structures == criteria.structures
    assert clean_criteria.colours == criteria.colours


def test_criteria_dict_is_json_and_round_trips():
    _, criteria = render(PROFILE, size=64, seed=5)
    data = json.loads(json.dumps(criteria.to_dict()))
    abcd = data["abcd"]
    assert 0 <= abcd["asymmetry_axes"] <= 2 and 0 <= abcd["border_segments"] <= 8
    assert abcd["tds_category"] in {"benign", "suspicious", "highly suspicious"}
    expected_tds = (1.3 * abcd["asymmetry_axes"] + 0.1 * abcd["border_segments"]
                    + 0.5 * len(abcd["colours"]) + 0.5 * max(1, len(abcd["structures"])))
    assert abcd["tds"] == pytest.approx(expected_tds, abs=0.01)
    assert data["seven_point"]["score"] == criteria.seven_point_score()
    assert Criteria.from_dict(data) == criteria
    lines = criteria.explanation_lines()
    assert any("dermoscopy score" in line for line in lines)
    assert any("7-point" in line for line in lines)


def test_acral_melanoma_shows_a_parallel_pattern_and_no_network():
    acral = PatientProfile(dx="mel", age=60, sex="female", site="acral", skin_type=3,
                           diameter_mm=8.0)
    patterns = {render(acral, size=48, seed=s)[1].site_pattern for s in range(12)}
    assert patterns <= {"acral ridge", "acral furrow"} and "acral ridge" in patterns
    _, criteria = render(acral, size=48, seed=0)
    assert "regular pigment network" not in criteria.structures


@pytest.mark.parametrize("size", [8, 5000, 64.5])
def test_bad_size_is_refused_with_the_limits(size):
    with pytest.raises(ValueError, match="size"):
        render(PROFILE, size=size, seed=0)


def test_class_tables_overlap_and_melanomas_score_higher():
    """Nevi are mostly benign by TDS, melanomas mostly not, but neither always."""
    nevus = PatientProfile(dx="nv", age=30, sex="female", site="back", skin_type=2,
                           diameter_mm=4.0)
    nevus_tds = [render(nevus, size=32, seed=s)[1].tds() for s in range(60)]
    melanoma_tds = [render(PROFILE, size=32, seed=s)[1].tds() for s in range(60)]
    assert np.median(melanoma_tds) > np.median(nevus_tds) + 1
    assert max(nevus_tds) >= 4.75  # some nevi are atypical
    assert min(melanoma_tds) < 5.45  # some melanomas are subtle
