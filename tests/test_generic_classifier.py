"""TextClassifier: any label set, the scikit-learn contract, persistence and explanations."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from spamguard.classifiers.generic import TextClassifier
from spamguard.persist import load_model_file, save_model

_THEMES = {
    "praise": ["Sản phẩm rất tốt, giao hàng nhanh, đóng gói cẩn thận {n} sao",
               "Hàng đẹp đúng mô tả, shop tư vấn nhiệt tình, sẽ ủng hộ lần {n}"],
    "complaint": ["Hàng lỗi, shop không trả lời tin nhắn, chờ {n} ngày vẫn chưa hoàn tiền",
                  "Giao sai màu, chất vải mỏng, thất vọng lần thứ {n}"],
    "spam": ["Inbox mình để nhận mã giảm giá {n}k, follow shop nha",
             "Ai cần mua sỉ liên hệ zalo 09123456{n:02d} nhé, giá tốt"],
}


def _data(per_theme: int = 8) -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for label, templates in _THEMES.items():
        for i in range(per_theme):
            texts.append(templates[i % 2].format(n=i + 1))
            labels.append(label)
    return texts, labels


@pytest.fixture(scope="module")
def fitted() -> TextClassifier:
    texts, labels = _data()
    return TextClassifier(n_features=2**12, char_features=2**12, cv=3).fit(texts, labels)


def test_clone_keeps_every_parameter():
    model = TextClassifier(n_features=2**10, alpha=1e-4, reference_class="ok")
    assert clone(model).get_params() == model.get_params()


def test_fit_returns_the_estimator_itself():
    texts, labels = _data(4)
    model = TextClassifier(n_features=2**10, char_features=2**10, cv=2)
    assert model.fit(texts, labels) is model


def test_an_unfitted_model_raises_not_fitted_error():
    with pytest.raises(NotFittedError):
        TextClassifier().predict(["Hàng tốt"])


def test_a_bare_string_is_refused_with_sklearns_message(fitted):
    with pytest.raises(ValueError, match="Iterable over raw text documents expected"):
        fitted.predict("Hàng tốt")


def test_one_class_cannot_be_fitted():
    with pytest.raises(ValueError, match="at least two classes"):
        TextClassifier(n_features=2**10).fit(["a", "b"], ["x", "x"])


def test_label_count_must_match_the_texts():
    with pytest.raises(ValueError, match="3 texts but 2 labels"):
        TextClassifier(n_features=2**10).fit(["a", "b", "c"], ["x", "y"])


def test_any_label_set_is_learned_and_predicted(fitted):
    assert sorted(fitted.classes_) == ["complaint", "praise", "spam"]
    predicted = fitted.predict(["Inbox mình để nhận mã giảm giá nha", "Hàng lỗi, shop không trả lời tin nhắn"])
    assert list(predicted) == ["spam", "complaint"]


@pytest.mark.parametrize(("labels", "reference", "expected_first"), [
    ([0, 1, 0, 1], None, "0"),
    (["spam", "ham", "spam", "ham"], "ham", "ham"),
    (["b", "a", "c", "a"], "c", "c"),
])
def test_the_reference_class_comes_first(labels, reference, expected_first):
    texts = ["hàng tốt quá", "lừa đảo", "giao nhanh", "hàng giả"]
    model = TextClassifier(n_features=2**10, cv=2, reference_class=reference).fit(texts, labels)
    assert model.classes_[0] == expected_first


def test_an_unknown_reference_class_is_refused():
    with pytest.raises(ValueError, match="reference_class 'zzz' is not among the labels"):
        TextClassifier(n_features=2**10, reference_class="zzz").fit(["a b", "c d"], ["x", "y"])


def test_probabilities_are_calibrated_rows_that_sum_to_one(fitted):
    proba = fitted.predict_proba(["Hàng đẹp", "", None])
    assert proba.shape == (3, 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_save_and_load_give_identical_probabilities(fitted, tmp_path):
    texts, _ = _data(3)
    loaded = load_model_file(save_model(fitted, tmp_path / "generic.sgm"))
    np.testing.assert_array_equal(loaded.predict_proba(texts), fitted.predict_proba(texts))
    assert list(loaded.classes_) == list(fitted.classes_)


def test_explanations_are_json_with_spans_inside_the_text(fitted):
    text = "Inbox mình để nhận mã giảm giá 50k, follow shop nha"
    result = fitted.explain([text])[0]
    json.dumps(result, ensure_ascii=False)
    assert result["label"] == "spam"
    assert result["features"], "a confident prediction has supporting features"
    for feature in result["features"]:
        for start, end in feature["spans"]:
            assert 0 <= start < end <= len(text)


def test_a_table_with_a_text_column_is_accepted(fitted):
    texts = ["Hàng đẹp đúng mô tả", "Giao sai màu"]
    np.testing.assert_allclose(fitted.predict_proba({"text": texts}), fitted.predict_proba(texts))


@pytest.mark.parametrize("char_ngrams", [True, False])
def test_both_views_save_and_load(char_ngrams, tmp_path):
    texts, labels = _data(4)
    model = TextClassifier(n_features=2**10, char_features=2**9, char_ngrams=char_ngrams, cv=2).fit(texts, labels)
    width = 2**10 + len(model._dense_names()) + (2**9 if char_ngrams else 0)
    assert model.coef_.shape[1] == width
    loaded = load_model_file(save_model(model, tmp_path / "m.sgm"))
    np.testing.assert_array_equal(loaded.predict_proba(texts), model.predict_proba(texts))
