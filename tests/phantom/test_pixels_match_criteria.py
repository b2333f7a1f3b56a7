"""The recorded criteria are true to the pixels: measured on images without artefacts."""

import cv2
import numpy as np


def _px_per_mm(criteria, image):
    return image.shape[0] / criteria.field_of_view_mm


def test_segmented_diameter_matches_diameter_mm(clean_cases, measure):
    ratios = []
    for _, image, criteria in clean_cases:
        mask = measure.lesion_mask(image)
        ratios.append(measure.feret_diameter_px(mask) / _px_per_mm(criteria, image)
                      / criteria.diameter_mm)
    ratios = np.array(ratios)
    assert 0.93 < np.median(ratios) < 1.07
    assert np.mean(np.abs(ratios - 1) < 0.2) >= 0.85


def _colour_shares(image, measure):
    mask = measure.lesion_mask(image)
    inner = cv2.erode(mask.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
    return {name: (found & inner).sum() / max(inner.sum(), 1)
            for name, found in measure.colour_classes(image).items()}


def test_listed_colours_are_seen_and_the_count_agrees(clean_cases, measure):
    listed_seen, count_close = [], []
    for _, image, criteria in clean_cases:
        seen = {name for name, share in _colour_shares(image, measure).items() if share >= 0.015}
        listed_seen += [name in seen for name in criteria.colours]
        count_close.append(abs(len(seen) - len(criteria.colours)) <= 1)
    assert np.mean(listed_seen) >= 0.85
    assert np.mean(count_close) >= 0.85


def test_asymmetry_axes_show_in_the_mirrored_outline(clean_cases, measure):
    """Mirrored about a symmetric axis the outline overlaps itself far better than about an
    asymmetric one."""
    symmetric, asymmetric = [], []
    for _, image, criteria in clean_cases:
        mask = measure.lesion_mask(image)
        scale = _px_per_mm(criteria, image)
        centre = [(image.shape[0] - 1) / 2 + c * scale for c in criteria.centre_mm]
        angle = np.deg2rad(criteria.orientation_deg)
        about_long = measure.reflection_asymmetry(mask, centre, angle)
        about_short = measure.reflection_asymmetry(mask, centre, angle + np.pi / 2)
        symmetric.append(about_long if criteria.asymmetry_axes <= 1 else None)
        if criteria.asymmetry_axes == 0:
            symmetric.append(about_short)
        if criteria.asymmetry_axes >= 1:
            asymmetric.append(about_short)
        if criteria.asymmetry_axes == 2:
            asymmetric.append(about_long)
    symmetric = np.array([s for s in symmetric if s is not None])
    asymmetric = np.array(asymmetric)
    assert np.median(asymmetric) > np.median(symmetric) + 0.12
    threshold = (np.median(asymmetric) + np.median(symmetric)) / 2
    correct = np.concatenate([symmetric < threshold, asymmetric >= threshold])
    assert correct.mean() >= 0.75


def _share_in_lesion(image, measure, colour):
    mask = measure.lesion_mask(image)
    return (measure.colour_classes(image)[colour] & mask).sum() / max(mask.sum(), 1)


def test_veil_white_patch_and_lacunae_show_in_colour_masks(clean_cases, measure):
    checks = {"blue-whitish veil": "blue-grey", "central white patch": "white",
              "red-purple lacunae": "red"}
    for structure, colour in checks.items():
        with_it = [_share_in_lesion(image, measure, colour)
                   for _, image, criteria in clean_cases if structure in criteria.structures]
        without = [_share_in_lesion(image, measure, colour)
                   for _, image, criteria in clean_cases
                   if structure not in criteria.structures and colour not in criteria.colours]
        assert len(with_it) >= 5, structure
        assert np.mean(np.array(with_it) >= 0.04) >= 0.8, structure
        assert np.median(without) < 0.01, structure
