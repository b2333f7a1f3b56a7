"""Splitting by group so that no lesion (HAM10000) or patient (ISIC 2024) is in two splits.

Groups are stratified by their most common diagnosis (missing counts as its own stratum):
within each stratum the groups are shuffled with the seed and cut where the running image count
reaches each split's share. A stratum too small to share (a single group) goes whole to the
split its cut falls in, so small classes stay possible but not exact.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


def split_by_group(metadata: pd.DataFrame, *, fractions: Sequence[float] = (0.8, 0.1, 0.1),
                   seed: int = 0, group_column: str = "group",
                   label_column: str | None = "dx") -> list[np.ndarray]:
    """Positions (row numbers of `metadata`) of each split, in `fractions` order, sorted."""
    fractions = np.asarray(fractions, dtype=float)
    if fractions.ndim != 1 or len(fractions) == 0 or (fractions < 0).any():
        raise ValueError(f"fractions {fractions.tolist()} must be non-negative numbers")
    if not np.isclose(fractions.sum(), 1.0):
        raise ValueError(f"fractions {fractions.tolist()} must sum to 1")
    if group_column not in metadata:
        raise ValueError(f"metadata has no group column {group_column!r}")
    if label_column is not None and label_column not in metadata:
        raise ValueError(f"metadata has no label column {label_column!r}; pass "
                         "label_column=None to split without stratifying")
    groups = metadata[group_column].astype(str).to_numpy()
    labels = (metadata[label_column].fillna("(none)").astype(str).to_numpy()
              if label_column else np.full(len(metadata), ""))
    frame = pd.DataFrame({"group": groups, "label": labels})
    sizes = frame.groupby("group").size()
    pairs = frame.groupby(["group", "label"]).size().reset_index(name="rows")
    pairs = pairs.sort_values(["group", "rows", "label"], ascending=[True, False, True])
    group_label = pairs.drop_duplicates("group").set_index("group")["label"]
    rng = np.random.default_rng(seed)
    split_of_group: dict[str, int] = {}
    cuts = np.cumsum(fractions)
    for label in sorted(group_label.unique()):
        members = np.sort(group_label.index[group_label == label].to_numpy())
        members = members[rng.permutation(len(members))]
        counts = sizes.loc[members].to_numpy()
        # a group goes to the split holding the midpoint of its share of the stratum's images
        midpoints = (np.cumsum(counts) - counts / 2) / counts.sum()
        chosen = np.minimum(np.searchsorted(cuts, midpoints, side="right"), len(fractions) - 1)
        split_of_group.update(zip(members.tolist(), chosen.tolist(), strict=True))
    assignment = np.array([split_of_group[g] for g in groups], dtype=int)
    return [np.flatnonzero(assignment == split) for split in range(len(fractions))]
