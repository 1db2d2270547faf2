"""The lane kernel (spamguard._lanescan) against the pure-Python checks it replaces in normalize_batch()."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spamguard.text import fastpath, lane, unicode_fold
from spamguard.text.teencode import find_expansions

KERNEL = lane._KERNEL


def _checks(messages: list[str]):
    """Per message its teencode expansions, and the messages with a word whose tone mark may be misplaced."""
    data = lane.encode_lossy("\x1e".join(messages))
    units = lane.unit_bytes(data)
    pieces = lane.decode(units).split("\x1e")
    checks = fastpath._word_checks(units, data, pieces, [len(m) for m in messages])
    spans = [[(0, 2)] if m.startswith("@@") else [] for m in messages]  # an entity span to rule keys out
    expansions = {i: checks.expansions(i, m, pieces[i], spans[i]) for i, m in enumerate(messages)}
    return {i: e for i, e in expansions.items() if e}, checks.misplaced


def _pure_checks(messages: list[str], monkeypatch):
    with monkeypatch.context() as patch:
        patch.setattr(lane, "_KERNEL", None)
        return _checks(messages)


CASES = ["ko dc r, vs ib stk vcb", "hoà bình khoá toà", "", "k", "tk tk tk", "500k nhe", "ib", "ok ko ko",
         "thuỷ hoà ko", "xin chào bạn", "a\x01b ko", "ctv sdt", "gui 500 k nhe", "10 h toi", "1.000, k ok",
         "@ko $ko ko@ _ko ko_ ko", "@@ko ko", "ko\tk\nr"]

needs_kernel = pytest.mark.skipif(KERNEL is None, reason="spamguard._lanescan is not loaded (not built here, or SPAMGUARD_PURE_PYTHON=1)")


def test_the_pure_checks_find_what_find_expansions_finds_on_plain_cases(monkeypatch):
    plain = ["ko dc r, vs ib stk vcb", "gui 500 k nhe", "10 h toi", "tk tk tk", "thuỷ hoà ko"]
    expansions, misplaced = _pure_checks(plain, monkeypatch)
    assert expansions == {i: e for i, m in enumerate(plain) if (e := find_expansions(m))}
    assert misplaced == {4}  # "hoà" -> "hòa", "thuỷ" -> "thủy"


@needs_kernel
@pytest.mark.parametrize("order", [1, -1])
def test_the_kernel_finds_what_the_pure_checks_find(monkeypatch, order):
    messages = CASES[::order]
    assert _checks(messages) == _pure_checks(messages, monkeypatch)


@needs_kernel
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.sampled_from(["ko", "k", "dc", "r", "vs", "hoà", "khoá", "hòa", "toà", "tiền", "ib", "x",
                                          "500", "ạ", "đc", "", ".", ",", "stk", "@", "_", "$", "\t", "@@"]),
                         max_size=8).map(" ".join), max_size=6))
def test_the_kernel_finds_what_the_pure_checks_find_on_generated_batches(monkeypatch, messages):
    assert _checks(messages) == _pure_checks(messages, monkeypatch)


@needs_kernel
def test_a_batch_with_many_distinct_wide_words_grows_the_word_table(monkeypatch):
    messages = [" ".join(f"từ{i}x{j}a" for j in range(50)) + " ko" for i in range(200)]
    expansions, misplaced = _checks(messages)
    assert set(expansions) == set(range(200)) and misplaced == set()
    assert (expansions, misplaced) == _pure_checks(messages, monkeypatch)


@needs_kernel
@pytest.mark.parametrize("args, error", [
    ((b"ab", b"ab", [3], (b"a",), ("a",), lane._DECODE, lane._CLASSES), ValueError),
    ((b"ab", b"ab", [-1], (b"a",), ("a",), lane._DECODE, lane._CLASSES), ValueError),
    ((b"ab", b"ab", [2], (b"",), ("",), lane._DECODE, lane._CLASSES), TypeError),
    ((b"ab", b"ab", [2], ("a",), ("a",), lane._DECODE, lane._CLASSES), TypeError),
    ((b"ab", b"ab", [2], (b"a",), ("a",), "abc", lane._CLASSES), ValueError),
    ((b"ab", b"ab", [2], (b"a",), ("a", "b"), lane._DECODE, lane._CLASSES), ValueError),
    ((b"ab", b"ab", [2], (b"a",), ("a",), lane._DECODE, b"x"), ValueError),
    ((b"ab", b"abc", [2], (b"a",), ("a",), lane._DECODE, lane._CLASSES), ValueError),
    ((b"ab", b"ab", ["2"], (b"a",), ("a",), lane._DECODE, lane._CLASSES), TypeError),
    (("ab", b"ab", [2], (b"a",), ("a",), lane._DECODE, lane._CLASSES), TypeError),
])
def test_unit_words_rejects_bad_arguments(args, error):
    with pytest.raises(error):
        KERNEL.unit_words(*args)


@needs_kernel
def test_unit_words_follows_the_keys_it_is_given_across_calls():
    # The kernel keeps the table of the last keys; a call with other keys, or with bad ones, must not reuse it.
    def places(keys):
        return KERNEL.unit_words(b"ko dc r", b"ko dc r", [7], tuple(k.encode() for k in keys), keys, lane._DECODE,
                                 lane._CLASSES)[0]

    assert places(("ko", "r")) == {0: [(0, 2, "ko"), (6, 7, "r")]}
    assert places(("dc",)) == {0: [(3, 5, "dc")]}
    with pytest.raises(TypeError):
        KERNEL.unit_words(b"ab", b"ab", [2], (b"a", b""), ("a", ""), lane._DECODE, lane._CLASSES)
    assert places(("ko", "r")) == {0: [(0, 2, "ko"), (6, 7, "r")]}
    assert places(("x",)) == {}


@needs_kernel
def test_a_tuple_name_gives_one_place_per_item():
    found = KERNEL.unit_words(b"ko dc", b"ko dc", [5], (b"ko", b"dc"), (("không", "ko"), "được"), lane._DECODE,
                              lane._CLASSES)[0]
    assert found == {0: [(0, 2, "không"), (0, 2, "ko"), (3, 5, "được")]}


@needs_kernel
@pytest.mark.parametrize("args, error", [
    ((b"ab", [3], lane._FLAG_TABLES), ValueError),
    ((b"ab", [2], lane._FLAG_TABLES[:4]), TypeError),
    ((b"ab", [2], (b"x",) * 5), TypeError),
    ((b"ab", [None], lane._FLAG_TABLES), TypeError),
])
def test_obfuscation_flags_rejects_bad_arguments(args, error):
    with pytest.raises(error):
        KERNEL.obfuscation_flags(*args)



def test_a_batch_whose_lower_case_changes_length_takes_the_general_path_for_all():
    from spamguard.text import normalize, normalize_batch

    batch = ["İstanbul ko dc", "xin chao ko", "0ng ba"]  # "İ" lowers to two characters
    assert normalize_batch(batch) == [normalize(t) for t in batch]


def _codec_encode(text: str, lossy: bool) -> bytes | None:
    import codecs

    try:
        return codecs.charmap_encode(text, "replace" if lossy else "strict", lane._ENCODE)[0]
    except UnicodeEncodeError:
        return None


_ENCODE_POOL = list(lane._DECODE) + ["ѵ", "\ud800", "\x00", "中", "🙂", "\U0010ffff", "é", "\u0301", "Đ"]


@needs_kernel
@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_ENCODE_POOL), max_size=30).map("".join) | st.text(max_size=20))
def test_the_kernel_encodes_as_the_charmap_codec(text):
    assert KERNEL.encode(text, lane._DECODE, False) == _codec_encode(text, False)
    assert KERNEL.encode(text, lane._DECODE, True) == _codec_encode(text, True)
    assert lane.encode(text) == _codec_encode(text, False) and lane.encode_lossy(text) == _codec_encode(text, True)


@needs_kernel
def test_encode_rejects_a_table_that_is_not_a_lane():
    for decode in ("abc", "é" + lane._DECODE[1:], lane._DECODE[:200] + lane._DECODE[128:184]):
        with pytest.raises(ValueError):
            KERNEL.encode("xin chào", decode, False)
    with pytest.raises(TypeError):
        KERNEL.encode(b"xin", lane._DECODE, False)
    assert KERNEL.encode("xin chào", lane._DECODE, False) == _codec_encode("xin chào", False)  # the table again


# --- lower_encode and outside: the batch's lower-casing and "which messages are dirty / outside the lane" -------

_LOWER_POOL = _ENCODE_POOL + [c.upper() for c in lane._DECODE[:200]] + ["İ", "\u212a", "Σ", "ẞ", "\x1e", "ǅ", "Ω"]


def _lower_encode_reference(joined: str) -> tuple[bytes, list[int]]:
    """What lower_encode() promises, character by character: the lane byte of c.lower() where that is one lane
    character and c is a lane character or the upper-case form the lane lists; ``?`` and an odd message otherwise."""
    out, odd = bytearray(), []
    for i, piece in enumerate(joined.split("\x1e")):
        for c in piece:
            low = c.lower()
            if len(low) == 1 and low in lane._DECODE and (c in lane._DECODE or c in lane._UPPER):
                out.append(lane._DECODE.index(low))
            else:
                out.append(ord("?"))
                if not odd or odd[-1] != i:
                    odd.append(i)
        out.append(0x1E)
    return bytes(out[:-1]), odd


@needs_kernel
@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from(_LOWER_POOL), max_size=40).map("".join) | st.text(max_size=30))
def test_lower_encode_is_lower_then_encode(joined):
    data, odd = lane.lower_encode(joined, "\x1e")
    assert (data, odd) == _lower_encode_reference(joined)
    low = joined.lower()
    if len(low) == len(joined):  # outside the odd messages, exactly the old lower() + encode_lossy()
        pieces = data.split(b"\x1e")
        for i, piece in enumerate(low.split("\x1e")):
            if i not in odd:
                assert pieces[i] == lane.encode_lossy(piece) and lane.decode(pieces[i]) == piece


@needs_kernel
def test_lower_encode_on_every_code_point():
    chars = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000 and c != 0x1E)
    data, odd = KERNEL.lower_encode("\x1e".join(chars), lane._DECODE, lane._UPPER, "\x1e")
    inside = {i for i, c in enumerate(chars)} - set(odd)
    for i in inside:  # one message per code point: the ones the kernel maps lower to one lane character
        assert chars[i].lower() == lane._DECODE[data[2 * i]]
    assert set("abcxyzđàỹ\u20ab🔥" + "ABCXYZĐÀỸ") <= {chars[i] for i in inside}
    assert {"İ", "\u212a", "中", "ѵ"}.isdisjoint(chars[i] for i in inside)


@needs_kernel
def test_lower_encode_rejects_bad_tables():
    with pytest.raises(ValueError):
        KERNEL.lower_encode("Ab", lane._DECODE, lane._UPPER[:100], "\x1e")
    with pytest.raises(ValueError):  # two upper-case forms for one character
        KERNEL.lower_encode("Ab", lane._DECODE, lane._UPPER[:98] + "A" + lane._UPPER[99:], "\x1e")
    with pytest.raises(ValueError):
        KERNEL.lower_encode("Ab", lane._DECODE, lane._UPPER, "é")
    with pytest.raises(TypeError):
        KERNEL.lower_encode(b"Ab", lane._DECODE, lane._UPPER, "\x1e")
    assert lane.lower_encode("Ab\x1eCD", "\x1e") == (b"ab\x1ecd", [])  # the good table again


@needs_kernel
def test_outside_finds_what_the_dirty_regex_finds_on_every_code_point():
    chars = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000 and c != 0x1E)
    found = set(unicode_fold.dirty_messages("\x1e".join(chars), "\x1e"))
    assert found == {i for i, c in enumerate(chars) if unicode_fold.DIRTY.match(c)}


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_LOWER_POOL + ["\u200b", "\ufeff", "a\u0301"]), max_size=40).map("".join))
def test_dirty_messages_are_those_the_regex_finds(joined):
    expected = [i for i, t in enumerate(joined.split("\x1e")) if unicode_fold.DIRTY.search(t)]
    assert unicode_fold.dirty_messages(joined, "\x1e") == expected


@needs_kernel
def test_outside_rejects_bad_ranges():
    for ranges in ([(1, 2)], ((2, 1),), ((0, 0x110000),), (("a", "b"),), ((1,),)):
        with pytest.raises((TypeError, ValueError)):
            KERNEL.outside("abc", ranges, "\x1e")
    assert KERNEL.outside("abc\x1exyz", ((ord("a"), ord("c")),), "\x1e") == [1]


def test_batch_with_odd_lower_cases_keeps_each_message_as_normalize_does():
    from spamguard.text import normalize, normalize_batch

    batch = ["İSTANBUL ko dc 0912345678", "ΟΔΟΣ ΣΟΣ vcb.com", "KHUYẾN MÃI 500K", "\u212aM 5 đi", "ok"]
    assert normalize_batch(batch) == [normalize(t) for t in batch]
    assert normalize_batch(batch[1:]) == [normalize(t) for t in batch[1:]]


@needs_kernel
@settings(max_examples=500, deadline=None)
@given(st.binary(max_size=60) | st.lists(st.sampled_from([b"\x1e", b"a", b"\x80", b"\xff", b"\xe0", b" "]),
                                         max_size=30).map(b"".join))
def test_the_kernel_decodes_as_the_charmap_codec(data):
    import codecs

    text = codecs.charmap_decode(data, "strict", lane._DECODE)[0]
    assert KERNEL.decode(data, lane._DECODE) == text and lane.decode(data) == text
    assert KERNEL.decode(data, lane._DECODE, "\x1e") == text.split("\x1e") == lane.decode_split(data, "\x1e")
    assert all(type(p) is str for p in lane.decode_split(data, "\x1e"))


@needs_kernel
def test_decode_rejects_bad_arguments():
    with pytest.raises(ValueError):
        KERNEL.decode(b"ab", lane._DECODE, "é")
    with pytest.raises(ValueError):
        KERNEL.decode(b"ab", "abc")
    with pytest.raises(TypeError):
        KERNEL.decode("ab", lane._DECODE)
    assert KERNEL.decode(b"", lane._DECODE, "\x1e") == [""] and KERNEL.decode(b"\x1e", lane._DECODE, "\x1e") == ["", ""]


@needs_kernel
def test_lower_encode_rebuilds_its_table_for_another_decode_string():
    swapped = lane._DECODE[:128] + lane._DECODE[129] + lane._DECODE[128] + lane._DECODE[130:]
    first = lane._DECODE[128]
    assert KERNEL.lower_encode(first, lane._DECODE, lane._UPPER, "\x1e") == (bytes([128]), [])
    assert KERNEL.lower_encode(first, swapped, lane._UPPER, "\x1e") == (bytes([129]), [])  # same upper, other decode
    assert KERNEL.lower_encode(first, lane._DECODE, lane._UPPER, "\x1e") == (bytes([128]), [])
