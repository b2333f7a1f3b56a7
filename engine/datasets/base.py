"""The common record, the reader base class and the shared row checks.

A reader loads and checks its metadata table when opened (columns, diagnosis codes, sites,
sexes, ages, that each image exists) without decoding any image; images are read one at a time
while iterating, so memory stays flat however large the set. Bad rows and images raise a
`BadInputError` naming the file and line, or with `skip_bad=True` are left out and counted in
`reader.report`.
"""

from __future__ import annotations

import contextlib
import math
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import numpy as np
import pandas as pd

from engine.datasets.columns import STANDARD_COLUMNS
from engine.datasets.errors import BadInputError, DatasetReport
from engine.datasets.images import IMAGE_SUFFIXES, decode_image, read_file_bytes
from engine.vocabulary import normalise_sex, normalise_site


@dataclass(frozen=True)
class Record:
    """One image with its row. `row` holds the original columns plus key, group, dx, age,
    sex and site in LesionLab's vocabulary; `source` names the file or HDF5 entry."""

    key: str
    image: np.ndarray
    row: dict
    dx: str | None
    group: str
    source: str


class DatasetReader:
    """Base of all readers: iterate for records, `metadata()` for the table, `report`."""

    format: ClassVar[str] = ""

    def __init__(self, *, skip_bad: bool = False) -> None:
        self.skip_bad = skip_bad
        self.report = DatasetReport()
        self.table = pd.DataFrame(columns=[*STANDARD_COLUMNS, "source"])

    # ----- public ----------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.table)

    def metadata(self) -> pd.DataFrame:
        """One row per usable image: key, group, dx, age, sex, site, source, then the
        original columns. No image is decoded."""
        return self.table.copy()

    def __iter__(self) -> Iterator[Record]:
        for position, source, data in self.iter_encoded():
            try:
                image = decode_image(data, source=source)
            except BadInputError as error:
                self.handle_bad(error, key=source)
                continue
            row = {name: _plain(value) for name, value in self.table.iloc[position].items()}
            yield Record(key=row["key"], image=image, row=row, dx=row["dx"],
                         group=row["group"], source=source)

    def iter_encoded(self, positions: Iterable[int] | None = None
                     ) -> Iterator[tuple[int, str, bytes]]:
        """(position in metadata(), source, encoded bytes) for each readable image, in order."""
        positions = range(len(self.table)) if positions is None else positions
        sources = self.table["source"].to_numpy()
        with self._fetcher() as fetch:
            for position in positions:
                source = sources[position]
                try:
                    data = fetch(position, source)
                except BadInputError as error:
                    self.handle_bad(error, key=source)
                    continue
                yield position, source, data

    # ----- for subclasses ----------------------------------------------------------------------

    @contextlib.contextmanager
    def _fetcher(self) -> Iterator[Callable[[int, str], bytes]]:
        """Yield a function (position, source) -> bytes; the default reads files."""
        yield lambda position, source: read_file_bytes(Path(source))

    def handle_bad(self, error: BadInputError, *, key: str) -> None:
        """Raise `error`, or with skip_bad count it in the report (once per `key`)."""
        if not self.skip_bad:
            raise error
        self.report.skip(error, key=key)

    def _finish_table(self, table: pd.DataFrame, *, where: str,
                      column_names: dict[str, str]) -> None:
        """Normalise sex, site and age of `table` (standard columns, raw, plus `_line`, the
        row's line in its file), drop bad rows (raising or counting), keep it as `self.table`.
        `column_names` maps a standard column to the file's name for it, for messages."""
        keep = np.ones(len(table), dtype=bool)
        checks = (("sex", normalise_sex), ("site", normalise_site), ("age", _age))
        for column, normalise in checks:
            values, problems = _map_unique(table[column], normalise)
            table[column] = values
            for row_index, message in problems:
                keep[row_index] = False
                line = table["_line"].iat[row_index]
                key = table["key"].iat[row_index]
                self.handle_bad(BadInputError(
                    f"{where}, line {line} ({key}): column "
                    f"{column_names.get(column, column)!r}: {message}",
                    category="bad row"),
                    key=f"{where}:{line}")
        table = table[keep].reset_index(drop=True)
        duplicated = table["key"].duplicated(keep="first")
        for row_index in np.flatnonzero(duplicated.to_numpy()):
            key = table["key"].iat[row_index]
            self.handle_bad(BadInputError(f"{where}: image id {key!r} appears in more than "
                                          "one row", category="bad row"),
                            key=f"{where}:duplicate:{key}")
        table = table[~duplicated].reset_index(drop=True)
        standard = [*STANDARD_COLUMNS, "source"]
        original = [c for c in table.columns if c not in standard and not c.startswith("_")]
        self.table = table[standard + original]

    def _set_dx(self, table: pd.DataFrame, values: pd.Series, to_dx, *, where: str,
                column: str) -> pd.DataFrame:
        """Set `dx` from `values` through `to_dx`; rows it refuses are rejected."""
        mapped, problems = _map_unique(values, to_dx)
        table["dx"] = mapped.astype(object).where(mapped.notna(), None)
        mask = np.zeros(len(table), dtype=bool)
        mask[[i for i, _ in problems]] = True
        return self._reject_rows(table, mask, [f"column {column!r}: {m}" for _, m in problems],
                                 where=where, category="unknown diagnosis")

    def _reject_rows(self, table: pd.DataFrame, mask: np.ndarray, messages: list[str], *,
                     where: str, category: str) -> pd.DataFrame:
        """Raise for (or count and drop) the rows where `mask` is true. `table` has a `_line`
        column: the row's line in its file, for the message."""
        for row_index, message in zip(np.flatnonzero(mask), messages, strict=True):
            line = table["_line"].iat[row_index]
            key = table["key"].iat[row_index]
            self.handle_bad(BadInputError(f"{where}, line {line} ({key}): {message}",
                                          category=category), key=f"{where}:{line}")
        return table[~np.asarray(mask)].reset_index(drop=True)


