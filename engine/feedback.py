"""Feedback on a quiz item: the right answer and why, in the trainee's language.

For every item: the right diagnosis and management, the class's teaching points (from
`assets/teaching/<dx>.json`, written for trainees with their sources, and its translations in
`assets/teaching/<language>/<dx>.json`), how to tell the right class from the one chosen when
the answer was wrong, and what the degradation did to the image. For phantom items, also the
dermoscopic criteria drawn in the image with their ABCD total dermoscopy score and 7-point
checklist score. Sentences come from `engine.i18n`; `language` is one of its LANGUAGES.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path

from engine.degrade import describe
from engine.i18n import checked_language, text
from engine.scoring import correct_management
from engine.vocabulary import DIAGNOSES, MALIGNANT

TEACHING_DIR = Path(__file__).resolve().parent.parent / "assets" / "teaching"


@dataclass(frozen=True)
class TeachingPoints:
    """One diagnosis's teaching text: cues, scores, management, pitfalls, look-alikes, sources."""

    dx: str
    name: str
    malignant: bool
    summary: str
    dermoscopic_cues: tuple[str, ...]
    scores: str
    management: str
    pitfalls: tuple[str, ...]
    look_alikes: Mapping[str, str]
    sources: tuple[str, ...]

    def to_dict(self) -> dict:
        data = asdict(self)
        data["look_alikes"] = dict(self.look_alikes)
        return data


def teaching_points(dx: str, *, language: str = "en") -> TeachingPoints:
    """The teaching points of a diagnosis in a language, read and checked once per process.

    English is the source (`<dx>.json`); a translation (`<language>/<dx>.json`) must match its
    shape (the same lists with as many entries, the same look-alikes), so no cue or pitfall is
    lost in one language.
    """
    return _teaching_points(dx, language)


@cache
def _teaching_points(dx: str, language: str) -> TeachingPoints:
    """Cached under (dx, language) alone, however the caller spelled the arguments."""
    if dx not in DIAGNOSES:
        raise ValueError(f"unknown diagnosis {dx!r}; expected one of {', '.join(DIAGNOSES)}")
    checked_language(language)
    folder = TEACHING_DIR if language == "en" else TEACHING_DIR / language
    path = folder / f"{dx}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ValueError(f"teaching text {path} is missing") from None
    except json.JSONDecodeError as error:
        raise ValueError(f"teaching text {path} is not valid JSON: {error}") from None
    fields = set(TeachingPoints.__dataclass_fields__)
    if set(data) != fields:
        raise ValueError(
            f"teaching text {path}: fields {sorted(set(data) ^ fields)} are missing or unexpected"
        )
    if data["dx"] != dx or data["malignant"] != (dx in MALIGNANT):
        raise ValueError(f"teaching text {path}: dx or malignant does not match {dx!r}")
    unknown = set(data["look_alikes"]) - set(DIAGNOSES)
    if unknown:
        raise ValueError(f"teaching text {path}: look_alikes names unknown {sorted(unknown)}")
    for name in ("dermoscopic_cues", "pitfalls", "sources"):
        data[name] = tuple(data[name])
    points = TeachingPoints(**data)
    if language != "en":
        _check_translation(points, _teaching_points(dx, "en"), path)
    return points


def _check_translation(translated: TeachingPoints, source: TeachingPoints, path: Path) -> None:
    differences = [name for name in ("dermoscopic_cues", "pitfalls", "sources")
                   if len(getattr(translated, name)) != len(getattr(source, name))]
    if set(translated.look_alikes) != set(source.look_alikes):
        differences.append("look_alikes")
    if differences:
        raise ValueError(f"teaching text {path}: {', '.join(differences)} do not match the "
                         "English text's entries")


@dataclass(frozen=True)
class Feedback:
    correct_answer: str
    diagnosis: str
    diagnosis_name: str
    given: str | None
    correct: bool | None
    management: str
    management_label: str
    management_correct: bool | None
    management_note: str
    criteria_lines: tuple[str, ...]
    abcd: Mapping | None
    seven_point: Mapping | None
    tell_apart: str | None
    degradation: str
    teaching: TeachingPoints

    def to_dict(self) -> dict:
        data = asdict(self)
        data["teaching"] = self.teaching.to_dict()
        return data


def item_feedback(
    *, item, given: str | None = None, given_management: str | None = None,
    language: str = "en",
) -> Feedback:
    """Feedback for a QuizItem or its `to_dict(images=False)` record (e.g. a stored row).

    given / given_management: the trainee's answer, when there is one to comment on.
    language: what the sentences are written in (en, ja or id).
    """
    record = item.to_dict(images=False) if hasattr(item, "to_dict") else item
    missing = [k for k in ("correct_answer", "explanation", "degradation", "options")
               if k not in record]
    if missing:
        raise ValueError(f"quiz item record is missing field(s): {', '.join(missing)}")
    explanation = record["explanation"]
    dx = explanation["dx"]
    if given is not None and given not in record["options"]:
        raise ValueError(f"answer {given!r} is not one of the item's options {record['options']}")
    management = correct_management(dx)
    criteria = explanation.get("criteria")
    return Feedback(
        correct_answer=record["correct_answer"],
        diagnosis=dx,
        diagnosis_name=text(f"diagnosis.{dx}", language),
        given=given,
        correct=None if given is None else given == record["correct_answer"],
        management=management,
        management_label=text(f"management.{management}", language),
        management_correct=None if given_management is None else given_management == management,
        management_note=text("feedback.management_note", language),
        criteria_lines=_criteria_lines(criteria, language),
        abcd=criteria.get("abcd") if criteria else None,
        seven_point=criteria.get("seven_point") if criteria else None,
        tell_apart=_tell_apart(dx, given, language),
        degradation=describe(record["degradation"].get("applied", ()), language=language),
        teaching=teaching_points(dx, language=language),
    )


def _criteria_lines(criteria: Mapping | None, language: str) -> tuple[str, ...]:
    if not criteria:
        return ()
    from engine.phantom import Criteria

    return tuple(Criteria.from_dict(criteria).explanation_lines(language=language))


def _tell_apart(dx: str, given: str | None, language: str) -> str | None:
    """How the right class differs from a wrongly chosen diagnosis, from the teaching texts."""
    if given is None or given == dx or given not in DIAGNOSES:
        return None
    note = teaching_points(dx, language=language).look_alikes.get(given)
    if note is None:
        note = teaching_points(given, language=language).look_alikes.get(dx)
    return note
