"""Column layouts of the supported metadata tables, and the check that a table has them.

A missing or renamed column is an error naming the file, the missing columns and the nearest
column names present, so a user can see `anatom_site` was meant to be `anatom_site_general`.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from engine.datasets.errors import BadInputError

# The 55 columns of the ISIC 2024 (SLICE-3D) `train-metadata.csv`, in file order.
ISIC2024_COLUMNS: tuple[str, ...] = (
    "isic_id", "target", "patient_id", "age_approx", "sex", "anatom_site_general",
    "clin_size_long_diam_mm", "image_type", "tbp_tile_type", "tbp_lv_A", "tbp_lv_Aext",
    "tbp_lv_B", "tbp_lv_Bext", "tbp_lv_C", "tbp_lv_Cext", "tbp_lv_H", "tbp_lv_Hext", "tbp_lv_L",
    "tbp_lv_Lext", "tbp_lv_areaMM2", "tbp_lv_area_perim_ratio", "tbp_lv_color_std_mean",
    "tbp_lv_deltaA", "tbp_lv_deltaB", "tbp_lv_deltaL", "tbp_lv_deltaLB", "tbp_lv_deltaLBnorm",
    "tbp_lv_eccentricity", "tbp_lv_location", "tbp_lv_location_simple", "tbp_lv_minorAxisMM",
    "tbp_lv_nevi_confidence", "tbp_lv_norm_border", "tbp_lv_norm_color", "tbp_lv_perimeterMM",
    "tbp_lv_radial_color_std_max", "tbp_lv_stdL", "tbp_lv_stdLExt", "tbp_lv_symm_2axis",
    "tbp_lv_symm_2axis_angle", "tbp_lv_x", "tbp_lv_y", "tbp_lv_z", "attribution",
    "copyright_license", "lesion_id", "iddx_full", "iddx_1", "iddx_2", "iddx_3", "iddx_4",
    "iddx_5", "mel_mitotic_index", "mel_thick_mm", "tbp_lv_dnn_lesion_confidence",
)
ISIC2024_REQUIRED = ("isic_id", "target", "patient_id", "age_approx", "sex",
                     "anatom_site_general")
ISIC2024_IDDX = ("iddx_full", "iddx_1", "iddx_2", "iddx_3", "iddx_4", "iddx_5")

HAM10000_COLUMNS: tuple[str, ...] = ("lesion_id", "image_id", "dx", "dx_type", "age", "sex",
                                     "localization")
HAM10000_REQUIRED = ("lesion_id", "image_id", "dx", "age", "sex", "localization")

ISIC2019_CLASSES: tuple[str, ...] = ("MEL", "NV", "BCC", "AK", "BKL", "DF", "VASC", "SCC",
                                     "UNK")
ISIC2019_METADATA_REQUIRED = ("image", "age_approx", "anatom_site_general", "sex")

ISIC2020_REQUIRED = ("image_name", "patient_id", "sex", "age_approx",
                     "anatom_site_general_challenge", "diagnosis", "target")

# Columns every reader's metadata() table has, in front of the original columns.
STANDARD_COLUMNS = ("key", "group", "dx", "age", "sex", "site")


def require_columns(present: Iterable, required: Iterable[str], *, source: str | Path) -> None:
    """Raise naming the file and each missing column (with the closest present names)."""
    present = [str(name) for name in present]
    problems = []
    for name in required:
        if name not in present:
            near = difflib.get_close_matches(name, present, n=2, cutoff=0.6)
            hint = f" (found {', '.join(repr(n) for n in near)} — renamed?)" if near else ""
            problems.append(f"{name!r}{hint}")
    if problems:
        raise BadInputError(
            f"{source}: missing column(s) {', '.join(problems)}; the file has "
            f"{', '.join(present[:20])}{' ...' if len(present) > 20 else ''}",
            category="bad columns")


def read_csv(path: Path, *, required: Iterable[str]) -> pd.DataFrame:
    """Read a metadata CSV as text columns (ids keep leading zeros) and check its header."""
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""])
    except FileNotFoundError:
        raise BadInputError(f"metadata file {path} does not exist", category="missing file"
                            ) from None
    except (pd.errors.ParserError, pd.errors.EmptyDataError, UnicodeDecodeError) as error:
        raise BadInputError(f"metadata file {path} is not a readable CSV: {error}",
                            category="bad columns") from None
    table.columns = [str(c).strip() for c in table.columns]
    repeated = sorted({name for name in table.columns if list(table.columns).count(name) > 1})
    if repeated:
        raise BadInputError(
            f"metadata file {path}: column(s) {', '.join(repr(n) for n in repeated)} appear "
            "more than once (names are compared without surrounding spaces); keep one of each",
            category="bad columns")
    require_columns(table.columns, required, source=path)
    return table
