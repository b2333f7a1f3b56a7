"""Dermoscopic criteria of a phantom: sampled per diagnosis, scored by ABCD and the 7-point list.

The renderer draws exactly what a `Criteria` lists, so a quiz can explain a phantom by its
criteria. Distributions overlap between classes on purpose (some nevi are atypical, some
melanomas subtle) so that quizzes have hard cases.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field

import numpy as np

from engine.i18n import listing, text
from engine.profiles import PatientProfile
from engine.vocabulary import ACRAL_SITES, FACIAL_SITES

# The six ABCD colours as they appear in a phantom (sRGB in [0, 1]). Dermoscopes light the
# skin with a cool, polarised source, so real browns are redder and less yellow than in daylight
# (CIELAB medians of HAM10000 lesions: b* 5-20, against 25-30 for a daylight tan).
COLOUR_RGB: dict[str, tuple[float, float, float]] = {
    "white": (0.93, 0.91, 0.91),
    "red": (0.76, 0.34, 0.43),
    "light brown": (0.68, 0.40, 0.34),
    "dark brown": (0.40, 0.22, 0.18),
    "blue-grey": (0.46, 0.50, 0.57),
    "black": (0.16, 0.12, 0.13),
}
COLOURS: tuple[str, ...] = tuple(COLOUR_RGB)
BROWN_RAMP: tuple[str, ...] = ("light brown", "dark brown", "black")

STRUCTURES: tuple[str, ...] = (
    "regular pigment network", "atypical pigment network", "dots", "irregular dots",
    "globules", "irregular globules", "regular streaks", "irregular streaks",
    "blue-whitish veil", "regression structures", "structureless area", "irregular blotch",
    "arborizing vessels", "dotted vessels", "glomerular vessels", "comma vessels",
    "atypical vessels", "milia-like cysts", "comedo-like openings", "central white patch",
    "red-purple lacunae", "blue-grey ovoid nests", "ulceration", "leaf-like areas", "scale",
    "fissures", "moth-eaten border", "pseudo-network",
    "parallel furrow pattern", "parallel ridge pattern",
)
SITE_PATTERNS: tuple[str, ...] = ("acral furrow", "acral ridge", "facial pseudo-network")

# ABCD "D": the five structural components and the structures that show each.
ABCD_COMPONENTS: dict[str, frozenset[str]] = {
    "network": frozenset({"regular pigment network", "atypical pigment network",
                          "pseudo-network"}),
    "structureless areas": frozenset({"structureless area", "irregular blotch",
                                      "blue-whitish veil"}),
    "dots": frozenset({"dots", "irregular dots"}),
    "globules": frozenset({"globules", "irregular globules"}),
    "streaks": frozenset({"regular streaks", "irregular streaks"}),
}
# 7-point checklist: criterion -> (points, structures that meet it).
SEVEN_POINT: dict[str, tuple[int, frozenset[str]]] = {
    "atypical pigment network": (2, frozenset({"atypical pigment network"})),
    "blue-whitish veil": (2, frozenset({"blue-whitish veil"})),
    "atypical vascular pattern": (2, frozenset({"atypical vessels"})),
    "irregular streaks": (1, frozenset({"irregular streaks"})),
    "irregular dots/globules": (1, frozenset({"irregular dots", "irregular globules"})),
    "irregular blotches": (1, frozenset({"irregular blotch"})),
    "regression structures": (1, frozenset({"regression structures"})),
}
TDS_BENIGN_BELOW = 4.75
TDS_HIGHLY_SUSPICIOUS_ABOVE = 5.45
SEVEN_POINT_THRESHOLD = 3
# The closest a dermoscope frames a lesion (about 5 mm across at 128 px: 25 px per mm).
MIN_FIELD_OF_VIEW_MM = 5.0

# Per diagnosis: probabilities of 0/1/2 asymmetric axes, mean abrupt border segments,
# border irregularity range, the share of the frame width the lesion spans (HAM10000 images are
# framed tightly around the lesion; vascular lesions and basal cell carcinomas are smaller in
# the frame) and the probability of each structure. Most benign lesions show one or two
# structures: a homogeneous nevus is the commonest phantom, as it is the commonest lesion.
_CLASS_TABLES: dict[str, dict] = {
    "nv": {
        "asymmetry": (0.62, 0.28, 0.10), "abrupt": 1.5, "irregularity": (0.0, 0.3),
        "fill": (0.5, 0.85),
        "structures": {"regular pigment network": 0.45, "globules": 0.25, "dots": 0.15,
                       "structureless area": 0.45, "comma vessels": 0.05,
                       "atypical pigment network": 0.08, "irregular dots": 0.05,
                       "regular streaks": 0.03},
        "colours": {"dark brown": 0.7, "black": 0.04, "blue-grey": 0.04, "red": 0.1},
    },
    "mel": {
        "asymmetry": (0.08, 0.27, 0.65), "abrupt": 4.5, "irregularity": (0.3, 1.0),
        "fill": (0.6, 0.85),
        "structures": {"atypical pigment network": 0.5, "regular pigment network": 0.1,
                       "irregular dots": 0.35, "irregular globules": 0.25,
                       "irregular streaks": 0.2, "blue-whitish veil": 0.35,
                       "regression structures": 0.3, "irregular blotch": 0.4,
                       "structureless area": 0.4, "atypical vessels": 0.08},
        "colours": {"dark brown": 0.9, "black": 0.45, "blue-grey": 0.3, "red": 0.15,
                    "white": 0.1},
    },
    "bkl": {
        "asymmetry": (0.35, 0.4, 0.25), "abrupt": 5.5, "irregularity": (0.2, 0.8),
        "fill": (0.5, 0.85),
        "structures": {"milia-like cysts": 0.35, "comedo-like openings": 0.25, "fissures": 0.35,
                       "moth-eaten border": 0.35, "structureless area": 0.5,
                       "regular pigment network": 0.15, "regression structures": 0.08,
                       "dots": 0.08},
        "colours": {"dark brown": 0.45, "black": 0.05, "blue-grey": 0.06, "red": 0.06},
    },
    "df": {
        "asymmetry": (0.6, 0.3, 0.1), "abrupt": 1.0, "irregularity": (0.0, 0.3),
        "fill": (0.5, 0.8),
        "structures": {"central white patch": 0.9, "regular pigment network": 0.8,
                       "dotted vessels": 0.15, "structureless area": 0.2},
        "colours": {"dark brown": 0.25, "red": 0.8},
    },
    "bcc": {
        "asymmetry": (0.25, 0.35, 0.4), "abrupt": 2.5, "irregularity": (0.2, 0.8),
        "fill": (0.4, 0.75),
        "structures": {"arborizing vessels": 0.75, "blue-grey ovoid nests": 0.35,
                       "leaf-like areas": 0.12, "ulceration": 0.25, "structureless area": 0.5,
                       "dots": 0.15},
        "colours": {"blue-grey": 0.15, "white": 0.25, "dark brown": 0.2, "light brown": 0.2},
    },
    "akiec": {
        "asymmetry": (0.3, 0.4, 0.3), "abrupt": 1.5, "irregularity": (0.1, 0.6),
        "fill": (0.55, 0.85),
        "structures": {"pseudo-network": 0.55, "scale": 0.55, "glomerular vessels": 0.3,
                       "dotted vessels": 0.25, "structureless area": 0.6},
        "colours": {"light brown": 0.4, "dark brown": 0.1},
    },
    "vasc": {
        "asymmetry": (0.55, 0.35, 0.1), "abrupt": 6.0, "irregularity": (0.0, 0.3),
        "fill": (0.3, 0.6),
        "structures": {"red-purple lacunae": 0.95, "structureless area": 0.2},
        "colours": {"blue-grey": 0.3, "white": 0.12, "black": 0.05},
    },
}
PINK_CLASSES = frozenset({"bcc", "akiec", "vasc"})
_NETWORKS = frozenset({"regular pigment network", "atypical pigment network", "pseudo-network"})
STRUCTURE_COLOURS = {
    "blue-whitish veil": ("blue-grey",), "regression structures": ("white", "blue-grey"),
    "central white patch": ("white",), "blue-grey ovoid nests": ("blue-grey",),
    "leaf-like areas": ("blue-grey",), "scale": ("white",), "irregular blotch": ("dark brown",),
    "red-purple lacunae": ("red",), "ulceration": ("red",),
}


@dataclass(frozen=True)
class Criteria:
    """What a phantom shows. Geometry is in millimetres in the image plane."""

    dx: str
    diameter_mm: float
    field_of_view_mm: float
    asymmetry_axes: int
    border_segments: int
    border_irregularity: float
    colours: tuple[str, ...]
    structures: tuple[str, ...]
    site_pattern: str | None
    orientation_deg: float
    centre_mm: tuple[float, float]
    artefacts: tuple[str, ...] = field(default=())

    def __post_init__(self) -> None:
        problems = []
        if self.asymmetry_axes not in (0, 1, 2):
            problems.append(f"asymmetry_axes {self.asymmetry_axes!r} must be 0, 1 or 2")
        if not 0 <= self.border_segments <= 8:
            problems.append(f"border_segments {self.border_segments!r} must be 0 to 8")
        unknown = set(self.colours) - set(COLOURS)
        if unknown or not self.colours:
            problems.append(f"colours {list(self.colours)} must be 1-6 of {', '.join(COLOURS)}")
        unknown = set(self.structures) - set(STRUCTURES)
        if unknown:
            problems.append(f"unknown structures {sorted(unknown)}")
        if self.site_pattern not in (None, *SITE_PATTERNS):
            problems.append(f"site_pattern {self.site_pattern!r} must be None or one of "
                            f"{', '.join(SITE_PATTERNS)}")
        if problems:
            raise ValueError("invalid criteria: " + "; ".join(problems))

    # ----- scores ------------------------------------------------------------------------

    def abcd_components(self) -> tuple[str, ...]:
        present = set(self.structures)
        return tuple(name for name, shows in ABCD_COMPONENTS.items() if present & shows)

    def tds(self) -> float:
        """Total dermoscopy score of the ABCD rule (Stolz)."""
        components = max(1, len(self.abcd_components()))
        return round(1.3 * self.asymmetry_axes + 0.1 * self.border_segments
                     + 0.5 * len(self.colours) + 0.5 * components, 2)

    def tds_category(self) -> str:
        score = self.tds()
        if score < TDS_BENIGN_BELOW:
            return "benign"
        return "suspicious" if score <= TDS_HIGHLY_SUSPICIOUS_ABOVE else "highly suspicious"

    def seven_point_criteria(self) -> tuple[str, ...]:
        present = set(self.structures)
        return tuple(name for name, (_, shows) in SEVEN_POINT.items() if present & shows)

    def seven_point_score(self) -> int:
        return sum(SEVEN_POINT[name][0] for name in self.seven_point_criteria())

    # ----- serialisation -----------------------------------------------------------------

    def to_dict(self) -> dict:
        data = asdict(self)
        data["colours"] = list(self.colours)
        data["structures"] = list(self.structures)
        data["artefacts"] = list(self.artefacts)
        data["centre_mm"] = list(self.centre_mm)
        data["abcd"] = {
            "asymmetry_axes": self.asymmetry_axes,
            "border_segments": self.border_segments,
            "colours": list(self.colours),
            "structures": list(self.abcd_components()),
            "tds": self.tds(),
            "tds_category": self.tds_category(),
        }
        data["seven_point"] = {
            "criteria": list(self.seven_point_criteria()),
            "score": self.seven_point_score(),
        }
        return data

    @classmethod
    def from_dict(cls, data: Mapping) -> Criteria:
        """Rebuild from `to_dict` output (derived scores are recomputed, not read)."""
        names = set(cls.__dataclass_fields__)
        missing = names - set(data) - {"artefacts"}
        if missing:
            raise ValueError(f"criteria are missing fields: {', '.join(sorted(missing))}")
        values = {name: data[name] for name in names if name in data}
        for name in ("colours", "structures", "artefacts", "centre_mm"):
            if name in values:
                values[name] = tuple(values[name])
        return cls(**values)

    def explanation_lines(self, *, language: str = "en") -> list[str]:
        """Short lines a quiz can show as feedback: what is visible and what it scores."""
        components = self.abcd_components()
        seven_score = self.seven_point_score()
        scored = [text("criteria.seven_point.item", language, points=SEVEN_POINT[name][0],
                       criterion=text(f"term.{name}", language))
                  for name in self.seven_point_criteria()]
        lines = [
            text("criteria.diameter", language, diameter=self.diameter_mm),
            text("criteria.asymmetry", language, axes=self.asymmetry_axes,
                 score=1.3 * self.asymmetry_axes),
            text("criteria.border", language, segments=self.border_segments,
                 score=0.1 * self.border_segments),
            text("criteria.colours", language, count=len(self.colours),
                 colours=_terms(self.colours, language), score=0.5 * len(self.colours)),
            text("criteria.components", language, components=_terms(components, language),
                 score=0.5 * max(1, len(components))),
            text("criteria.tds", language, score=self.tds(),
                 category=text(f"term.{self.tds_category()}", language)),
            text("criteria.seven_point.melanoma" if seven_score >= SEVEN_POINT_THRESHOLD
                 else "criteria.seven_point.below", language,
                 criteria=listing(scored, language) or text("criteria.none", language),
                 score=seven_score, threshold=SEVEN_POINT_THRESHOLD),
        ]
        others = [s for s in self.structures if not any(
            s in shows for shows in ABCD_COMPONENTS.values())]
        if others:
            lines.append(text("criteria.other", language, structures=_terms(others, language)))
        if self.site_pattern:
            lines.append(text("criteria.site_pattern", language,
                              pattern=text(f"term.{self.site_pattern}", language)))
        return lines


def _terms(names, language: str) -> str:
    """Dermoscopic terms (structures, colours, components) listed in the language, or "none"."""
    return listing((text(f"term.{name}", language) for name in names), language) \
        or text("criteria.none", language)


def sample_criteria(*, profile: PatientProfile, rng: np.random.Generator) -> Criteria:
    """Draw criteria for a profile from its diagnosis's class-typical distribution."""
    table = _CLASS_TABLES[profile.dx]
    asymmetry = int(rng.choice(3, p=table["asymmetry"]))
    border = int(np.clip(rng.binomial(8, table["abrupt"] / 8), 0, 8))
    low, high = table["irregularity"]
    irregularity = float(rng.uniform(low, high))
    structures = [name for name, p in table["structures"].items() if rng.random() < p]
    structures = _consistent_structures(profile, structures, rng)
    site_pattern = _site_pattern(profile, structures, rng)
    structures = _site_structures(site_pattern, structures)
    colours = _colours(profile.dx, table["colours"], structures, rng)
    if "moth-eaten border" in structures:
        border = max(border, 5)
    field_of_view = max(profile.diameter_mm / float(rng.uniform(*table["fill"])),
                        MIN_FIELD_OF_VIEW_MM)
    slack = max(0.0, (field_of_view - profile.diameter_mm * 1.1) / 2)
    centre = tuple(float(v) for v in rng.uniform(-0.35, 0.35, 2) * slack)
    return Criteria(
        dx=profile.dx,
        diameter_mm=float(profile.diameter_mm),
        field_of_view_mm=round(field_of_view, 3),
        asymmetry_axes=asymmetry,
        border_segments=border,
        border_irregularity=round(irregularity, 3),
        colours=colours,
        structures=tuple(s for s in STRUCTURES if s in structures),
        site_pattern=site_pattern,
        orientation_deg=round(float(rng.uniform(0, 180)), 1),
        centre_mm=centre,
    )


