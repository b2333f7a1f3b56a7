"""The visual Turing test: experts see real and synthetic lesions mixed and say which is which.

Real images come only from a configured folder (LESIONLAB_REAL_IMAGES_DIR); synthetic ones are
the clean images of stored items. Detection accuracy near 50% means the images pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sqlalchemy import select

from engine.datasets.images import decode_image
from engine.evaluation.images import square_resize
from engine.quiz_items import encode_png
from engine.refusals import Refusal
from engine.services.runtime import Runtime
from engine.store import items
from engine.store.models import Item
from engine.store.roles import REVIEWING_ROLES, Actor, require_role

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png"})
SHOWN_SIZE = 256


@dataclass(frozen=True)
class TuringCase:
    png: bytes
    is_real: bool


def real_image_paths(*, folder: Path | None) -> list[Path]:
    if folder is None or not folder.is_dir():
        return []
    return sorted(path for path in folder.rglob("*") if path.suffix.lower() in IMAGE_SUFFIXES)


def draw_case(*, runtime: Runtime, actor: Actor, rng: np.random.Generator) -> TuringCase:
    """A real image or a synthetic one with equal chance, both shown at the same size."""
    real = real_image_paths(folder=runtime.config.real_images_dir)
    if not real:
        raise ValueError("no real images configured; set LESIONLAB_REAL_IMAGES_DIR to a folder "
                         "of .jpg/.png dermoscopy images")
    with runtime.database.reading() as session:
        require_role(session=session, actor=actor, allowed=REVIEWING_ROLES,
                     action="take_visual_turing_test")
        item_ids = list(session.scalars(select(Item.id)))
        if not item_ids:
            raise Refusal("refusal.turing.no_items")
        if rng.random() < 0.5:
            path = real[int(rng.integers(len(real)))]
            return TuringCase(_square(path.read_bytes(), source=path.name), True)
        clean, _ = items.item_images(session=session, actor=actor,
                                     item_id=item_ids[int(rng.integers(len(item_ids)))])
        return TuringCase(_square(clean, source="synthetic item"), False)


def detection_accuracy(*, guesses: list[tuple[bool, bool]]) -> float | None:
    """Share of (guessed real, truly real) pairs guessed right; None before any guess."""
    if not guesses:
        return None
    return sum(guess == truth for guess, truth in guesses) / len(guesses)


def _square(data: bytes, *, source: str) -> bytes:
    """Centre-crop to a square and resize, so size and aspect ratio give nothing away; decoded
    with the data sets' decoder and its limits."""
    return encode_png(square_resize(decode_image(data, source=source), size=SHOWN_SIZE))
