"""The other pages under AppTest: educator, expert review, results, studio (with an uploaded
photo), model lab, about, accounts. Each renders without an exception for its role and does
what it says."""

from __future__ import annotations

import io
import json

import numpy as np
import pytest
from apptest_support import ENGLISH, app_as, button, texts
from PIL import Image

from engine.quiz import QuizSpec
from engine.services import authoring, practice, review, teaching
from engine.store import items
from engine.store.models import Quiz, ValidationStatus

SMALL = QuizSpec(name="custom", classes=("mel", "nv"), n_options=2, severity_range=(0, 1),
                 n_items=3)


def publish(runtime, educator, **changes):
    design = authoring.QuizDesign(spec=SMALL.with_changes(**changes))
    return teaching.publish(runtime=runtime, actor=educator, title="Pigmented lesions",
                            design=design, seed=5, cohort_id=None)


def answer_all(runtime, trainee, code):
    attempt_id = practice.join(runtime=runtime, actor=trainee, code=code)
    while (case := practice.next_case(runtime=runtime, actor=trainee, attempt_id=attempt_id)):
        practice.submit(runtime=runtime, actor=trainee, attempt_id=attempt_id,
                        item_id=case.item_id, diagnosis="mel", management="excise",
                        confidence=70, time_ms=1500)
    return attempt_id


def test_educator_previews_publishes_and_gets_a_join_code(runtime, accounts):
    app = app_as(accounts["educator"]).switch_page("app_pages/educator.py").run()
    assert not app.exception
    assert "Three cases at these settings" in texts(app)
    assert "phantom" in texts(app)  # no checkpoint installed: the source is named
    assert not app.warning  # phantoms carry no per-skin-type evaluation
    (typical,) = [t for t in app.toggle if t.label == ENGLISH["educator.typical_cases"]]
    typical.set_value(True).run()
    button(app, "educator.publish").click().run()
    (published,) = teaching.my_quizzes(runtime=runtime, actor=accounts["educator"])
    assert published.items == 10
    assert f"Join code: {published.join_code}" in texts(app)
    with runtime.database.reading() as session:
        assert session.get(Quiz, published.quiz_id).spec["typical_cases"] is True


def test_educator_is_warned_of_the_skin_types_the_model_draws_poorly(accounts, monkeypatch,
                                                                     tmp_path):
    from engine.sources import MODELS_ROOT

    assert authoring.weak_skin_types(MODELS_ROOT / "gan-128") == (6,)
    (tmp_path / "metrics.json").write_text(json.dumps({"evaluation": {
        "conditional_accuracy_by_skin_type": {"1": 0.9, "3": 0.74}}}))
    assert authoring.weak_skin_types(tmp_path) == (3,)
    (tmp_path / "metrics.json").write_text("{not json")
    assert authoring.weak_skin_types(tmp_path) == ()
    monkeypatch.setenv("LESIONLAB_MODELS_DIR", str(MODELS_ROOT))
    app = app_as(accounts["educator"]).switch_page("app_pages/educator.py").run()
    assert not app.exception
    (warning,) = app.warning
    assert warning.value.startswith("On Fitzpatrick VI skin this model's images")


def test_educator_analytics_and_csv_export_follow_the_answers(runtime, accounts):
    quiz = publish(runtime, accounts["educator"])
    answer_all(runtime, accounts["trainee"], quiz.join_code)
    figures = teaching.analytics(runtime=runtime, actor=accounts["educator"],
                                 quiz_id=quiz.quiz_id)
    assert [row["answers"] for row in figures.trainees] == [3]
    csv_text = teaching.answers_csv(runtime=runtime, actor=accounts["educator"],
                                    quiz_id=quiz.quiz_id)
    assert len(csv_text.strip().splitlines()) == 4  # header + three answers
    app = app_as(accounts["educator"]).switch_page("app_pages/educator.py").run()
    assert not app.exception
    assert "Per trainee" in texts(app)


