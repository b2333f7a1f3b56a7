"""Naming what to evaluate: model folders, optionally sampled with truncation (FOLDER@PSI)."""

import pytest

from engine.evaluation import samples
from engine.evaluation.run import EvaluationPlan


def test_a_truncation_after_the_folder_is_read_and_checked():
    assert samples.split_truncation("models/gan-128") == ("models/gan-128", 1.0)
    assert samples.split_truncation("models/gan-128@0.7") == ("models/gan-128", 0.7)
    with pytest.raises(ValueError, match="after '@' comes a truncation"):
        samples.split_truncation("models/gan-128@typical")
    with pytest.raises(ValueError, match="from 0 .* to 1"):
        samples.split_truncation("models/gan-128@1.5")
    with pytest.raises(ValueError, match="model folders only"):
        samples.split_truncation("phantom@0.5")


def test_each_truncation_is_its_own_cached_source(tmp_path):
    (tmp_path / "config.json").write_text("{}")
    keys = {samples.model_fingerprint(f"{tmp_path}{suffix}") for suffix in ("", "@0.5", "@0.7")}
    assert len(keys) == 3


def test_a_plan_refuses_a_bad_truncation_before_any_work(tmp_path):
    with pytest.raises(ValueError, match="after '@'"):
        EvaluationPlan(models=("models/gan-128@x",), real=tmp_path, real_format="ham10000")
