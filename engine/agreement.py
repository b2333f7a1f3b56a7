"""Inter-rater agreement for expert review: Cohen's kappa (two raters) and Fleiss' kappa (many).

Kappa corrects raw agreement for the agreement expected by chance, so experts who approve
almost everything do not look like they agree about image quality. The review page reports
both, computed on items rated by several experts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Hashable, Mapping, Sequence


def cohen_kappa(*, first: Sequence[Hashable], second: Sequence[Hashable]) -> float:
    """Cohen's kappa of two raters' labels for the same items, in item order.

    Returns 1.0 when both raters used one and the same label throughout (perfect agreement
    with no chance correction possible).
    """
    if len(first) != len(second):
        raise ValueError(
            f"the two raters labelled different numbers of items ({len(first)} vs "
            f"{len(second)}); pass labels for the same items in the same order"
        )
    if not first:
        raise ValueError("Cohen's kappa needs at least one item rated by both raters")
    total = len(first)
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / total
    first_counts, second_counts = Counter(first), Counter(second)
    expected = sum(
        first_counts[label] * second_counts[label] for label in first_counts
    ) / (total * total)
    if expected == 1.0:
        return 1.0
    return (observed - expected) / (1.0 - expected)


def fleiss_kappa(*, ratings: Sequence[Mapping[Hashable, int]]) -> float:
    """Fleiss' kappa from per-item label counts, e.g. [{"approve": 3}, {"approve": 1, "reject": 2}].

    Every item must have been rated by the same number of raters (at least two).
    """
    if not ratings:
        raise ValueError("Fleiss' kappa needs at least one item")
    raters = {sum(counts.values()) for counts in ratings}
    if len(raters) != 1:
        raise ValueError(
            "every item must be rated by the same number of raters for Fleiss' kappa; "
            f"found items with {', '.join(map(str, sorted(raters)))} ratings"
        )
    per_item = raters.pop()
    if per_item < 2:
        raise ValueError("Fleiss' kappa needs at least two ratings per item")
    if any(count < 0 for counts in ratings for count in counts.values()):
        raise ValueError("label counts must not be negative")
    items = len(ratings)
    label_totals: Counter = Counter()
    for counts in ratings:
        label_totals.update(counts)
    item_agreement = [
        (sum(count * count for count in counts.values()) - per_item)
        / (per_item * (per_item - 1))
        for counts in ratings
    ]
    observed = sum(item_agreement) / items
    expected = sum(
        (total / (items * per_item)) ** 2 for total in label_totals.values()
    )
    if expected == 1.0:
        return 1.0
    return (observed - expected) / (1.0 - expected)


def interpretation(kappa: float) -> str:
    """Landis & Koch's words for a kappa value (poor .. almost perfect)."""
    bands = ((0.0, "poor"), (0.2, "slight"), (0.4, "fair"), (0.6, "moderate"),
             (0.8, "substantial"))
    for upper, word in bands:
        if kappa <= upper:
            return word
    return "almost perfect"
