"""The one progress bar of every long job (synth, training, evaluation): what it is doing, a
bar, done/total, elapsed time, the ETA, and optional live fields such as the latest losses.

In a terminal the bar redraws in place. Written to a file or a pipe (a job's log), a live bar
would only appear once the job ends, so there each task prints a plain line every tenth of
the way instead."""

from __future__ import annotations

import datetime

from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

LOGGED_STEPS = 10


class LoggedProgress(Progress):
    """A rich Progress that also reports each task in plain lines when its console is not a
    terminal: at every tenth of the total, with the elapsed time, the ETA and its fields."""

    def __init__(self, *columns, **kwargs):
        super().__init__(*columns, **kwargs)
        self._logs_lines = not self.disable and not self.console.is_terminal
        self._tenths_logged: dict[TaskID, int] = {}

    def update(self, task_id: TaskID, **kwargs) -> None:
        super().update(task_id, **kwargs)
        self._log(task_id)

    def advance(self, task_id: TaskID, advance: float = 1) -> None:
        super().advance(task_id, advance)
        self._log(task_id)

    def _log(self, task_id: TaskID) -> None:
        if not self._logs_lines:
            return
        task = next(task for task in self.tasks if task.id == task_id)
        if not task.total:
            return
        tenths = int(min(task.completed / task.total, 1.0) * LOGGED_STEPS)
        if tenths <= self._tenths_logged.get(task_id, 0):
            return
        self._tenths_logged[task_id] = tenths
        fields = " ".join(str(value) for value in task.fields.values() if value != "")
        remaining = task.time_remaining if task.completed < task.total else 0
        line = (f"{task.description}: {task.completed:g}/{task.total:g} "
                f"({100 * tenths // LOGGED_STEPS}%) elapsed {_clock(task.elapsed)} "
                f"eta {_clock(remaining)}")
        self.console.print(f"{line} {fields}".rstrip(), markup=False, highlight=False)


def _clock(seconds: float | None) -> str:
    if seconds is None:
        return "-:--:--"
    return str(datetime.timedelta(seconds=int(seconds)))


def progress_bar(*, fields: tuple[str, ...] = (), transient: bool = False,
                 disable: bool = False, console=None) -> LoggedProgress:
    """A progress display; each name in `fields` is shown as `{task.fields[name]}`."""
    columns = [TextColumn("{task.description:<24}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn(), TextColumn("eta"), TimeRemainingColumn()]
    columns += [TextColumn(f"{{task.fields[{name}]}}") for name in fields]
    return LoggedProgress(*columns, transient=transient, disable=disable, console=console)
