"""The profile prior reproduces HAM10000 and the sampler does what its arguments say."""

from collections import Counter

import numpy as np
import pandas as pd
import pytest

from engine.profiles import PatientProfile, ProfileSampler, profiles_to_frame
from engine.vocabulary import AGE_BINS, DIAGNOSES, SITES, normalise_sex, normalise_site


@pytest.fixture(scope="module")
def sampler():
    return ProfileSampler.default()


@pytest.fixture(scope="module")
def drawn(sampler):
    return profiles_to_frame(sampler.sample(n=100_000, seed=2024))


def _shares(values) -> dict:
    counts = Counter(values)
    total = sum(counts.values())
    return {k: v / total for k, v in counts.items()}


def test_shipped_prior_is_fitted_on_the_full_ham10000_table(sampler):
    assert sampler.counts.sum() == 10_015
    assert "Tschandl" in sampler.attribution and "CC BY-NC-SA 4.0" in sampler.attribution


@pytest.mark.parametrize("field", ["dx", "sex", "site", "age"])
def test_100k_profiles_reproduce_ham10000_marginals_within_one_point(sampler, drawn, field):
    axis = {"dx": 0, "age": 1, "sex": 2, "site": 3}[field]
    others = tuple(a for a in range(4) if a != axis)
    data_counts = sampler.counts.sum(axis=others)
    data_shares = data_counts / data_counts.sum()
    levels = {
        "dx": DIAGNOSES, "sex": ("male", "female", "unknown"), "site": SITES,
        "age": (*AGE_BINS, None),
    }[field]
    column = drawn[field].astype(object).where(drawn[field].notna(), None)
    sampled = _shares(column.tolist())
    for level, expected in zip(levels, data_shares, strict=True):
        key = level if field != "age" or level is None else float(level)
        got = sampled.get(key, sampled.get(level, 0.0))
        assert abs(got - expected) < 0.01, (field, level, got, expected)


def test_marginals_match_the_raw_metadata_counts(sampler):
    # Published HAM10000 counts (DESIGN.md §2): nv 6705, mel 1113, bkl 1099 ...
    dx = dict(zip(DIAGNOSES, sampler.counts.sum(axis=(1, 2, 3)), strict=True))
    assert dx == {"akiec": 327, "bcc": 514, "bkl": 1099, "df": 115, "mel": 1113,
                  "nv": 6705, "vasc": 142}


def test_same_seed_same_profiles_and_other_seed_differs(sampler):
    first = sampler.sample(n=200, seed=7)
    assert first == sampler.sample(n=200, seed=7)
    assert first != sampler.sample(n=200, seed=8)


def test_generator_argument_continues_the_stream(sampler):
    rng = np.random.default_rng(3)
    a = sampler.sample(n=5, seed=rng)
    b = sampler.sample(n=5, seed=rng)
    assert a != b


def test_balanced_mix_gives_each_class_a_seventh(sampler):
    shares = _shares(p.dx for p in sampler.sample(n=14_000, class_mix="balanced", seed=1))
    assert set(shares) == set(DIAGNOSES)
    assert all(abs(s - 1 / 7) < 0.015 for s in shares.values())


def test_mapping_mix_sets_shares_and_excludes_missing_classes(sampler):
    shares = _shares(p.dx for p in sampler.sample(
        n=10_000, class_mix={"mel": 3, "nv": 1}, seed=1))
    assert set(shares) == {"mel", "nv"}
    assert abs(shares["mel"] - 0.75) < 0.02


def test_fixed_fields_are_taken_and_the_rest_drawn_conditionally(sampler):
    profiles = sampler.sample(n=2_000, fixed={"dx": "df", "sex": "female"}, seed=5)
    assert {p.dx for p in profiles} == {"df"} and {p.sex for p in profiles} == {"female"}
    # Dermatofibromas sit mostly on the legs in HAM10000.
    site_shares = _shares(p.site for p in profiles)
    assert max(site_shares, key=site_shares.get) == "lower extremity"
    fixed_all = sampler.sample(n=3, fixed={"skin_type": 5, "diameter_mm": 12.0, "age": 60},
                               seed=1)
    assert {(p.skin_type, p.diameter_mm, p.age) for p in fixed_all} == {(5, 12.0, 60)}


def test_rare_combinations_are_possible_but_rare(sampler):
    # No dermatofibroma on the scalp in HAM10000: smoothing keeps it possible, and rare.
    scalp = DIAGNOSES.index("df"), SITES.index("scalp")
    assert sampler.counts[scalp[0], :, :, scalp[1]].sum() == 0
    probability = sampler.probabilities[scalp[0], :, :, scalp[1]].sum()
    assert 0 < probability < 0.001
    assert sampler.sample(n=3, fixed={"dx": "df", "site": "scalp"}, seed=0)[0].site == "scalp"


