"""Writing an evaluation: metrics.json, report.md (tables, image files) and report.html (plotly:
metrics beside their real-vs-real floors, per-class conditional accuracy, sample grids, nearest
training images of the generated images closest to the training set)."""

from __future__ import annotations

import html
import json
from pathlib import Path

import numpy as np

from engine.evaluation.inputs import SampleSet, plain
from engine.evaluation.run import Evaluation
from engine.vocabulary import DIAGNOSES, SKIN_TYPES

PER_CLASS_IN_GRID = 2


def metrics_document(evaluation: Evaluation, *, seconds: float) -> dict:
    plan = evaluation.plan
    return plain({
        "real": {"data": plan.real.name, "format": plan.real_format,
                 "reference_images": len(evaluation.reference),
                 "holdout_images": len(evaluation.holdout)},
        "training_images": len(evaluation.training) if evaluation.training else None,
        "generated_images_per_model": len(evaluation.holdout),
        "seed": plan.seed,
        "seconds": round(seconds, 1),
        "models": {m.model: {name: r.to_dict() for name, r in m.results.items()}
                   for m in evaluation.models},
    })


def sample_grid(sample: SampleSet, *, per_class: int = PER_CLASS_IN_GRID) -> np.ndarray:
    """A montage: one column per diagnosis, `per_class` rows (blank where a class is missing)."""
    size = sample.thumbnails.shape[1]
    grid = np.full((per_class * size, len(DIAGNOSES) * size, 3), 255, np.uint8)
    for column, _ in enumerate(DIAGNOSES):
        rows = np.flatnonzero(sample.labels == column)[:per_class]
        for row, index in enumerate(rows):
            grid[row * size:(row + 1) * size, column * size:(column + 1) * size] = \
                sample.thumbnails[index]
    return grid


def neighbour_pairs(evaluation: Evaluation, model_index: int) -> np.ndarray | None:
    """Top row: generated images closest to the training set; bottom row: their neighbours."""
    model = evaluation.models[model_index]
    result = model.results.get("memorization")
    if result is None or evaluation.training is None:
        return None
    generated = model.candidate.thumbnails[list(result.details["closest_generated"])]
    training = evaluation.training.thumbnails[list(result.details["closest_training"])]
    return np.concatenate([np.concatenate(list(generated), axis=1),
                           np.concatenate(list(training), axis=1)], axis=0)


def _save_png(image: np.ndarray, path: Path) -> None:
    from PIL import Image

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(image).save(path)


def _number(value) -> str:
    return "-" if value is None or (isinstance(value, float) and np.isnan(value)) \
        else f"{value:.4g}"


def _largest_misreadings(result, dx: str, count: int = 2) -> str:
    shares = list(result.details["misread_as"].get(dx, {}).items())[:count]
    return ", ".join(f"{other} {_number(share)}" for other, share in shares) or "-"


def _skin_type_cell(table: dict | None, skin_type: int) -> str:
    row = (table or {}).get(skin_type)
    return "-" if row is None else f"{_number(row['accuracy'])} ({row['images']})"


def _skin_type_lines(evaluation: Evaluation, models: list[str]) -> list[str]:
    first = evaluation.models[0].results["skin_type_accuracy"].details
    lines = ["", "## Conditional accuracy per skin type", "",
             f"Accuracy (images) per Fitzpatrick type; the metric is the lowest over types with "
             f"at least {first['min_images']} images.", "",
             "| skin type | real floor | " + " | ".join(models) + " |",
             "|---|---|" + "---|" * len(models)]
    for skin_type in SKIN_TYPES:
        cells = [_skin_type_cell(m.results["skin_type_accuracy"].details["by_skin_type"],
                                 skin_type) for m in evaluation.models]
        lines.append(f"| {skin_type} | {_skin_type_cell(first['floor_by_skin_type'], skin_type)}"
                     " | " + " | ".join(cells) + " |")
    return lines


