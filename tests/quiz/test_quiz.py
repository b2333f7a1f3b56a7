import numpy as np
import pytest

from engine.quiz import CONFUSABLE, PRESETS, QuizSpec, auditor_margins, build_quiz, preset
from engine.quiz_items import QuizItem
from engine.scoring import BINARY_LABELS
from engine.sources import PhantomSource, default_source, source_by_name
from engine.store.items import NewItem
from engine.vocabulary import DIAGNOSES, MALIGNANT

SOURCE = PhantomSource(size=64)


def _same(first, second) -> bool:
    return all(
        np.array_equal(a.degraded_image, b.degraded_image) and a.options == b.options
        and a.profile == b.profile and a.degradation == b.degradation
        for a, b in zip(first.items, second.items, strict=True)
    )


def test_presets_grow_harder():
    order = [PRESETS[name] for name in ("beginner", "intermediate", "advanced", "expert")]
    assert [spec.severity_range[1] for spec in order] == [1, 2, 3, 4]
    assert [len(spec.answer_labels) for spec in order] == [2, 5, 7, 7]
    assert order[0].show_profile and not order[-1].show_profile
    assert order[-1].hard_cases and order[-1].case_mix == "realistic"
    assert preset(" Expert ") is PRESETS["expert"]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"classes": ("mel", "nv"), "n_options": 3}, "n_options 3 must be from 2 to the 2"),
        ({"answer_mode": "binary", "n_options": 3}, "must be 2 in a binary quiz"),
        ({"answer_mode": "binary", "classes": ("nv", "df"), "n_options": 2}, "malignant"),
        ({"classes": ("mel", "melanoma")}, "distinct diagnoses"),
        ({"severity_range": (3, 1)}, "severity_range"),
        ({"time_limit_seconds": 1}, "time_limit_seconds"),
        ({"case_mix": "random"}, "case_mix 'random'"),
        ({"n_items": 0}, "n_items 0"),
    ],
)
def test_invalid_specs_name_the_field(changes, message):
    with pytest.raises(ValueError, match=message):
        QuizSpec(**changes)


def test_spec_round_trips_and_rejects_unknown_fields():
    spec = PRESETS["advanced"]
    assert QuizSpec.from_dict(spec.to_dict()) == spec
    with pytest.raises(ValueError, match="unknown quiz spec field"):
        QuizSpec.from_dict({"levels": 3})
    with pytest.raises(ValueError, match="unknown preset"):
        preset("master")


def test_same_spec_and_seed_give_the_same_quiz():
    spec = preset("advanced").with_changes(n_items=6)
    first = build_quiz(spec, seed=7, source=SOURCE)
    assert _same(first, build_quiz(spec, seed=7, source=SOURCE))
    assert not _same(first, build_quiz(spec, seed=8, source=SOURCE))
    assert set(first.timings) == {"sampling", "generation", "degradation"}


def test_items_follow_the_spec():
    spec = preset("advanced").with_changes(n_items=10)
    quiz = build_quiz(spec, seed=1, source=SOURCE)
    assert len(quiz.items) == 10
    severities = [item.severity for item in quiz.items]
    assert set(severities) == {1, 2, 3}  # spread over the whole range
    for item in quiz.items:
        assert item.correct_answer == item.profile.dx
        assert len(item.options) == len(set(item.options)) == spec.n_options
        assert item.correct_answer in item.options and set(item.options) <= set(DIAGNOSES)
        assert item.clean_image.shape == item.degraded_image.shape == (64, 64, 3)
        assert item.criteria["dx"] == item.profile.dx
        assert item.source["generator_id"] == "phantom"


def test_distractors_favour_confusable_classes():
    spec = QuizSpec(classes=DIAGNOSES, n_options=2, severity_range=(0, 0), n_items=60)
    quiz = build_quiz(spec, seed=2, source=SOURCE)
    first_choice = [CONFUSABLE[item.profile.dx][0] in item.options for item in quiz.items]
    # one distractor of six: the top look-alike would be picked 1/6 of the time uniformly, and
    # is picked 1/2.45 (weights 1, 1/2 ... 1/6) of the time by design
    assert np.mean(first_choice) > 0.3


def test_binary_balanced_quiz_is_half_malignant():
    spec = preset("beginner").with_changes(n_items=40)
    quiz = build_quiz(spec, seed=3, source=SOURCE)
    answers = [item.correct_answer for item in quiz.items]
    assert all(item.options == BINARY_LABELS for item in quiz.items)
    assert all((a == "malignant") == (i.profile.dx in MALIGNANT)
               for a, i in zip(answers, quiz.items, strict=True))
    assert 0.3 <= answers.count("malignant") / len(answers) <= 0.7


