"""Undo the tricks scams use to hide words: leetspeak, the letter O in numbers, spaced letters, repeated letters.

Each finder returns edits ``(start, end, replacement)`` on a lower-case NFC text and never touches a protected span
(an entity such as a URL or an e-mail address). :func:`deobfuscate` applies them until nothing changes and keeps
the offset map and the protected spans aligned.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from spamguard import _compiled
from spamguard.text import lane
from spamguard.text.syllable import is_syllable, split_syllables
from spamguard.text.unicode_fold import ASCII_TABLE, fold_homoglyphs

Edit = tuple[int, int, str]

_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "@": "a", "$": "s", "!": "i"}
_LEET_CHARS = "0134@$!"
# A leet character touching a letter: where leetspeak can be. Cheap gate for the whole module too.
_LEET_HIT = re.compile(r"[^\W\d_][0134@$!]|[0134@$][^\W\d_]")
_TOKEN_CHAR = re.compile(r"[\w@$!]")
_LETTER = re.compile(r"[^\W\d_]")
# The letter o inside a number that starts a word ("1oo%", "5o0k", "97.ooo"), not in "h2o".
_O_IN_NUMBER = re.compile(r"(?<![^\W_])\d+(o+)(?=\d|%|k(?![^\W\d_])|đ|(?![^\W\d_]))|(?<=\d[.,])(ooo)(?![^\W\d_])")
_SPACED = re.compile(r"[^\W\d_](?<!\w.)(?: [^\W\d_]){3,}(?!\w)")
_DOTTED = re.compile(r"[^\W\d_](?<!\w.)([.\-_*·|])[^\W\d_](?:\1[^\W\d_])+(?!\w)")
# Where a match of _SPACED / _DOTTED may start: one character before a hit of these (cheaper to search for: they
# start with a plain character or set, where the two regexes check a look-behind at every letter).
_SPACED_HINT = re.compile(r" [^\W\d_] ")
_DOTTED_HINT = re.compile(r"[.\-_*·|][^\W\d_][.\-_*·|]")
# Runs of one letter; collapsed when 3+ of a vowel or 4+ of a consonant ("cccd" is an abbreviation) and not
# touching a digit ("0123xxx456" is a masked number).
_REPEAT = re.compile(r"([^\W\d_])\1{2,}")


class _Protected:
    """Sorted, non-overlapping spans that edits must not touch."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans = sorted(spans)
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]

    def hits(self, start: int, end: int) -> bool:
        i = bisect_right(self.starts, end - 1) - 1
        return i >= 0 and self.ends[i] > start


def _ascii(text: str) -> str:
    return text if text.isascii() else text.translate(ASCII_TABLE)


@lru_cache(maxsize=16384)
def _unleet(token: str) -> str | None:
    """The token with leet characters replaced, or None when it is not leetspeak (a code, money, a number)."""
    letters = sum(c.isalpha() for c in token)
    if letters < 2 or any(c.isdigit() and c not in _LEET for c in token) or "_" in token:
        return None
    if token[0].isdigit() and sum(c in _LEET_CHARS for c in token) > 1:
        return None  # "1o0", "0a1": a code or a number
    if any(c in "@$!" and not (0 < i < len(token) - 1 and token[i - 1].isalpha() and token[i + 1].isalpha())
           for i, c in enumerate(token)):
        return None  # "@", "$" and "!" stand for letters only between letters ("t@i", "m!ễn"), not "ngay!"
    if token[0].isdigit() and (token[0] not in _LEET_CHARS or not token[1:3].isalpha()):
        return None
    if token[-1] == "1":
        return None  # "no1", "top1": a number, not a letter
    options = ["".join(_LEET.get(c, c) if c != "1" else one for c in token) for one in ("i", "l")]
    for out in options:
        if is_syllable(_ascii(out)):
            return out
    if token[0] not in _LEET_CHARS and token[-1] not in _LEET_CHARS:  # joined syllables: leet inside only
        for out in options:
            if split_syllables(_ascii(out)):
                return out
    core = token.strip(_LEET_CHARS)
    interior = len(core) == len(token) and all(c.isalpha() or c in "0134" for c in core)
    if interior and letters >= 4:  # English-style leet ("passw0rd"); "@", "$", "!" only when Vietnamese
        return "".join(_LEET.get(c, c) for c in token)
    return None


# From the leet character of the first _LEET_HIT of a token to the end of the token (the hits are all inside
# tokens). The regex starts with a plain character set, which the engine skips to quickly, where _LEET_HIT tries
# both alternatives at every position.
_LEET_AT = re.compile(r"[0134@$!](?:(?<=[^\W\d_].)|(?<=[0134@$])(?=[^\W\d_]))[\w@$!]*")
_TOKEN_BACK = re.compile(r"(?s).*[^\w@$!]")  # up to the last character before a token