def _consistent_structures(
    profile: PatientProfile, structures: list[str], rng: np.random.Generator
) -> list[str]:
    """Remove contradictions (two kinds of network) and ensure a lesion shows something."""
    chosen = list(dict.fromkeys(structures))
    if "atypical pigment network" in chosen and "regular pigment network" in chosen:
        chosen.remove("regular pigment network")
    if profile.dx == "vasc" and "red-purple lacunae" not in chosen:
        chosen.append("structureless area")
    if not chosen:
        fallback = {"nv": "regular pigment network", "mel": "irregular blotch",
                    "bkl": "structureless area", "df": "central white patch",
                    "bcc": "arborizing vessels", "akiec": "scale", "vasc": "red-purple lacunae"}
        chosen.append(fallback[profile.dx])
    if profile.dx == "mel" and len(chosen) == 1 and rng.random() < 0.5:
        chosen.append("irregular dots")
    return chosen


def _site_pattern(
    profile: PatientProfile, structures: list[str], rng: np.random.Generator
) -> str | None:
    if profile.site in ACRAL_SITES and profile.dx in {"nv", "mel"}:
        ridge_probability = 0.85 if profile.dx == "mel" else 0.08
        return "acral ridge" if rng.random() < ridge_probability else "acral furrow"
    if profile.site in FACIAL_SITES and profile.dx in {"nv", "mel", "bkl", "akiec"}:
        return "facial pseudo-network"
    return None


def _site_structures(site_pattern: str | None, structures: list[str]) -> list[str]:
    """Acral skin shows parallel patterns instead of a network; facial skin a pseudo-network."""
    if site_pattern is None:
        return structures
    kept = [s for s in structures if s not in _NETWORKS]
    extra = {"acral furrow": "parallel furrow pattern", "acral ridge": "parallel ridge pattern",
             "facial pseudo-network": "pseudo-network"}[site_pattern]
    return [*kept, extra]


def _colours(
    dx: str, probabilities: Mapping[str, float], structures: list[str], rng: np.random.Generator
) -> tuple[str, ...]:
    chosen = {"red"} if dx in PINK_CLASSES else {"light brown"}
    chosen |= {name for name, p in probabilities.items() if rng.random() < p}
    for structure in structures:
        chosen |= set(STRUCTURE_COLOURS.get(structure, ()))
    if dx == "akiec" and "scale" not in structures:
        chosen.discard("white")
    return tuple(c for c in COLOURS if c in chosen)
