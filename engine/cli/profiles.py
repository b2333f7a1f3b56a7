"""`lesionlab profiles`: fit a profile prior on a metadata table, sample profiles from one."""

from __future__ import annotations

from pathlib import Path

import typer

from engine.cli.errors import user_errors


def register(app: typer.Typer) -> None:
    group = typer.Typer(help="Patient-profile priors: fit and sample.", no_args_is_help=True)
    group.command("fit")(fit)
    group.command("sample")(sample)
    app.add_typer(group, name="profiles")


@user_errors
def fit(
    metadata: Path = typer.Argument(..., help="CSV with dx, age, sex and site columns."),
    out: Path = typer.Option(..., help="Where to write the prior (JSON)."),
    attribution: str = typer.Option("", help="Citation and licence of the metadata."),
) -> None:
    """Fit the joint prior of diagnosis, age, sex and site on a metadata table."""
    import pandas as pd

    from engine.profiles import ProfileSampler

    table = pd.read_csv(metadata)
    sampler = ProfileSampler.fit(
        table, source=f"{metadata.name} ({len(table):,} rows)", attribution=attribution
    )
    sampler.save(out)
    typer.echo(f"fitted on {len(table):,} rows; wrote {out}")


@user_errors
def sample(
    n: int = typer.Option(10, help="How many profiles."),
    seed: int = typer.Option(0, help="Random seed."),
    class_mix: str = typer.Option("realistic", help="realistic or balanced."),
    prior: Path = typer.Option(None, help="A prior JSON (default: the shipped HAM10000 one)."),
    out: Path = typer.Option(None, help="CSV to write (default: print)."),
) -> None:
    """Draw profiles from a prior."""
    from engine.profiles import ProfileSampler, profiles_to_frame

    sampler = ProfileSampler.load(prior) if prior else ProfileSampler.default()
    table = profiles_to_frame(sampler.sample(n=n, class_mix=class_mix, seed=seed))
    if out:
        table.to_csv(out, index=False)
        typer.echo(f"wrote {len(table)} profiles to {out}")
    else:
        typer.echo(table.to_string(index=False))
