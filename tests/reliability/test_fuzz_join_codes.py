"""Join codes as typed: anything that is not a code is refused with a message saying why, in the
store, in the service and in the practice page; only the real code opens the quiz."""

from __future__ import annotations

import pytest
from apptest_support import app_as
from hypothesis import given
from hypothesis import strategies as st
from tally import check, fuzz

from engine.services import practice
from engine.store.quizzes import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH, parse_join_code

MALFORMED_EXAMPLES = ("", "ABC", "ABC-DEFG", "ABC-DE0", "abc-def-ghi", "O0O-1I1",
                      "<script>window.__lesionlab_xss=1</script>", "'; DROP TABLE quizzes; --",
                      "ＡＢＣ-ＤＥＦ", "\x00" * 6, "A" * 10_000)


@fuzz(200)
@given(code=st.one_of(st.text(max_size=40), st.sampled_from(MALFORMED_EXAMPLES),
                      st.text(alphabet=JOIN_CODE_ALPHABET + "-  o0il", min_size=5,
                              max_size=9)))
def test_any_typed_code_parses_or_is_refused_as_malformed(tally, code):
    parsed, message = check(tally, "join code parser", ValueError,
                            lambda: parse_join_code(code=code))
    if message is None:
        assert len(parsed) == JOIN_CODE_LENGTH and set(parsed) <= set(JOIN_CODE_ALPHABET)
    else:
        assert message.startswith(f"join code {code!r} is malformed")


def test_the_service_opens_only_the_real_quiz(seeded, tally):
    trainee = seeded.actors["trainee"]
    real = seeded.codes["five"]

    @fuzz(40)
    @given(code=st.one_of(st.sampled_from(MALFORMED_EXAMPLES), st.text(max_size=12),
                          st.text(alphabet=JOIN_CODE_ALPHABET, min_size=6, max_size=6)))
    def run(code):
        attempt, message = check(tally, "join code service", ValueError,
                                 lambda: practice.join(runtime=seeded.runtime, actor=trainee,
                                                       code=code))
        if message is None:
            assert parse_join_code(code=code) in {parse_join_code(code=real),
                                                  parse_join_code(code=seeded.codes["validated"])}
        else:
            assert "join code" in message

    run()
    assert practice.open_attempts(runtime=seeded.runtime, actor=trainee) == []
    opened = practice.join(runtime=seeded.runtime, actor=trainee, code=real.lower())
    assert [a.attempt_id for a in practice.open_attempts(runtime=seeded.runtime,
                                                        actor=trainee)] == [opened]


@pytest.mark.slow
def test_the_practice_page_shows_the_refusal_as_text(seeded, tally):
    app = app_as(seeded.actors["trainee"]).switch_page("app_pages/practice.py").run()
    for code in ("ABC-DE0", "<img src=x onerror=alert(1)>", "ZZZ-ZZZ"):
        field = next(box for box in app.text_input if box.label == "Join code from your educator")
        field.input(code)
        next(button for button in app.button if button.label == "Join quiz").click().run()
        assert not app.exception
        errors = [error.value for error in app.error]
        assert len(errors) == 1 and errors[0].startswith("Could not join: ")
        tally.refused("join code practice page", errors[0])
        assert "attempt_id" not in app.session_state