def markdown(evaluation: Evaluation, document: dict, images: dict[str, str]) -> str:
    models = [m.model for m in evaluation.models]
    names = list(evaluation.models[0].results)
    lines = ["# Evaluation of synthetic images", "",
             f"Real images: {document['real']['data']} ({document['real']['format']}), "
             f"{document['real']['reference_images']} reference + "
             f"{document['real']['holdout_images']} holdout; "
             f"{document['generated_images_per_model']} generated per model; "
             f"{document['seconds']} s.", "",
             "Floor = the same metric between the two real halves (what a perfect generator "
             "scores).", "",
             "| metric | better | real floor | " + " | ".join(models) + " |",
             "|---|---|---|" + "---|" * len(models)]
    for name in names:
        first = evaluation.models[0].results[name]
        values = [_number(m.results[name].value) for m in evaluation.models]
        lines.append(f"| {first.name} | {'higher' if first.higher_is_better else 'lower'} | "
                     f"{_number(first.floor)} | " + " | ".join(values) + " |")
    if "conditional_accuracy" in names:
        lines += ["", "## Conditional accuracy per class", "",
                  "| class | real floor | " + " | ".join(models) + " |",
                  "|---|---|" + "---|" * len(models)]
        floor = evaluation.models[0].results["conditional_accuracy"].details["floor_per_class"]
        for dx in DIAGNOSES:
            values = [_number(m.results["conditional_accuracy"].details["per_class"].get(dx))
                      for m in evaluation.models]
            lines.append(f"| {dx} | {_number(floor.get(dx))} | " + " | ".join(values) + " |")
        lines += ["", "Misread as (share of the class's generated images, the two largest):", "",
                  "| class | " + " | ".join(models) + " |", "|---|" + "---|" * len(models)]
        for dx in DIAGNOSES:
            cells = [_largest_misreadings(m.results["conditional_accuracy"], dx)
                     for m in evaluation.models]
            lines.append(f"| {dx} | " + " | ".join(cells) + " |")
    if "skin_type_accuracy" in names:
        lines += _skin_type_lines(evaluation, models)
    for model in evaluation.models:
        lines += ["", f"## {model.model}", ""]
        if "memorization" in model.results:
            details = model.results["memorization"].details
            verdict = "significant: copying" if details["significant"] else "not significant"
            lines.append(f"Memorization: C_T = {_number(model.results['memorization'].value)}, "
                         f"p = {_number(details['p_value'])} ({verdict}).")
        if "tstr" in model.results:
            lines.append("")
            lines.append("| TSTR arm | balanced accuracy | malignant AUC |")
            lines.append("|---|---|---|")
            for arm, scores in model.results["tstr"].details["arms"].items():
                lines.append(f"| {arm} | {_number(scores['balanced_accuracy'])} | "
                             f"{_number(scores['malignant_auc'])} |")
        for label, path in images.items():
            if label.startswith(model.model + ":"):
                lines += ["", f"![{label}]({path})"]
    lines += ["", "## Real images", "", f"![real]({images['real']})", ""]
    return "\n".join(lines)


