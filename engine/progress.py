"""The one progress bar of every long job (synth, training, evaluation): what it is doing, a
bar, done/total, elapsed time, the ETA, and optional live fields such as the latest losses."""

from __future__ import annotations


def progress_bar(*, fields: tuple[str, ...] = (), transient: bool = False,
                 disable: bool = False):
    """A rich Progress; each name in `fields` is shown as `{task.fields[name]}`."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    columns = [TextColumn("{task.description:<24}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn()]
    columns += [TextColumn(f"{{task.fields[{name}]}}") for name in fields]
    return Progress(*columns, transient=transient, disable=disable)