def _darkness_scorer(images: np.ndarray) -> np.ndarray:
    """A deterministic classifier for the test: confident 'mel' for dark images."""
    darkness = 1 - images.reshape(len(images), -1).mean(axis=1) / 255
    probabilities = np.full((len(images), len(DIAGNOSES)), 0.0)
    probabilities[:, DIAGNOSES.index("mel")] = darkness
    probabilities[:, DIAGNOSES.index("nv")] = 1 - darkness
    return probabilities


def test_hard_cases_need_an_auditor_and_pick_the_smallest_margins():
    spec = QuizSpec(classes=("mel", "nv"), n_options=2, severity_range=(0, 0), n_items=4,
                    hard_cases=True)
    with pytest.raises(ValueError, match="auditor"):
        build_quiz(spec, seed=4, source=SOURCE)
    quiz = build_quiz(spec, seed=4, source=SOURCE, auditor=_darkness_scorer)
    # the same seed without hard cases draws the same candidate pool (3 per item)
    pool = build_quiz(spec.with_changes(hard_cases=False, n_items=12), seed=4, source=SOURCE)
    pool_margins = auditor_margins(_darkness_scorer,
                                   np.stack([p.degraded_image for p in pool.items]),
                                   [p.profile for p in pool.items])
    assert len(quiz.items) == 4
    for dx in ("mel", "nv"):
        chosen = sorted(i.auditor_margin for i in quiz.items if i.profile.dx == dx)
        wanted = sum(p.profile.dx == dx for p in pool.items[:4])
        candidates = sorted(m for m, p in zip(pool_margins, pool.items, strict=True)
                            if p.profile.dx == dx)
        assert chosen == pytest.approx(candidates[:wanted])


def test_auditor_output_shape_is_checked():
    with pytest.raises(ValueError, match="expected \\(1, 7\\)"):
        auditor_margins(lambda images: np.ones((1, 3)), np.zeros((1, 8, 8, 3), np.uint8),
                        [build_quiz(QuizSpec(n_items=1, n_options=2), seed=0,
                                    source=SOURCE).items[0].profile])


def test_item_round_trips_and_fits_the_store():
    item = build_quiz(preset("advanced").with_changes(n_items=1), seed=5, source=SOURCE).items[0]
    record = item.to_dict()
    again = QuizItem.from_dict(record)
    assert np.array_equal(again.clean_image, item.clean_image)
    assert np.array_equal(again.degraded_image, item.degraded_image)
    assert again.to_dict(images=False) == item.to_dict(images=False)
    stored = NewItem(**record)
    assert stored.correct_answer == item.correct_answer
    with pytest.raises(ValueError, match="not PNG"):
        QuizItem.from_dict(record | {"clean_png": b"GIF89a"})


def test_sources_are_explicit(tmp_path):
    with pytest.raises(ValueError, match="no checkpoint"):
        source_by_name("gan", models_root=tmp_path)
    with pytest.raises(ValueError, match="no checkpoint"):
        default_source(tmp_path)
    fallback = default_source(tmp_path, allow_phantom_fallback=True)
    assert fallback.name == "phantom" and "GAN unavailable" in fallback.record()["fallback_reason"]
    with pytest.raises(ValueError, match="unknown image source"):
        source_by_name("vae", models_root=tmp_path)


def test_the_source_record_regenerates_the_clean_image():
    from engine.phantom import render

    item = build_quiz(preset("advanced").with_changes(n_items=3), seed=6, source=SOURCE).items[2]
    rng = np.random.default_rng([item.source["render_seed"], item.source["render_index"]])
    image, _ = render(item.profile, size=64, seed=rng, artefacts=False)
    assert np.array_equal(image, item.clean_image)


def test_typical_cases_sample_the_shipped_gan_with_truncation_and_record_it():
    from engine.quiz import TYPICAL_TRUNCATION

    gan = source_by_name("gan")
    spec = preset("beginner").with_changes(n_items=3)
    assert spec.typical_cases and not preset("advanced").typical_cases
    items = build_quiz(spec, seed=6, source=gan).items
    assert {item.source["truncation"] for item in items} == {TYPICAL_TRUNCATION}
    profiles = [item.profile for item in items]
    seed = items[0].source["render_seed"]
    clean = np.stack([item.clean_image for item in items])
    np.testing.assert_array_equal(
        clean, gan.generator.generate(profiles, seed=seed, truncation=TYPICAL_TRUNCATION))
    assert not np.array_equal(clean, gan.generator.generate(profiles, seed=seed))
    untruncated = build_quiz(spec.with_changes(typical_cases=False), seed=6, source=gan).items
    assert {item.source["truncation"] for item in untruncated} == {1.0}
