"""Patient profiles and the sampler that draws realistic ones.

A profile is what a generated lesion is conditioned on. The sampler learns the joint
distribution of diagnosis, age, sex and site from a metadata table, smoothed so that rare
combinations stay possible but rare, and draws skin type and diameter (which HAM10000 does not
record) from per-diagnosis tables in `assets/priors/skin_type_and_diameter.json`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

import numpy as np
import pandas as pd

from engine.vocabulary import (
    AGE_BIN_YEARS,
    AGE_BINS,
    DIAGNOSES,
    MALIGNANT,
    SEXES,
    SITES,
    SKIN_TYPES,
    UNKNOWN,
    age_bin,
    normalise_sex,
    normalise_site,
)

ASSETS = Path(__file__).resolve().parent.parent / "assets"
DEFAULT_PRIOR_PATH = ASSETS / "priors" / "ham10000_profile_prior.json"
SKIN_AND_SIZE_PATH = ASSETS / "priors" / "skin_type_and_diameter.json"

PRIOR_FORMAT_VERSION = 1
# Share of probability mass given to the smoothed per-diagnosis independence model.
DEFAULT_SMOOTHING = 0.05
# Pseudo-count added to every cell of the per-diagnosis conditional tables.
DEFAULT_PSEUDO_COUNT = 0.5
SKIN_MIXES = ("prior", "balanced")

AGE_LEVELS: tuple[int | None, ...] = (*AGE_BINS, None)


@dataclass(frozen=True)
class PatientProfile:
    """One patient and lesion. Age in 5-year bins (None = unknown), diameter in millimetres."""

    dx: str
    age: int | None
    sex: str
    site: str
    skin_type: int
    diameter_mm: float

    def __post_init__(self) -> None:
        problems = profile_problems(asdict(self))
        if problems:
            raise ValueError("invalid patient profile: " + "; ".join(problems))

    @property
    def malignant(self) -> bool:
        return self.dx in MALIGNANT

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping) -> PatientProfile:
        unexpected = set(data) - set(cls.__dataclass_fields__)
        if unexpected:
            raise ValueError(f"unexpected profile fields: {', '.join(sorted(unexpected))}")
        missing = set(cls.__dataclass_fields__) - set(data)
        if missing:
            raise ValueError(f"profile is missing fields: {', '.join(sorted(missing))}")
        return cls(**data)


def profile_problems(data: Mapping) -> list[str]:
    """Every reason the fields of a profile are invalid, each phrased so a user can fix it."""
    problems = []
    if data.get("dx") not in DIAGNOSES:
        problems.append(f"dx {data.get('dx')!r} is not one of {', '.join(DIAGNOSES)}")
    age = data.get("age")
    if age is not None and (
        not isinstance(age, int | np.integer) or age not in AGE_BINS
    ):
        problems.append(
            f"age {age!r} must be a multiple of {AGE_BIN_YEARS} from 0 to 90 "
            "(engine.vocabulary.age_bin converts years to a bin), or None if unknown"
        )
    if data.get("sex") not in SEXES:
        problems.append(f"sex {data.get('sex')!r} is not one of {', '.join(SEXES)}")
    if data.get("site") not in SITES:
        problems.append(f"site {data.get('site')!r} is not one of {', '.join(SITES)}")
    if data.get("skin_type") not in SKIN_TYPES:
        problems.append(f"skin_type {data.get('skin_type')!r} must be a Fitzpatrick type 1 to 6")
    diameter = data.get("diameter_mm")
    if not isinstance(diameter, int | float | np.floating) or not 0.5 <= diameter <= 100:
        problems.append(f"diameter_mm {diameter!r} must be a number from 0.5 to 100")
    return problems


@cache
def _skin_and_size_table() -> dict:
    return json.loads(SKIN_AND_SIZE_PATH.read_text())


class ProfileSampler:
    """Draws patient profiles from a smoothed joint prior; reproducible for a seed."""

    def __init__(
        self,
        counts: np.ndarray,
        *,
        smoothing: float = DEFAULT_SMOOTHING,
        pseudo_count: float = DEFAULT_PSEUDO_COUNT,
        source: str = "",
        attribution: str = "",
    ) -> None:
        expected = (len(DIAGNOSES), len(AGE_LEVELS), len(SEXES), len(SITES))
        counts = np.asarray(counts, dtype=np.float64)
        if counts.shape != expected:
            raise ValueError(f"counts must have shape {expected}, got {counts.shape}")
        if counts.sum() <= 0:
            raise ValueError("the metadata table has no usable rows to fit a prior on")
        if not 0 <= smoothing < 1:
            raise ValueError(f"smoothing {smoothing} must be in [0, 1)")
        self.counts = counts
        self.smoothing = smoothing
        self.pseudo_count = pseudo_count
        self.source = source
        self.attribution = attribution
        # probabilities over diagnosis x age level x sex x site, summing to 1
        self.probabilities = self._smoothed(counts)

    def _smoothed(self, counts: np.ndarray) -> np.ndarray:
        """Mix the empirical joint with a per-diagnosis independence model.

        Both components share the diagnosis marginal and (up to the pseudo-counts) the age, sex
        and site marginals, so the mix keeps the data's marginals while giving every
        combination a small probability.
        """
        empirical = counts / counts.sum()
        dx_counts = counts.sum(axis=(1, 2, 3))
        independent = np.zeros_like(empirical)
        p_dx = dx_counts / dx_counts.sum()
        for i in range(len(DIAGNOSES)):
            by_dx = counts[i]
            factors = []
            for axis in range(3):
                other = tuple(a for a in range(3) if a != axis)
                marginal = by_dx.sum(axis=other) + self.pseudo_count
                factors.append(marginal / marginal.sum())
            independent[i] = p_dx[i] * np.einsum("a,s,l->asl", *factors)
        return (1 - self.smoothing) * empirical + self.smoothing * independent

    # ----- fitting -------------------------------------------------------------------------

    @classmethod
    def fit(cls, table: pd.DataFrame, *, source: str = "", attribution: str = "",
            **kwargs) -> ProfileSampler:
        """Fit from a table with columns dx, age, sex and site (HAM10000 or ISIC spellings).

        `site` may also be called `localization` or `anatom_site_general`, and `age`
        `age_approx`. Rows with an unknown diagnosis raise with the row number.
        """
        table = _standard_columns(table)
        counts = np.zeros((len(DIAGNOSES), len(AGE_LEVELS), len(SEXES), len(SITES)))
        for row_number, row in enumerate(table.itertuples(index=False), start=1):
            try:
                index = (
                    DIAGNOSES.index(_checked_dx(row.dx)),
                    AGE_LEVELS.index(_age_level(row.age)),
                    SEXES.index(normalise_sex(row.sex)),
                    SITES.index(normalise_site(row.site)),
                )
            except ValueError as error:
                raise ValueError(f"metadata row {row_number}: {error}") from None
            counts[index] += 1
        return cls(counts, source=source, attribution=attribution, **kwargs)

    @classmethod
    def default(cls) -> ProfileSampler:
        """The shipped prior, fitted on the full HAM10000 metadata table."""
        return cls.load(DEFAULT_PRIOR_PATH)

    # ----- persistence ---------------------------------------------------------------------

    def to_json(self) -> dict:
        nonzero = np.argwhere(self.counts > 0)
        return {
            "format_version": PRIOR_FORMAT_VERSION,
            "source": self.source,
            "attribution": self.attribution,
            "smoothing": self.smoothing,
            "pseudo_count": self.pseudo_count,
            "axes": {
                "dx": list(DIAGNOSES),
                "age": [a if a is not None else UNKNOWN for a in AGE_LEVELS],
                "sex": list(SEXES),
                "site": list(SITES),
            },
            "counts": [[*map(int, idx), float(self.counts[tuple(idx)])] for idx in nonzero],
        }

    @classmethod
    def from_json(cls, data: Mapping) -> ProfileSampler:
        if data.get("format_version") != PRIOR_FORMAT_VERSION:
            raise ValueError(
                f"profile prior format {data.get('format_version')!r} is not supported "
                f"(expected {PRIOR_FORMAT_VERSION}); refit it with `ProfileSampler.fit`"
            )
        axes = data["axes"]
        if axes["dx"] != list(DIAGNOSES) or axes["sex"] != list(SEXES) or axes[
            "site"
        ] != list(SITES):
            raise ValueError("profile prior was saved with another vocabulary; refit it")
        counts = np.zeros((len(DIAGNOSES), len(AGE_LEVELS), len(SEXES), len(SITES)))
        for *idx, value in data["counts"]:
            counts[tuple(int(i) for i in idx)] = value
        return cls(
            counts,
            smoothing=data["smoothing"],
            pseudo_count=data["pseudo_count"],
            source=data.get("source", ""),
            attribution=data.get("attribution", ""),
        )

    def save(self, path: str | Path) -> None:
        Path(path).write_text(json.dumps(self.to_json(), indent=1))

    @classmethod
    def load(cls, path: str | Path) -> ProfileSampler:
        try:
            data = json.loads(Path(path).read_text())
        except FileNotFoundError:
            raise ValueError(f"profile prior {path} does not exist") from None
        except json.JSONDecodeError as error:
            raise ValueError(f"profile prior {path} is not valid JSON: {error}") from None
        return cls.from_json(data)

    # ----- sampling ------------------------------------------------------------------------

    def marginal(self, axis: str) -> dict:
        """The prior's marginal distribution of dx, age, sex or site."""
        names = {"dx": DIAGNOSES, "age": AGE_LEVELS, "sex": SEXES, "site": SITES}
        if axis not in names:
            raise ValueError(f"axis {axis!r} must be one of dx, age, sex, site")
        position = list(names).index(axis)
        others = tuple(a for a in range(4) if a != position)
        values = self.probabilities.sum(axis=others)
        return dict(zip(names[axis], values.tolist(), strict=True))

    def sample(
        self,
        *,
        n: int,
        class_mix: str | Mapping[str, float] = "realistic",
        fixed: Mapping | None = None,
        seed: int | np.random.Generator,
        skin_mix: str = "prior",
    ) -> list[PatientProfile]:
        """Draw `n` profiles.

        class_mix: "realistic" keeps the data's prevalence, "balanced" gives every diagnosis
        the same share, a mapping {dx: weight} sets shares (missing diagnoses get none).
        fixed: field values every profile takes (dx, age, sex, site, skin_type, diameter_mm);
        the other fields are drawn conditionally on them.
        skin_mix: "prior" draws Fitzpatrick types from each diagnosis's weights (types 5 and 6
        are rare), "balanced" draws the six types equally often, so that a generator trained
        on the profiles sees dark skin as often as light.
        """
        if not isinstance(n, int | np.integer) or n < 0:
            raise ValueError(f"n must be a non-negative integer, got {n!r}")
        if skin_mix not in SKIN_MIXES:
            raise ValueError(f"skin_mix {skin_mix!r} must be one of {', '.join(SKIN_MIXES)}")
        fixed = dict(fixed or {})
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        grid = self._conditioned_grid(class_mix, fixed)
        flat = grid.ravel()
        cells = rng.choice(flat.size, size=n, p=flat / flat.sum())
        dx_i, age_i, sex_i, site_i = np.unravel_index(cells, grid.shape)
        if "skin_type" in fixed:
            skin_types = np.full(n, fixed["skin_type"])
        elif skin_mix == "balanced":
            skin_types = rng.choice(SKIN_TYPES, size=n)
        else:
            skin_types = _draw_skin_types(dx_i, rng)
        diameters = _draw_diameters(dx_i, rng) if "diameter_mm" not in fixed else np.full(
            n, fixed["diameter_mm"], dtype=float)
        profiles = [
            PatientProfile(
                dx=DIAGNOSES[dx],
                age=AGE_LEVELS[age],
                sex=SEXES[sex],
                site=SITES[site],
                skin_type=int(skin_type),
                diameter_mm=float(diameter),
            )
            for dx, age, sex, site, skin_type, diameter in zip(
                dx_i, age_i, sex_i, site_i, skin_types, diameters, strict=True)
        ]
        return profiles

    def _conditioned_grid(self, class_mix, fixed: dict) -> np.ndarray:
        unknown_fields = set(fixed) - set(PatientProfile.__dataclass_fields__)
        if unknown_fields:
            raise ValueError(
                f"cannot fix {', '.join(sorted(unknown_fields))}: fixable fields are "
                f"{', '.join(PatientProfile.__dataclass_fields__)}"
            )
        grid = self.probabilities
        if class_mix != "realistic":
            # Per diagnosis: the conditional over age, sex and site, times the requested share.
            per_dx = grid / grid.sum(axis=(1, 2, 3), keepdims=True)
            grid = per_dx * _class_shares(class_mix)[:, None, None, None]
        for axis, (name, levels) in enumerate(
            (("dx", DIAGNOSES), ("age", AGE_LEVELS), ("sex", SEXES), ("site", SITES))
        ):
            if name not in fixed:
                continue
            value = fixed[name]
            if value not in levels:
                raise ValueError(f"fixed {name} {value!r} is not one of {list(levels)}")
            mask = np.zeros(len(levels), dtype=bool)
            mask[levels.index(value)] = True
            shape = [1, 1, 1, 1]
            shape[axis] = len(levels)
            grid = grid * mask.reshape(shape)
        if "skin_type" in fixed and fixed["skin_type"] not in SKIN_TYPES:
            raise ValueError(f"fixed skin_type {fixed['skin_type']!r} must be 1 to 6")
        if "diameter_mm" in fixed and not 0.5 <= float(fixed["diameter_mm"]) <= 100:
            raise ValueError(f"fixed diameter_mm {fixed['diameter_mm']!r} must be 0.5 to 100")
        if grid.sum() <= 0:
            raise ValueError(
                f"no profile matches class_mix {class_mix!r} with fixed {fixed!r}: "
                "the fixed diagnosis has weight 0 in the class mix"
            )
        return grid


