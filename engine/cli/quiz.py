"""`lesionlab quiz` builds a quiz into a folder; `lesionlab degrade` degrades one image."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from engine.cli.errors import user_errors


def register(app: typer.Typer) -> None:
    app.command("quiz")(quiz)
    app.command("degrade")(degrade_image)


@user_errors
def quiz(
    preset: str = typer.Option("advanced", help="beginner, intermediate, advanced or expert."),
    n: int = typer.Option(20, help="Number of items."),
    seed: int = typer.Option(0, help="Random seed: the same seed gives the same quiz."),
    out: Path = typer.Option(..., help="Folder for the images and answer_key.json."),
    source: str = typer.Option("gan", help="Image source: gan, deconv or phantom."),
    hard_cases: bool = typer.Option(
        None, "--hard-cases/--no-hard-cases",
        help="Override the preset's hard-case selection (needs models/auditor-128)."),
    typical_cases: bool = typer.Option(
        None, "--typical-cases/--no-typical-cases",
        help="Override the preset's typical cases (GAN and Deconv images sampled with "
        "truncation: clearer class cues, less variety)."),
    models_root: Path = typer.Option(None, help="Checkpoint folder (default: models/)."),
) -> None:
    """Build a quiz: clean and degraded PNG per item and a JSON answer key."""
    from engine.progress import progress_bar
    from engine.quiz import build_quiz
    from engine.quiz import preset as quiz_preset
    from engine.quiz_items import encode_png
    from engine.sources import auditor_scorer, source_by_name

    spec = quiz_preset(preset).with_changes(n_items=n)
    overrides = {"hard_cases": hard_cases, "typical_cases": typical_cases}
    spec = spec.with_changes(**{k: v for k, v in overrides.items() if v is not None})
    image_source = source_by_name(source, models_root=models_root)
    auditor = auditor_scorer(models_root) if spec.hard_cases else None
    built = build_quiz(spec, seed=seed, source=image_source, auditor=auditor)
    out.mkdir(parents=True, exist_ok=True)
    key = {"spec": spec.to_dict(), "seed": seed, "source": image_source.record(), "items": []}
    with progress_bar(transient=True) as progress:
        task = progress.add_task("writing items", total=len(built.items))
        for number, item in enumerate(built.items, start=1):
            names = {kind: f"item{number:03d}_{kind}.png" for kind in ("clean", "degraded")}
            (out / names["clean"]).write_bytes(encode_png(item.clean_image))
            (out / names["degraded"]).write_bytes(encode_png(item.degraded_image))
            key["items"].append({"number": number, "images": names,
                                 **item.to_dict(images=False)})
            progress.advance(task)
    (out / "answer_key.json").write_text(json.dumps(key, indent=1))
    seconds = ", ".join(f"{stage} {value:.2f} s" for stage, value in built.timings.items())
    typer.echo(f"wrote {len(built.items)} items and answer_key.json to {out} ({seconds})")


@user_errors
def degrade_image(
    image: Path = typer.Argument(..., help="An RGB image (PNG or JPEG)."),
    severity: int = typer.Option(None, help="Preset 0 (clean) to 4 (heavy)."),
    spec: Path = typer.Option(None, help="A custom degradation spec (JSON) instead."),
    seed: int = typer.Option(0, help="Random seed."),
    out: Path = typer.Option(..., help="Where to write the degraded image (PNG)."),
) -> None:
    """Degrade one image and print the parameters applied."""
    import numpy as np
    from PIL import Image

    from engine.degrade import DegradationSpec, degrade

    custom = DegradationSpec.from_dict(_read_json(spec)) if spec else None
    with Image.open(image) as opened:
        pixels = np.asarray(opened.convert("RGB"))
    result = degrade(pixels, severity=severity, spec=custom, seed=seed)
    Image.fromarray(result.image).save(out, format="PNG")
    typer.echo(json.dumps(result.to_dict(), indent=1))
    typer.echo(f"wrote {out}")


def _read_json(path: Path) -> dict:
    try:
        return json.loads(path.read_text())
    except json.JSONDecodeError as error:
        raise ValueError(f"{path} is not valid JSON: {error}") from None
