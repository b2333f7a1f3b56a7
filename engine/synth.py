"""Synthetic data sets of phantoms in the ISIC 2024 or HAM10000 layout.

Every image's seed is derived from (seed, index) alone, and results are written in index order,
so a data set is byte-for-byte the same whatever the number of worker processes. The writer
builds the data set in a partial folder and renames it only when every image is written, so an
interrupted run leaves nothing that looks complete.
"""

from __future__ import annotations

import json
import multiprocessing
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from engine.phantom import GENERATOR_ID, VERSION, render
from engine.phantom.render import MAX_SIZE, MIN_SIZE
from engine.profiles import SKIN_MIXES, PatientProfile, ProfileSampler

FORMATS = ("isic2024", "ham10000")
CLASS_MIXES = ("realistic", "balanced")
MAX_WORKERS = 64
# ISIC 2024 diagnosis hierarchy (iddx_1 :: iddx_2 :: iddx_3) for each diagnosis.
IDDX: dict[str, tuple[str, str, str]] = {
    "mel": ("Malignant", "Malignant melanocytic proliferations (Melanoma)", "Melanoma, NOS"),
    "bcc": ("Malignant", "Malignant epidermal proliferations", "Basal cell carcinoma"),
    "akiec": ("Malignant", "Malignant epidermal proliferations",
              "Squamous cell carcinoma in situ"),
    "nv": ("Benign", "Benign melanocytic proliferations", "Nevus"),
    "bkl": ("Benign", "Benign epidermal proliferations", "Seborrheic keratosis"),
    "df": ("Benign", "Benign soft tissue proliferations - Fibro-histiocytic", "Dermatofibroma"),
    "vasc": ("Benign", "Benign soft tissue proliferations - Vascular", "Hemangioma"),
}
CRITERIA_COLUMNS = ("skin_type", "diameter_mm", "tds", "tds_category", "seven_point_score",
                    "asymmetry_axes", "border_segments", "colours", "structures",
                    "site_pattern", "field_of_view_mm", "artefacts", "generator",
                    "generator_version", "image_seed", "criteria_json")


@dataclass(frozen=True)
class SynthConfig:
    """What a synthetic data set is made of; the same config always gives the same data."""

    n: int
    size: int = 128
    seed: int = 0
    format: str = "isic2024"
    class_mix: str = "realistic"
    skin_mix: str = "prior"

    def __post_init__(self) -> None:
        if not isinstance(self.n, int) or self.n < 1:
            raise ValueError(f"--n {self.n!r} must be a positive number of images")
        if self.format not in FORMATS:
            raise ValueError(f"--format {self.format!r} must be one of {', '.join(FORMATS)}")
        if self.class_mix not in CLASS_MIXES:
            raise ValueError(f"--class-mix {self.class_mix!r} must be one of "
                             f"{', '.join(CLASS_MIXES)}")
        if self.skin_mix not in SKIN_MIXES:
            raise ValueError(f"--skin-mix {self.skin_mix!r} must be one of "
                             f"{', '.join(SKIN_MIXES)}")
        if not isinstance(self.size, int) or not MIN_SIZE <= self.size <= MAX_SIZE:
            raise ValueError(f"--size {self.size!r} must be from {MIN_SIZE} to {MAX_SIZE} px")
        if not isinstance(self.seed, int) or self.seed < 0:
            raise ValueError(f"--seed {self.seed!r} must be a non-negative integer")


def image_seed(seed: int, index: int) -> int:
    """The render seed of image `index`: a function of (seed, index) only."""
    state = np.random.SeedSequence([seed, 1, index]).generate_state(2, np.uint32)
    return int(state[0]) << 32 | int(state[1])


def synth_profiles(config: SynthConfig) -> list[PatientProfile]:
    return ProfileSampler.default().sample(
        n=config.n, class_mix=config.class_mix, skin_mix=config.skin_mix,
        seed=np.random.default_rng([config.seed, 0]))


