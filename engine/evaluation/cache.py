"""On-disk cache of per-image measurements, keyed by feature model id + data fingerprint, so
that evaluating again (another metric, a new report) skips feature extraction."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np


def fingerprint(*parts: object) -> str:
    """A short stable hash of strings, numbers and arrays (arrays by shape, dtype and bytes)."""
    digest = hashlib.blake2b(digest_size=16)
    for part in parts:
        if isinstance(part, np.ndarray):
            digest.update(f"{part.shape}{part.dtype}".encode())
            digest.update(np.ascontiguousarray(part).tobytes())
        else:
            digest.update(repr(part).encode())
        digest.update(b"\x00")
    return digest.hexdigest()


def file_fingerprint(path: Path) -> str:
    """Identity of a file or folder tree: names, sizes and modification times (not contents)."""
    path = Path(path)
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    return fingerprint(*[(str(p.relative_to(path.parent)), p.stat().st_size,
                          p.stat().st_mtime_ns) for p in files])


class ArrayCache:
    """Named groups of arrays stored as .npz files in one folder (written atomically)."""

    def __init__(self, folder: str | Path) -> None:
        self.folder = Path(folder)

    def _path(self, key: str) -> Path:
        if not key.isalnum():
            raise ValueError(f"cache key {key!r} must be alphanumeric (use fingerprint())")
        return self.folder / f"{key}.npz"

    def get(self, key: str) -> dict[str, np.ndarray] | None:
        path = self._path(key)
        if not path.is_file():
            return None
        try:
            with np.load(path, allow_pickle=False) as stored:
                return {name: stored[name] for name in stored.files}
        except (OSError, ValueError):
            return None  # a damaged entry is recomputed

    def put(self, key: str, arrays: dict[str, np.ndarray]) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self._path(key)
        temporary = path.with_name(f".{path.stem}.tmp.npz")
        np.savez(temporary, **arrays)
        os.replace(temporary, path)