def test_diameters_and_skin_types_follow_the_per_class_tables(sampler):
    frame = profiles_to_frame(sampler.sample(n=20_000, class_mix="balanced", seed=9))
    medians = frame.groupby("dx").diameter_mm.median()
    assert medians["nv"] < medians["mel"]
    assert 3.5 < medians["nv"] < 5.5 and 6 < medians["mel"] < 8
    fair = frame.assign(fair=frame.skin_type <= 2).groupby("dx").fair.mean()
    assert fair["bcc"] > fair["nv"]
    assert set(frame.skin_type) <= {1, 2, 3, 4, 5, 6}


def test_balanced_skin_mix_gives_each_skin_type_a_sixth_and_keeps_the_rest(sampler):
    balanced = sampler.sample(n=12_000, class_mix="balanced", skin_mix="balanced", seed=2)
    shares = _shares(p.skin_type for p in balanced)
    assert set(shares) == {1, 2, 3, 4, 5, 6}
    assert all(abs(s - 1 / 6) < 0.015 for s in shares.values())
    prior = sampler.sample(n=12_000, class_mix="balanced", seed=2)
    assert _shares(p.skin_type for p in prior)[6] < 0.05
    assert [p.dx for p in balanced] == [p.dx for p in prior]
    assert {p.skin_type for p in sampler.sample(n=5, fixed={"skin_type": 2},
                                                skin_mix="balanced", seed=0)} == {2}


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"class_mix": "weird"}, "class_mix"),
        ({"skin_mix": "dark"}, "skin_mix 'dark' must be one of prior, balanced"),
        ({"class_mix": {"xyz": 1}}, "unknown diagnoses"),
        ({"fixed": {"dx": "melanoma"}}, "fixed dx"),
        ({"fixed": {"colour": "red"}}, "cannot fix colour"),
        ({"fixed": {"dx": "mel"}, "class_mix": {"nv": 1}}, "weight 0"),
        ({"fixed": {"skin_type": 9}}, "skin_type"),
    ],
)
def test_bad_sampling_arguments_are_refused_with_a_clear_message(sampler, kwargs, message):
    with pytest.raises(ValueError, match=message):
        sampler.sample(n=1, seed=0, **kwargs)


def test_save_and_load_round_trip(sampler, tmp_path):
    path = tmp_path / "prior.json"
    sampler.save(path)
    loaded = ProfileSampler.load(path)
    assert loaded.sample(n=50, seed=1) == sampler.sample(n=50, seed=1)


def test_fit_accepts_isic_spellings_and_names_the_bad_row():
    table = pd.DataFrame({
        "dx": ["mel", "nv", "nv"],
        "age_approx": [55, None, 30],
        "sex": ["male", None, "female"],
        "anatom_site_general": ["posterior torso", "palms/soles", None],
    })
    sampler = ProfileSampler.fit(table)
    assert sampler.counts.sum() == 3
    assert sampler.counts[:, :, :, SITES.index("back")].sum() == 1
    bad = table.assign(dx=["mel", "scc", "nv"])
    with pytest.raises(ValueError, match="row 2.*'scc'"):
        ProfileSampler.fit(bad)
    with pytest.raises(ValueError, match="lacks column.*site"):
        ProfileSampler.fit(table.drop(columns="anatom_site_general"))


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("dx", "melanoma", "dx 'melanoma'"),
        ("age", 43, "multiple of 5"),
        ("age", 95, "multiple of 5"),
        ("sex", "M", "sex"),
        ("site", "elbow", "site"),
        ("skin_type", 0, "Fitzpatrick"),
        ("diameter_mm", -2.0, "diameter_mm"),
    ],
)
def test_invalid_profile_fields_are_named(field, value, message):
    good = {"dx": "nv", "age": 45, "sex": "female", "site": "back", "skin_type": 2,
            "diameter_mm": 4.0}
    with pytest.raises(ValueError, match=message):
        PatientProfile(**{**good, field: value})


def test_profile_dict_round_trip_and_malignancy():
    profile = PatientProfile(dx="bcc", age=None, sex="unknown", site="face", skin_type=1,
                             diameter_mm=6.5)
    assert PatientProfile.from_dict(profile.to_dict()) == profile
    assert profile.malignant
    with pytest.raises(ValueError, match="missing fields: site"):
        PatientProfile.from_dict({k: v for k, v in profile.to_dict().items() if k != "site"})


def test_site_vocabulary_maps_ham_and_isic_values():
    assert normalise_site("posterior torso") == "back"
    assert normalise_site("palms/soles") == "acral"
    assert normalise_site("Lower Extremity") == "lower extremity"
    assert normalise_site(float("nan")) == "unknown"
    assert normalise_site("torso") == "trunk"
    assert normalise_sex(None) == "unknown"
    with pytest.raises(ValueError, match="unknown anatomic site 'elbow'"):
        normalise_site("elbow")