def _class_shares(class_mix) -> np.ndarray:
    """The share of each diagnosis asked for by a "balanced" or {dx: weight} class mix."""
    if class_mix == "balanced":
        target = {dx: 1.0 for dx in DIAGNOSES}
    elif isinstance(class_mix, Mapping):
        unknown = set(class_mix) - set(DIAGNOSES)
        if unknown:
            raise ValueError(
                f"class_mix names unknown diagnoses {sorted(unknown)}; use {', '.join(DIAGNOSES)}"
            )
        if any(float(w) < 0 for w in class_mix.values()) or sum(class_mix.values()) <= 0:
            raise ValueError("class_mix weights must be non-negative with a positive sum")
        target = {dx: float(class_mix.get(dx, 0.0)) for dx in DIAGNOSES}
    else:
        raise ValueError(
            f"class_mix {class_mix!r} must be 'realistic', 'balanced' or a {{dx: weight}} mapping"
        )
    shares = np.array([target[dx] for dx in DIAGNOSES])
    return shares / shares.sum()


def _draw_skin_types(dx_indices: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Fitzpatrick types drawn from each profile's per-diagnosis weights."""
    weights = _skin_and_size_table()["skin_type_weights"]
    cumulative = np.array([np.cumsum(weights[dx]) / np.sum(weights[dx]) for dx in DIAGNOSES])
    uniform = rng.random(len(dx_indices))
    rows = cumulative[dx_indices]
    return np.asarray(SKIN_TYPES)[np.minimum((uniform[:, None] > rows).sum(axis=1), 5)]


def _draw_diameters(dx_indices: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Log-normal diameters in mm, rounded to 0.1 mm and clipped to the table's limits."""
    table = _skin_and_size_table()
    medians = np.array([table["diameter_mm"][dx]["median"] for dx in DIAGNOSES])
    spreads = np.array([table["diameter_mm"][dx]["geometric_sd"] for dx in DIAGNOSES])
    low, high = table["diameter_limits_mm"]
    values = medians[dx_indices] * spreads[dx_indices] ** rng.standard_normal(len(dx_indices))
    return np.round(np.clip(values, low, high), 1)


def _checked_dx(value) -> str:
    dx = str(value).strip().lower()
    if dx not in DIAGNOSES:
        raise ValueError(f"unknown diagnosis {value!r}; expected one of {', '.join(DIAGNOSES)}")
    return dx


def _age_level(value) -> int | None:
    """A metadata age (years, possibly missing) -> its 5-year bin, or None when missing."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value == "":
        return None
    return age_bin(float(value))


_COLUMN_ALIASES = {
    "localization": "site",
    "anatom_site_general": "site",
    "anatom_site_general_challenge": "site",
    "age_approx": "age",
}


def _standard_columns(table: pd.DataFrame) -> pd.DataFrame:
    table = table.rename(columns={k: v for k, v in _COLUMN_ALIASES.items() if k in table})
    missing = [c for c in ("dx", "age", "sex", "site") if c not in table.columns]
    if missing:
        raise ValueError(
            f"metadata table lacks column(s) {', '.join(missing)}; it has "
            f"{', '.join(map(str, table.columns))}"
        )
    return table[["dx", "age", "sex", "site"]]


def profiles_to_frame(profiles: Iterable[PatientProfile]) -> pd.DataFrame:
    """Profiles as a table, one column per field."""
    return pd.DataFrame([p.to_dict() for p in profiles], columns=list(
        PatientProfile.__dataclass_fields__))
