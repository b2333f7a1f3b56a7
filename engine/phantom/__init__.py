"""Procedural dermoscopy phantoms whose dermoscopic criteria are known exactly.

`render(profile, size=..., seed=...)` returns an RGB image and the `Criteria` it shows (ABCD
and 7-point scores, colours, structures, diameter, site pattern), so quiz feedback can explain a
phantom by what is drawn in it.
"""

from engine.phantom.criteria import COLOUR_RGB, COLOURS, STRUCTURES, Criteria, sample_criteria
from engine.phantom.render import render

GENERATOR_ID = "phantom"
VERSION = "2.3"

__all__ = ["COLOURS", "COLOUR_RGB", "GENERATOR_ID", "STRUCTURES", "VERSION", "Criteria",
           "render", "sample_criteria"]
