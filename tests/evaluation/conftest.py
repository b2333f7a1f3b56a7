"""Shared fixtures: a tiny phantom data set on disk (HAM10000 layout) and a tiny auditor."""

import numpy as np
import pytest

from engine.datasets import open_writer
from engine.nets.auditor import AuditorConfig, fit_auditor
from engine.phantom.render import render
from engine.profiles import ProfileSampler
from engine.vocabulary import DIAGNOSES

TINY_AUDITOR = AuditorConfig(input_size=32, internal_size=16, widths=(8, 16), feature_dim=12,
                             batch_size=32, epochs=2, validation_share=0.2)


def write_phantom_set(folder, *, count, seed, size=48):
    """`count` phantom images with their profiles as a HAM10000-layout data set."""
    profiles = ProfileSampler.default().sample(n=count, class_mix="balanced", seed=seed)
    with open_writer(folder, format="ham10000", columns=("skin_type",)) as writer:
        for index, profile in enumerate(profiles):
            image, _ = render(profile, size=size, seed=seed * 1000 + index)
            writer.add(f"img{seed}_{index}", image, {
                "lesion_id": f"lesion{seed}_{index}", "dx": profile.dx, "dx_type": "phantom",
                "age": profile.age, "sex": profile.sex, "site": profile.site,
                "diameter_mm": profile.diameter_mm, "skin_type": profile.skin_type})
    return folder


@pytest.fixture(scope="session")
def phantom_sets(tmp_path_factory):
    """(real, training) phantom data sets of 120 and 80 images."""
    root = tmp_path_factory.mktemp("phantom")
    return (write_phantom_set(root / "real", count=120, seed=1),
            write_phantom_set(root / "training", count=80, seed=2))


@pytest.fixture(scope="session")
def tiny_auditor(tmp_path_factory):
    """An auditor folder trained for two epochs on 140 tiny phantom images."""
    folder = tmp_path_factory.mktemp("auditor")
    profiles = ProfileSampler.default().sample(n=140, class_mix="balanced", seed=3)
    images = np.stack([render(p, size=32, seed=i)[0] for i, p in enumerate(profiles)])
    labels = np.array([DIAGNOSES.index(p.dx) for p in profiles])
    fit_auditor(images=images, labels=labels, groups=np.arange(140), out=folder,
                config=TINY_AUDITOR, seed=0, show_progress=False)
    return folder
