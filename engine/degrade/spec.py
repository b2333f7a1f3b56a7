"""Degradation specs: which imaging problems may occur, with what parameter ranges and odds.

A spec is a frozen, JSON-friendly value. Drawing from it (with a numpy generator) picks the
steps that fire and one concrete value per parameter; those values are what gets applied and
recorded, so the drawn list alone (plus the seed for pixel-level noise) reproduces an image.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from engine.degrade.catalogue import Degradation, degradation


@dataclass(frozen=True)
class DegradationStep:
    """One degradation with a (low, high) range per parameter and the chance it occurs.

    `ranges` may be given as a mapping {parameter: (low, high)}; parameters left out use their
    full bounds (free parameters) or the span from clean to heavy (the others).
    """

    name: str
    ranges: tuple[tuple[str, float, float], ...] | Mapping = ()
    probability: float = 1.0

    def __post_init__(self) -> None:
        entry = degradation(self.name)
        given = dict(self.ranges) if isinstance(self.ranges, Mapping) else {
            row[0]: tuple(row[1:]) for row in self.ranges
        }
        rows = []
        for parameter in entry.parameters:
            low, high = given.pop(parameter.name, _default_range(parameter))
            low, high = float(low), float(high)
            if not parameter.low <= low <= high <= parameter.high:
                raise ValueError(
                    f"degradation {self.name!r}, parameter {parameter.name!r}: range "
                    f"({low:g}, {high:g}) must be ordered and within "
                    f"[{parameter.low:g}, {parameter.high:g}]"
                )
            rows.append((parameter.name, low, high))
        if given:
            entry.parameter(next(iter(given)))  # raises, naming the valid parameters
        if not 0.0 <= float(self.probability) <= 1.0:
            raise ValueError(
                f"degradation {self.name!r}: probability {self.probability!r} must be 0 to 1"
            )
        object.__setattr__(self, "ranges", tuple(rows))
        object.__setattr__(self, "probability", float(self.probability))

    @property
    def entry(self) -> Degradation:
        return degradation(self.name)

    def draw(self, rng: np.random.Generator) -> dict[str, float | int]:
        """One concrete value per parameter, uniform within its range."""
        values: dict[str, float | int] = {}
        for parameter_name, low, high in self.ranges:
            if self.entry.parameter(parameter_name).integer:
                values[parameter_name] = int(rng.integers(round(low), round(high) + 1))
            else:
                values[parameter_name] = round(float(rng.uniform(low, high)), 4)
        return values

    def to_dict(self) -> dict:
        return {
            "name": self.name,
            "probability": self.probability,
            "ranges": {name: [low, high] for name, low, high in self.ranges},
        }


@dataclass(frozen=True)
class DegradationSpec:
    """A set of possible degradation steps.

    choose: None lets every step fire independently with its probability; an integer k picks
    exactly k distinct steps, weighted by their probabilities (how the severity presets make
    sure a "heavy" image has several faults at once).
    """

    steps: tuple[DegradationStep, ...] = ()
    choose: int | None = None
    label: str = "custom"
    severity: int | None = None

    def __post_init__(self) -> None:
        steps = tuple(self.steps)
        for position, step in enumerate(steps):
            if not isinstance(step, DegradationStep):
                raise ValueError(f"step {position} must be a DegradationStep, got {step!r}")
        names = [step.name for step in steps]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise ValueError(f"degradations listed more than once: {', '.join(repeated)}")
        if self.choose is not None:
            possible = sum(step.probability > 0 for step in steps)
            if not isinstance(self.choose, int) or not 0 <= self.choose <= possible:
                raise ValueError(
                    f"choose {self.choose!r} must be an integer from 0 to {possible} "
                    "(the number of steps with a probability above 0)"
                )
        if self.severity is not None and self.severity not in range(5):
            raise ValueError(f"severity {self.severity!r} must be 0 to 4 or None (custom)")
        object.__setattr__(self, "steps", steps)

    def draw(self, rng: np.random.Generator) -> list[dict]:
        """The steps that fire, in stage order, each as {"name", "params"}."""
        if self.choose is None:
            fired = [step for step in self.steps if rng.random() < step.probability]
        else:
            weights = np.array([step.probability for step in self.steps])
            picked = rng.choice(len(self.steps), size=self.choose, replace=False,
                                p=weights / weights.sum()) if self.choose else []
            fired = [self.steps[i] for i in sorted(picked)]
        fired.sort(key=lambda step: step.entry.stage)
        return [{"name": step.name, "params": step.draw(rng)} for step in fired]

    def to_dict(self) -> dict:
        return {
            "label": self.label,
            "severity": self.severity,
            "choose": self.choose,
            "steps": [step.to_dict() for step in self.steps],
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> DegradationSpec:
        """Rebuild a spec from `to_dict` output (or hand-written JSON of the same shape)."""
        unknown = set(data) - {"label", "severity", "choose", "steps"}
        if unknown:
            raise ValueError(
                f"unexpected degradation spec fields: {', '.join(sorted(unknown))}; "
                "expected label, severity, choose, steps"
            )
        steps = []
        for position, row in enumerate(data.get("steps", ())):
            if not isinstance(row, Mapping) or "name" not in row:
                raise ValueError(f"degradation spec step {position} needs a 'name' field")
            extra = set(row) - {"name", "ranges", "probability"}
            if extra:
                raise ValueError(
                    f"degradation spec step {position} ({row['name']}): unexpected fields "
                    f"{', '.join(sorted(extra))}; expected name, ranges, probability"
                )
            ranges = {key: tuple(value) for key, value in dict(row.get("ranges", {})).items()}
            steps.append(DegradationStep(row["name"], ranges, row.get("probability", 1.0)))
        return cls(
            steps=tuple(steps),
            choose=data.get("choose"),
            label=data.get("label", "custom"),
            severity=data.get("severity"),
        )


def _default_range(parameter) -> tuple[float, float]:
    if parameter.free:
        return (parameter.low, parameter.high)
    if parameter.signed:
        return (-abs(parameter.heavy), abs(parameter.heavy))
    return tuple(sorted((parameter.clean, parameter.heavy)))

