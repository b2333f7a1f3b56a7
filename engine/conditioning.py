"""Tabular rows -> fixed-length float vectors that condition the generative models.

Numeric columns are standardised with the training data's mean and standard deviation; a
missing value becomes 0 (the mean) and sets that column's missing flag. Categorical columns are
one-hot over the categories seen when fitting, plus two explicit buckets: one for a missing
value and one for a value never seen in fitting. The encoder is saved as JSON inside each
checkpoint folder so a model is always fed the encoding it was trained with.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from engine.profiles import PatientProfile
from engine.vocabulary import DIAGNOSES, SEXES, SITES

ENCODER_FORMAT_VERSION = 1
MISSING_BUCKET = "__missing__"
UNSEEN_BUCKET = "__unseen__"

PROFILE_NUMERIC = ("age", "diameter_mm", "skin_type")
PROFILE_CATEGORICAL = ("dx", "sex", "site")
PROFILE_VOCABULARIES = {"dx": DIAGNOSES, "sex": SEXES, "site": SITES}


@dataclass(frozen=True)
class NumericColumn:
    name: str
    mean: float
    std: float


@dataclass(frozen=True)
class CategoricalColumn:
    name: str
    categories: tuple[str, ...]


def _is_missing(value) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and value.strip() == ""


class ConditionEncoder:
    """Encodes rows into vectors of length `dim`; fit, save and load as JSON."""

    def __init__(
        self,
        numeric: Sequence[NumericColumn] = (),
        categorical: Sequence[CategoricalColumn] = (),
    ) -> None:
        if not numeric and not categorical:
            raise ValueError("a condition encoder needs at least one column")
        names = [c.name for c in numeric] + [c.name for c in categorical]
        duplicated = {n for n in names if names.count(n) > 1}
        if duplicated:
            raise ValueError(f"columns listed twice: {', '.join(sorted(duplicated))}")
        self.numeric = tuple(numeric)
        self.categorical = tuple(categorical)

    # ----- fitting -------------------------------------------------------------------------

    @classmethod
    def fit(
        cls,
        table: pd.DataFrame,
        *,
        numeric: Sequence[str] = (),
        categorical: Sequence[str] = (),
        vocabularies: Mapping[str, Sequence[str]] | None = None,
    ) -> ConditionEncoder:
        """Learn means, spreads and categories from `table`.

        `vocabularies` fixes the categories of a column (for example the diagnosis codes)
        instead of taking those present in the table.
        """
        vocabularies = dict(vocabularies or {})
        _require_columns(table.columns, [*numeric, *categorical], where="fitting table")
        numeric_columns = []
        for name in numeric:
            values = pd.to_numeric(table[name], errors="coerce").dropna()
            if values.empty:
                raise ValueError(f"numeric column {name!r} has no numeric values to fit on")
            std = float(values.std(ddof=0)) or 1.0
            numeric_columns.append(NumericColumn(name, float(values.mean()), std))
        categorical_columns = []
        for name in categorical:
            if name in vocabularies:
                categories = tuple(str(v) for v in vocabularies[name])
            else:
                present = table[name].dropna().astype(str)
                categories = tuple(sorted(v for v in present.unique() if v.strip()))
            categorical_columns.append(CategoricalColumn(name, categories))
        return cls(numeric_columns, categorical_columns)

    @classmethod
    def for_profiles(cls, profiles: Iterable[PatientProfile]) -> ConditionEncoder:
        """The encoder for patient profiles: fixed vocabularies, statistics from `profiles`."""
        table = pd.DataFrame([p.to_dict() for p in profiles])
        if table.empty:
            raise ValueError("need at least one profile to fit the profile encoder")
        table["skin_type"] = table["skin_type"].astype(float)
        return cls.fit(
            table,
            numeric=PROFILE_NUMERIC,
            categorical=PROFILE_CATEGORICAL,
            vocabularies=PROFILE_VOCABULARIES,
        )

    # ----- encoding ------------------------------------------------------------------------

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.numeric) + tuple(c.name for c in self.categorical)

    @property
    def feature_names(self) -> tuple[str, ...]:
        names: list[str] = []
        for column in self.numeric:
            names += [column.name, f"{column.name}{MISSING_BUCKET}"]
        for column in self.categorical:
            names += [f"{column.name}={c}" for c in column.categories]
            names += [f"{column.name}={MISSING_BUCKET}", f"{column.name}={UNSEEN_BUCKET}"]
        return tuple(names)

    @property
    def dim(self) -> int:
        return len(self.feature_names)

    def transform(self, rows) -> np.ndarray:
        """Encode rows (a DataFrame, a list of mappings or a list of profiles) -> (n, dim)."""
        table = _as_table(rows)
        if table.empty:
            return np.zeros((0, self.dim), dtype=np.float32)
        _require_columns(table.columns, self.columns, where="row")
        out = np.zeros((len(table), self.dim), dtype=np.float32)
        offset = 0
        for column in self.numeric:
            values = pd.to_numeric(table[column.name], errors="coerce").to_numpy(dtype=float)
            bad = [v for v in table[column.name] if not _is_missing(v)
                   and _not_number(v)]
            if bad:
                raise ValueError(
                    f"column {column.name!r} must be numeric; got {bad[0]!r}"
                )
            missing = np.isnan(values)
            out[:, offset] = np.where(missing, 0.0, (values - column.mean) / column.std)
            out[:, offset + 1] = missing
            offset += 2
        for column in self.categorical:
            index = {c: i for i, c in enumerate(column.categories)}
            width = len(column.categories) + 2
            for row, value in enumerate(table[column.name]):
                if _is_missing(value):
                    position = len(column.categories)
                else:
                    position = index.get(str(value), len(column.categories) + 1)
                out[row, offset + position] = 1.0
            offset += width
        return out

    # ----- persistence ---------------------------------------------------------------------

    def to_json(self) -> dict:
        return {
            "format_version": ENCODER_FORMAT_VERSION,
            "numeric": [vars(c) for c in self.numeric],
            "categorical": [
                {"name": c.name, "categories": list(c.categories)} for c in self.categorical
            ],
        }

    @classmethod
    def from_json(cls, data: Mapping) -> ConditionEncoder:
        if data.get("format_version") != ENCODER_FORMAT_VERSION:
            raise ValueError(
                f"condition encoder format {data.get('format_version')!r} is not supported "
                f"(expected {ENCODER_FORMAT_VERSION})"
            )
        return cls(
            [NumericColumn(**c) for c in data["numeric"]],
            [CategoricalColumn(c["name"], tuple(c["categories"])) for c in data["categorical"]],
        )

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_json(), indent=1))

    @classmethod
    def load(cls, path: str | Path) -> ConditionEncoder:
        try:
            return cls.from_json(json.loads(Path(path).read_text()))
        except FileNotFoundError:
            raise ValueError(f"condition encoder file {path} does not exist") from None
        except (json.JSONDecodeError, KeyError, TypeError) as error:
            raise ValueError(f"condition encoder file {path} is malformed: {error}") from None

    def __eq__(self, other) -> bool:
        return isinstance(other, ConditionEncoder) and self.to_json() == other.to_json()

    __hash__ = None


def _not_number(value) -> bool:
    try:
        float(value)
    except (TypeError, ValueError):
        return True
    return False


def _as_table(rows) -> pd.DataFrame:
    if isinstance(rows, pd.DataFrame):
        return rows
    rows = list(rows)
    return pd.DataFrame([r.to_dict() if isinstance(r, PatientProfile) else dict(r)
                         for r in rows])


def _require_columns(present: Iterable, required: Iterable[str], *, where: str) -> None:
    present = set(map(str, present))
    missing = [name for name in required if name not in present]
    if missing:
        raise ValueError(f"{where} is missing required column(s): {', '.join(missing)}")

