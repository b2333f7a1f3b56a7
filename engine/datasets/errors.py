"""Bad input: the error that names what is wrong, and the report of items skipped instead.

Every reader raises `BadInputError` (a `ValueError`, so the CLI prints it as one line) naming
the file, row or column at fault. With `skip_bad=True` the same problem is recorded in the
reader's `DatasetReport` and the item is left out, so one broken file never stops a run.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from engine.refusals import Refusal

MAX_EXAMPLES = 20


class BadInputError(ValueError):
    """An input file, row or column that cannot be used; the message says which and why."""

    def __init__(self, message: str, *, category: str = "bad input") -> None:
        super().__init__(message)
        self.category = category


class ImageRefusal(Refusal, BadInputError):
    """A bad image that a person may have brought (a photo uploaded to the Studio): readers and
    their reports handle it as any `BadInputError`, and the app words it as a `Refusal` in the
    person's language."""

    def __init__(self, key: str, *, category: str, **values) -> None:
        super().__init__(key, **values)  # BadInputError receives the English message
        self.category = category


@dataclass
class DatasetReport:
    """Counts of items left out, by reason, with the first few examples.

    `skipped` holds bad input (missing or corrupt images, bad rows) left out because the reader
    was opened with `skip_bad=True`. `excluded` holds well-formed items left out on purpose
    (for example ISIC 2019 SCC and UNK rows, which have no HAM10000 diagnosis code).
    """

    skipped: Counter = field(default_factory=Counter)
    excluded: Counter = field(default_factory=Counter)
    examples: list[tuple[str, str]] = field(default_factory=list)
    _seen: set = field(default_factory=set, repr=False)

    def skip(self, error: BadInputError, *, key: str) -> None:
        """Count a skipped item once, however often it is met (readers are iterated again)."""
        if ("skip", key) in self._seen:
            return
        self._seen.add(("skip", key))
        self.skipped[error.category] += 1
        if len(self.examples) < MAX_EXAMPLES:
            self.examples.append((error.category, str(error)))

    def exclude(self, reason: str, *, key: str) -> None:
        if ("exclude", key) in self._seen:
            return
        self._seen.add(("exclude", key))
        self.excluded[reason] += 1

    @property
    def total_skipped(self) -> int:
        return sum(self.skipped.values())

    @property
    def total_excluded(self) -> int:
        return sum(self.excluded.values())

    def lines(self) -> list[str]:
        """Human-readable lines for the CLI and logs."""
        out = [f"skipped (bad input): {self.total_skipped}"]
        out += [f"  {reason}: {count}" for reason, count in self.skipped.most_common()]
        out += [f"  e.g. {message}" for _, message in self.examples]
        if self.excluded:
            out.append(f"excluded on purpose: {self.total_excluded}")
            out += [f"  {reason}: {count}" for reason, count in self.excluded.most_common()]
        return out
