"""normalize(): Unicode cleaning, tone placement, lower-casing, accent-free form, counts and offsets."""

from __future__ import annotations

import unicodedata
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spamguard.errors import InputFormatError
from spamguard.text import (
    OBFUSCATION_KINDS,
    normalize,
    normalize_batch,
    strip_accents,
    tokenize,
    tokenize_batch,
)

NFD = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        # composition and tone placement (as underthesea's text_normalize)
        (NFD("Hòa bình"), "hòa bình"),
        (NFD("Tài khoản của Quý khách"), "tài khoản của quý khách"),
        ("hoà", "hòa"),
        ("Hoà Bình", "hòa bình"),
        ("thuỷ", "thủy"),
        ("khoẻ", "khỏe"),
        ("hoá đơn", "hóa đơn"),
        ("tuỳ chọn", "tùy chọn"),
        ("uỷ quyền", "ủy quyền"),
        ("khoá tài khoản", "khóa tài khoản"),
        ("muà", "mùa"),
        ("qúy khách", "quý khách"),
        ("gìa", "già"),
        ("hòang", "hoàng"),
        ("khóai", "khoái"),
        ("tạị", "tại"),
        ("châụ", "chậu"),
        # words whose tone is already right stay as they are
        ("hoàng", "hoàng"),
        ("quý", "quý"),
        ("giá", "giá"),
        ("người", "người"),
        ("khuỷu", "khuỷu"),
        ("thuở", "thuở"),
        ("giữa", "giữa"),
        ("quỳnh", "quỳnh"),
        # compatibility folding
        ("Ｆｒｅｅ ｓｈｉｐ", "free ship"),
        ("𝐊𝐡𝐮𝐲ế𝐧 𝐦ã𝐢", "khuyến mãi"),
        ("𝓥𝓘𝓟", "vip"),
        ("①②③", "123"),
        ("ﬁle", "file"),
        ("Nạp\u00a0thẻ", "nạp thẻ"),
        # invisible and control characters
        ("Mi\u200bễn\u200c phí", "miễn phí"),
        ("Gi\u200dao d\u2060ịch", "giao dịch"),
        ("\ufeffXác nhận", "xác nhận"),
        ("tài\u00adkhoản", "tàikhoản"),
        ("a\x00b\x07c", "abc"),
        ("bấm\u202evào", "bấmvào"),
        ("dòng 1\tdòng 2", "dòng 1 dòng 2"),
        # look-alike letters from other scripts inside Latin words
        ("Vietcоmbank", "vietcombank"),
        ("Ѵietcombank", "vietcombank"),
        ("tài khоản", "tài khoản"),
        ("Аgribank", "agribank"),
        ("Ζalo", "zalo"),
        ("xάc nhận", "xac nhận"),
        # ... but real Cyrillic and Greek words are left alone
        ("Привет", "привет"),
        ("αβγ", "αβγ"),
        # stray marks Vietnamese never writes
        ("Vietcombånk", "vietcombank"),
        ("khöa", "khoa"),
        ("ṱài khoản", "tài khoản"),
        ("ẖạn", "hạn"),
        ("k\u0325hác", "khác"),
        ("nǵân hàng", "ngân hàng"),
        ("ĐĂNG KÝ", "đăng ký"),
        # marks written after a fullwidth, math or look-alike letter land on the folded letter
        ("𝙃𝙊̂̃ 𝙏𝙍𝙊̛̣", "hỗ trợ"),
        ("[𝐂𝐀̂̀𝐔 𝐆𝐈𝐀̂́𝐘", "[cầu giấy"),
        ("Ｈｏ̂̃", "hỗ"),
        ("khо\u0309n", "khỏn"),
        # emoji sequences lose their joiners and selectors
        ("🤦🏻\u200d♀️", "🤦🏻♀"),
        ("1️⃣", "1"),
    ],
)
def test_normalize_cleans_unicode(raw: str, text: str) -> None:
    assert normalize(raw).text == text


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ("Mi\u200bễn phí", "invisible"),
        ("Ｆｒｅｅ", "fullwidth"),
        ("Vietcоmbank", "homoglyph"),
        ("Vietcombånk", "stray_mark"),
        ("Th0ng ba0", "leet"),
        ("k h u y e n m a i", "spaced"),
        ("Quáaaaa", "repeat"),
        (NFD("Hòa bình"), "nfd"),
    ],
)
def test_each_trick_is_counted(raw: str, kind: str) -> None:
    counts = normalize(raw).counts
    assert counts[kind] > 0
    assert set(counts) == set(OBFUSCATION_KINDS)


@pytest.mark.parametrize(
    "raw",
    ["Ma OTP cua Quy khach la 482913", "Tài khoản của bạn đã được cộng 500.000đ", "Chúc mừng năm mới 🎉", "",
     "🤦🏻\u200d♀️ thật", "số 1️⃣"],
)
def test_clean_messages_count_no_trick(raw: str) -> None:
    assert sum(normalize(raw).counts.values()) == 0


