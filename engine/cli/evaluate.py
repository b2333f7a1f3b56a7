"""`lesionlab evaluate` (how good are generated images) and `lesionlab classify` (the auditor on
labelled images: per-class recall, balanced accuracy, malignant AUC, per-image CSV)."""

from __future__ import annotations

import time
from pathlib import Path

import typer

from engine.cli.errors import user_errors

DEFAULT_AUDITOR = Path("models/auditor-128")


def register(app: typer.Typer) -> None:
    app.command("evaluate")(evaluate)
    app.command("classify")(classify)


@user_errors
def evaluate(
    models: list[str] = typer.Option(
        ..., "--models", help="Model folders (FOLDER@0.7: sampled with truncation 0.7), or "
        "'phantom'."),
    more_models: list[str] = typer.Argument(
        None, metavar="[MODEL]...", help="More models, so that `--models A B` works."),
    real: Path = typer.Option(..., help="Held-out real images (data set folder or file)."),
    format: str = typer.Option("ham10000", help="Format of --real (ham10000, isic2024, ...)."),
    n: int = typer.Option(2000, help="Generated images per model (real: up to 2n are read)."),
    out: Path = typer.Option(..., help="Report folder: metrics.json, report.md, report.html."),
    train: Path = typer.Option(None, help="The generators' training images (memorization)."),
    train_format: str = typer.Option(None, help="Format of --train (default: --format)."),
    auditor: Path = typer.Option(DEFAULT_AUDITOR, help="Auditor folder (feature model)."),
    metrics: str = typer.Option("", help="Comma-separated metric names (default: all)."),
    seed: int = typer.Option(0, help="Seed for splits, profiles and generation."),
    cache: Path = typer.Option(None, help="Feature cache folder (default: OUT/cache)."),
) -> None:
    """Score generated images against real ones: FID, KID, PRDC, conditional accuracy, ..."""
    from engine.evaluation.features import load_inception
    from engine.evaluation.registry import METRICS
    from engine.evaluation.report import write_report
    from engine.evaluation.run import EvaluationPlan
    from engine.evaluation.run import evaluate as run_evaluation
    from engine.nets.auditor import Auditor
    from engine.progress import progress_bar

    chosen = tuple(m.strip() for m in metrics.split(",") if m.strip()) or tuple(METRICS)
    plan = EvaluationPlan(models=(*models, *(more_models or ())), real=real, real_format=format,
                          n=n, train=train, train_format=train_format, seed=seed,
                          metrics=chosen)
    started = time.monotonic()
    with progress_bar() as bar:
        tasks = {}

        def progress(description: str, done: int, total: int) -> None:
            if description not in tasks:
                tasks[description] = bar.add_task(description, total=total)
            bar.update(tasks[description], completed=done, total=total)

        evaluation = run_evaluation(plan=plan, auditor=Auditor(auditor),
                                    inception=load_inception(),
                                    cache_folder=cache or out / "cache", progress=progress)
    document = write_report(evaluation, out=out, seconds=time.monotonic() - started)
    for model, results in document["models"].items():
        summary = ", ".join(f"{name} {result['value']:.4g}" for name, result in results.items()
                            if isinstance(result["value"], float))
        typer.echo(f"{model}: {summary}")
    typer.echo(f"wrote {out / 'metrics.json'}, {out / 'report.md'}, {out / 'report.html'} "
               f"in {document['seconds']} s")


@user_errors
def classify(
    model: Path = typer.Option(DEFAULT_AUDITOR, help="Auditor folder."),
    data: Path = typer.Option(..., help="Labelled images (data set folder or metadata file)."),
    format: str = typer.Option("ham10000", help="ham10000, isic2024, isic2019, ..."),
    out: Path = typer.Option(None, help="Per-image predictions CSV (default: DATA-predictions"
                                        ".csv in the current folder)."),
    limit: int = typer.Option(None, help="Read at most this many images (seeded choice)."),
    seed: int = typer.Option(0, help="Seed for the choice of images."),
) -> None:
    """Run the auditor on labelled images; print per-class recall, balanced accuracy, AUC."""
    import numpy as np

    from engine.evaluation.images import load_images
    from engine.nets.auditor import Auditor
    from engine.progress import progress_bar
    from engine.store.exports import neutralise_cell
    from engine.vocabulary import DIAGNOSES

    auditor = Auditor(model)
    with progress_bar() as bar:
        reading = bar.add_task("reading images")
        loaded = load_images(data, format=format, size=auditor.input_size, limit=limit,
                             seed=seed, progress=lambda d, t: bar.update(reading, completed=d,
                                                                         total=t))
        predicting = bar.add_task("classifying")
        prediction, scores = auditor.score(
            loaded.images, loaded.labels,
            progress=lambda d, t: bar.update(predicting, completed=d, total=t))
    for dx, recall in scores.per_class_recall.items():
        count = int((loaded.labels == DIAGNOSES.index(dx)).sum())
        typer.echo(f"recall {dx:<6} {recall:.3f}  ({count} images)")
    typer.echo(f"balanced accuracy: {scores.balanced_accuracy:.4f}")
    typer.echo(f"malignant AUC: {scores.malignant_auc:.4f}")
    table = loaded.table[["key", "dx"]].copy()
    table["predicted"] = [DIAGNOSES[i] for i in prediction.probabilities.argmax(axis=1)]
    table["malignant_probability"] = np.round(prediction.malignant, 5)
    for index, dx in enumerate(DIAGNOSES):
        table[f"p_{dx}"] = np.round(prediction.probabilities[:, index], 5)
    for column in ("key", "dx", "predicted"):
        table[column] = table[column].map(neutralise_cell)
    out = out or Path(f"{Path(data).stem}-predictions.csv")
    table.to_csv(out, index=False)
    typer.echo(f"wrote {len(table)} predictions to {out}"
               + (f" ({loaded.skipped} unreadable images skipped)" if loaded.skipped else ""))

