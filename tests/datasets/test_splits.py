"""Group splits: no lesion or patient in two splits, reproducible, roughly stratified."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.datasets import split_by_group


def table(n_groups: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 5, n_groups)
    groups = np.repeat([f"HAM_{i:05d}" for i in range(n_groups)], sizes)
    dx_of_group = rng.choice(["nv", "mel", "bkl", "df"], n_groups, p=[0.7, 0.15, 0.1, 0.05])
    return pd.DataFrame({"group": groups, "dx": np.repeat(dx_of_group, sizes)})


@settings(max_examples=25, deadline=None)
@given(n_groups=st.integers(1, 300), seed=st.integers(0, 2**16))
def test_no_group_in_two_splits_and_every_row_once(n_groups, seed):
    metadata = table(n_groups, seed)
    splits = split_by_group(metadata, seed=seed)
    assert sorted(np.concatenate(splits).tolist()) == list(range(len(metadata)))
    seen = [set(metadata["group"].iloc[s]) for s in splits]
    assert not (seen[0] & seen[1] or seen[0] & seen[2] or seen[1] & seen[2])


def test_reproducible_for_a_seed_and_different_for_another():
    metadata = table(500, 1)
    first = split_by_group(metadata, seed=7)
    assert all(np.array_equal(a, b) for a, b in
               zip(first, split_by_group(metadata, seed=7), strict=True))
    assert not np.array_equal(first[1], split_by_group(metadata, seed=8)[1])


def test_sizes_follow_fractions_and_classes_are_stratified():
    metadata = table(2000, 3)
    train, validation, test = split_by_group(metadata, fractions=(0.7, 0.2, 0.1), seed=0)
    shares = np.array([len(train), len(validation), len(test)]) / len(metadata)
    assert np.allclose(shares, [0.7, 0.2, 0.1], atol=0.02)
    overall = metadata["dx"].value_counts(normalize=True)
    for split in (train, validation, test):
        share = metadata["dx"].iloc[split].value_counts(normalize=True)
        assert np.allclose(share.reindex(overall.index).fillna(0), overall, atol=0.03)


@pytest.mark.parametrize(("fractions", "message"), [
    ((0.5, 0.4), "must sum to 1"), ((1.2, -0.2), "non-negative")])
def test_bad_fractions_are_refused(fractions, message):
    with pytest.raises(ValueError, match=message):
        split_by_group(table(10, 0), fractions=fractions)
