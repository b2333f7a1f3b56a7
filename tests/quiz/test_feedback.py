import pytest

from engine.feedback import item_feedback, teaching_points
from engine.quiz import QuizSpec, build_quiz
from engine.sources import PhantomSource
from engine.vocabulary import DIAGNOSES


@pytest.mark.parametrize("dx", DIAGNOSES)
def test_every_class_has_teaching_points_with_sources(dx):
    points = teaching_points(dx)
    assert points.dermoscopic_cues and points.pitfalls and points.look_alikes
    assert len(points.sources) >= 2
    assert points.management and points.summary


@pytest.fixture(scope="module")
def melanoma_item():
    spec = QuizSpec(classes=("mel", "nv", "bkl"), n_options=3, severity_range=(3, 3), n_items=1)
    quiz = build_quiz(spec, seed=0, source=PhantomSource(size=64))
    return quiz.items[0]


def test_feedback_explains_a_wrong_answer(melanoma_item):
    item = melanoma_item
    wrong = next(option for option in item.options if option != item.correct_answer)
    feedback = item_feedback(item=item, given=wrong, given_management="monitor")
    assert feedback.correct is False
    assert feedback.diagnosis == item.profile.dx
    assert feedback.tell_apart  # the look-alike note for this pair
    assert feedback.management in {"excise", "monitor"}
    assert feedback.abcd["tds"] == item.criteria["abcd"]["tds"]
    assert feedback.seven_point["score"] == item.criteria["seven_point"]["score"]
    assert any("Total dermoscopy score" in line for line in feedback.criteria_lines)
    assert feedback.degradation.count(";") == len(item.degradation["applied"]) - 1
    assert feedback.to_dict()["teaching"]["dx"] == item.profile.dx


def test_feedback_from_a_stored_record_matches(melanoma_item):
    record = melanoma_item.to_dict(images=False)
    from_record = item_feedback(item=record, given=melanoma_item.correct_answer)
    assert from_record.correct is True and from_record.tell_apart is None
    assert from_record.criteria_lines == item_feedback(item=melanoma_item).criteria_lines
    with pytest.raises(ValueError, match="not one of the item's options"):
        item_feedback(item=record, given="unicorn")
