"""HAM10000: `HAM10000_metadata.csv` and images `<image_id>.jpg` anywhere below the roots.

Both the official layout (HAM10000_images_part_1/ and _part_2/) and one folder per class work,
because images are found by id in an index built with one walk over the image roots.
"""

from __future__ import annotations

from pathlib import Path

from engine.datasets.base import DatasetReader, attach_image_paths
from engine.datasets.columns import HAM10000_REQUIRED, read_csv
from engine.datasets.labels import checked_dx
from engine.datasets.writers import HAM10000_METADATA_FILE


class Ham10000Reader(DatasetReader):
    """`path`: the metadata CSV, or a folder holding HAM10000_metadata.csv. Images are looked
    up below `image_roots` (default: the folder of the metadata file). Groups: lesion_id."""

    format = "ham10000"

    def __init__(self, path: str | Path, *, image_roots: list[str | Path] | None = None,
                 skip_bad: bool = False) -> None:
        super().__init__(skip_bad=skip_bad)
        path = Path(path)
        metadata = path / HAM10000_METADATA_FILE if path.is_dir() else path
        roots = [Path(r) for r in image_roots] if image_roots else [metadata.parent]
        raw = read_csv(metadata, required=HAM10000_REQUIRED)
        table = raw.copy()
        table["_line"] = range(2, len(raw) + 2)
        table["key"] = raw["image_id"].str.strip()
        table["group"] = raw["lesion_id"].fillna(table["key"])
        table["site"] = raw["localization"]
        where = str(metadata)
        table = self._set_dx(table, raw["dx"], checked_dx, where=where, column="dx")
        table = attach_image_paths(self, table, roots, where=where)
        self._finish_table(table, where=where, column_names={"site": "localization"})
