"""tokenize(): syllables and bigrams from the text and its accent-free form, entities as placeholders."""

from __future__ import annotations

import unicodedata

import pytest

from spamguard.errors import InputFormatError
from spamguard.text import normalize, tokenize, tokenize_batch


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Tài khoản", ["tài", "khoản", "tài_khoản", "~tai", "~khoan", "~tai_khoan"]),
        ("ở đây", ["ở", "đây", "ở_đây", "~o", "~day", "~o_day"]),
        ("à ạ", ["à", "ạ", "à_ạ", "~a", "~a", "~a_a"]),
        ("OK", ["ok", "~ok"]),
        ("", []),
        ("!!! ...", []),
    ],
)
def test_syllable_tokens_are_unigrams_and_bigrams_of_both_forms(raw: str, expected: list[str]) -> None:
    tokens = [t for t in tokenize(raw) if t not in {"đồng", "ý", "đồng_ý", "~dong", "~y", "~dong_y"}]
    assert tokens == expected


@pytest.mark.parametrize(
    ("accented", "plain"),
    [("tài khoản bị khóa", "tai khoan bi khoa"), ("Đăng nhập ngay", "Dang nhap ngay"),
     ("Quý khách được cộng tiền", "Quy khach duoc cong tien")],
)
def test_messages_with_and_without_diacritics_share_the_tilde_features(accented: str, plain: str) -> None:
    tilde = lambda toks: {t for t in toks if t.startswith("~")}  # noqa: E731
    assert tilde(tokenize(accented)) == tilde(tokenize(plain))


@pytest.mark.parametrize("raw", ["Hòa bình", "Tài khoản của Quý khách", "Nguyễn Thị Ánh"])
def test_nfd_input_tokenizes_like_nfc(raw: str) -> None:
    assert tokenize(unicodedata.normalize("NFD", raw)) == tokenize(raw)


@pytest.mark.parametrize(
    ("raw", "shape"),
    [("phòng 12", "__num2__"), ("có 1000 người", "__num4__"), ("lúc 7", "__num1__")],
)
def test_digit_runs_become_shape_tokens(raw: str, shape: str) -> None:
    tokens = tokenize(raw)
    assert shape in tokens
    assert not any(t.isdigit() for t in tokens)


@pytest.mark.parametrize(
    ("raw", "placeholder", "hidden"),
    [
        ("Truy cập vietcombank-xacminh.xyz ngay", "__url", "xyz"),
        ("Gọi 0912345678 ngay", "__phone", "0912345678"),
        ("email b4o.l0c@gmail.com", "__email", "gmail"),
    ],
)
def test_entities_become_placeholders_and_attribute_tokens(raw: str, placeholder: str, hidden: str) -> None:
    norm = normalize(raw)
    if not norm.entities:
        pytest.skip("the entities module does not find this entity")
    tokens = tokenize(norm)
    assert any(t.startswith(placeholder) for t in tokens)
    assert hidden not in [t.lstrip("~") for t in tokens]


def test_teencode_expansions_add_the_tokens_of_the_expanded_words() -> None:
    tokens = tokenize("stk ko")
    assert {"stk", "ko", "số", "tài_khoản", "~tai_khoan", "không", "~khong"} <= set(tokens)


def test_tokenize_accepts_a_normalized_message() -> None:
    assert tokenize(normalize("Th0ng ba0")) == tokenize("Th0ng ba0")


def test_obfuscated_and_clean_messages_share_tokens() -> None:
    assert {"thong", "bao", "thong_bao"} <= set(tokenize("Th0ng ba0"))
    assert {"khuyến", "mãi"} <= set(tokenize("K.h.u.y.ế.n m.ã.i"))


def test_tokenize_batch_matches_one_call_per_message() -> None:
    texts = ["Tài khoản 123456", "Th0ng ba0", "", "ko dc r 🎉", normalize("Hoà bình")]
    assert tokenize_batch(texts) == [tokenize(t) for t in texts]


@pytest.mark.parametrize("size", [1, 2, 3, 7])
def test_tokenize_batch_matches_one_call_per_message_in_batches_of_any_size(size: int) -> None:
    texts = ["!!!!", "Tài khoản 0912345678 vcb.com.vn", "", "\"half quoted", "TK 0123xxx456 +2,000,000VND",
             "Th0ng ba0 ko dc", "🎉", "a", "Hoà bình 500k", "x\x01y", "Ѵietcombank bit.ly/abc"]
    batches = [texts[i:i + size] for i in range(0, len(texts), size)]
    assert [t for batch in batches for t in tokenize_batch(batch)] == [tokenize(t) for t in texts]


@pytest.mark.parametrize("mode", ["chars", "", "Word"])
def test_unknown_mode_is_refused(mode: str) -> None:
    with pytest.raises(InputFormatError, match="mode must be one of"):
        tokenize("abc", mode=mode)


def test_tokenize_batch_rejects_a_bare_string() -> None:
    with pytest.raises(InputFormatError, match="iterable of messages"):
        tokenize_batch("một tin nhắn")


def test_word_mode_joins_words_and_keeps_placeholders() -> None:
    pytest.importorskip("underthesea")
    tokens = tokenize("Tài khoản của bạn bị khóa, gọi 0912345678", mode="word")
    assert "tài_khoản" in tokens
    assert "~tai_khoan" in tokens
    norm = normalize("gọi 0912345678")
    if norm.entities:
        assert norm.entities[0].placeholder in tokenize(norm, mode="word")


@pytest.mark.parametrize("enabled", [True, False])
def test_batch_functions_pause_the_garbage_collector_and_restore_its_state(enabled, monkeypatch):
    import gc

    from spamguard.text import lane, normalize_batch

    during, after = [], []
    real_fold = lane.fold  # called by every batch, with or without the kernels
    monkeypatch.setattr(lane, "fold", lambda data: during.append(gc.isenabled()) or real_fold(data))
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        tokens = tokenize_batch(["Tài khoản 500k", "ko dc r"])
        after.append(gc.isenabled())
        norms = normalize_batch(["Th0ng ba0"])
        after.append(gc.isenabled())
    finally:
        gc.enable() if was else gc.disable()
    assert during and not any(during)  # paused while the batch ran
    assert after == [enabled, enabled]  # and back as it was
    assert tokens[0][:2] == ["tài", "khoản"] and norms[0].text == "thong bao"
