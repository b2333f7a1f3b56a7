"""One folder per class: `root/<dx>/*.jpg|png` (any depth below the class folder).

There is no table: age, sex and site are unknown, and each image is its own group. A class
folder whose name is not a diagnosis code is bad input (each of its images is named).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from engine.datasets.base import DatasetReader, index_images
from engine.datasets.errors import BadInputError
from engine.datasets.labels import checked_dx


class FolderReader(DatasetReader):
    """`path`: the root whose sub-folders are named by diagnosis code."""

    format = "folder"

    def __init__(self, path: str | Path, *, skip_bad: bool = False) -> None:
        super().__init__(skip_bad=skip_bad)
        root = Path(path)
        if not root.is_dir():
            raise BadInputError(f"image folder {root} does not exist", category="missing file")
        rows = []
        for class_folder in sorted(p for p in root.iterdir()
                                   if p.is_dir() and not p.name.startswith(".")):
            found, duplicates = index_images([class_folder])
            try:
                dx = checked_dx(class_folder.name)
            except ValueError as error:
                for image in found.values():
                    self.handle_bad(BadInputError(
                        f"{image}: class folder {class_folder.name!r}: {error}",
                        category="unknown diagnosis"), key=str(image))
                continue
            for key, image in found.items():
                if key in duplicates:
                    paths = ", ".join(map(str, duplicates[key]))
                    self.handle_bad(BadInputError(f"image {key} found at several paths: {paths}",
                                                  category="bad row"), key=str(image))
                    continue
                rows.append({"key": key, "group": key, "dx": dx, "age": None, "sex": None,
                             "site": None, "source": str(image), "image_id": key})
        table = pd.DataFrame(rows, columns=["key", "group", "dx", "age", "sex", "site",
                                            "source", "image_id"])
        table["_line"] = [str(source) for source in table["source"]]
        self._finish_table(table, where=str(root), column_names={})
