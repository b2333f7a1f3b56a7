"""The condition encoder: standardised numbers, one-hot categories, missing and unseen buckets."""

import numpy as np
import pandas as pd
import pytest

from engine.conditioning import ConditionEncoder
from engine.profiles import ProfileSampler

ISIC_LIKE = pd.DataFrame({
    "tbp_lv_A": [10.0, 20.0, 30.0, None],
    "clin_size_long_diam_mm": [2.0, 4.0, 6.0, 8.0],
    "anatom_site_general": ["head/neck", "lower extremity", None, "head/neck"],
    "sex": ["male", "female", "male", ""],
})


@pytest.fixture
def encoder():
    return ConditionEncoder.fit(
        ISIC_LIKE,
        numeric=["tbp_lv_A", "clin_size_long_diam_mm"],
        categorical=["anatom_site_general", "sex"],
    )


def test_numeric_columns_are_standardised_and_missing_flagged(encoder):
    vectors = encoder.transform(ISIC_LIKE)
    names = encoder.feature_names
    a = vectors[:, names.index("tbp_lv_A")]
    assert np.allclose(a[:3], (np.array([10, 20, 30]) - 20) / np.std([10, 20, 30]))
    assert a[3] == 0.0
    assert vectors[:, names.index("tbp_lv_A__missing__")].tolist() == [0, 0, 0, 1]
    size = vectors[:, names.index("clin_size_long_diam_mm")]
    assert abs(size.mean()) < 1e-6 and abs(size.std() - 1) < 1e-6


def test_categories_are_one_hot_with_missing_and_unseen_buckets(encoder):
    rows = pd.DataFrame({
        "tbp_lv_A": [15.0, 15.0], "clin_size_long_diam_mm": [3.0, 3.0],
        "anatom_site_general": ["head/neck", "palms/soles"], "sex": [None, "female"],
    })
    vectors = encoder.transform(rows)
    names = encoder.feature_names
    site = [n for n in names if n.startswith("anatom_site_general=")]
    assert site == ["anatom_site_general=head/neck", "anatom_site_general=lower extremity",
                    "anatom_site_general=__missing__", "anatom_site_general=__unseen__"]
    assert vectors[0, names.index("anatom_site_general=head/neck")] == 1
    assert vectors[1, names.index("anatom_site_general=__unseen__")] == 1
    assert vectors[0, names.index("sex=__missing__")] == 1
    # Every categorical block is exactly one-hot.
    for column in ("anatom_site_general", "sex"):
        block = [i for i, n in enumerate(names) if n.startswith(column + "=")]
        assert (vectors[:, block].sum(axis=1) == 1).all()


def test_fixed_length_whatever_the_rows(encoder):
    assert encoder.transform(ISIC_LIKE.iloc[:1]).shape == (1, encoder.dim)
    assert encoder.transform([]).shape == (0, encoder.dim)
    assert encoder.transform(ISIC_LIKE).dtype == np.float32


def test_a_row_missing_a_required_column_is_refused_by_name(encoder):
    with pytest.raises(ValueError, match="missing required column.*clin_size_long_diam_mm"):
        encoder.transform(ISIC_LIKE.drop(columns="clin_size_long_diam_mm"))
    with pytest.raises(ValueError, match="'tbp_lv_A' must be numeric; got 'abc'"):
        encoder.transform(ISIC_LIKE.assign(tbp_lv_A=["abc", 1, 2, 3]))


def test_save_and_load_give_the_same_encoding(encoder, tmp_path):
    path = tmp_path / "encoder.json"
    encoder.save(path)
    loaded = ConditionEncoder.load(path)
    assert loaded == encoder
    assert np.array_equal(loaded.transform(ISIC_LIKE), encoder.transform(ISIC_LIKE))
    path.write_text('{"format_version": 99}')
    with pytest.raises(ValueError, match="format 99 is not supported"):
        ConditionEncoder.load(path)


def test_profile_encoder_has_fixed_vocabularies():
    profiles = ProfileSampler.default().sample(n=500, seed=0)
    encoder = ConditionEncoder.for_profiles(profiles)
    names = encoder.feature_names
    assert {f"dx={dx}" for dx in ("akiec", "bcc", "bkl", "df", "mel", "nv", "vasc")} <= set(names)
    vectors = encoder.transform(profiles[:10])
    for profile, vector in zip(profiles[:10], vectors, strict=True):
        assert vector[names.index(f"dx={profile.dx}")] == 1
        assert vector[names.index(f"site={profile.site}")] == 1
        assert vector[names.index("age__missing__")] == (profile.age is None)


def test_fit_refuses_an_empty_numeric_column():
    with pytest.raises(ValueError, match="'x' has no numeric values"):
        ConditionEncoder.fit(pd.DataFrame({"x": [None, None]}), numeric=["x"])
