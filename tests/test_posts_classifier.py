"""PostsClassifier: the scikit-learn contract, messy metadata, long posts, the out-of-fold author prior, persistence."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from spamguard.classifiers.posts import PostsClassifier
from spamguard.features import posts as pf
from spamguard.persist import load_model_file, save_model

_RELIABLE = ["Bộ Y tế thông báo thêm {n} ca mắc mới tại Hà Nội, tất cả đã được cách ly",
             "Sáng {n}/4, UBND tỉnh họp bàn phương án phòng chống dịch bệnh",
             "Theo VnExpress, {n} học sinh được hỗ trợ học phí trong học kỳ này",
             "Giá xăng giảm {n} đồng mỗi lít từ chiều nay theo thông báo của liên bộ"]
_UNRELIABLE = ["CHIA SẺ GẤP!!! uống nước chanh nóng {n} lần mỗi ngày chữa khỏi virus corona",
               "Tin mật: {n} người chết ở bệnh viện nhưng bị giấu, share ngay trước khi bị xoá",
               "Nóng: tỏi sống ngâm rượu diệt sạch virus chỉ sau {n} giờ, bác sĩ không muốn bạn biết",
               "Cảnh báo khẩn: uống {n} viên vitamin C mỗi ngày là miễn dịch hoàn toàn, đừng tin báo chí"]


def _posts(n_per_class: int = 12) -> tuple[dict[str, list], list[str]]:
    rng = np.random.default_rng(0)
    texts, labels, likes, shares, stamps, authors = [], [], [], [], [], []
    for i in range(n_per_class):
        texts.append(_RELIABLE[i % 4].format(n=i + 2))
        labels.append("reliable")
        likes.append(str(int(rng.integers(200, 5000))))
        shares.append(int(rng.integers(10, 300)))
        stamps.append(1585945439 + i * 3600)
        authors.append(f"news{i % 3}")
        texts.append(_UNRELIABLE[i % 4].format(n=i + 2))
        labels.append("unreliable")
        likes.append(f"{int(rng.integers(0, 30))} like")
        shares.append("unknown")
        stamps.append("")
        authors.append(f"user{i}")
    return {"text": texts, "likes": likes, "shares": shares, "timestamp": stamps, "author": authors}, labels


@pytest.fixture(scope="module")
def fitted() -> PostsClassifier:
    table, labels = _posts()
    return PostsClassifier(n_features=2**12, char_features=2**12, cv=3).fit(table, labels)


# ---- scikit-learn contract ----------------------------------------------------------------------------------------
def test_clone_keeps_every_parameter():
    model = PostsClassifier(n_features=2**10, C=3.0, use_author=False, n_bins=4)
    assert clone(model).get_params() == model.get_params()


def test_fit_returns_the_estimator_itself():
    table, labels = _posts(6)
    model = PostsClassifier(n_features=2**10, char_features=2**10, cv=2)
    assert model.fit(table, labels) is model


def test_an_unfitted_model_raises_not_fitted_error():
    with pytest.raises(NotFittedError):
        PostsClassifier().predict_proba(["Tin nóng"])


def test_a_bare_string_is_refused_with_sklearns_message(fitted):
    with pytest.raises(ValueError, match="Iterable over raw text documents expected"):
        fitted.predict_proba("Tin nóng hôm nay")


def test_one_class_cannot_be_fitted():
    with pytest.raises(ValueError, match="two classes"):
        PostsClassifier(n_features=2**10, cv=2).fit(["a b", "c d", "e f"], ["reliable"] * 3)


def test_classes_are_reliable_then_unreliable(fitted):
    assert list(fitted.classes_) == ["reliable", "unreliable"]


def test_the_model_separates_its_training_themes(fitted):
    proba = fitted.predict_proba({"text": ["Uống nước chanh nóng chữa khỏi virus corona, chia sẻ gấp",
                                           "Bộ Y tế thông báo thêm ca mắc mới, đã được cách ly"]})
    assert proba[0, 1] > proba[1, 1]


def test_save_and_load_give_identical_probabilities(fitted, tmp_path):
    table, _ = _posts(5)
    path = save_model(fitted, tmp_path / "posts.sgm")
    loaded = load_model_file(path)
    np.testing.assert_array_equal(loaded.predict_proba(table), fitted.predict_proba(table))
    assert loaded.get_params() == fitted.get_params()


# ---- inputs and messy metadata --------------------------------------------------------------------------------------
@pytest.mark.parametrize("junk", ["unknown", "", None, float("nan"), -5, "abc", float("inf"), "n/a", True,
                                  " Solskjaer hạ knock-out Guardiola"])
def test_junk_metadata_scores_like_missing_metadata(fitted, junk):
    text = ["Bộ Y tế thông báo thêm 3 ca mắc mới"]
    with_junk = fitted.predict_proba({"text": text, "likes": [junk], "comments": [junk], "shares": [junk],
                                      "timestamp": [junk], "author": [junk]})
    missing = fitted.predict_proba({"text": text, "likes": [None], "comments": [None], "shares": [None],
                                    "timestamp": [None], "author": [None]})
    np.testing.assert_allclose(with_junk, missing)


def test_columns_not_given_at_all_are_neutral_not_missing(fitted):
    post = {"text": ["Bộ Y tế thông báo thêm 3 ca mắc mới"]}
    result = fitted.explain(post)[0]
    assert [f for f in result["features"] if not f["spans"] and f["feature"] not in ("text_score",)
            and f["feature"] in fitted._BLOCK_SOURCES] == []
    design = fitted._design(fitted._columns(post), fitted.text_model_._analyze(fitted._columns(post)))
    np.testing.assert_allclose(design[0, 2:], fitted.stack_means_[2:])


@pytest.mark.parametrize(("raw", "expected"), [("54 like", 54.0), ("54", 54.0), (54, 54.0), ("1.2k", 1200.0),
                                               ("1 share", 1.0), ("unknown", math.nan), (-3, math.nan)])
def test_counts_written_as_text_are_parsed(raw, expected):
    log_likes = pf.meta_matrix({"text": ["x"], "likes": [raw]})[0, pf.META_NAMES.index("log_likes")]
    if math.isnan(expected):
        assert math.isnan(log_likes)
    else:
        assert log_likes == pytest.approx(math.log1p(expected))


@pytest.mark.parametrize("stamp", ["1585945439", 1585945439, 1585945439000, "2020-04-03T20:23:59+00:00"])
def test_timestamps_as_seconds_milliseconds_or_iso_give_the_same_hour(stamp):
    hour = pf.meta_matrix({"text": ["x"], "timestamp": [stamp]})[0, pf.META_NAMES.index("hour")]
    assert hour == pytest.approx(3 + 23 / 60 + 59 / 3600)  # 20:23:59 UTC is 03:23:59 in Vietnam


def test_plain_texts_list_dataframe_like_and_records_agree(fitted):
    texts = ["Tin mật: share ngay", "Giá xăng giảm 500 đồng"]
    as_list = fitted.predict_proba(texts)
    as_records = fitted.predict_proba([{"text": t} for t in texts])
    np.testing.assert_allclose(as_list, as_records)


def test_keyword_columns_override_the_table(fitted):
    base = fitted.predict_proba({"text": ["Tin nóng"], "author": ["news1"]})
    overridden = fitted.predict_proba({"text": ["Tin nóng"], "author": ["someone"]}, author=["news1"])
    np.testing.assert_allclose(base, overridden)


def test_empty_input_gives_an_empty_matrix(fitted):
    assert fitted.predict_proba([]).shape == (0, 2)


def test_empty_and_missing_texts_are_scored(fitted):
    proba = fitted.predict_proba(["", None, "   "])
    assert proba.shape == (3, 2) and np.all(np.isfinite(proba))
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)


def test_a_very_long_post_is_capped_and_scored(fitted):
    long_post = "Chia sẻ gấp. " + "Nội dung dài. " * 3000 + "Nguồn: không rõ"
    assert len(pf.cap_text(long_post)) <= pf.HEAD_CHARS + pf.TAIL_CHARS + 3
    assert pf.cap_text(long_post).endswith("Nguồn: không rõ")
    assert fitted.predict_proba([long_post]).shape == (1, 2)


# ---- author prior -------------------------------------------------------------------------------------------------
def test_the_out_of_fold_author_prior_never_sees_the_rows_own_label():
    keys = ["a", "a", "b", "b", "c", "c"]
    positive = np.array([1.0, 0.0, 1.0, 1.0, 0.0, 0.0])
    folds = [np.array([0, 2, 4]), np.array([1, 3, 5])]
    before = pf.out_of_fold_author_features(keys, positive, folds, smoothing=1.0)
    flipped = positive.copy()
    flipped[[0, 2, 4]] = 1 - flipped[[0, 2, 4]]
    after = pf.out_of_fold_author_features(keys, flipped, folds, smoothing=1.0)
    # Rows of the first fold only see the second fold: flipping their own labels moves nothing but the prior.
    np.testing.assert_allclose(np.sign(before[[0, 2, 4], 0]), np.sign(after[[0, 2, 4], 0]))
    assert before[2, 0] > 0 > before[4, 0]


def test_an_unknown_author_gets_a_neutral_prior():
    prior = pf.AuthorPrior(smoothing=2.0).fit(["a", "a", "b"], np.array([1.0, 1.0, 0.0]))
    encoded = prior.encode(["zzz", None, "a"])
    assert encoded[0, 0] == 0 and encoded[1, 0] == 0 and encoded[2, 0] > 0
    assert encoded[2, 1] == pytest.approx(math.log1p(2))


@pytest.mark.parametrize("value", ["", "unknown", None, float("nan"), "  "])
def test_missing_author_markers_are_no_author(value):
    assert pf.author_keys({"text": ["x"], "author": [value]}) == [None]


# ---- helpers ------------------------------------------------------------------------------------------------------
def test_near_duplicates_share_a_group_and_other_posts_do_not():
    head = ("Bộ Y tế thông báo thêm 5 ca mắc mới tại Hà Nội, tất cả đã được cách ly tập trung ngay trong đêm, "
            "các trường hợp tiếp xúc gần đang được xét nghiệm")
    groups = pf.duplicate_groups([head, head.upper() + "!!", head + " Nguồn: VTV", "Một bài hoàn toàn khác hẳn"])
    assert groups[0] == groups[1] == groups[2] != groups[3]


def test_quantile_bins_put_missing_values_in_their_own_bin():
    bins = pf.QuantileBins(n_bins=4).fit(np.array([[1.0], [2.0], [3.0], [4.0], [np.nan]]))
    out = bins.transform(np.array([[np.nan], [0.0], [10.0]]))
    assert out.shape[1] == bins.widths[0]
    assert out[0, -1] == 1 and out[1, 0] == 1 and out[2, -2] == 1
    restored = pf.QuantileBins.from_arrays(4, bins.to_arrays())
    np.testing.assert_array_equal(restored.transform(np.array([[2.5]])), bins.transform(np.array([[2.5]])))


def test_ablations_refit_only_the_stacker(fitted):
    text_only = fitted.with_stacker(use_engagement=False, use_time=False, use_author=False)
    assert text_only.text_model_ is fitted.text_model_
    assert text_only._feature_names() == ["text_score", "char_score"]
    assert len(text_only.stack_coef_) == 2 < len(fitted.stack_coef_)


def test_the_character_view_can_be_switched_off():
    table, labels = _posts(6)
    model = PostsClassifier(n_features=2**10, char_ngrams=False, cv=2).fit(table, labels)
    assert not hasattr(model, "char_model_") and "char_score" not in model._feature_names()
    assert model.predict_proba(table).shape == (len(labels), 2)


# ---- predictions and explanations -------------------------------------------------------------------------------
def test_operating_points_are_stored_and_usable(fitted):
    assert set(fitted.operating_points_) == {"fpr_1pct", "fpr_0.1pct"}
    labels = fitted.predict(["Tin mật: share ngay"], threshold="fpr_1pct")
    assert labels[0] in ("reliable", "unreliable")
    with pytest.raises(ValueError, match="unknown operating point"):
        fitted.predict(["x"], threshold="fpr_50pct")


def test_explanations_are_json_with_spans_inside_the_post(fitted):
    posts = {"text": ["CHIA SẺ GẤP!!! uống nước chanh nóng chữa khỏi virus corona"], "likes": ["2"],
             "author": ["user3"]}
    result = fitted.explain(posts)[0]
    json.dumps(result, ensure_ascii=False)
    assert result["label"] == fitted.predict(posts)[0]
    assert result["scores"]["unreliable"] == pytest.approx(fitted.predict_proba(posts)[0, 1], abs=1e-6)
    assert all(f["weight"] > 0 for f in result["features"])
    for feature in result["features"]:
        for start, end in feature["spans"]:
            assert 0 <= start < end <= len(posts["text"][0])


def test_spans_in_the_tail_of_a_long_post_point_into_the_original():
    spans = [[10, 14], [pf.HEAD_CHARS + 3 + 5, pf.HEAD_CHARS + 3 + 9]]
    from spamguard.classifiers.posts import _shift_spans

    shifted = _shift_spans(spans, 10_000)
    assert shifted[0] == [10, 14]
    assert shifted[1] == [10_000 - pf.TAIL_CHARS + 5, 10_000 - pf.TAIL_CHARS + 9]
