"""Dataset pipeline benchmark: ISIC-2024-layout HDF5 of small JPEGs read at 128 px.

Writes (once, cached in the temp folder) an HDF5 of `--n` lesion-like JPEGs of 110-150 px
through `engine.datasets.writers`, then reads all of them, each method in its own process so
peak memory is its own, and prints images/s and peak RSS side by side:

- naive: h5py read + Pillow decode, crop, resize and scale in a Python loop (the baseline);
- tf.data, tensorflow decoding (the fast path of engine.datasets.pipeline);
- tf.data, pillow decoding (the robust path).

CPU ms/image (all threads of the process) is printed too: on a shared machine it moves far less
with other people's load than images/s does.

Usage: .venv/bin/python bench/datasets.py [--n 100000] [--size 128] [--batch 64]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
METHODS = ("naive", "tensorflow", "pillow")
GOAL_IMAGES_PER_SECOND = 3000
GOAL_PEAK_RSS_GB = 1.5


def lesion_like(rng: np.random.Generator, side: int) -> np.ndarray:
    """A skin-toned square with a dark, soft-edged ellipse and a little noise."""
    y, x = np.mgrid[0:side, 0:side] / side - 0.5
    angle = rng.uniform(0, np.pi)
    a, b = rng.uniform(0.15, 0.35, size=2)
    u = x * np.cos(angle) + y * np.sin(angle)
    v = -x * np.sin(angle) + y * np.cos(angle)
    inside = np.clip(1.5 - np.sqrt((u / a) ** 2 + (v / b) ** 2), 0, 1)[..., None]
    skin = np.array([225, 180, 160]) + rng.normal(0, 8, 3)
    lesion = np.array([110, 70, 50]) + rng.normal(0, 15, 3)
    image = skin * (1 - inside) + lesion * inside + rng.normal(0, 4, (side, side, 3))
    return np.clip(image, 0, 255).astype(np.uint8)


def write_dataset(out_dir: Path, *, n: int, seed: int = 0) -> None:
    from rich.progress import Progress, TimeElapsedColumn, TimeRemainingColumn

    from engine.datasets.writers import open_writer

    rng = np.random.default_rng(seed)
    bases = [lesion_like(rng, 150) for _ in range(64)]
    with open_writer(out_dir, format="isic2024", overwrite=True) as writer, Progress(
            *Progress.get_default_columns()[:-1], TimeElapsedColumn(),
            TimeRemainingColumn()) as progress:
        task = progress.add_task(f"writing {n:,} JPEGs", total=n)
        for index in range(n):
            side = int(rng.integers(110, 151))
            top, left = rng.integers(0, 151 - side, size=2)
            image = bases[index % len(bases)][top:top + side, left:left + side]
            writer.add(f"ISIC_{index:07d}", image, {
                "patient_id": f"IP_{index // 100:05d}", "age": float(5 * (index % 18)),
                "sex": ("male", "female")[index % 2], "site": "back",
                "dx": ("nv", "mel", "bkl")[index % 3]})
            if index % 1000 == 999:
                progress.advance(task, 1000)
        progress.update(task, completed=n)


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(method: str, data_dir: Path, *, size: int, batch: int) -> dict:
    """Read every image once; return images, seconds and peak RSS of this process. Timing
    starts once libraries are imported and the data set is opened."""
    import h5py
    from PIL import Image

    from engine.datasets import open_dataset

    reader = open_dataset(data_dir, format="isic2024")
    count = 0
    if method == "naive":
        keys = reader.metadata()["key"].tolist()
        start, cpu_before = time.perf_counter(), _cpu_seconds()
        with h5py.File(reader.hdf5_path, "r") as file:
            for first in range(0, len(keys), batch):
                arrays = []
                for key in keys[first:first + batch]:
                    image = Image.open(io.BytesIO(file[key][()])).convert("RGB")
                    side = min(image.size)
                    left, top = (image.width - side) // 2, (image.height - side) // 2
                    image = image.crop((left, top, left + side, top + side)).resize(
                        (size, size), Image.Resampling.BILINEAR)
                    arrays.append(np.asarray(image, dtype=np.float32) / 127.5 - 1.0)
                count += len(np.stack(arrays))
    else:
        from engine.conditioning import ConditionEncoder
        from engine.datasets.pipeline import PipelineConfig, make_dataset

        encoder = ConditionEncoder.fit(reader.metadata(), numeric=["age"],
                                       categorical=["dx", "sex", "site"])
        start, cpu_before = time.perf_counter(), _cpu_seconds()
        dataset = make_dataset(reader, encoder=encoder, config=PipelineConfig(
            size=size, batch_size=batch, decode=method))
        for images, _, _ in dataset:
            count += int(images.shape[0])
    seconds = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu_seconds = usage.ru_utime + usage.ru_stime - cpu_before
    return {"method": method, "images": count, "seconds": seconds,
            "cpu_ms_per_image": 1000 * cpu_seconds / max(count, 1),
            "peak_rss_gb": usage.ru_maxrss / 1024 ** 2}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="images in the HDF5 file")
    parser.add_argument("--size", type=int, default=128)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--measure", choices=METHODS, help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.data, size=args.size, batch=args.batch)))
        return
    data_dir = Path(tempfile.gettempdir()) / f"lesionlab-bench-isic2024-{args.n}"
    if not (data_dir / "train-metadata.csv").exists():
        write_dataset(data_dir, n=args.n)
    print(f"data: {data_dir} ({args.n:,} JPEGs of 110-150 px), read at {args.size} px, "
          f"batch {args.batch}")
    results = []
    for method in METHODS:
        output = subprocess.run(
            [sys.executable, __file__, "--measure", method, "--data", str(data_dir),
             "--size", str(args.size), "--batch", str(args.batch)],
            check=True, capture_output=True, text=True).stdout
        results.append(json.loads(output.strip().splitlines()[-1]))
        print(f"  measured {method}", flush=True)
    baseline = results[0]["images"] / results[0]["seconds"]
    print(f"\n{'method':<28}{'images':>9}{'seconds':>9}{'images/s':>10}{'x naive':>9}"
          f"{'CPU ms/image':>14}{'peak RSS GB':>13}")
    labels = {"naive": "naive PIL loop (baseline)", "tensorflow": "tf.data, tf decode",
              "pillow": "tf.data, Pillow decode"}
    for result in results:
        rate = result["images"] / result["seconds"]
        print(f"{labels[result['method']]:<28}{result['images']:>9,}{result['seconds']:>9.1f}"
              f"{rate:>10,.0f}{rate / baseline:>9.2f}{result['cpu_ms_per_image']:>14.3f}"
              f"{result['peak_rss_gb']:>13.2f}")
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"machine: {os.cpu_count()} cores, load average {load} (other work slows all rows)")
    print(f"goal: >= {GOAL_IMAGES_PER_SECOND:,} images/s with peak RSS < "
          f"{GOAL_PEAK_RSS_GB} GB (tf.data, tf decode)")


if __name__ == "__main__":
    main()