def _render_one(task: tuple[int, dict, int, int]) -> tuple[int, np.ndarray, dict]:
    index, profile_fields, size, seed = task
    image, criteria = render(PatientProfile.from_dict(profile_fields), size=size, seed=seed)
    return index, image, criteria.to_dict()


def rendered(config: SynthConfig, *, workers: int = 1) -> Iterator[tuple[int, np.ndarray, dict,
                                                                         PatientProfile]]:
    """(index, image, criteria dict, profile) in index order, from `workers` processes."""
    if not isinstance(workers, int) or not 1 <= workers <= MAX_WORKERS:
        raise ValueError(f"--workers {workers!r} must be from 1 to {MAX_WORKERS}")
    profiles = synth_profiles(config)
    tasks = ((i, p.to_dict(), config.size, image_seed(config.seed, i))
             for i, p in enumerate(profiles))
    if workers == 1:
        for index, image, criteria in map(_render_one, tasks):
            yield index, image, criteria, profiles[index]
        return
    context = multiprocessing.get_context("spawn")
    with context.Pool(workers) as pool:
        chunk = max(1, min(64, config.n // (workers * 8)))
        for index, image, criteria in pool.imap(_render_one, tasks, chunksize=chunk):
            yield index, image, criteria, profiles[index]


def dataset_row(index: int, profile: PatientProfile, criteria: dict, seed: int) -> dict:
    """The metadata row of one phantom: profile, ISIC diagnosis levels and its criteria."""
    iddx = IDDX[profile.dx]
    return {
        "dx": profile.dx, "age": profile.age, "sex": profile.sex, "site": profile.site,
        "diameter_mm": profile.diameter_mm,
        "patient_id": f"SYN_P{index:07d}", "lesion_id": f"SYN_L{index:07d}",
        "dx_type": "synthetic", "image_type": "synthetic phantom",
        "iddx_full": "::".join(iddx), "iddx_1": iddx[0], "iddx_2": iddx[1], "iddx_3": iddx[2],
        "attribution": "LesionLab procedural phantom", "copyright_license": "CC0",
        "skin_type": profile.skin_type,
        "tds": criteria["abcd"]["tds"], "tds_category": criteria["abcd"]["tds_category"],
        "seven_point_score": criteria["seven_point"]["score"],
        "asymmetry_axes": criteria["asymmetry_axes"],
        "border_segments": criteria["border_segments"],
        "colours": "; ".join(criteria["colours"]),
        "structures": "; ".join(criteria["structures"]),
        "site_pattern": criteria["site_pattern"] or "",
        "field_of_view_mm": criteria["field_of_view_mm"],
        "artefacts": "; ".join(criteria["artefacts"]),
        "generator": GENERATOR_ID, "generator_version": VERSION, "image_seed": seed,
        "criteria_json": json.dumps(criteria, sort_keys=True),
    }


def write_dataset(
    config: SynthConfig,
    *,
    out: str | Path,
    workers: int = 1,
    overwrite: bool = False,
    on_image: Callable[[int], None] | None = None,
) -> Path:
    """Render `config.n` phantoms and write them to `out`; returns the finished folder.

    `on_image(done)` is called after each image (for progress).
    """
    from engine.datasets.writers import open_writer

    columns = ("dx", "patient_id", "lesion_id", *CRITERIA_COLUMNS)
    with open_writer(out, format=config.format, columns=columns, overwrite=overwrite) as writer:
        for done, (index, image, criteria, profile) in enumerate(
                rendered(config, workers=workers), start=1):
            seed = image_seed(config.seed, index)
            row = dataset_row(index, profile, criteria, seed)
            if config.format == "ham10000":
                row = {k: v for k, v in row.items() if not k.startswith(("iddx", "patient"))
                       and k not in {"image_type", "attribution", "copyright_license"}}
            writer.add(f"SYN_{index:07d}", image, row)
            if on_image is not None:
                on_image(done)
    return Path(out)
