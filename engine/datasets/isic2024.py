"""ISIC 2024 (SLICE-3D): `train-image.hdf5` + `train-metadata.csv`, streamed.

The HDF5 file is opened once per pass and one image's bytes are read at a time, so memory stays
flat for the full 401,059 images. Labels: a `dx` column (which LesionLab's own exports write)
takes precedence; otherwise the `iddx_*` levels are mapped (engine.datasets.labels); `target`
(1 = malignant) is always kept. A `site` column in LesionLab's vocabulary likewise takes
precedence over `anatom_site_general`. Groups: patient_id (the isic_id when missing).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd

from engine.datasets.base import DatasetReader
from engine.datasets.columns import ISIC2024_IDDX, ISIC2024_REQUIRED, read_csv
from engine.datasets.hdf5 import open_hdf5, read_image_bytes, root_keys
from engine.datasets.labels import checked_dx, dx_from_iddx
from engine.datasets.writers import ISIC2024_IMAGE_FILE, ISIC2024_METADATA_FILE


class Isic2024Reader(DatasetReader):
    """`path`: a folder with train-image.hdf5 and train-metadata.csv, or the HDF5 file (the CSV
    beside it); `metadata` and `hdf5` name the files explicitly."""

    format = "isic2024"

    def __init__(self, path: str | Path, *, metadata: str | Path | None = None,
                 hdf5: str | Path | None = None, skip_bad: bool = False) -> None:
        super().__init__(skip_bad=skip_bad)
        path = Path(path)
        folder = path if path.is_dir() else path.parent
        self.hdf5_path = Path(hdf5) if hdf5 else (
            path if path.is_file() and path.suffix in {".h5", ".hdf5"}
            else folder / ISIC2024_IMAGE_FILE)
        metadata = Path(metadata) if metadata else (
            path if path.suffix == ".csv" else folder / ISIC2024_METADATA_FILE)
        where = str(metadata)
        raw = read_csv(metadata, required=ISIC2024_REQUIRED)
        table = raw.copy()
        table["_line"] = range(2, len(raw) + 2)
        table["key"] = raw["isic_id"].str.strip()
        table["group"] = raw["patient_id"].fillna(table["key"])
        table["sex"] = raw["sex"]
        table["age"] = raw["age_approx"]
        table["site"] = raw["site"] if "site" in raw else raw["anatom_site_general"]
        if "clin_size_long_diam_mm" in raw:
            table["diameter_mm"] = pd.to_numeric(raw["clin_size_long_diam_mm"], errors="coerce")
        target = pd.to_numeric(raw["target"], errors="coerce")
        bad_target = ~target.isin([0, 1]).to_numpy()
        table["target"] = target
        table = self._reject_rows(
            table, bad_target,
            [f"column 'target': {v!r} is not 0 or 1" for v in raw["target"][bad_target]],
            where=where, category="bad row")
        table = self._set_dx(table, self._dx_sources(table), self._to_dx, where=where,
                             column="dx" if "dx" in raw else "iddx_full")
        with open_hdf5(self.hdf5_path) as file:
            stored = root_keys(file)
        missing = ~table["key"].isin(stored).to_numpy()
        table = self._reject_rows(
            table, missing, [f"no image {key!r} in {self.hdf5_path}"
                             for key in table["key"][missing]],
            where=where, category="missing image")
        table["source"] = [f"{self.hdf5_path}[{key!r}]" for key in table["key"]]
        self._finish_table(table, where=where, column_names={
            "age": "age_approx", "site": "site" if "site" in raw else "anatom_site_general"})

    @staticmethod
    def _dx_sources(table: pd.DataFrame) -> pd.Series:
        """One hashable value per row holding what decides its dx: (dx, iddx levels...)."""
        levels = [c for c in ISIC2024_IDDX[1:] if c in table]
        columns = [table[c] if c in table else pd.Series(None, index=table.index)
                   for c in ("dx", "iddx_full")]
        parts = [part.astype(object).where(part.notna(), None)
                 for part in (*columns, *(table[c] for c in levels))]
        return pd.Series(list(zip(*parts, strict=True)), index=table.index)

    @staticmethod
    def _to_dx(source: tuple | None) -> str | None:
        if source is None:
            return None
        explicit, full, *levels = source
        if isinstance(explicit, str) and explicit.strip():
            return checked_dx(explicit)
        if isinstance(full, str) and full.strip():
            return dx_from_iddx(full.split("::"))
        return dx_from_iddx(levels)

    @contextlib.contextmanager
    def _fetcher(self) -> Iterator[Callable[[int, str], bytes]]:
        keys = self.table["key"].to_numpy()
        with open_hdf5(self.hdf5_path) as file:
            yield lambda position, source: read_image_bytes(file, str(keys[position]))