def _map_unique(values: pd.Series, normalise) -> tuple[pd.Series, list[tuple[int, str]]]:
    """Apply `normalise` once per distinct value (missing values as None); return the mapped
    values and (row index, message) for each row whose value it refused."""
    mapping, failures = {}, {}
    missing = values.isna().to_numpy()
    for value in [*values[~missing].unique(), *([None] if missing.any() else [])]:
        try:
            mapping[value] = normalise(value)
        except ValueError as error:
            failures[value] = str(error)
    mapped = values.map(lambda v: mapping.get(v))
    if missing.any() and None in mapping:
        mapped = mapped.where(~missing, mapping[None])
    problems = []
    if failures:
        keys = [None if gone else v for v, gone in zip(values, missing, strict=True)]
        problems = [(i, failures[k]) for i, k in enumerate(keys) if k in failures]
    return mapped, problems


def _age(value) -> float:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return math.nan
    try:
        years = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"age {value!r} is not a number") from None
    if not 0 <= years <= 120:
        raise ValueError(f"age {value!r} is out of range 0-120")
    return years


def _plain(value):
    if isinstance(value, float) and math.isnan(value):
        return None
    return value.item() if isinstance(value, np.generic) else value


def index_images(roots: Iterable[Path]) -> tuple[dict[str, Path], dict[str, list[Path]]]:
    """Map each image file's stem to its path below `roots` (walked once), and list the stems
    found at more than one path."""
    found: dict[str, Path] = {}
    duplicates: dict[str, list[Path]] = {}
    for root in roots:
        root = Path(root)
        if not root.is_dir():
            raise BadInputError(f"image folder {root} does not exist", category="missing file")
        for folder, subfolders, files in os.walk(root):
            subfolders[:] = sorted(d for d in subfolders if not d.startswith("."))
            for name in sorted(files):
                path = Path(folder) / name
                if name.startswith(".") or path.suffix.lower() not in IMAGE_SUFFIXES:
                    continue
                stem = path.stem
                if stem in found and found[stem].resolve() != path.resolve():
                    duplicates.setdefault(stem, [found[stem]]).append(path)
                found.setdefault(stem, path)
    return found, duplicates


def attach_image_paths(reader: DatasetReader, table: pd.DataFrame, roots: list[Path], *,
                       where: str) -> pd.DataFrame:
    """Fill `source` with each row's image path; rows whose image is missing or ambiguous are
    rejected (raised or counted)."""
    found, duplicates = index_images(roots)
    keys = table["key"].tolist()
    table["source"] = [str(found[k]) if k in found else None for k in keys]
    missing = table["source"].isna().to_numpy()
    roots_text = ", ".join(str(r) for r in roots)
    table = reader._reject_rows(
        table, missing, [f"image file {k}.jpg not found below {roots_text}"
                         for k, gone in zip(keys, missing, strict=True) if gone],
        where=where, category="missing image")
    ambiguous = table["key"].isin(duplicates).to_numpy()
    return reader._reject_rows(
        table, ambiguous,
        [f"image {k} found at several paths: {', '.join(map(str, duplicates[k]))}"
         for k in table["key"][ambiguous]], where=where, category="bad row")