def html_report(evaluation: Evaluation, document: dict) -> str:
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    names = list(evaluation.models[0].results)
    columns = 4
    rows = -(-len(names) // columns)
    figure = make_subplots(rows=rows, cols=columns, subplot_titles=names)
    for position, name in enumerate(names):
        row, column = position // columns + 1, position % columns + 1
        models = [m.model for m in evaluation.models]
        values = [m.results[name].value for m in evaluation.models]
        floor = evaluation.models[0].results[name].floor
        figure.add_trace(go.Bar(x=models, y=values, showlegend=False, marker_color="#3b6ea8"),
                         row=row, col=column)
        if floor is not None and not np.isnan(floor):
            figure.add_trace(go.Scatter(x=models, y=[floor] * len(models), mode="lines+markers",
                                        line={"dash": "dash", "color": "#c0392b"},
                                        name="real floor", showlegend=position == 0),
                             row=row, col=column)
    figure.update_layout(height=300 * rows, title="Metrics (bars) and real-vs-real floors")
    parts = [figure.to_html(full_html=False, include_plotlyjs=True)]
    if "conditional_accuracy" in names:
        parts.append(_grouped_accuracy(
            "Conditional accuracy per class", list(DIAGNOSES),
            {m.model: m.results["conditional_accuracy"].details["per_class"]
             for m in evaluation.models},
            evaluation.models[0].results["conditional_accuracy"].details["floor_per_class"]))
    if "skin_type_accuracy" in names:
        parts.append(_grouped_accuracy(
            "Conditional accuracy per Fitzpatrick skin type", [f"type {k}" for k in SKIN_TYPES],
            {m.model: _type_accuracies(m.results["skin_type_accuracy"].details["by_skin_type"])
             for m in evaluation.models},
            _type_accuracies(evaluation.models[0].results["skin_type_accuracy"]
                             .details["floor_by_skin_type"])))
    for index, model in enumerate(evaluation.models):
        parts.append(_image_figure(sample_grid(model.candidate), f"{model.model}: samples"))
        pairs = neighbour_pairs(evaluation, index)
        if pairs is not None:
            parts.append(_image_figure(pairs, f"{model.model}: closest generated (top) and "
                                              "their nearest training images (bottom)"))
    parts.append(_image_figure(sample_grid(evaluation.reference), "real reference images"))
    summary = html.escape(json.dumps(document["real"]))
    return ("<!doctype html><html><head><meta charset='utf-8'><title>LesionLab evaluation"
            f"</title></head><body><h1>LesionLab evaluation</h1><p>{summary}</p>"
            + "".join(parts) + "</body></html>")


def _type_accuracies(table: dict | None) -> dict[str, float]:
    return {f"type {skin_type}": row["accuracy"] for skin_type, row in (table or {}).items()}


def _grouped_accuracy(title: str, groups: list[str], by_model: dict[str, dict],
                      floor: dict) -> str:
    """Bars per model for each group, the real floor as markers (plotly HTML fragment)."""
    import plotly.graph_objects as go

    figure = go.Figure()
    for model, accuracy in by_model.items():
        figure.add_trace(go.Bar(name=model, x=groups, y=[accuracy.get(g) for g in groups]))
    if floor:
        figure.add_trace(go.Scatter(name="real floor", x=groups, mode="markers",
                                    y=[floor.get(g) for g in groups]))
    figure.update_layout(title=title, barmode="group")
    return figure.to_html(full_html=False, include_plotlyjs=False)


def _image_figure(image: np.ndarray, title: str) -> str:
    import plotly.express as px

    figure = px.imshow(image, title=html.escape(title))
    figure.update_xaxes(showticklabels=False).update_yaxes(showticklabels=False)
    figure.update_layout(height=max(250, image.shape[0] * 3))
    return figure.to_html(full_html=False, include_plotlyjs=False)


def write_report(evaluation: Evaluation, *, out: Path, seconds: float) -> dict:
    """Write metrics.json, report.md (with PNGs under images/) and report.html into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    document = metrics_document(evaluation, seconds=seconds)
    (out / "metrics.json").write_text(json.dumps(document, indent=2))
    images = {}
    for index, model in enumerate(evaluation.models):
        slug = "".join(c if c.isalnum() else "-" for c in model.model).strip("-")
        _save_png(sample_grid(model.candidate), out / "images" / f"{slug}-samples.png")
        images[f"{model.model}: samples"] = f"images/{slug}-samples.png"
        pairs = neighbour_pairs(evaluation, index)
        if pairs is not None:
            _save_png(pairs, out / "images" / f"{slug}-neighbours.png")
            images[f"{model.model}: nearest training images"] = f"images/{slug}-neighbours.png"
    _save_png(sample_grid(evaluation.reference), out / "images" / "real-samples.png")
    images["real"] = "images/real-samples.png"
    (out / "report.md").write_text(markdown(evaluation, document, images))
    (out / "report.html").write_text(html_report(evaluation, document))
    return document
