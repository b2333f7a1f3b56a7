"""Engine-written feedback in Japanese and Indonesian: complete locale files, translated
teaching texts of the same shape, and feedback on a real phantom case with no English left."""

from __future__ import annotations

import json
import re
import string

import pytest

from engine.degrade import DEGRADATIONS, describe
from engine.feedback import TEACHING_DIR, item_feedback, teaching_points
from engine.i18n import LANGUAGES, LOCALES_DIR, text
from engine.phantom.criteria import (
    ABCD_COMPONENTS,
    COLOURS,
    SEVEN_POINT,
    SITE_PATTERNS,
    STRUCTURES,
    Criteria,
)
from engine.quiz import QuizSpec, build_quiz
from engine.scoring import MANAGEMENTS
from engine.sources import PhantomSource
from engine.vocabulary import DIAGNOSES

TRANSLATIONS = ("ja", "id")
TDS_CATEGORIES = ("benign", "suspicious", "highly suspicious")
TERMS = (*COLOURS, *STRUCTURES, *ABCD_COMPONENTS, *SEVEN_POINT, *SITE_PATTERNS, *TDS_CATEGORIES)
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
TEACHING_LISTS = ("dermoscopic_cues", "pitfalls", "sources")


def locale(language: str) -> dict[str, str]:
    return json.loads((LOCALES_DIR / f"{language}.json").read_text(encoding="utf-8"))


