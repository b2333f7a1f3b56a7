"""Counts what the reliability tests tried, and what happened, for docs/RELIABILITY.md.

Each target (a reader, a decoder, a UI form) records every case: accepted, refused with a
message, or crashed. A crash is any exception that is not the refusal the target promises; the
tests fail on it, and the summary says how many there were. When LESIONLAB_RELIABILITY_REPORT
names a file, the summary is written there as JSON at the end of the test run.
"""

from __future__ import annotations

import json
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from hypothesis import HealthCheck, settings

REPORT_VARIABLE = "LESIONLAB_RELIABILITY_REPORT"
MESSAGE_EXAMPLES = 6


def fuzz(examples: int) -> settings:
    """Hypothesis settings of these tests: a fixed number of cases, the same ones every run."""
    return settings(max_examples=examples, deadline=None, derandomize=True, database=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])


@dataclass
class TargetCounts:
    cases: int = 0
    accepted: int = 0
    refused: int = 0
    crashes: int = 0
    messages: list[str] = field(default_factory=list)


class Tally:
    """Per-target counts; shared by every test of one run."""

    def __init__(self) -> None:
        self.targets: dict[str, TargetCounts] = defaultdict(TargetCounts)
        self.events: dict[str, dict] = {}

    def accepted(self, target: str) -> None:
        counts = self.targets[target]
        counts.cases += 1
        counts.accepted += 1

    def refused(self, target: str, message: str) -> None:
        counts = self.targets[target]
        counts.cases += 1
        counts.refused += 1
        if len(counts.messages) < MESSAGE_EXAMPLES and message not in counts.messages:
            counts.messages.append(message[:300])

    def crashed(self, target: str, error: BaseException) -> None:
        counts = self.targets[target]
        counts.cases += 1
        counts.crashes += 1
        counts.messages.append(f"CRASH {type(error).__name__}: {error}"[:300])

    def event(self, name: str, **figures) -> None:
        """A fault or load figure (e.g. answers submitted before a kill, answers found after)."""
        self.events[name] = figures

    def summary(self) -> dict:
        targets = {name: vars(counts) for name, counts in sorted(self.targets.items())}
        return {
            "cases": sum(c.cases for c in self.targets.values()),
            "crashes": sum(c.crashes for c in self.targets.values()),
            "targets": targets,
            "faults": dict(sorted(self.events.items())),
        }

    def write(self, *, environ=os.environ) -> Path | None:
        destination = environ.get(REPORT_VARIABLE, "").strip()
        if not destination or not (self.targets or self.events):
            return None
        path = Path(destination)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(self.summary(), indent=1, sort_keys=True) + "\n")
        return path


def check(tally: Tally, target: str, refusal: type[BaseException], action):
    """Run `action()`; record it as accepted or refused (`refusal`), and re-raise anything else
    after recording it as a crash. Returns (result, None) or (None, refusal message)."""
    try:
        result = action()
    except refusal as error:
        message = str(error)
        tally.refused(target, message)
        return None, message
    except Exception as error:
        tally.crashed(target, error)
        raise
    tally.accepted(target)
    return result, None
