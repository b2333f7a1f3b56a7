"""Diagnosis labels of the ISIC sets mapped onto the seven HAM10000 codes.

Decisions (medical, so written down):

- ISIC 2019: MEL->mel, NV->nv, BCC->bcc, AK->akiec, BKL->bkl, DF->df, VASC->vasc. SCC (invasive
  squamous cell carcinoma) is not an actinic keratosis or intraepithelial carcinoma, and UNK has
  no diagnosis: both rows are left out and counted in the reader's report as excluded.
- ISIC 2020 `diagnosis`: nevus->nv, melanoma->mel, seborrheic keratosis / lentigo NOS / solar
  lentigo / lichenoid keratosis->bkl. Cafe-au-lait macule, atypical melanocytic proliferation
  and unknown keep the row with no diagnosis code (its benign/malignant `target` still holds).
- ISIC 2024 `iddx_*`: the most specific level that names one of our classes wins (see
  `IDDX_RULES`); squamous cell carcinoma in situ (Bowen's disease) is intraepithelial carcinoma,
  so akiec, while invasive squamous cell carcinoma has no code. Rows naming none (most rows
  only say "Benign") keep no diagnosis code but keep `target`.
"""

from __future__ import annotations

import math

from engine.vocabulary import DIAGNOSES

ISIC2019_TO_DX: dict[str, str | None] = {
    "MEL": "mel", "NV": "nv", "BCC": "bcc", "AK": "akiec", "BKL": "bkl", "DF": "df",
    "VASC": "vasc", "SCC": None, "UNK": None,
}

ISIC2020_TO_DX: dict[str, str | None] = {
    "nevus": "nv",
    "melanoma": "mel",
    "seborrheic keratosis": "bkl",
    "lentigo nos": "bkl",
    "solar lentigo": "bkl",
    "lichenoid keratosis": "bkl",
    "cafe-au-lait macule": None,
    "atypical melanocytic proliferation": None,
    "unknown": None,
}

# (phrase found in an iddx level, code); the first matching rule wins, so melanoma (including
# "lentigo maligna") is tested before lentigo, and in-situ squamous cell carcinoma before SCC.
IDDX_RULES: tuple[tuple[str, str | None], ...] = (
    ("melanoma", "mel"),
    ("lentigo maligna", "mel"),
    ("basal cell carcinoma", "bcc"),
    ("squamous cell carcinoma in situ", "akiec"),
    ("bowen", "akiec"),
    ("actinic keratosis", "akiec"),
    ("squamous cell carcinoma", None),
    ("seborrheic keratosis", "bkl"),
    ("solar lentigo", "bkl"),
    ("lichen planus like keratosis", "bkl"),
    ("lichenoid keratosis", "bkl"),
    ("benign keratosis", "bkl"),
    ("dermatofibroma", "df"),
    ("hemangioma", "vasc"),
    ("angioma", "vasc"),
    ("angiokeratoma", "vasc"),
    ("pyogenic granuloma", "vasc"),
    ("vascular", "vasc"),
    ("nevus", "nv"),
    ("benign melanocytic", "nv"),
)


def checked_dx(value: object) -> str:
    """A diagnosis code from our vocabulary (any case), or ValueError naming the value."""
    text = str(value).strip().lower()
    if text not in DIAGNOSES:
        raise ValueError(f"unknown diagnosis {value!r}; expected one of {', '.join(DIAGNOSES)}")
    return text


def dx_from_isic2020(value: object) -> str | None:
    """Our code for an ISIC 2020 `diagnosis` (None when it has none); unknown terms raise."""
    if value is None:
        return None
    text = str(value).strip().lower()
    if text not in ISIC2020_TO_DX:
        raise ValueError(f"unknown ISIC 2020 diagnosis {value!r}; expected one of "
                         f"{', '.join(ISIC2020_TO_DX)}")
    return ISIC2020_TO_DX[text]


def dx_from_iddx(levels: list[object]) -> str | None:
    """Our code from iddx levels (most general first, e.g. iddx_1..iddx_5 or iddx_full parts)."""
    for level in reversed(levels):
        if level is None or (isinstance(level, float) and math.isnan(level)):
            continue
        text = str(level).lower().replace("-", " ").replace(",", " ")
        text = " ".join(text.split())
        for phrase, code in IDDX_RULES:
            if phrase in text:
                return code
    return None
