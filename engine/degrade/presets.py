"""Severity presets 0 (clean) to 4 (heavy).

Severity s draws s + 1 distinct faults at once (a poor photograph rarely has just one), each
with parameters from the s-th quarter of the way from its clean to its heavy value, so a
severity-1 image is slightly off and a severity-4 image is hard to read even for an expert.
Common faults (exposure, compression, noise, blur) are likelier than rare ones (salt-and-pepper
noise, shadow); the weights below say how much likelier.
"""

from __future__ import annotations

from functools import cache

from engine.degrade.catalogue import DEGRADATIONS, Parameter
from engine.degrade.spec import DegradationSpec, DegradationStep

SEVERITIES: tuple[int, ...] = (0, 1, 2, 3, 4)
SEVERITY_NAMES: dict[int, str] = {
    0: "clean", 1: "slight", 2: "moderate", 3: "strong", 4: "heavy"
}

# Relative odds of each fault in a preset, and the lowest severity where it appears at all.
_PRESET_WEIGHTS: dict[str, tuple[float, int]] = {
    "brightness_contrast": (1.0, 1),
    "jpeg": (1.0, 1),
    "gaussian_noise": (0.8, 1),
    "white_balance": (0.7, 1),
    "gaussian_blur": (0.7, 1),
    "vignetting": (0.6, 1),
    "hair": (0.6, 1),
    "glare": (0.5, 1),
    "gamma": (0.4, 1),
    "defocus_blur": (0.6, 2),
    "low_resolution": (0.6, 2),
    "crop": (0.6, 2),
    "iso_noise": (0.5, 2),
    "colour_cast": (0.4, 2),
    "motion_blur": (0.5, 2),
    "shadow": (0.4, 2),
    "salt_pepper": (0.2, 3),
}
# Lowest share of the clean-to-heavy span a severity-1 fault starts at (never a no-op).
_FLOOR = 0.1


def _preset_range(parameter: Parameter, severity: int) -> tuple[float, float]:
    if parameter.free:
        return (parameter.low, parameter.high)
    start = max(_FLOOR, (severity - 1) / 4)
    end = severity / 4
    span = parameter.heavy - parameter.clean
    if parameter.signed:
        return (-abs(span) * end, abs(span) * end) if severity else (0.0, 0.0)
    low, high = sorted((parameter.clean + span * start, parameter.clean + span * end))
    if parameter.integer:
        return (round(low), round(high))
    return (round(low, 4), round(high, 4))


@cache
def severity_spec(severity: int) -> DegradationSpec:
    """The preset spec for a severity 0..4 (0 applies nothing)."""
    if severity not in SEVERITIES:
        raise ValueError(f"severity {severity!r} must be one of 0, 1, 2, 3, 4 (0 = clean)")
    steps = tuple(
        DegradationStep(
            name,
            {p.name: _preset_range(p, severity) for p in DEGRADATIONS[name].parameters},
            weight,
        )
        for name, (weight, lowest) in _PRESET_WEIGHTS.items()
        if severity and severity >= lowest
    )
    return DegradationSpec(
        steps=steps,
        choose=severity + 1 if severity else None,
        label=f"severity {severity} ({SEVERITY_NAMES[severity]})",
        severity=severity,
    )
