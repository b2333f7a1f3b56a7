"""Metadata tables of every CSV-based reader, broken at random: each is read or refused with a
message naming the file, never a crash. Counts go to the run's tally."""

from __future__ import annotations

import csv

import numpy as np
import pandas as pd
import pytest
from csv_cases import FORMULA_CELLS, SCRIPT_CELLS, apply, byte_damage, damage, mutations
from hypothesis import given
from layouts import LAYOUTS, ROWS, ham_table, jpeg, layout
from tally import check, fuzz

from engine.datasets import BadInputError, open_dataset


def read_all(folder, fmt: str, *, skip_bad: bool):
    reader = open_dataset(folder, format=fmt, skip_bad=skip_bad)
    records = list(reader)
    return reader, records


def read_checked(tally, folder, fmt: str, *, skip_bad: bool, how: str):
    outcome, message = check(tally, f"csv reader {fmt} ({how})", BadInputError,
                             lambda: read_all(folder, fmt, skip_bad=skip_bad))
    if message is not None:
        assert folder.name in message, f"the refusal does not name the file: {message}"
    return outcome


@pytest.mark.parametrize("fmt", list(LAYOUTS))
def test_the_untouched_layouts_read_completely(tmp_path, fmt):
    reader, records = read_all(layout(tmp_path, fmt), fmt, skip_bad=False)
    assert len(records) >= ROWS - 1  # ISIC 2019 leaves the SCC row out, counted as excluded
    assert len(records) + reader.report.total_excluded == ROWS


@pytest.mark.parametrize("fmt", list(LAYOUTS))
@pytest.mark.parametrize("skip_bad", [False, True], ids=["strict", "skip-bad"])
def test_changed_tables_are_read_or_refused_with_the_file_named(tmp_path_factory, tally, fmt,
                                                                skip_bad):
    make_table = LAYOUTS[fmt][0]
    root = tmp_path_factory.mktemp(f"fuzz-{fmt}")

    @fuzz(30)
    @given(changes=mutations(tuple(make_table().columns), ROWS))
    def run(changes):
        folder = layout(root, fmt, table=apply(make_table(), changes))
        outcome = read_checked(tally, folder, fmt, skip_bad=skip_bad,
                               how="skip bad" if skip_bad else "strict")
        if outcome is not None:
            reader, records = outcome
            assert len(records) + reader.report.total_skipped \
                + reader.report.total_excluded <= ROWS
            for record in records:
                assert record.image.dtype == np.uint8 and record.image.shape[2] == 3

    run()


@pytest.mark.parametrize("fmt", list(LAYOUTS))
def test_damaged_csv_bytes_are_read_or_refused_with_the_file_named(tmp_path_factory, tally, fmt):
    make_table = LAYOUTS[fmt][0]
    pristine = make_table().to_csv(index=False).encode("utf-8")
    root = tmp_path_factory.mktemp(f"bytes-{fmt}")

    @fuzz(25)
    @given(edits=byte_damage())
    def run(edits):
        folder = layout(root, fmt, raw=damage(pristine, edits))
        read_checked(tally, folder, fmt, skip_bad=True, how="damaged bytes")

    run()


def test_formula_and_script_cells_stay_plain_text(tmp_path):
    """Payload cells are data: kept verbatim, never evaluated, never turned into markup."""
    payloads = list(FORMULA_CELLS + SCRIPT_CELLS)
    table = pd.concat([ham_table()] * 3, ignore_index=True).iloc[:len(payloads)]
    table["image_id"] = [f"ISIC_{n:07d}" for n in range(1, len(payloads) + 1)]
    table["lesion_id"] = payloads
    table["comment"] = payloads
    folder = tmp_path / "payloads"
    folder.mkdir()
    # every cell quoted: pandas leaves a lone CR unquoted, which would split the row
    table.to_csv(folder / "HAM10000_metadata.csv", index=False, quoting=csv.QUOTE_ALL)
    for seed, key in enumerate(table["image_id"]):
        (folder / f"{key}.jpg").write_bytes(jpeg(seed))
    metadata = open_dataset(folder, format="ham10000").metadata().set_index("key")
    kept = metadata.loc[table["image_id"]]
    assert kept["comment"].tolist() == payloads
    assert kept["group"].tolist() == payloads
