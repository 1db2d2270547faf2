"""fold_homoglyphs() against the word-by-word definition it replaced (it now visits only the words around a
look-alike letter)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from spamguard.text.types import OBFUSCATION_KINDS
from spamguard.text.unicode_fold import _HAS_HOMOGLYPH, _LATIN, _WORDISH, HOMOGLYPHS_WORD, fold_homoglyphs


def reference_fold(text: str, counts: dict[str, int]) -> str:
    pieces, last = [], 0
    for m in _WORDISH.finditer(text):
        word = m.group()
        if _HAS_HOMOGLYPH.search(word) and _LATIN.search(word):
            folded = word.translate(HOMOGLYPHS_WORD)
            counts["homoglyph"] += sum(a != b for a, b in zip(word, folded))
            pieces += (text[last:m.start()], folded)
            last = m.end()
    if not pieces:
        return text
    pieces.append(text[last:])
    return "".join(pieces)


def _both(text: str) -> None:
    new, ref = dict.fromkeys(OBFUSCATION_KINDS, 0), dict.fromkeys(OBFUSCATION_KINDS, 0)
    assert fold_homoglyphs(text, new) == reference_fold(text, ref)
    assert new == ref


def test_every_look_alike_letter_is_a_word_character():
    # fold_homoglyphs finds a word from its look-alike letter: the letter must belong to the word.
    assert all(chr(code).isalnum() for code in HOMOGLYPHS_WORD)


CASES = ["Ѵietcombank: Giao dịch", "Tài khоản quý khách", "ΑΒΓ", "аbс_dеf", "xin chào", "", "о", "vcb-bаnk.vn",
         "Ѵietcombank Ѵietcombank", "рhí²ѕ", "а1b ѕ_t аа", "ĐĂNG NΗẬP", "khоản\u0301 ok"]


def test_cases():
    for text in CASES:
        _both(text)


_ALPHABET = "abcđxyz019_ -.ạ²½" + "".join(map(chr, list(HOMOGLYPHS_WORD)[:20])) + "Ѵ"


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(_ALPHABET)), max_size=40) | st.text(max_size=30))
def test_matches_the_word_by_word_definition(text):
    _both(text)


def test_dirty_units_are_what_finditer_finds():
    from spamguard.text.unicode_fold import _UNIT, _dirty_units

    for text in CASES + ["a\u0301b\u0301", "\u0301x", "xin\u200bchào", "Ｔｈôｎｇ", "e\u0302\u0301", "", "ö̈x"]:
        assert [m.span() for m in _dirty_units(text)] == [m.span() for m in _UNIT.finditer(text)]


_DIRTY_ALPHABET = _ALPHABET + "\u0301\u0300\u0302\u0323\u200b\u200d\ufeffＴｈ\u00a0\tåöṱ\x07"


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(_DIRTY_ALPHABET)), max_size=30) | st.text(max_size=30))
def test_dirty_units_match_finditer_on_generated_text(text):
    from spamguard.text.unicode_fold import _UNIT, _dirty_units

    assert [m.span() for m in _dirty_units(text)] == [m.span() for m in _UNIT.finditer(text)]
