"""SmsClassifier: the scikit-learn contract, inputs, operating points, explanations and safe persistence."""

from __future__ import annotations

import json

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GroupKFold, cross_val_predict

from spamguard.classifiers import SmsClassifier
from spamguard.errors import InputFormatError, ModelFormatError
from spamguard.persist import load_model_file, save_model

HAM = [
    "Ma OTP cua ban la 482913. Khong chia se ma nay cho bat ky ai.",
    "TK 0123xxx456 +2,000,000VND luc 10:20 27/03/2025. SD: 15,230,000VND. ND: luong thang 3",
    "Mẹ ơi tối nay con về muộn, mẹ đừng đợi cơm nhé",
    "Don hang 8812 cua ban dang duoc giao, shipper se goi truoc khi den",
    "Tối nay đi ăn lẩu không mày, 7h ở chỗ cũ nhé",
    "Quy khach da nap thanh cong 50.000d vao thue bao. Tran trong cam on.",
]
SPAM = [
    "Dat nen tho cu 100% so do rieng chi 880tr/nen, CK 5%. LH 0912 345 678 gap Ms Lan",
    "Khoa hoc IELTS cap toc giam 40% hoc phi thang nay, dang ky ngay LH 0987654321",
    "Sim so dep 0988.111.888 gia chi 2tr5, lien he ngay de so huu",
    "Mỹ phẩm trắng da chính hãng giảm 50% hôm nay, inbox shop để đặt hàng",
]
SCAM = [
    "Vietcombank: tai khoan cua quy khach bi khoa, xac minh ngay tai http://vietcombank-xacminh.top",
    "Nha cai uy tin nap dau tang 100%, rut tien sieu toc 3 phut, truy cap hi88.vip",
    "Ban da trung thuong xe SH, nop phi nhan thuong 2tr vao STK 0123456789 de nhan giai",
    "Con dang cap cuu o benh vien, chuyen gap 20tr vao so tai khoan nay giup con",
    "Vay tien nhanh chi can CCCD, giai ngan 5 phut, khong tham dinh, lien he Zalo 0912000111",
]
TEXTS = HAM + SPAM + SCAM
LABELS = ["ham"] * len(HAM) + ["spam"] * len(SPAM) + ["scam"] * len(SCAM)
SENDERS = ["VCB", "Vietcombank", "0912345678", "GHN", "0987000111", "VIETTEL"] + ["0912345678"] * 9


@pytest.fixture(scope="module")
def fitted():
    return SmsClassifier(cv=2, n_features=2**14).fit(TEXTS * 2, LABELS * 2, senders=SENDERS * 2,
                                                     groups=list(range(len(TEXTS))) * 2)


def test_fit_returns_self_and_orders_classes_by_severity():
    clf = SmsClassifier(cv=0, n_features=2**12)
    assert clf.fit(TEXTS, LABELS) is clf
    assert list(clf.classes_) == ["ham", "spam", "scam"]


def test_clone_and_get_params_round_trip():
    clf = SmsClassifier(alpha=1e-4, n_features=2**12)
    copy = clone(clf)
    assert copy.get_params() == clf.get_params()
    assert copy is not clf


def test_unfitted_model_raises_not_fitted_error():
    with pytest.raises(NotFittedError):
        SmsClassifier().predict_proba(["xin chao"])


def test_bare_string_is_rejected_like_scikit_learn_vectorizers(fitted):
    with pytest.raises(ValueError, match="Iterable over raw text documents expected"):
        fitted.predict_proba("Tai khoan bi khoa")


def test_probabilities_are_rows_that_sum_to_one(fitted):
    proba = fitted.predict_proba(TEXTS, senders=SENDERS)
    assert proba.shape == (len(TEXTS), 3)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, rtol=1e-9)


def test_model_learns_the_training_labels(fitted):
    assert (fitted.predict(TEXTS, senders=SENDERS) == np.asarray(LABELS)).mean() >= 0.9


