"""The faster de-obfuscation code gives exactly what the code it replaced gave.

The reference functions below are the earlier implementations (leet hits found with _LEET_HIT and a character
loop, spaced/dotted runs with a plain finditer, the general apply_edits, look-alike folding after every round);
they are compared with the current ones on obfuscation-heavy text and on arbitrary Unicode.
"""

from __future__ import annotations

import importlib
import types

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spamguard.text import deobfuscate as D
from spamguard.text import lane
from spamguard.text.syllable import split_syllables
from spamguard.text.types import OBFUSCATION_KINDS
from spamguard.text.unicode_fold import _HAS_HOMOGLYPH, fold_homoglyphs

N = importlib.import_module("spamguard.text.normalize")
SETTINGS = settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- reference implementations (as they were) ---------------------------------------------------------------
def ref_leet_edits(text, protected):
    edits = []
    done = 0
    n = len(text)
    for m in D._LEET_HIT.finditer(text):
        if m.start() < done:
            continue
        start = m.start()
        while start > done and D._TOKEN_CHAR.match(text, start - 1):
            start -= 1
        end = m.end()
        while end < n and D._TOKEN_CHAR.match(text, end):
            end += 1
        done = end
        while end > start and text[end - 1] == "!" and end - 1 > start and text[end - 2] == "!":
            end -= 1
        token = text[start:end]
        if protected.hits(start, end):
            continue
        fixed = D._unleet(token)
        if fixed is not None:
            edits.extend((start + i, start + i + 1, b) for i, (a, b) in enumerate(zip(token, fixed)) if a != b)
    return edits


def ref_spaced_edits(text, protected):
    edits = []
    runs = 0
    for regex in (D._SPACED, D._DOTTED):
        for m in regex.finditer(text):
            if protected.hits(m.start(), m.end()):
                continue
            runs += 1
            letters = D._LETTER.findall(m.group())
            cuts = split_syllables(D._ascii("".join(letters))) or ()
            pos = m.start()
            for i in range(1, len(letters)):
                sep = pos + 1
                edits.append((sep, sep + 1, " " if i in cuts else ""))
                pos += 2
    edits.sort()
    return edits, runs


def ref_apply_edits(text, offsets, spans, edits):
    pieces, offs = [], []
    last = 0
    for start, end, repl in edits:
        pieces.append(text[last:start])
        offs.extend(offsets[last:start])
        pieces.append(repl)
        offs.extend(offsets[start + min(k, end - start - 1)] for k in range(len(repl)))
        last = end
    pieces.append(text[last:])
    offs.extend(offsets[last:])
    new_spans = list(spans)
    shift = i = 0
    for k in sorted(range(len(spans)), key=spans.__getitem__):
        s, e = spans[k]
        while i < len(edits) and edits[i][1] <= s:
            shift += (edits[i][1] - edits[i][0]) - len(edits[i][2])
            i += 1
        new_spans[k] = (s - shift, e - shift)
    return "".join(pieces), offs, new_spans


def ref_finds_edits(text, spans, flags):
    leet, onum, spaced, repeat = flags
    protected = D._Protected(spans)
    return bool((onum and D.o_number_edits(text, protected)) or (leet and ref_leet_edits(text, protected))
                or (spaced and ref_spaced_edits(text, protected)[0]) or (repeat and D.repeat_edits(text, protected)))


def ref_deobfuscate(text, offsets, spans, counts, flags=None):
    for _ in range(4):
        leet, onum, spaced, repeat = flags or D.step_flags(text)
        flags = None
        changed = False
        if leet or onum:
            protected = D._Protected(spans)
            edits = D.o_number_edits(text, protected) if onum else []
            if leet:
                edits += ref_leet_edits(text, D._Protected(sorted(spans + [(s, e) for s, e, _ in edits])))
            if edits:
                counts["leet"] += len(edits)
                edits.sort()
                text, offsets, spans = ref_apply_edits(text, offsets, spans, D._dedupe(edits))
                changed = True
        if spaced:
            edits, runs = ref_spaced_edits(text, D._Protected(spans))
            if edits:
                counts["spaced"] += runs
                text, offsets, spans = ref_apply_edits(text, offsets, spans, edits)
                changed = True
        if repeat:
            edits = D.repeat_edits(text, D._Protected(spans))
            if edits:
                counts["repeat"] += len(edits)
                text, offsets, spans = ref_apply_edits(text, offsets, spans, edits)
                changed = True
        if not changed:
            break
        text = fold_homoglyphs(text, counts)
    return text, offsets, spans


REF = types.SimpleNamespace(deobfuscate=ref_deobfuscate, step_flags=D.step_flags)