@pytest.mark.parametrize(
    ("raw", "ascii"),
    [
        ("Tài khoản đã bị khóa", "tai khoan da bi khoa"),
        ("ĐĂNG KÝ NGAY", "dang ky ngay"),
        ("Ưu đãi ở đây", "uu dai o day"),
        ("Chúc mừng 🎉 bạn", "chuc mung 🎉 ban"),
        ("Привет đi", "привет di"),
    ],
)
def test_ascii_is_the_accent_free_text(raw: str, ascii: str) -> None:
    norm = normalize(raw)
    assert norm.ascii == ascii
    assert len(norm.ascii) == len(norm.text)


@pytest.mark.parametrize(
    ("raw", "stripped"),
    [("Đường", "Duong"), ("đang", "dang"), ("Tiếng Việt", "Tieng Viet"), (NFD("Hòa"), "Hoa"), ("abc", "abc")],
)
def test_strip_accents_removes_every_mark_and_the_stroke(raw: str, stripped: str) -> None:
    assert strip_accents(raw) == stripped


@pytest.mark.parametrize(
    "raw",
    ["Mi\u200bễn phí", "Ｆｒｅｅ ship", NFD("Hòa bình"), "Th0ng ba0", "k h u y e n m a i", "Quáaaaa 🎉", "İstanbul"],
)
def test_offsets_point_back_to_the_characters_that_produced_the_text(raw: str) -> None:
    norm = normalize(raw)
    assert len(norm.offsets) == len(norm.text)
    assert all(0 <= o < len(raw) for o in norm.offsets)
    assert norm.offsets == sorted(norm.offsets)


def test_offsets_skip_removed_invisible_characters() -> None:
    raw = "Mi\u200bễn"
    norm = normalize(raw)
    assert [raw[o] for o in norm.offsets] == ["M", "i", "ễ", "n"]


def test_original_span_maps_a_span_of_text_to_the_raw_message() -> None:
    raw = "Bấm vào Ｌｉｎｋ ngay"
    norm = normalize(raw)
    start = norm.text.index("link")
    s, e = norm.original_span(start, start + 4)
    assert raw[s:e] == "Ｌｉｎｋ"


def test_original_is_kept_untouched() -> None:
    raw = "Th0ng ba0 Ｖｉｐ"
    assert normalize(raw).original == raw


@pytest.mark.parametrize("bad", [42, b"bytes", ["a list"], 1.5])
def test_normalize_rejects_what_is_not_a_str(bad: object) -> None:
    with pytest.raises(InputFormatError, match="expects a str"):
        normalize(bad)  # type: ignore[arg-type]


@pytest.mark.parametrize("empty", [None, float("nan")])
def test_empty_cells_normalize_as_empty_messages(empty: object) -> None:
    norm = normalize(empty)  # type: ignore[arg-type]
    assert (norm.original, norm.text, norm.offsets) == ("", "", [])
    assert normalize_batch([empty, "Ko"])[0] == norm  # type: ignore[list-item]


def test_normalize_batch_rejects_a_bare_string() -> None:
    with pytest.raises(InputFormatError, match="iterable of messages"):
        normalize_batch("một tin nhắn")


def test_normalize_batch_matches_one_call_per_message() -> None:
    texts = ["Th0ng ba0 tai kh0an", "Mi\u200bễn phí 500k", "", "TK 0123xxx456 +2,000,000VND", "Hoà 🎉", "ko dc r"]
    assert normalize_batch(texts) == [normalize(t) for t in texts]


@pytest.mark.parametrize("texts", [
    ["Don hang GHN8MZ2R1P da giao", "So the: 4xxx xxxx xxxx 2290", "Ma don S1928374.HN3.B2.771024"],  # false alarms
    ["Don GHN8MZ2R1P: th0ng ba0 kh0a tai kh0an", "k h u y e n m a i", "điện thoạiiiii", "gia 1oo% 5ook"],
])
def test_normalize_batch_matches_single_calls_when_the_obfuscation_check_flags_a_message(texts) -> None:
    assert normalize_batch(texts) == [normalize(t) for t in texts]


@pytest.mark.parametrize("texts", [["0aa¡"], ["0AA", "а"], ["x", "0aa¡"]])
def test_normalize_batch_with_a_pattern_at_the_very_start_and_odd_characters(texts) -> None:
    assert normalize_batch(texts) == [normalize(t) for t in texts]


def test_normalize_batch_copes_with_the_record_separator_inside_a_message() -> None:
    texts = ["a\x1eb", "Th0ng ba0"]
    assert [n.text for n in normalize_batch(texts)] == ["ab", "thong bao"]


def test_normalize_batch_of_nothing_is_empty() -> None:
    assert normalize_batch([]) == []