def placeholders(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


def teaching_file(dx: str, language: str) -> dict:
    folder = TEACHING_DIR if language == "en" else TEACHING_DIR / language
    return json.loads((folder / f"{dx}.json").read_text(encoding="utf-8"))


def written(teaching: dict) -> list[str]:
    """The sentences of a teaching text (not its name, code or citations)."""
    return [teaching["summary"], teaching["scores"], teaching["management"],
            *teaching["dermoscopic_cues"], *teaching["pitfalls"],
            *teaching["look_alikes"].values()]


def english_terms_in(sentence: str) -> list[str]:
    return [term for term in TERMS if re.search(rf"\b{re.escape(term)}\b", sentence, re.I)]


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_locales_have_the_english_keys_with_the_same_placeholders(language):
    english, other = locale("en"), locale(language)
    assert list(other) == list(english)
    assert [key for key in english
            if placeholders(english[key]) != placeholders(other[key])] == []


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_locales_are_translated_not_copied(language):
    english = locale("en")
    copied = [key for key, template in locale(language).items()
              if template == english[key] and re.search(r"[a-z]{4,} [a-z]{4,}", template)]
    assert copied == []


@pytest.mark.parametrize(("language", "written"), [
    ("en", "12.5 MB (13,107,200 bytes)"), ("ja", "12.5 MB（13,107,200 バイト）"),
    ("id", "12,5 MB (13.107.200 byte)")])
def test_numbers_are_written_with_the_language_s_decimal_and_thousands_marks(language, written):
    sentence = text("refusal.upload.too_large", language, name="mole.png", megabytes=12.5,
                    size=13_107_200, limit_megabytes=10.0, limit=10_485_760)
    assert written in sentence


def test_every_word_the_engine_puts_in_a_sentence_has_a_template():
    english = locale("en")
    wanted = ([f"term.{term}" for term in TERMS] + [f"diagnosis.{dx}" for dx in DIAGNOSES]
              + [f"management.{name}" for name in MANAGEMENTS]
              + [f"fault.{name}" for name in DEGRADATIONS])
    assert [key for key in wanted if key not in english] == []


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", sorted(DEGRADATIONS))
def test_every_degradation_is_described_in_every_language(name, language):
    parameters = DEGRADATIONS[name].parameters
    for sign in (1, -1):
        values = {p.name: sign * p.heavy if p.signed else p.heavy for p in parameters}
        description = describe([{"name": name, "params": values}], language=language)
        assert description and "{" not in description
        if language == "ja":
            assert JAPANESE.search(description)


@pytest.mark.parametrize("language", TRANSLATIONS)
@pytest.mark.parametrize("dx", DIAGNOSES)
def test_teaching_translations_keep_the_english_fields_and_entries(dx, language):
    english, translated = teaching_file(dx, "en"), teaching_file(dx, language)
    assert list(translated) == list(english)
    assert (translated["dx"], translated["malignant"]) == (english["dx"], english["malignant"])
    assert [len(translated[name]) for name in TEACHING_LISTS] == [
        len(english[name]) for name in TEACHING_LISTS]
    assert list(translated["look_alikes"]) == list(english["look_alikes"])
    sentences = written(translated)
    assert set(sentences).isdisjoint(written(english))
    if language == "ja":
        assert all(JAPANESE.search(sentence) for sentence in [translated["name"], *sentences])
    assert teaching_points(dx, language=language).summary == translated["summary"]


@pytest.fixture(scope="module")
def melanoma_item():
    spec = QuizSpec(classes=("mel", "nv", "bkl"), n_options=3, severity_range=(3, 3), n_items=1)
    return build_quiz(spec, seed=0, source=PhantomSource(size=64)).items[0]


@pytest.mark.parametrize("language", TRANSLATIONS)
def test_feedback_on_a_phantom_case_is_written_in_the_language(melanoma_item, language):
    item = melanoma_item
    wrong = next(option for option in item.options if option != item.correct_answer)
    feedback = item_feedback(item=item, given=wrong, given_management="monitor",
                             language=language)
    english = item_feedback(item=item, given=wrong, given_management="monitor")
    assert len(feedback.criteria_lines) == len(english.criteria_lines)
    assert feedback.abcd == english.abcd and feedback.seven_point == english.seven_point
    sentences = [*feedback.criteria_lines, feedback.degradation, feedback.teaching.summary,
                 feedback.tell_apart, feedback.management_note, feedback.management_label]
    assert english_terms_in("\n".join(english.criteria_lines))  # the check can fail
    assert [english_terms_in(sentence) for sentence in sentences] == [[]] * len(sentences)
    assert feedback.teaching == teaching_points(item.profile.dx, language=language)
    if language == "ja":
        assert all(JAPANESE.search(sentence) for sentence in sentences)
        assert any("ダーモスコピー総合スコア" in line for line in feedback.criteria_lines)
    else:  # Indonesian writes decimals with a comma
        assert not any(re.search(r"\d\.\d", line) for line in feedback.criteria_lines)
        assert any(re.search(r"\d,\d", line) for line in feedback.criteria_lines)


def test_translated_terms_replace_the_english_ones_in_criteria_lines():
    criteria = Criteria(dx="mel", diameter_mm=7.0, field_of_view_mm=9.0, asymmetry_axes=2,
                        border_segments=5, border_irregularity=0.5,
                        colours=("light brown", "dark brown", "blue-grey"),
                        structures=("atypical pigment network", "blue-whitish veil",
                                    "regression structures", "parallel ridge pattern"),
                        site_pattern="acral ridge", orientation_deg=0.0, centre_mm=(0.0, 0.0))
    japanese = "\n".join(criteria.explanation_lines(language="ja"))
    indonesian = "\n".join(criteria.explanation_lines(language="id"))
    assert "青白色ベール" in japanese and "非定型色素ネットワーク" in japanese
    assert "selubung biru-keputihan" in indonesian and "jaringan pigmen atipikal" in indonesian
    assert english_terms_in(japanese) == [] and english_terms_in(indonesian) == []


@pytest.mark.parametrize(
    "call",
    [
        lambda item: item_feedback(item=item, language="fr"),
        lambda item: describe([], language="fr"),
        lambda item: Criteria.from_dict(item.criteria).explanation_lines(language="fr"),
        lambda item: teaching_points("mel", language="fr"),
        lambda item: text("criteria.none", "fr"),
    ],
)
def test_an_unknown_language_is_refused_with_the_known_ones(melanoma_item, call):
    with pytest.raises(ValueError, match=r"unknown language 'fr'; expected one of en, ja, id"):
        call(melanoma_item)
