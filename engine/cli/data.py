"""`lesionlab info`: describe a data set on disk."""

from __future__ import annotations

from pathlib import Path

import typer

from engine.cli.errors import user_errors

FORMAT_HELP = "ham10000, isic2024, isic2019, isic2020 or folder."


def register(app: typer.Typer) -> None:
    app.command("info")(info)


@user_errors
def info(
    path: Path = typer.Argument(..., help="The data set: its folder (or metadata file)."),
    format: str = typer.Option(..., "--format", help=FORMAT_HELP),
    sample: int = typer.Option(500, help="Images decoded for size statistics and checks."),
    strict: bool = typer.Option(False, help="Stop at the first bad file instead of counting."),
) -> None:
    """Print image count, counts per diagnosis, site and sex, ages, image sizes, bad files."""
    from engine.datasets import open_dataset
    from engine.datasets.summary import summarise

    reader = open_dataset(path, format=format, skip_bad=not strict)
    typer.echo(f"{path} ({format})")
    for line in summarise(reader, sample_size=sample).lines():
        typer.echo(line)