@pytest.mark.parametrize(
    ("raw", "span"),
    [("Vào ｖｃｂ-ｖｎ.ｘｙｚ ngay", "ｖｃｂ-ｖｎ.ｘｙｚ"), ("Goi 09\u200b12345678 ngay", "09\u200b12345678"),
     ("Vào bit.ly/abc", "bit.ly/abc")],
)
def test_entities_keep_the_span_and_text_of_the_original_message(raw: str, span: str) -> None:
    entities = normalize(raw).entities
    if not entities:
        pytest.skip("the entities module does not find this entity")
    assert (raw[entities[0].start:entities[0].end], entities[0].text) == (span, span)


def test_tokens_only_records_hold_what_the_full_results_hold():
    from spamguard.text.fastpath import normalize_batch_with_units
    from spamguard.text.types import Plain

    texts = ["Ko dc r, mai ib mik nha", "Th0ng ba0: tai kh0an", "TK 0123xxx456 +2,000,000VND luc 10:20",
             "Ѵietcombank: bit.ly/vcb-xn", "Hoà bình", "", "xin chào bạn", "gọi 0912 345 678 nhé"]
    full, units = normalize_batch_with_units(texts)
    light, light_units = normalize_batch_with_units(texts, tokens_only=True)
    assert units == light_units
    assert all(isinstance(r, Plain) for r in light)
    for f, r in zip(full, light):
        assert (r.text, r.ascii, r.entities, r.entity_spans, r.expansions) == (
            f.text, f.ascii, f.entities, f.entity_spans, f.expansions)


@pytest.mark.parametrize("texts", [
    ["Hoà bình thuỷ lợi: lịch cắt nước", "xin chào", "Khoá học giảm 50%, ib mình", "hoà ko khoá"],
    ["hoà", "Th0ng ba0 hoà", "Ѵietcombank hoà bình", "hoà 0912345678 khoá", "toà án nhân dân", "kHoÁ"],
    ["thuỷ", "thuỷ", "hoà2 ok", "giày dép", "quà tặng", "hoà\u200bbình"],
])
def test_the_batch_fixes_tone_marks_as_one_call_per_message(texts):
    # Messages whose only trouble is an old-style tone mark are fixed in the batch, without the general path.
    assert normalize_batch(texts) == [normalize(t) for t in texts]
    assert tokenize_batch(texts) == [tokenize(t) for t in texts]


# --- tone fixes and the batch's suspect search: one pass, against the per-word searches they replace ------------

def _fix_suspects_per_word(text, unit_str, suspects):
    """normalize._fix_suspects as first written: a search and a copy of the text per word (quadratic)."""
    from spamguard.text.syllable import fix_tone, fix_tones

    if not all(w.isalpha() for w in suspects):
        return fix_tones(text)
    padded = f" {unit_str} "
    for word in suspects:
        fixed = fix_tone(word)
        if fixed == word:
            continue
        needle = f" {word} "
        pos = padded.find(needle)
        while pos >= 0:
            text = text[:pos] + fixed + text[pos + len(word):]
            pos = padded.find(needle, pos + len(word) + 1)
    return text


_TONE_POOL = ["hoà", "khoẻ", "thuỷ", "hòa", "toà", "xoá", "oà", "ko", "500k", "0912", ".", ",", "—", "hoà.", "uỷ"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_TONE_POOL), max_size=25).map(" ".join),
       st.sets(st.sampled_from(["hoà", "khoẻ", "thuỷ", "toà", "xoá", "oà", "uỷ", "hòa", "ko", "50k"]), max_size=6))
def test_fix_suspects_is_the_per_word_search(text, suspects):
    import importlib

    from spamguard.text import lane

    normalize_module = importlib.import_module("spamguard.text.normalize")  # (the package's name is the function)
    data = lane.encode(text)
    unit_str = lane.unit_string(data)
    expected = _fix_suspects_per_word(text, unit_str, suspects)
    assert normalize_module._fix_suspects(text, unit_str, suspects) == expected  # a search a word
    with mock.patch.object(normalize_module, "_FEW_FIXES", 0):  # the walk over all units
        assert normalize_module._fix_suspects(text, unit_str, suspects) == expected


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(st.sampled_from(["hoà", "a", "b", "khoẻ", "x1", "oà", "uỷ", "q"]), max_size=6)
                .map(" ".join), max_size=8),
       st.sets(st.sampled_from(["hoà", "a", "khoẻ", "oà", "uỷ", "zz"] + [f"w{i}" for i in range(20)]), max_size=26))
def test_messages_with_words_is_the_same_by_search_or_by_split(pieces, words):
    from spamguard.text import fastpath

    by_split = {i for i, piece in enumerate(pieces) if not words.isdisjoint(piece.split())}
    assert fastpath._messages_with_words(pieces, words) == by_split
    few = set(list(words)[:fastpath._FEW_WORDS])  # the joined-text search
    assert fastpath._messages_with_words(pieces, few) == {i for i, p in enumerate(pieces) if not few.isdisjoint(p.split())}
