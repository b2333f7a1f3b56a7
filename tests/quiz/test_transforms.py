import albumentations as A
import numpy as np
import pytest

from engine.degrade import functional
from engine.degrade.transforms import (
    EdgeShadow,
    HairOcclusion,
    SpecularGlare,
    Vignetting,
    WhiteBalance,
)

GREY = np.full((48, 48, 3), 160, np.uint8)


def test_vignette_darkens_corners_not_centre():
    out = functional.vignette(GREY, strength=0.8, centre=(0.5, 0.5))
    assert out[24, 24].mean() >= 155
    assert out[0, 0].mean() < 60
    assert np.array_equal(functional.vignette(GREY, strength=0.0, centre=(0.5, 0.5)), GREY)


def test_edge_shadow_darkens_the_side_it_points_to():
    out = functional.edge_shadow(GREY, angle=0.0, intensity=0.6, reach=0.5)  # towards +x
    assert out[:, -1].mean() < 80
    assert np.array_equal(out[:, :20], GREY[:, :20])


def test_glare_brightens_at_the_spot_only():
    out = functional.specular_glare(GREY, spots=np.array([[10.0, 12.0, 4.0]]), intensity=0.9)
    assert out[12, 10].mean() > 240
    assert np.array_equal(out[40, 40], GREY[40, 40])


def test_hairs_darken_pixels_along_the_strand():
    strand = np.array([[0.0, 24.0], [47.0, 24.0]])
    out = functional.draw_hairs(GREY, strands=[strand], thickness=1, colour=(20, 15, 12),
                                opacity=1.0)
    assert out[24, 5:43].mean() < 40
    assert np.array_equal(out[:15], GREY[:15])


def test_strands_are_reproducible_for_a_generator():
    first = functional.hair_strands(shape=(48, 48), count=5, rng=np.random.default_rng(1))
    second = functional.hair_strands(shape=(48, 48), count=5, rng=np.random.default_rng(1))
    assert len(first) == 5
    assert all(np.array_equal(a, b) for a, b in zip(first, second, strict=True))


@pytest.mark.parametrize(
    "transform",
    [HairOcclusion(p=1), Vignetting(p=1), SpecularGlare(p=1), EdgeShadow(p=1),
     WhiteBalance(temperature_range=(4000, 4000), p=1)],
    ids=lambda t: type(t).__name__,
)
def test_custom_transforms_are_seeded_and_report_their_parameters(transform):
    image = np.random.default_rng(0).integers(60, 200, (48, 48, 3), dtype=np.uint8)
    outputs = [A.Compose([transform], seed=4, save_applied_params=True)(image=image)
               for _ in range(2)]
    assert np.array_equal(outputs[0]["image"], outputs[1]["image"])
    assert not np.array_equal(outputs[0]["image"], image)
    (name, params), = outputs[0]["applied_transforms"]
    assert name == type(transform).__name__ and params


def test_transform_ranges_are_validated():
    with pytest.raises(ValueError, match="must be ordered"):
        HairOcclusion(count_range=(9, 3))
    with pytest.raises(ValueError, match="within"):
        WhiteBalance(temperature_range=(1000, 4000))