def test_expert_approval_puts_the_item_into_a_validated_only_quiz(runtime, accounts):
    quiz = publish(runtime, accounts["educator"], validated_only=True)
    trainee = accounts["trainee"]
    attempt_id = practice.join(runtime=runtime, actor=trainee, code=quiz.join_code)
    assert practice.next_case(runtime=runtime, actor=trainee, attempt_id=attempt_id) is None

    app = app_as(accounts["expert"]).switch_page("app_pages/review.py").run()
    assert "3 items waiting for your review" in texts(app)
    button(app, "review.approve").click().run()
    assert not app.exception
    assert "2 items waiting for your review" in texts(app)
    case = practice.next_case(runtime=runtime, actor=trainee, attempt_id=attempt_id)
    assert case is not None and case.total == 1
    with runtime.database.reading() as session:
        shown = items.quiz_items(session=session, actor=trainee, quiz_id=quiz.quiz_id)
        assert [item.validation_status for item in shown] == [ValidationStatus.APPROVED]


def test_agreement_tab_reports_kappa_once_experts_overlap(runtime, accounts):
    from engine.store import users
    from engine.store.roles import Role

    quiz = publish(runtime, accounts["educator"])
    with runtime.database.writing() as session:
        second = users.add_user(session=session, actor=None, name="expert2", role=Role.EXPERT,
                                password=None)
    decisions = {"expert": ["approve", "approve", "reject"],
                 "expert2": ["approve", "reject", "reject"]}
    for name, actor in (("expert", accounts["expert"]), ("expert2", second)):
        for decision in decisions[name]:
            case = review.next_case(runtime=runtime, actor=actor)
            review.record_review(runtime=runtime, actor=actor, item_id=case.item_id,
                                 realism=4, agrees=True, decision=decision, artefacts=[],
                                 comment="")
    result = review.agreement(runtime=runtime, actor=accounts["expert"])
    assert result.items_with_several_reviews == quiz.items
    ((first, other, shared, kappa),) = result.pairwise
    assert (first, other, shared) == ("expert", "expert2", 3)
    assert kappa == pytest.approx(0.4)  # observed 2/3, chance 4/9
    app = app_as(accounts["expert"]).switch_page("app_pages/review.py").run()
    assert "Cohen's kappa" in str(app.dataframe[0].value.columns.tolist())


def test_results_show_scores_charts_and_mistakes_after_a_quiz(runtime, accounts):
    quiz = publish(runtime, accounts["educator"])
    answer_all(runtime, accounts["trainee"], quiz.join_code)
    app = app_as(accounts["trainee"]).switch_page("app_pages/results.py").run()
    assert not app.exception
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["Cases answered"] == "3"
    assert "Review of mistakes" in texts(app)
    assert "Due today (spaced repetition)" in texts(app)


def test_results_before_any_answer_point_to_practice(runtime, accounts):
    app = app_as(accounts["trainee"]).switch_page("app_pages/results.py").run()
    assert "No answers yet" in texts(app)


def test_studio_labels_missing_models_and_degrades_the_phantom(runtime, accounts):
    app = app_as(accounts["trainee"]).switch_page("app_pages/studio.py").run()
    assert not app.exception
    assert texts(app).count("Not installed on this server") == 2
    assert "Procedural phantom" in texts(app)
    assert app.get("download_button")


def test_studio_names_and_describes_the_faults_in_the_chosen_language(runtime, accounts):
    app = app_as(accounts["trainee"], language="id").switch_page("app_pages/studio.py").run()
    assert not app.exception
    assert [slider.label for slider in app.slider] == [
        "Buram Gaussian", "Rambut", "Kompresi JPEG"]
    assert "kompresi JPEG (kualitas" in texts(app) and "JPEG quality" not in texts(app)


def photo(format: str) -> bytes:
    pixels = np.random.default_rng(2).integers(0, 256, (200, 300, 3), dtype=np.uint8)
    buffer = io.BytesIO()
    Image.fromarray(pixels).save(buffer, format=format)
    return buffer.getvalue()


def test_studio_degrades_an_uploaded_photo_and_refuses_a_mislabelled_one(runtime, accounts):
    app = app_as(accounts["educator"]).switch_page("app_pages/studio.py").run()
    (typicality,) = [s for s in app.select_slider if s.label == ENGLISH["studio.truncation"]]
    typicality.set_value(0.5).run()
    assert not app.exception
    (uploader,) = app.file_uploader
    assert uploader.allowed_type == [".jpg", ".jpeg", ".png"]
    uploader.upload("mole.jpg", photo("JPEG"), "image/jpeg").run()
    assert not app.exception and not app.error
    assert app.radio[0].options == ["Your photo", "Procedural phantom"]
    assert app.radio[0].value.source == "upload"
    assert [image.proto.imgs[0].caption for image in app.get("image")][-2:] == [
        "Clean image", "Degraded"]
    assert app.get("download_button")

    app.file_uploader[0].set_value(("mole.jpg", photo("PNG"), "image/jpeg")).run()
    assert not app.exception
    assert [error.value for error in app.error] == [
        "This photo cannot be used: image mole.jpg is a PNG image, but its name ends in .jpg"]
    assert app.radio[0].options == ["Procedural phantom"]