def test_table_input_with_text_and_sender_columns_equals_keyword_senders(fitted):
    from_table = fitted.predict_proba({"text": TEXTS, "sender": SENDERS})
    from_kwargs = fitted.predict_proba(TEXTS, senders=SENDERS)
    np.testing.assert_allclose(from_table, from_kwargs)


def test_records_input_is_accepted(fitted):
    records = [{"text": t, "sender": s} for t, s in zip(TEXTS, SENDERS)]
    np.testing.assert_allclose(fitted.predict_proba(records), fitted.predict_proba(TEXTS, senders=SENDERS))


def test_table_without_text_column_names_the_columns(fitted):
    with pytest.raises(InputFormatError, match="no 'text' column"):
        fitted.predict_proba({"message": TEXTS})


def test_mismatched_sender_count_is_a_clear_error(fitted):
    with pytest.raises(InputFormatError, match="sender"):
        fitted.predict_proba(TEXTS, senders=SENDERS[:3])


@pytest.mark.parametrize("odd", ["", " ", "\x00\x00", "🙂" * 50, "a" * 100_000, "\u200b\u200b", None, 12345])
def test_odd_inputs_score_without_crashing(fitted, odd):
    proba = fitted.predict_proba([odd, "xin chao"])
    assert proba.shape == (2, 3) and np.isfinite(proba).all()


def test_fast_scoring_path_equals_the_feature_matrix_product(fitted):
    analyses = fitted._analyze({"text": TEXTS + ["", "Th0ng ba0 🎉"], "sender": SENDERS + [None, "VCB"]})
    expected = np.asarray(fitted._matrix(analyses) @ fitted.coef_.T) + fitted.intercept_
    np.testing.assert_allclose(fitted._logits(analyses), expected, rtol=1e-9, atol=1e-9)


@pytest.mark.parametrize("with_senders", [True, False])
def test_predict_proba_equals_scoring_through_token_strings(fitted, with_senders):
    texts = TEXTS + ["", "Th0ng ba0 🎉", TEXTS[0], "k h u y e n m a i 500k"]
    senders = SENDERS + [None, "VCB", "VCB", "8088"] if with_senders else None
    columns = {"text": texts, **({"sender": senders} if senders else {})}
    expected = fitted._proba_from_analyses(fitted._analyze(columns))
    np.testing.assert_allclose(fitted.predict_proba(texts, senders=senders), expected, rtol=1e-12, atol=1e-12)


def test_empty_batch_returns_an_empty_matrix(fitted):
    assert fitted.predict_proba([]).shape == (0, 3)


def test_operating_points_are_named_and_ordered_by_strictness(fitted):
    points = fitted.operating_points_
    assert set(points) == {"fpr_1pct", "fpr_0.1pct"}
    for cls in ("spam", "scam"):
        assert points["fpr_0.1pct"][cls] >= points["fpr_1pct"][cls]


def test_predict_accepts_named_and_numeric_thresholds(fitted):
    strict = fitted.predict(TEXTS, threshold=1.01, senders=SENDERS)
    assert set(strict) == {"ham"}
    lenient = fitted.predict(TEXTS, threshold=0.0, senders=SENDERS)
    assert set(lenient) == {"scam"}
    assert len(fitted.predict(TEXTS, threshold="fpr_1pct")) == len(TEXTS)
    with pytest.raises(ValueError, match="unknown operating point"):
        fitted.predict(TEXTS, threshold="fpr_5pct")


def test_explanations_are_json_serializable_with_spans_inside_the_message(fitted):
    explanations = fitted.explain(SCAM, senders=["0912345678"] * len(SCAM))
    json.dumps(explanations)
    for text, item in zip(SCAM, explanations):
        assert item["label"] in {"ham", "spam", "scam"}
        assert abs(sum(item["scores"].values()) - 1) < 1e-4
        assert item["features"], "a scored message has contributing features"
        for feature in item["features"]:
            for start, end in feature["spans"]:
                assert 0 <= start < end <= len(text)


