"""The shipped-model recipe: `spamguard train --shipped` reproduces a model from the project's own files."""

from __future__ import annotations

import numpy as np
import pytest

from spamguard.cli import main
from spamguard.persist import load_model_file


def test_shipped_recipe_refuses_data_files(tmp_path, capsys):
    assert main(["train", "--task", "sms", "--shipped", str(tmp_path / "x.csv")]) == 2
    assert "give no DATA" in capsys.readouterr().err


def test_train_without_data_or_shipped_is_a_usage_error(capsys):
    assert main(["train", "--task", "sms"]) == 2


@pytest.mark.slow
def test_shipped_recipe_is_seeded_and_reproducible(tmp_path):
    first, second = tmp_path / "a.sgm", tmp_path / "b.sgm"
    assert main(["train", "--task", "sms", "--shipped", "-o", str(first)]) == 0
    assert main(["train", "--task", "sms", "--shipped", "-o", str(second)]) == 0
    a, b = load_model_file(first), load_model_file(second)
    np.testing.assert_array_equal(a.coef_, b.coef_)
    assert a.card_["training_data"]["sms_vi"]["rows"] >= 4000
    assert (tmp_path / "a.md").read_text(encoding="utf-8").startswith("# SMS model card")
