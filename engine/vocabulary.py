"""Shared vocabularies: diagnoses, sexes, skin types and the one anatomic-site vocabulary.

HAM10000 records a fine `localization` (face, back, foot ...) while the ISIC archive records a
coarse `anatom_site_general` (head/neck, posterior torso ...). LesionLab keeps the finer HAM10000
terms and adds the ISIC-only ones, so nothing known is thrown away; every site also knows its
ISIC group, which is what ISIC-layout exports write. The table is documented in docs/sites.md.
"""

from __future__ import annotations

DIAGNOSES: tuple[str, ...] = ("akiec", "bcc", "bkl", "df", "mel", "nv", "vasc")
MALIGNANT: frozenset[str] = frozenset({"mel", "bcc", "akiec"})

SEXES: tuple[str, ...] = ("male", "female", "unknown")
SKIN_TYPES: tuple[int, ...] = (1, 2, 3, 4, 5, 6)
SKIN_TYPE_NAMES: dict[int, str] = {1: "I", 2: "II", 3: "III", 4: "IV", 5: "V", 6: "VI"}

AGE_BIN_YEARS = 5
AGE_BINS: tuple[int, ...] = tuple(range(0, 91, AGE_BIN_YEARS))

UNKNOWN = "unknown"

# site -> ISIC anatom_site_general group. HAM10000 terms first, then ISIC-only terms.
SITE_TO_ISIC_GROUP: dict[str, str] = {
    "scalp": "head/neck",
    "face": "head/neck",
    "ear": "head/neck",
    "neck": "head/neck",
    "head/neck": "head/neck",
    "chest": "anterior torso",
    "abdomen": "anterior torso",
    "anterior torso": "anterior torso",
    "back": "posterior torso",
    "lateral torso": "lateral torso",
    "trunk": "torso",
    "upper extremity": "upper extremity",
    "hand": "upper extremity",
    "lower extremity": "lower extremity",
    "foot": "lower extremity",
    "acral": "palms/soles",
    "genital": "oral/genital",
    "oral/genital": "oral/genital",
    UNKNOWN: UNKNOWN,
}
SITES: tuple[str, ...] = tuple(SITE_TO_ISIC_GROUP)

# ISIC anatom_site_general (2019/2020/2024 spellings) -> site. Values already in SITES map to
# themselves; "posterior torso" is HAM10000's "back", "palms/soles" its "acral".
_ISIC_SYNONYMS: dict[str, str] = {
    "posterior torso": "back",
    "torso": "trunk",
    "palms/soles": "acral",
    "head/neck": "head/neck",
    "anterior torso": "anterior torso",
    "lateral torso": "lateral torso",
    "upper extremity": "upper extremity",
    "lower extremity": "lower extremity",
    "oral/genital": "oral/genital",
}

ACRAL_SITES: frozenset[str] = frozenset({"acral", "foot", "hand"})
FACIAL_SITES: frozenset[str] = frozenset({"face", "ear", "scalp"})


def normalise_site(value: object) -> str:
    """Map a HAM10000 `localization` or an ISIC `anatom_site_general` value to a site.

    Missing values (None, NaN, empty) become "unknown"; anything else unrecognised raises.
    """
    if value is None or (isinstance(value, float) and value != value):
        return UNKNOWN
    text = str(value).strip().lower().replace(" / ", "/").replace("_", " ")
    if not text or text in {"nan", "na", "none"}:
        return UNKNOWN
    if text in _ISIC_SYNONYMS:
        return _ISIC_SYNONYMS[text]
    if text in SITE_TO_ISIC_GROUP:
        return text
    raise ValueError(
        f"unknown anatomic site {value!r}; expected one of {', '.join(SITES)} "
        f"or an ISIC anatom_site_general value ({', '.join(sorted(_ISIC_SYNONYMS))})"
    )


def isic_site_group(site: str) -> str:
    """The ISIC `anatom_site_general` value written for a site."""
    try:
        return SITE_TO_ISIC_GROUP[site]
    except KeyError:
        raise ValueError(f"unknown site {site!r}; expected one of {', '.join(SITES)}") from None


def normalise_sex(value: object) -> str:
    """Map a sex value (any case; missing -> unknown) to the vocabulary."""
    if value is None or (isinstance(value, float) and value != value):
        return UNKNOWN
    text = str(value).strip().lower()
    if text in {"", "nan", "na", "none"}:
        return UNKNOWN
    if text in {"m"}:
        return "male"
    if text in {"f"}:
        return "female"
    if text not in SEXES:
        raise ValueError(f"unknown sex {value!r}; expected male, female or unknown")
    return text


def age_bin(years: float) -> int:
    """The 5-year bin (as HAM10000 and ISIC `age_approx` record it) holding an age in years."""
    if not 0 <= years <= 120:
        raise ValueError(f"age {years} is out of range; expected 0 to 90 years")
    return int(min(AGE_BINS[-1], (years // AGE_BIN_YEARS) * AGE_BIN_YEARS))


def is_malignant(dx: str) -> bool:
    """True for melanoma, basal cell carcinoma and actinic keratosis / intraepithelial carcinoma."""
    if dx not in DIAGNOSES:
        raise ValueError(f"unknown diagnosis {dx!r}; expected one of {', '.join(DIAGNOSES)}")
    return dx in MALIGNANT
