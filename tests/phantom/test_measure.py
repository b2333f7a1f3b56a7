"""engine.phantom.measure: the yardstick shared by the pixel tests and the fidelity benchmark."""

import cv2
import numpy as np
import pytest

from engine.phantom.measure import lesion_mask, lesion_stats


def _disc_image(*, radius: int, blur_sigma: float) -> np.ndarray:
    """A brown disc on pink-beige skin, 96 px, optionally blurred."""
    image = np.empty((96, 96, 3), np.uint8)
    image[:] = (205, 170, 175)
    cv2.circle(image, (48, 48), radius, (120, 70, 55), -1)
    if blur_sigma:
        image = cv2.GaussianBlur(image, (0, 0), blur_sigma)
    return image


def test_mask_and_stats_find_the_disc_and_its_colour():
    image = _disc_image(radius=24, blur_sigma=0)
    mask = lesion_mask(image)
    assert abs(mask.mean() - np.pi * 24**2 / 96**2) < 0.02
    stats = lesion_stats(image)
    assert stats.lesion_lab[0] < stats.skin_lab[0] - 20  # darker than the skin
    assert stats.lesion_lab[1] > 10 and stats.lesion_lab[2] > 10  # brown: red and yellow
    assert stats.lesion_texture < 3  # a flat fill


def test_a_fading_edge_scores_less_sharp_than_an_abrupt_one():
    abrupt = lesion_stats(_disc_image(radius=24, blur_sigma=0.5))
    fading = lesion_stats(_disc_image(radius=24, blur_sigma=4.0))
    assert fading.edge_sharpness < abrupt.edge_sharpness * 0.6


@pytest.mark.parametrize("image", [np.zeros((32, 32), np.uint8),
                                   np.zeros((32, 32, 3), np.float32)])
def test_images_that_are_not_uint8_rgb_are_refused(image):
    with pytest.raises(ValueError, match="uint8 RGB"):
        lesion_stats(image)


def test_pale_flecks_make_the_skin_more_speckled():
    smooth = _disc_image(radius=20, blur_sigma=0)
    flecked = smooth.copy()
    rng = np.random.default_rng(0)
    for x, y in rng.integers(0, 96, (60, 2)):
        if np.hypot(x - 48, y - 48) > 28:
            cv2.circle(flecked, (int(x), int(y)), 1, (235, 215, 215), -1)
    assert lesion_stats(smooth).skin_speckle < 0.5  # an even tint
    assert lesion_stats(flecked).skin_speckle > 3.0
