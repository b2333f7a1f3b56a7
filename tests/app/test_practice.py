"""Taking a quiz in the app: join by code, answer, feedback, score, resume after a reload."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from apptest_support import app_as, button, texts

from engine.quiz import QuizSpec
from engine.services import authoring, practice, teaching
from engine.store.models import Quiz

FIVE_CASES = QuizSpec(name="custom", classes=("mel", "nv", "bkl"), answer_mode="binary",
                      n_options=2, severity_range=(0, 1), n_items=5)


def publish(runtime, educator, *, feedback="each", **changes):
    design = authoring.QuizDesign(spec=FIVE_CASES.with_changes(**changes), feedback=feedback)
    return teaching.publish(runtime=runtime, actor=educator, title="Ward round", design=design,
                            seed=11, cohort_id=None)


def answer_current_case(app, *, first_option=True):
    diagnosis, management = app.radio[0], app.radio[1]
    diagnosis.set_value(diagnosis.options[0 if first_option else -1])
    management.set_value(management.options[0])
    return button(app, "practice.submit").click().run()


def test_trainee_joins_by_code_answers_five_cases_and_sees_the_score(runtime, accounts):
    quiz = publish(runtime, accounts["educator"])
    app = app_as(accounts["trainee"]).switch_page("app_pages/practice.py").run()
    app.text_input[0].input(quiz.join_code.lower().replace("-", ""))
    button(app, "practice.join_button").click().run()
    assert not app.exception
    for number in range(1, 6):
        assert f"Case {number} of 5" in app.progress[0].proto.text
        app = answer_current_case(app)
        verdicts = [e.value for e in app.success] + [e.value for e in app.error]
        assert len(verdicts) == 1 and "right answer is" in verdicts[0] or "Correct" in verdicts[0]
        assert any("Total dermoscopy score" in text.value for text in app.text)
        button(app, "practice.next_case").click().run()
    assert "Quiz complete" in texts(app)
    assert "You scored" in texts(app) and "/ 5" in texts(app)
    attempt_id = app.session_state["attempt_id"]
    assert len(practice.attempt_feedback(runtime=runtime, actor=accounts["trainee"],
                                         attempt_id=attempt_id)) == 5


def test_reload_resumes_the_open_attempt_where_it_stopped(runtime, accounts):
    quiz = publish(runtime, accounts["educator"], feedback="end")
    attempt_id = practice.join(runtime=runtime, actor=accounts["trainee"], code=quiz.join_code)
    for _ in range(2):
        case = practice.next_case(runtime=runtime, actor=accounts["trainee"],
                                  attempt_id=attempt_id)
        practice.submit(runtime=runtime, actor=accounts["trainee"], attempt_id=attempt_id,
                        item_id=case.item_id, diagnosis=case.options[0], management="monitor",
                        confidence=60, time_ms=1200)
    app = app_as(accounts["trainee"]).switch_page("app_pages/practice.py").run()
    assert "Continue where you stopped" in texts(app)
    resume = next(b for b in app.button if b.key == f"continue_{attempt_id}")
    assert "2 of 5 answered" in resume.label
    resume.click().run()
    assert "Case 3 of 5" in app.progress[0].proto.text
    answer_current_case(app)
    assert "Case 4 of 5" in app.progress[0].proto.text  # feedback at the end: straight on


def test_submitting_the_same_case_twice_counts_once(runtime, accounts):
    quiz = publish(runtime, accounts["educator"])
    trainee = accounts["trainee"]
    attempt_id = practice.join(runtime=runtime, actor=trainee, code=quiz.join_code)
    case = practice.next_case(runtime=runtime, actor=trainee, attempt_id=attempt_id)
    answers = {"diagnosis": "malignant", "management": "excise", "confidence": 80,
               "time_ms": 900}
    first = practice.submit(runtime=runtime, actor=trainee, attempt_id=attempt_id,
                            item_id=case.item_id, **answers)
    again = practice.submit(runtime=runtime, actor=trainee, attempt_id=attempt_id,
                            item_id=case.item_id, **answers | {"diagnosis": "benign"})
    assert again.diagnosis == first.diagnosis == "malignant"
    following = practice.next_case(runtime=runtime, actor=trainee, attempt_id=attempt_id)
    assert following.number == 2


def test_practice_levels_start_locked_except_the_first(runtime, accounts):
    app = app_as(accounts["trainee"]).switch_page("app_pages/practice.py").run()
    starts = {b.key: b.disabled for b in app.button if (b.key or "").startswith("start_")}
    assert starts == {"start_beginner": False, "start_intermediate": True,
                      "start_advanced": True, "start_expert": True}


def test_second_opinion_is_hidden_with_a_note_when_no_auditor_is_installed(runtime, accounts):
    design = authoring.QuizDesign(spec=FIVE_CASES, second_opinion=True)
    quiz = teaching.publish(runtime=runtime, actor=accounts["educator"], title="With AI",
                            design=design, seed=3, cohort_id=None)
    attempt_id = practice.join(runtime=runtime, actor=accounts["trainee"], code=quiz.join_code)
    app = app_as(accounts["trainee"])
    app.session_state["attempt_id"] = attempt_id
    app.switch_page("app_pages/practice.py").run()
    assert "no auditor model is installed" in texts(app)
    answer_current_case(app)
    assert app.session_state["feedback_item"]  # answered directly, no pending advice step


def test_feedback_follows_the_language_chosen(runtime, accounts):
    quiz = publish(runtime, accounts["educator"])
    trainee = accounts["trainee"]
    attempt_id = practice.join(runtime=runtime, actor=trainee, code=quiz.join_code)
    case = practice.next_case(runtime=runtime, actor=trainee, attempt_id=attempt_id)
    practice.record_answer(runtime=runtime, actor=trainee, attempt_id=attempt_id,
                           item_id=case.item_id, diagnosis=case.options[0],
                           management="monitor", confidence=50, time_ms=1000)
    app = app_as(trainee, language="ja")
    app.session_state["attempt_id"] = attempt_id
    app.session_state["feedback_item"] = case.item_id
    app.switch_page("app_pages/practice.py").run()
    assert not app.exception
    shown = practice.feedback(runtime=runtime, actor=trainee, attempt_id=attempt_id,
                              item_id=case.item_id, language="ja").explained
    lines = "\n".join(text.value for text in app.text)
    assert "ダーモスコピー総合スコア" in lines and "Total dermoscopy score" not in lines
    assert shown.teaching.summary in lines
    assert shown.teaching.dermoscopic_cues[0] in lines
    assert shown.degradation in texts(app)


def test_a_quiz_that_closed_meanwhile_is_refused_on_the_page(runtime, accounts):
    quiz = publish(runtime, accounts["educator"])
    app = app_as(accounts["trainee"]).switch_page("app_pages/practice.py").run()
    app.text_input[0].input(quiz.join_code)
    button(app, "practice.join_button").click().run()
    with runtime.database.writing() as session:
        session.get(Quiz, quiz.quiz_id).closes_at = datetime.now(UTC) - timedelta(minutes=1)
    app = answer_current_case(app)  # sent from the page still showing the case
    assert not app.exception
    errors = [element.value for element in app.error]
    assert errors[0].startswith("Answer not saved: the quiz of attempt ")
    assert errors[1].startswith("This quiz cannot go on: quiz 'Ward round' closed at ")
    button(app, "practice.back_to_start").click().run()
    assert not app.exception and "attempt_id" not in app.session_state
    assert "Continue where you stopped" not in texts(app)  # a closed quiz cannot go on