def test_studio_typicality_changes_the_models_images_and_not_the_phantom():
    from engine.services import studio
    from engine.sources import MODELS_ROOT

    profile = studio.sample_profile(seed=4, dx="mel")
    shown = {truncation: {image.source: image.png for image in studio.render_all(
        profile=profile, seed=4, models_dir=MODELS_ROOT, truncation=truncation)}
        for truncation in (1.0, studio.TRUNCATIONS[-1])}
    assert shown[1.0]["phantom"] == shown[0.5]["phantom"]
    assert shown[1.0]["gan"] != shown[0.5]["gan"]
    assert shown[1.0]["deconv"] != shown[0.5]["deconv"]


def test_model_lab_without_a_report_says_how_to_make_one(runtime, accounts, tmp_path,
                                                         monkeypatch):
    monkeypatch.setenv("LESIONLAB_REPORTS_DIR", str(tmp_path / "reports"))
    app = app_as(accounts["educator"]).switch_page("app_pages/model_lab.py").run()
    assert "No evaluation report yet" in texts(app)
    assert "lesionlab evaluate" in texts(app)


def test_model_lab_shows_a_written_report(runtime, accounts, tmp_path, monkeypatch):
    folder = tmp_path / "reports" / "gan-vs-phantom"
    folder.mkdir(parents=True)
    result = {"name": "kid", "value": 0.12, "floor": 0.01, "higher_is_better": False,
              "details": {}}
    accuracy = {"name": "conditional_accuracy", "value": 0.5, "floor": 0.8,
                "higher_is_better": True,
                "details": {"per_class": {"mel": 0.4}, "floor_per_class": {"mel": 0.9}}}
    by_type = {"name": "skin_type_accuracy", "value": 0.3, "floor": 0.9,
               "higher_is_better": True,
               "details": {"by_skin_type": {"1": {"accuracy": 0.8, "images": 40},
                                            "6": {"accuracy": 0.3, "images": 25}},
                           "floor_by_skin_type": {"6": {"accuracy": 0.9, "images": 30}}}}
    (folder / "metrics.json").write_text(json.dumps({"models": {"gan": {
        "kid": result, "conditional_accuracy": accuracy, "skin_type_accuracy": by_type}}}))
    monkeypatch.setenv("LESIONLAB_REPORTS_DIR", str(tmp_path / "reports"))
    app = app_as(accounts["educator"]).switch_page("app_pages/model_lab.py").run()
    assert not app.exception
    table = app.dataframe[0].value
    assert table["metric"].tolist() == ["kid", "conditional_accuracy", "skin_type_accuracy"]
    assert table["gan"].tolist() == [0.12, 0.5, 0.3]
    charts = [json.loads(chart.proto.spec) for chart in app.get("plotly_chart")]
    (skin_chart,) = [c for c in charts if "skin type" in c["layout"]["title"]["text"]]
    assert [(bar["name"], bar["x"], bar["y"]) for bar in skin_chart["data"]] == [
        ("gan", ["I", "VI"], [0.8, 0.3]), ("real floor", ["VI"], [0.9])]


def test_admin_creates_an_account_that_can_then_sign_in(runtime, accounts):
    from engine.services import accounts as account_service

    app = app_as(accounts["admin"]).switch_page("app_pages/accounts.py").run()
    app.text_input[0].input("newcomer")
    app.text_input[1].input("New Comer")
    app.text_input[2].input("long-enough-pw")
    button(app, "accounts.create").click().run()
    assert "Account newcomer created." in texts(app)
    actor = account_service.sign_in(runtime=runtime, name="newcomer", password="long-enough-pw")
    assert actor.role.value == "trainee"


def test_about_page_names_the_licence_and_the_limits(runtime):
    app = app_as().switch_page("app_pages/about.py").run()
    assert "CC BY-NC-SA 4.0" in texts(app)
    assert "not medical advice" in texts(app)