# --- inputs -----------------------------------------------------------------------------------------------
_OBF = "aeioumnthgkc0134@$!o .-_*·|ờđếĐÀOo \u0301\u200bΑаοx9_5%k,"
obf_text = st.text(alphabet=st.sampled_from(list(_OBF)), max_size=80)
spaced_text = st.lists(st.sampled_from(["k h u y e n", "m.i.ễ.n", "p-h-í", "a*b*c", "x|y|z", "t_h_e", "m·u·a",
                                        " ", "ngay", "1oo%", "th0ng", "ba0", "aaaa", "4xxx", "!!", "@", "t@i",
                                        "5o0k", "97.ooo", "a b", "ab", ".", "1tr5", "ghn8mz2r1p", "ь", "а"]),
                       max_size=14).map("".join)
any_text = st.text(max_size=60)
texts = st.one_of(obf_text, spaced_text, any_text)


def _spans(text: str, data) -> list[tuple[int, int]]:
    n = len(text)
    if not n:
        return []
    cuts = sorted(data.draw(st.lists(st.integers(0, n), max_size=6, unique=True)))
    return [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts) - 1, 2) if cuts[i] < cuts[i + 1]]


def _check_finders(text: str, spans: list[tuple[int, int]]) -> None:
    protected = D._Protected(spans)
    assert D.leet_edits(text, protected) == ref_leet_edits(text, protected)
    assert D.spaced_edits(text, protected) == ref_spaced_edits(text, protected)
    for flags in [(a, b, c, d) for a in (0, 1) for b in (0, 1) for c in (0, 1) for d in (0, 1)]:
        flags = tuple(map(bool, flags))
        # normalize_batch sends a flagged message down the general path when de-obfuscating it counted something:
        # that must be exactly when the first round finds an edit.
        counts = dict.fromkeys(OBFUSCATION_KINDS, 0)
        D.deobfuscate(text, list(range(len(text))), list(spans), counts, flags)
        assert any(counts.values()) == ref_finds_edits(text, spans, flags)
    counts_new, counts_ref = dict.fromkeys(OBFUSCATION_KINDS, 0), dict.fromkeys(OBFUSCATION_KINDS, 0)
    offsets = list(range(len(text)))
    assert (D.deobfuscate(text, offsets, list(spans), counts_new)
            == ref_deobfuscate(text, offsets, list(spans), counts_ref))
    assert counts_new == counts_ref


@SETTINGS
@given(texts, st.data())
def test_finders_match_reference(text: str, data) -> None:
    _check_finders(text, [])
    _check_finders(text.lower(), _spans(text, data))


@SETTINGS
@given(texts)
def test_normalize_matches_reference(text: str) -> None:
    new = N.normalize(text)
    saved = N._deobf
    N._deobf = REF
    try:
        ref = N.normalize(text)
    finally:
        N._deobf = saved
    assert new == ref


@SETTINGS
@given(st.text(max_size=30), st.integers(0, 30), st.data())
def test_apply_edits_matches_reference(text: str, at: int, data) -> None:
    n = len(text)
    cuts = sorted(data.draw(st.lists(st.integers(0, n), max_size=8, unique=True)))
    edits = [(cuts[i], cuts[i + 1], data.draw(st.sampled_from(["", "x", "yz", "0"])))
             for i in range(0, len(cuts) - 1, 2)]
    if data.draw(st.booleans()) and n:
        edits.append((n, n, "q"))  # an insertion at the end
    offsets = [at + 2 * i for i in range(n)]
    spans = [(e, e) for _, e, _ in edits[:1]]
    assert D.apply_edits(text, offsets, spans, edits) == ref_apply_edits(text, offsets, spans, edits)


def test_no_look_alike_letter_in_the_lane() -> None:
    """deobfuscate skips fold_homoglyphs on lane text: it could not change it."""
    assert _HAS_HOMOGLYPH.search(lane._DECODE) is None


@pytest.mark.parametrize("text", [
    "th0ng ba0 tu b0 c0ng an: tai kh0an", "k h u y e n m a i đặc biệt", "m.i.ễ.n p.h.í 100 vòng",
    "x k h u y e n", "k h u y e n m a i k h u y e n", "a b c d.e.f.g", "a.b.c.d-e-f-g", "a.b-c.d.e",
    "1oo% 5o0k 97.ooo", "ban!!! ngay!!", "t@i kh0@n", "ghn8mz2r1p 4xxx 1tr5 3tr", "a1b2c3 passw0rd",
    "m·i·ễ·n phí", "đ.ă.n.g k.ý", "k h u y e n\u0301 m a i", "hello w o r l d", "w o r l d.s.s", "ь a b c d",
    "sooooo đẹpppp", "1 2 3 4", "a  b c d", "_a_b_c_", "x_y_z_w", "a|b|c|d" * 3, "@@@ $$$ !!!",
])
def test_tricky_cases(text: str) -> None:
    _check_finders(text, [])
    _check_finders(text, [(2, 6)])
    for raw in (text, text.upper()):
        new = N.normalize(raw)
        saved = N._deobf
        N._deobf = REF
        try:
            assert new == N.normalize(raw)
        finally:
            N._deobf = saved
