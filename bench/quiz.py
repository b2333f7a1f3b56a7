"""Time to build a 20-item quiz at 128 px and severity 3, warm, per image source, side by side.

Prints the median over repeats of the whole build and of each stage (profile sampling, image
generation, degradation, PNG encoding of both images). The phantom source is the baseline;
the shipped GAN (models/gan-128) and deconv baseline are timed when their checkpoints exist.
Goal: median total at most 0.5 s with the GAN on 2 CPU cores.

    .venv/bin/python bench/quiz.py [--repeats 7] [--items 20] [--models-root DIR]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from rich.console import Console
from rich.progress import Progress, TimeRemainingColumn
from rich.table import Table

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from engine.quiz import QuizSpec, build_quiz  # noqa: E402
from engine.sources import source_by_name  # noqa: E402
from engine.vocabulary import DIAGNOSES  # noqa: E402

STAGES = ("sampling", "generation", "degradation", "encoding")
GOAL_SECONDS = 0.5


def time_source(source, *, spec: QuizSpec, repeats: int, progress, task) -> dict[str, float]:
    """Median seconds per stage and in total, after one warm-up build."""
    build_quiz(spec, seed=0, source=source)
    runs = []
    for repeat in range(repeats):
        started = time.perf_counter()
        quiz = build_quiz(spec, seed=repeat + 1, source=source)
        encoding_started = time.perf_counter()
        for item in quiz.items:
            item.to_dict()
        finished = time.perf_counter()
        runs.append({**quiz.timings, "encoding": finished - encoding_started,
                     "total": finished - started})
        progress.advance(task)
    return {name: float(np.median([run[name] for run in runs])) for name in (*STAGES, "total")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--models-root", type=Path, default=None,
                        help="Checkpoint folder holding gan-128 / deconv-128 (default: models/).")
    args = parser.parse_args()
    spec = QuizSpec(name="bench", classes=DIAGNOSES, n_options=5, severity_range=(3, 3),
                    show_profile=False, n_items=args.items)
    console = Console()
    sources, missing = {}, []
    for name in ("phantom", "gan", "deconv"):
        try:
            sources[name] = source_by_name(name, size=128, models_root=args.models_root)
        except ValueError as error:
            missing.append(f"{name}: {error}")
    results = {}
    with Progress(*Progress.get_default_columns()[:-1], TimeRemainingColumn(),
                  console=console, transient=True) as progress:
        for name, source in sources.items():
            task = progress.add_task(f"{name} builds", total=args.repeats)
            results[name] = time_source(source, spec=spec, repeats=args.repeats,
                                        progress=progress, task=task)
    table = Table(title=f"{args.items}-item quiz, 128 px, severity 3: median seconds over "
                        f"{args.repeats} warm builds")
    table.add_column("stage")
    for name in results:
        table.add_column(name + (" (baseline)" if name == "phantom" else ""), justify="right")
    for stage in (*STAGES, "total"):
        table.add_row(stage, *(f"{results[name][stage]:.3f}" for name in results))
    console.print(table)
    for line in missing:
        console.print(f"not timed: {line}")
    if "gan" in results:
        verdict = "meets" if results["gan"]["total"] <= GOAL_SECONDS else "misses"
        console.print(f"GAN median {results['gan']['total']:.3f} s {verdict} the "
                      f"{GOAL_SECONDS} s goal")


if __name__ == "__main__":
    main()
