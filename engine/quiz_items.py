"""One quiz item: the profile, both images, the right answer, options and what explains it.

`to_dict()` gives exactly the fields the store keeps (engine.store.items.NewItem): the images
as PNG bytes and everything else JSON-friendly; `from_dict` reads them back.
"""

from __future__ import annotations

import io
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from PIL import Image

from engine.profiles import PatientProfile
from engine.scoring import correct_management

# Quiz images are small; anything larger than this is refused rather than decoded.
MAX_IMAGE_PIXELS = 2048 * 2048


@dataclass(frozen=True, eq=False)
class QuizItem:
    """A built item. `source` is the image source's record (engine.sources) plus the
    render_seed and render_index that regenerate the clean image; `seed` is the degradation
    seed; `degradation` the degradation record (engine.degrade.DegradationResult.to_dict);
    `criteria` the phantom's drawn criteria (None for generated images)."""

    profile: PatientProfile
    seed: int
    source: Mapping
    degradation: Mapping
    clean_image: np.ndarray
    degraded_image: np.ndarray
    correct_answer: str
    options: tuple[str, ...]
    criteria: Mapping | None = None
    auditor_margin: float | None = None

    @property
    def severity(self) -> int | None:
        return self.degradation.get("severity")

    @property
    def explanation(self) -> dict:
        """What feedback needs beyond the profile, answer and degradation record."""
        return {
            "dx": self.profile.dx,
            "management": correct_management(self.profile.dx),
            "criteria": dict(self.criteria) if self.criteria is not None else None,
            "source": dict(self.source),
            "auditor_margin": self.auditor_margin,
        }

    def to_dict(self, *, images: bool = True) -> dict:
        """Store-ready fields; `images=False` leaves the PNG bytes out (e.g. an answer key)."""
        data = {
            "profile": self.profile.to_dict(),
            "generator_id": self.source["generator_id"],
            "generator_version": self.source["version"],
            "seed": self.seed,
            "degradation": dict(self.degradation),
            "correct_answer": self.correct_answer,
            "options": list(self.options),
            "explanation": self.explanation,
        }
        if images:
            data["clean_png"] = encode_png(self.clean_image)
            data["degraded_png"] = encode_png(self.degraded_image)
        return data

    @classmethod
    def from_dict(cls, data: Mapping) -> QuizItem:
        """Rebuild from `to_dict()` output (with images), e.g. a stored row."""
        required = ("profile", "seed", "degradation", "correct_answer", "options",
                    "explanation", "clean_png", "degraded_png")
        missing = [name for name in required if name not in data]
        if missing:
            raise ValueError(f"quiz item is missing field(s): {', '.join(missing)}")
        explanation = data["explanation"]
        return cls(
            profile=PatientProfile.from_dict(data["profile"]),
            seed=int(data["seed"]),
            source=dict(explanation.get("source") or {
                "generator_id": data.get("generator_id"), "version": data.get("generator_version")
            }),
            degradation=dict(data["degradation"]),
            clean_image=decode_png(data["clean_png"], label="clean image"),
            degraded_image=decode_png(data["degraded_png"], label="degraded image"),
            correct_answer=str(data["correct_answer"]),
            options=tuple(data["options"]),
            criteria=explanation.get("criteria"),
            auditor_margin=explanation.get("auditor_margin"),
        )


def encode_png(image: np.ndarray) -> bytes:
    """Lossless PNG bytes of a uint8 RGB image (fast compression: items are small)."""
    buffer = io.BytesIO()
    Image.fromarray(np.asarray(image, dtype=np.uint8), mode="RGB").save(
        buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def decode_png(data: bytes, *, label: str = "image") -> np.ndarray:
    """A uint8 RGB array from PNG bytes; refuses non-PNG data and oversized images."""
    if not isinstance(data, bytes | bytearray) or not data.startswith(b"\x89PNG\r\n\x1a\n"):
        raise ValueError(f"{label} is not PNG data")
    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.width * image.height > MAX_IMAGE_PIXELS:
                raise ValueError(
                    f"{label} of {image.width}x{image.height} px exceeds the "
                    f"{MAX_IMAGE_PIXELS:,}-pixel limit for quiz images"
                )
            return np.asarray(image.convert("RGB"), dtype=np.uint8)
    except (OSError, Image.DecompressionBombError) as error:
        raise ValueError(f"{label} could not be decoded: {error}") from None