def _leet_tokens(text: str, protected: _Protected):
    """``(start, token, fixed)`` for each token holding a _LEET_HIT that is not protected and is leetspeak."""
    done = 0
    for m in _LEET_AT.finditer(text):
        pos, end = m.span()
        # The token is the run of _TOKEN_CHAR around the hit (text[done] ends the previous token: not one).
        back = _TOKEN_BACK.match(text, done, pos)
        start = back.end() if back is not None else done
        done = end
        while end > start and text[end - 1] == "!" and end - 1 > start and text[end - 2] == "!":
            end -= 1  # "!!!" is punctuation
        if protected.hits(start, end):
            continue
        token = text[start:end]
        fixed = _unleet(token)
        if fixed is not None:
            yield start, token, fixed


def leet_edits(text: str, protected: _Protected) -> list[Edit]:
    edits: list[Edit] = []
    for start, token, fixed in _leet_tokens(text, protected):
        edits.extend((start + i, start + i + 1, b) for i, (a, b) in enumerate(zip(token, fixed)) if a != b)
    return edits


def o_number_edits(text: str, protected: _Protected) -> list[Edit]:
    edits = []
    for m in _O_IN_NUMBER.finditer(text):
        start, end = m.span(1) if m.group(1) else m.span(2)
        if not protected.hits(start, end):
            edits.append((start, end, "0" * (end - start)))
    return edits


def _hinted_finditer(regex: re.Pattern, hint: re.Pattern, text: str):
    """``regex.finditer(text)`` for a regex whose every match starts one character before a match of ``hint``."""
    last = 0  # end of the last match: the next one starts there or after
    h = hint.search(text, 1)
    while h is not None:
        start = h.start() - 1
        m = regex.match(text, start) if start >= last else None
        if m is not None:
            yield m
            last = m.end()
            h = hint.search(text, last + 1)
        else:
            h = hint.search(text, h.start() + 1)


def spaced_edits(text: str, protected: _Protected) -> tuple[list[Edit], int]:
    edits: list[Edit] = []
    runs = 0
    for regex, hint in ((_SPACED, _SPACED_HINT), (_DOTTED, _DOTTED_HINT)):
        for m in _hinted_finditer(regex, hint, text):
            if protected.hits(m.start(), m.end()):
                continue
            runs += 1
            letters = _LETTER.findall(m.group())
            cuts = split_syllables(_ascii("".join(letters))) or ()
            pos = m.start()
            for i in range(1, len(letters)):
                sep = pos + 1  # the separator after letter i-1 (single character)
                edits.append((sep, sep + 1, " " if i in cuts else ""))
                pos += 2
    edits.sort()
    return edits, runs


def _repeat_runs(text: str) -> list[tuple[int, int]]:
    data = lane.encode(text)
    if data is not None:
        return lane.repeat_runs(lane.fold(data))
    plain, out = _ascii(text), []
    for m in _REPEAT.finditer(plain):
        start, end = m.span()
        long_enough = end - start >= (3 if m.group(1) in "aeiouy" else 4)
        if long_enough and not (start and plain[start - 1].isdigit() or end < len(plain) and plain[end].isdigit()):
            out.append((start, end))
    return out


def repeat_edits(text: str, protected: _Protected) -> list[Edit]:
    return [(start + 1, end, "") for start, end in _repeat_runs(text) if not protected.hits(start, end)]


def apply_edits(text: str, offsets: list[int], spans: list[tuple[int, int]], edits: list[Edit]
                ) -> tuple[str, list[int], list[tuple[int, int]]]:
    """Apply sorted, non-overlapping edits; returns the new text, offsets and protected spans."""
    pieces = []
    last = 0
    if all(end - start == len(repl) for start, end, repl in edits):
        # Same-length replacements (leetspeak, the O in numbers): offsets and spans do not move.
        for start, end, repl in edits:
            pieces += (text[last:start], repl)
            last = end
        pieces.append(text[last:])
        return "".join(pieces), list(offsets), list(spans)
    offs: list[int] = []
    for start, end, repl in edits:
        pieces += (text[last:start], repl)
        offs += offsets[last:start]
        if len(repl) == 1 and end > start:
            offs.append(offsets[start])
        elif repl:
            offs.extend(offsets[start + min(k, end - start - 1)] for k in range(len(repl)))
        last = end
    pieces.append(text[last:])
    offs += offsets[last:]
    if not spans:
        return "".join(pieces), offs, []
    new_spans = list(spans)
    shift = i = 0
    for k in sorted(range(len(spans)), key=spans.__getitem__):  # edits never overlap a span
        s, e = spans[k]
        while i < len(edits) and edits[i][1] <= s:
            shift += (edits[i][1] - edits[i][0]) - len(edits[i][2])
            i += 1
        new_spans[k] = (s - shift, e - shift)
    return "".join(pieces), offs, new_spans


