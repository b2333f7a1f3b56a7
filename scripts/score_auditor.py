"""Score a trained auditor on real labelled images and record the figures in its metrics.json
(`real_images`), beside the phantom validation scores its training wrote.

    .venv/bin/lesionlab train --model auditor --data data/phantom-v23-128 --format isic2024 \
        --size 128 --out models/auditor-128
    .venv/bin/python scripts/score_auditor.py --model models/auditor-128 \
        --check tests/fixtures/ham10000:ham10000 \
        --check "../shared/data/ham10000/sample:folder:HAM10000 sample, 10 per class"

Each --check is PATH:FORMAT[:NAME]; NAME labels the row (default: the folder's name).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from engine.evaluation.images import load_images
from engine.nets.auditor import Auditor
from engine.nets.checkpoints import atomic_write_json


def score_on(auditor: Auditor, *, path: str, format: str, name: str) -> dict:
    loaded = load_images(path, format=format, size=auditor.input_size)
    _, scores = auditor.score(loaded.images, loaded.labels)
    return {"data": name, "format": format, **scores.to_dict()}


def parse_check(check: str) -> tuple[str, str, str]:
    path, _, rest = check.partition(":")
    format, _, name = rest.partition(":")
    if not path or not format:
        raise SystemExit(f"--check {check!r} must be PATH:FORMAT[:NAME]")
    return path, format, name or path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=Path("models/auditor-128"))
    parser.add_argument("--check", action="append", required=True,
                        help="PATH:FORMAT[:NAME] of real labelled images")
    arguments = parser.parse_args()
    auditor = Auditor(arguments.model)
    checks = [score_on(auditor, path=path, format=format, name=name)
              for path, format, name in map(parse_check, arguments.check)]
    metrics_path = arguments.model / "metrics.json"
    stored = json.loads(metrics_path.read_text())
    stored["real_images"] = checks
    atomic_write_json(metrics_path, stored)
    print(json.dumps(checks, indent=2))


if __name__ == "__main__":
    main()
