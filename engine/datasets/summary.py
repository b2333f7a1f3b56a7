"""What is in a data set: counts, an age histogram, image sizes and the bad files found.

Image sizes come from fully decoding the images (all of them up to `sample_size`, else a
seeded random sample), so corrupt or truncated files in the sample are found and reported too.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from engine.datasets.base import DatasetReader
from engine.datasets.errors import BadInputError
from engine.datasets.images import decode_image

AGE_HISTOGRAM_YEARS = 10
BAR_WIDTH = 40


@dataclass(frozen=True)
class DatasetSummary:
    images: int
    by_dx: dict[str, int]
    by_site: dict[str, int]
    by_sex: dict[str, int]
    age_histogram: dict[str, int]
    checked_images: int
    widths: tuple[int, ...]
    heights: tuple[int, ...]
    report_lines: tuple[str, ...]

    def lines(self) -> list[str]:
        """The summary as text, one line each."""
        out = [f"images: {self.images:,}"]
        for title, counts in (("diagnosis", self.by_dx), ("site", self.by_site),
                              ("sex", self.by_sex)):
            out.append(f"by {title}:")
            out += [f"  {name:<18}{count:>9,}" for name, count in counts.items()]
        out.append(f"age ({AGE_HISTOGRAM_YEARS}-year bins):")
        top = max(self.age_histogram.values(), default=0) or 1
        for name, count in self.age_histogram.items():
            bar = "#" * round(BAR_WIDTH * count / top)
            out.append(f"  {name:<10}{count:>9,} {bar}")
        out.append(f"image size (pixels, from {self.checked_images:,} decoded images):")
        if self.widths:
            for axis, values in (("width", self.widths), ("height", self.heights)):
                out.append(f"  {axis:<8} min {min(values)}  median {int(np.median(values))}  "
                           f"max {max(values)}")
        out.append("bad files:")
        out += [f"  {line}" for line in self.report_lines]
        return out


def summarise(reader: DatasetReader, *, sample_size: int = 500, seed: int = 0
              ) -> DatasetSummary:
    """Describe `reader`'s data set; bad images met in the sample go to `reader.report`
    when the reader skips bad input (and raise otherwise)."""
    if sample_size < 1:
        raise ValueError(f"sample_size {sample_size} must be at least 1")
    table = reader.metadata()
    positions = np.arange(len(table))
    if len(positions) > sample_size:
        positions = np.sort(np.random.default_rng(seed).choice(positions, sample_size,
                                                               replace=False))
    widths, heights = [], []
    for _, source, data in reader.iter_encoded(positions):
        try:
            height, width, _ = decode_image(data, source=source).shape
        except BadInputError as error:
            reader.handle_bad(error, key=source)
            continue
        widths.append(width)
        heights.append(height)
    return DatasetSummary(
        images=len(table),
        by_dx=_counts(table["dx"].fillna("(none)")),
        by_site=_counts(table["site"]),
        by_sex=_counts(table["sex"]),
        age_histogram=_age_histogram(table["age"]),
        checked_images=len(positions),
        widths=tuple(widths),
        heights=tuple(heights),
        report_lines=tuple(reader.report.lines()),
    )


def _counts(values: pd.Series) -> dict[str, int]:
    return {str(k): int(v) for k, v in values.value_counts().items()}


def _age_histogram(ages: pd.Series) -> dict[str, int]:
    ages = pd.to_numeric(ages, errors="coerce")
    out = {}
    known = ages.dropna()
    if not known.empty:
        bins = (known // AGE_HISTOGRAM_YEARS * AGE_HISTOGRAM_YEARS).astype(int)
        for start in range(int(bins.min()), int(bins.max()) + 1, AGE_HISTOGRAM_YEARS):
            out[f"{start}-{start + AGE_HISTOGRAM_YEARS - 1}"] = int((bins == start).sum())
    out["unknown"] = int(ages.isna().sum())
    return out