def step_flags(text: str) -> tuple[bool, bool, bool, bool]:
    """Which steps may apply: (leet, O in a number, spaced, repeated letters); lane check when possible."""
    data = lane.encode(text)
    if data is not None:
        return lane.obfuscation_flags(lane.fold(data))
    return (_LEET_HIT.search(text) is not None, _O_IN_NUMBER.search(text) is not None,
            _SPACED.search(text) is not None or _DOTTED.search(text) is not None, bool(_repeat_runs(text)))


def deobfuscate(text: str, offsets: list[int], spans: list[tuple[int, int]], counts: dict[str, int],
                flags: tuple[bool, bool, bool, bool] | None = None) -> tuple[str, list[int], list[tuple[int, int]]]:
    """Undo leetspeak, spaced and repeated letters until nothing changes (at most 4 rounds).

    ``flags`` (leet, O in number, spaced, repeated) says which steps may apply; computed when not given.
    A text in the lane goes to the compiled kernel when it is loaded (same results: the code below defines them).
    """
    if _KERNEL is not None and isinstance(text, str):
        data = lane.encode(text)
        if data is not None:
            return _deobfuscate_lane(text, data, offsets, spans, counts, flags)
    for _ in range(4):
        leet, onum, spaced, repeat = flags or step_flags(text)
        flags = None
        changed = False
        if leet or onum:
            protected = _Protected(spans)
            edits = o_number_edits(text, protected) if onum else []
            if leet:
                edits += leet_edits(text, _Protected(sorted(spans + [(s, e) for s, e, _ in edits])))
            if edits:
                counts["leet"] += len(edits)
                edits.sort()
                text, offsets, spans = apply_edits(text, offsets, spans, _dedupe(edits))
                changed = True
        if spaced:
            edits, runs = spaced_edits(text, _Protected(spans))
            if edits:
                counts["spaced"] += runs
                text, offsets, spans = apply_edits(text, offsets, spans, edits)
                changed = True
        if repeat:
            edits = repeat_edits(text, _Protected(spans))
            if edits:
                counts["repeat"] += len(edits)
                text, offsets, spans = apply_edits(text, offsets, spans, edits)
                changed = True
        if not changed:
            break
        if lane.encode(text) is None:  # (no look-alike letter is in the lane)
            text = fold_homoglyphs(text, counts)  # joined pieces may form a new mixed-script word
    return text, offsets, spans


def _dedupe(edits: list[Edit]) -> list[Edit]:
    out: list[Edit] = []
    for edit in edits:
        if not out or edit[0] >= out[-1][1]:
            out.append(edit)
    return out


# --- the compiled kernel (spamguard._deobscan) --------------------------------------------------------------
_KERNEL = _compiled.load("_deobscan")


def _class_table() -> bytes:
    """One byte per lane character: the bits of the regex classes the kernel's scans read, found by the regexes
    themselves (so that, say, a symbol of the lane that counts as a letter would count in the kernel too)."""
    classes = (re.compile(r"\w"), re.compile(r"\d"), _LETTER, re.compile(r"[^\W_]"), _TOKEN_CHAR,
               re.compile(f"[{_LEET_CHARS}]"), re.compile(r"[0134@$]"), re.compile(r"[.\-_*·|]"))
    return bytes(sum(1 << bit for bit, regex in enumerate(classes) if regex.fullmatch(char)) for char in lane._DECODE)


_KERNEL_TABLES = (_class_table(), lane._FOLD, *lane._FLAG_TABLES, lane._DECODE)


def _deobfuscate_lane(text: str, data: bytes, offsets: list[int], spans: list[tuple[int, int]],
                      counts: dict[str, int], flags: tuple[bool, bool, bool, bool] | None
                      ) -> tuple[str, list[int], list[tuple[int, int]]]:
    """:func:`deobfuscate` of a text in the lane (``data``: its lane bytes) by the kernel."""
    if not flags:
        flags = None  # the kernel computes them, as step_flags() does
    elif type(flags) is not tuple:
        flags = tuple(flags)
    # _unleet and split_syllables are looked up now (not bound at import) so that a patched one is called.
    out = _KERNEL.deobfuscate(data, offsets, spans, flags, _KERNEL_TABLES, _unleet, split_syllables)
    if out is None:  # nothing undone: the Python code returns its arguments then
        return text, offsets, spans
    text, offsets, spans, leet, spaced, repeat = out
    if leet:
        counts["leet"] += leet
    if spaced:
        counts["spaced"] += spaced
    if repeat:
        counts["repeat"] += repeat
    return text, offsets, spans