def test_explanation_of_a_lookalike_link_names_the_imitated_brand(fitted):
    [item] = fitted.explain(["Vietcombank: TK cua quy khach bi khoa, xac minh tai http://vietcombank-xacminh.top"])
    assert any("look-alike" in reason for reason in item["reasons"])


def test_works_inside_cross_val_predict():
    proba = cross_val_predict(SmsClassifier(cv=0, n_features=2**12), TEXTS * 2, LABELS * 2,
                              cv=GroupKFold(n_splits=2), groups=list(range(len(TEXTS))) * 2, method="predict_proba")
    assert proba.shape == (2 * len(TEXTS), 3)


def test_save_load_round_trip_gives_identical_predictions(fitted, tmp_path):
    path = save_model(fitted, tmp_path / "sms.sgm", card={"note": "test"})
    loaded = load_model_file(path)
    np.testing.assert_allclose(loaded.predict_proba(TEXTS, senders=SENDERS), fitted.predict_proba(TEXTS, senders=SENDERS))
    assert loaded.card_ == {"note": "test"}
    assert loaded.operating_points_ == fitted.operating_points_


def test_corrupted_model_file_is_refused(fitted, tmp_path):
    path = save_model(fitted, tmp_path / "sms.sgm")
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(ModelFormatError):
        load_model_file(path)


def test_works_inside_pipeline_and_grid_search():
    from sklearn.model_selection import GridSearchCV
    from sklearn.pipeline import Pipeline

    search = GridSearchCV(Pipeline([("clf", SmsClassifier(cv=0, n_features=2**12))]),
                          {"clf__alpha": [1e-5, 1e-4]}, cv=2, scoring="accuracy")
    search.fit(TEXTS * 2, LABELS * 2)
    assert search.best_params_["clf__alpha"] in (1e-5, 1e-4)
    assert len(search.predict(TEXTS)) == len(TEXTS)


def test_training_is_deterministic_for_a_seed():
    first = SmsClassifier(cv=2, n_features=2**12).fit(TEXTS * 2, LABELS * 2, groups=list(range(len(TEXTS))) * 2)
    second = SmsClassifier(cv=2, n_features=2**12).fit(TEXTS * 2, LABELS * 2, groups=list(range(len(TEXTS))) * 2)
    np.testing.assert_array_equal(first.coef_, second.coef_)
    assert first.operating_points_ == second.operating_points_


def test_accent_free_copies_make_accented_and_plain_spellings_score_alike():
    texts = ["Tài khoản của bạn bị khóa, xác minh tại vcb-hotro.top", "Mẹ ơi tối nay con về muộn nhé"] * 6
    clf = SmsClassifier(cv=0, n_features=2**12).fit(texts, ["scam", "ham"] * 6)
    accented = clf.predict_proba(["Tài khoản bị khóa, xác minh ngay"])
    plain = clf.predict_proba(["Tai khoan bi khoa, xac minh ngay"])
    assert abs(accented[0, -1] - plain[0, -1]) < 0.25


def test_calibration_folds_missing_a_class_do_not_crash():
    texts = TEXTS[:6] + SPAM[:1] + SCAM
    labels = ["ham"] * 6 + ["spam"] + ["scam"] * len(SCAM)
    clf = SmsClassifier(cv=3, n_features=2**12).fit(texts, labels)  # one spam message: two folds lack it
    assert clf.predict_proba(texts).shape == (len(texts), 3)


def test_scoring_restores_the_garbage_collector_state(fitted):
    import gc

    assert gc.isenabled()
    fitted.predict_proba(TEXTS)
    assert gc.isenabled()
    gc.disable()
    try:
        fitted.predict_proba(TEXTS)
        assert not gc.isenabled()
    finally:
        gc.enable()
