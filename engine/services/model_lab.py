"""Model lab: the evaluation reports written by `lesionlab evaluate` and the shipped model cards.

Reports are folders holding metrics.json (and images/*.png grids) under the reports directory
(LESIONLAB_REPORTS_DIR, default ./reports). None may exist yet; the page then says how to make
one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from engine.refusals import Refusal
from engine.vocabulary import DIAGNOSES

EVALUATE_COMMAND = ("lesionlab evaluate --real <held-out real images> --out reports/<name> "
                    "(see lesionlab evaluate --help)")


@dataclass(frozen=True)
class Report:
    """One evaluation: metric rows (with the real-vs-real floor), per-class accuracy, grids."""

    name: str
    models: tuple[str, ...]
    summary: dict
    rows: tuple[dict, ...]  # metric, better, floor, then one value per model
    per_class: dict[str, dict[str, float | None]]  # model -> dx -> conditional accuracy
    floor_per_class: dict[str, float | None]
    grids: tuple[tuple[str, bytes], ...]
    # model -> Fitzpatrick type -> conditional accuracy, and the real floor (when recorded)
    per_skin_type: dict[str, dict[int, float]] = field(default_factory=dict)
    floor_per_skin_type: dict[int, float] = field(default_factory=dict)


@dataclass(frozen=True)
class ModelCard:
    name: str
    card: str
    metrics: dict


def reports(*, folder: Path) -> list[Report]:
    """Every readable report under `folder`, newest first; unreadable ones raise with the path."""
    if not folder.is_dir():
        return []
    found = sorted(folder.glob("*/metrics.json"), key=lambda path: path.stat().st_mtime,
                   reverse=True)
    return [read_report(path=path) for path in found]


def read_report(*, path: Path) -> Report:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        results = document["models"]
    except (OSError, json.JSONDecodeError, KeyError) as error:
        raise Refusal("refusal.report.unreadable", path=path, detail=str(error),
                      command=EVALUATE_COMMAND) from None
    models = tuple(results)
    names = list(next(iter(results.values()), {}))
    rows = []
    for name in names:
        first = results[models[0]][name]
        row = {"metric": first["name"], "better": "higher" if first["higher_is_better"]
               else "lower", "real floor": first["floor"]}
        row |= {model: results[model][name]["value"] for model in models}
        rows.append(row)
    per_class, floor = {}, {}
    if "conditional_accuracy" in names:
        for model in models:
            details = results[model]["conditional_accuracy"]["details"]
            per_class[model] = {dx: details.get("per_class", {}).get(dx) for dx in DIAGNOSES}
            floor = details.get("floor_per_class", floor)
    per_skin_type, floor_per_skin_type = {}, {}
    if "skin_type_accuracy" in names:
        for model in models:
            details = results[model]["skin_type_accuracy"]["details"]
            per_skin_type[model] = _accuracy_by_type(details.get("by_skin_type"))
            floor_per_skin_type = _accuracy_by_type(details.get("floor_by_skin_type"))
    grids = tuple((image.stem, image.read_bytes())
                  for image in sorted((path.parent / "images").glob("*.png")))
    summary = {key: document.get(key) for key in ("real", "generated_images_per_model", "seed",
                                                  "seconds")}
    return Report(path.parent.name, models, summary, tuple(rows), per_class, floor, grids,
                  per_skin_type, floor_per_skin_type)


def _accuracy_by_type(table: dict | None) -> dict[int, float]:
    """metrics.json's {"5": {"accuracy": ..., ...}} -> {5: accuracy}."""
    return {int(skin_type): row["accuracy"] for skin_type, row in (table or {}).items()}


def model_cards(*, models_dir: Path) -> list[ModelCard]:
    """Shipped checkpoints with their card.md and metrics.json (empty when absent)."""
    if not models_dir.is_dir():
        return []
    cards = []
    for config in sorted(models_dir.glob("*/config.json")):
        folder = config.parent
        card = folder / "card.md"
        metrics = folder / "metrics.json"
        cards.append(ModelCard(
            folder.name, card.read_text(encoding="utf-8") if card.is_file() else "",
            json.loads(metrics.read_text(encoding="utf-8")) if metrics.is_file() else {}))
    return cards
