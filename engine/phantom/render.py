"""`render`: one phantom dermoscopy image and the criteria it shows, from a patient profile."""

from __future__ import annotations

import dataclasses

import numpy as np

from engine.phantom import areas, network, optics, structures, vessels
from engine.phantom.criteria import (
    BROWN_RAMP,
    PINK_CLASSES,
    STRUCTURE_COLOURS,
    Criteria,
    sample_criteria,
)
from engine.phantom.fields import Grid, blur
from engine.phantom.lesion import Scene, build_outline, paint_body
from engine.phantom.skin import render_skin, skin_tone
from engine.profiles import PatientProfile
from engine.vocabulary import ACRAL_SITES

MIN_SIZE, MAX_SIZE = 32, 1024
LESION_BLUR_MM = 0.03

# Painting order: line patterns, then pigmented areas over them, then a patch for each listed
# colour no layer shows, then the white areas (so no later pigment hides them), then discrete
# structures and vessels on top.
_LINE_PATTERNS = {
    "regular pigment network": network.regular_network,
    "atypical pigment network": network.atypical_network,
    "pseudo-network": network.pseudo_network,
    "parallel furrow pattern": network.parallel_furrow,
    "parallel ridge pattern": network.parallel_ridge,
    "fissures": network.fissures,
}
_AREAS = {
    "structureless area": areas.structureless_area,
    "irregular blotch": areas.irregular_blotch,
    "blue-whitish veil": areas.blue_whitish_veil,
    "red-purple lacunae": vessels.red_purple_lacunae,
    "ulceration": areas.ulceration,
}
_WHITE_AREAS = {
    "regression structures": areas.regression_structures,
    "central white patch": areas.central_white_patch,
    "scale": areas.scale,
}
_DISCRETE = {
    "dots": structures.dots,
    "irregular dots": structures.irregular_dots,
    "globules": structures.globules,
    "irregular globules": structures.irregular_globules,
    "regular streaks": structures.regular_streaks,
    "irregular streaks": structures.irregular_streaks,
    "blue-grey ovoid nests": structures.ovoid_nests,
    "leaf-like areas": structures.leaf_like_areas,
    "milia-like cysts": structures.milia_like_cysts,
    "comedo-like openings": structures.comedo_like_openings,
    "arborizing vessels": vessels.arborizing_vessels,
    "dotted vessels": vessels.dotted_vessels,
    "glomerular vessels": vessels.glomerular_vessels,
    "comma vessels": vessels.comma_vessels,
    "atypical vessels": vessels.atypical_vessels,
}
# Share of images with each optional artefact (HAM10000: bubbles and rulers are rare).
_OPTIONAL_ARTEFACTS = {"bubbles": 0.05, "glare": 0.08, "ruler": 0.03, "circular field": 0.1}


def render(
    profile: PatientProfile,
    *,
    size: int = 128,
    seed: int | np.random.Generator,
    artefacts: bool = True,
) -> tuple[np.ndarray, Criteria]:
    """A (size, size, 3) uint8 RGB phantom of `profile` and the criteria drawn in it.

    The same profile, size and seed always give the same image. `artefacts=False` leaves out
    hair, bubbles, glare, ruler and the field edge (the lesion itself is unchanged).
    """
    if not isinstance(profile, PatientProfile):
        raise ValueError(f"profile must be a PatientProfile, got {type(profile).__name__}")
    if not isinstance(size, int | np.integer) or not MIN_SIZE <= size <= MAX_SIZE:
        raise ValueError(f"size {size!r} must be an integer from {MIN_SIZE} to {MAX_SIZE} px")
    root = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
    criteria_rng, skin_rng, lesion_rng, optics_rng = root.spawn(4)
    criteria = sample_criteria(profile=profile, rng=criteria_rng)
    grid = Grid(size=int(size), px_per_mm=size / criteria.field_of_view_mm)
    tone = skin_tone(skin_type=profile.skin_type, rng=skin_rng)
    image = render_skin(size=int(size), px_per_mm=grid.px_per_mm, tone=tone, age=profile.age,
                        acral=profile.site in ACRAL_SITES, rng=skin_rng)
    _paint_lesion(image, criteria=criteria, grid=grid, tone=tone, rng=lesion_rng)
    image = blur(image, LESION_BLUR_MM * grid.px_per_mm)  # tissue scatters light
    drawn = _paint_artefacts(image, profile=profile, grid=grid, rng=optics_rng) if artefacts \
        else ()
    pixels = optics.finish(image, rng=optics_rng)
    return pixels, dataclasses.replace(criteria, artefacts=drawn)


def _paint_lesion(image: np.ndarray, *, criteria: Criteria, grid: Grid, tone: np.ndarray,
                  rng: np.random.Generator) -> None:
    outline = build_outline(criteria=criteria, grid=grid, rng=rng)
    body = paint_body(image, outline=outline, criteria=criteria, rng=rng)
    scene = Scene(outline=outline, criteria=criteria, body=body, skin=tone, rng=rng)
    present = set(criteria.structures)
    for painters in (_LINE_PATTERNS, _AREAS):
        for name, painter in painters.items():
            if name in present:
                painter(image, scene)
    areas.colour_patches(image, scene, _colours_without_layer(criteria))
    for painters in (_WHITE_AREAS, _DISCRETE):
        for name, painter in painters.items():
            if name in present:
                painter(image, scene)


def _colours_without_layer(criteria: Criteria) -> tuple[str, ...]:
    """Listed colours that neither the body nor a structure paints."""
    covered = {"red"} if criteria.dx in PINK_CLASSES else set(BROWN_RAMP)
    for name in criteria.structures:
        covered |= set(STRUCTURE_COLOURS.get(name, ()))
    return tuple(c for c in criteria.colours if c not in covered)


def _paint_artefacts(image: np.ndarray, *, profile: PatientProfile, grid: Grid,
                     rng: np.random.Generator) -> tuple[str, ...]:
    drawn = []
    chosen = {name for name, p in _OPTIONAL_ARTEFACTS.items() if rng.random() < p}
    hairs = optics.hair_plan(profile, rng)
    if "glare" in chosen:
        optics.draw_glare(image, px_per_mm=grid.px_per_mm, rng=rng)
        drawn.append("glare")
    if hairs:
        optics.draw_hair(image, count=hairs, px_per_mm=grid.px_per_mm, rng=rng)
        drawn.append("hair")
    if "bubbles" in chosen:
        optics.draw_bubbles(image, px_per_mm=grid.px_per_mm, rng=rng)
        drawn.append("bubbles")
    if "ruler" in chosen:
        optics.draw_ruler(image, px_per_mm=grid.px_per_mm, rng=rng)
        drawn.append("ruler")
    circular = "circular field" in chosen
    optics.apply_field(image, circular=circular, rng=rng)
    drawn.append("circular field" if circular else "vignette")
    return tuple(drawn)
