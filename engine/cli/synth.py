"""`lesionlab synth`: a synthetic data set of phantoms in the ISIC 2024 or HAM10000 layout."""

from __future__ import annotations

from pathlib import Path

import typer

from engine.cli.errors import user_errors


def register(app: typer.Typer) -> None:
    app.command("synth")(synth)


@user_errors
def synth(
    n: int = typer.Option(..., "--n", help="How many images."),
    size: int = typer.Option(128, help="Image side in pixels."),
    seed: int = typer.Option(0, help="Random seed; the same seed gives the same data set."),
    format: str = typer.Option("isic2024", "--format", help="isic2024 or ham10000."),
    out: Path = typer.Option(..., help="Folder to create."),
    workers: int = typer.Option(1, help="Worker processes (the output does not depend on it)."),
    class_mix: str = typer.Option("realistic", help="realistic or balanced."),
    skin_mix: str = typer.Option(
        "prior", help="prior (skin types as in the profile prior) or balanced (six types "
        "equally often)."),
    overwrite: bool = typer.Option(False, help="Replace a non-empty output folder."),
) -> None:
    """Render phantoms from sampled patient profiles and write them as a data set."""
    from engine.progress import progress_bar
    from engine.synth import SynthConfig, write_dataset

    config = SynthConfig(n=n, size=size, seed=seed, format=format, class_mix=class_mix,
                         skin_mix=skin_mix)
    with progress_bar() as progress:
        task = progress.add_task("synth", total=n)
        folder = write_dataset(config, out=out, workers=workers, overwrite=overwrite,
                               on_image=lambda done: progress.update(task, completed=done))
    typer.echo(f"wrote {n} {format} phantoms ({size} px, seed {seed}) to {folder}")
