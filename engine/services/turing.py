"""The visual Turing test: experts see real and synthetic lesions mixed and say which is which.

Real images come only from a configured folder (LESIONLAB_REAL_IMAGES_DIR); synthetic ones are
the clean images of stored items. Detection accuracy near 50% means the images pass.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image
from sqlalchemy import select

from engine.services.runtime import Runtime
from engine.store import items
from engine.store.models import Item
from engine.store.roles import REVIEWING_ROLES, Actor, require_role

IMAGE_SUFFIXES = frozenset({".jpg", ".jpeg", ".png"})
SHOWN_SIZE = 256
MAX_PIXELS = 40_000_000


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
                     action="take the visual Turing test")
        item_ids = list(session.scalars(select(Item.id)))
        if not item_ids:
            raise ValueError("no synthetic items are stored yet; publish a quiz first")
        if rng.random() < 0.5:
            return TuringCase(_square(real[int(rng.integers(len(real)))].read_bytes()), True)
        clean, _ = items.item_images(session=session, actor=actor,
                                     item_id=item_ids[int(rng.integers(len(item_ids)))])
        return TuringCase(_square(clean), False)


def detection_accuracy(*, guesses: list[tuple[bool, bool]]) -> float | None:
    """Share of (guessed real, truly real) pairs guessed right; None before any guess."""
    if not guesses:
        return None
    return sum(guess == truth for guess, truth in guesses) / len(guesses)


def _square(data: bytes) -> bytes:
    """Centre-crop to a square and resize, so size and aspect ratio give nothing away."""
    Image.MAX_IMAGE_PIXELS = MAX_PIXELS
    with Image.open(io.BytesIO(data)) as image:
        image = image.convert("RGB")
        side = min(image.size)
        left, top = (image.width - side) // 2, (image.height - side) // 2
        image = image.crop((left, top, left + side, top + side)).resize(
            (SHOWN_SIZE, SHOWN_SIZE), Image.Resampling.LANCZOS)
        output = io.BytesIO()
        image.save(output, format="PNG")
        return output.getvalue()
