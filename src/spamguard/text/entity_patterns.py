"""Regular expressions behind :mod:`spamguard.text.entities`, in one place, built once on first use.

Python's ``re`` only scans fast when every branch of a pattern starts with a literal (it then skips other characters
at C speed; one big alternation of named groups is tried at every character, about 30x slower here). So matching
works from ANCHORS: ``anchor()`` stops only where an entity can hang (a run of digits, a dot before a letter, "@",
"[.]"), then anchored ``match`` calls read the entity there:

- ``reverse_host()`` then ``forward_url()``: from a dot or "@", leftwards over the labels, "www", user info and
  scheme (on the reversed text), then the link or e-mail forwards from its first character.
- ``shapes()``: what a number is by its own form (IP link, phone, money with unit, masked account, USSD,
  OTP before "is your ... code", date/time), matched from the first digit or the "+", "(", "$", "*" before it.
- ``context()``: the keyword just before a number ("STK", "ma OTP", "gui", "SD"), matched on the REVERSED text from
  the number leftwards, so finding it costs one anchored match and never a scan.

All space in patterns is ``[ \\t\\xa0]``: never ``\\s``, which also matches newlines and the ``\\x1e`` separator of
the batch path, so no entity can span two messages. Every repetition is bounded or runs over one character class.
"""

from __future__ import annotations

import functools
import re

from spamguard.text.brands import read_data_lines
from spamguard.text.money import UNITS
from spamguard.text.urls import naked_tlds

SP = "[ \t\xa0]"
LABEL_CHARS = "a-z0-9\u0370-\u03ff\u0400-\u04ff_-"  # Greek and Cyrillic look-alikes stay inside raw links
_LABEL = rf"[a-z0-9\u0370-\u03ff\u0400-\u04ff][{LABEL_CHARS}]{{0,62}}"
_DOT = r"(?:[ ]?\.|\[\.\]|\(\.\))"                  # "vcb .com", "vcb[.]com", "vcb(.)com": obfuscated dots
_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"
_IP = rf"{_OCTET}(?:\.{_OCTET}){{3}}(?!\d|\.\d)"
_PORT = r"(?::\d{1,5})?"
_PATH = r"(?:[/?#][^\s<>\"'`]*)?"                   # \s stops at \x1e too
_SCHEME = r"h[ ]?[tx][ ]?[tx][ ]?p(?:[ ]?s)?[ ]?:[ ]?/[ ]?/[ ]?"  # "h t t p s : / /" and "hxxp" too
NUM = r"\d{1,3}(?:[.,]\d{3})+(?:[.,]\d{1,2})?(?!\d)|\d{1,15}(?:[.,]\d{1,2})?(?!\d)"  # (?!\d): no backtracking
NUM_O = r"\d(?=[\d.,]{0,17}o[\do.,]{0,17}[o0])[\do.,]{0,18}[\do](?!\d)"  # letter O for 0: "5OO", "3.12O.5OO"
GROUPED = r"\d{1,3}(?:[.,]\d{3})+(?:[.,]\d{1,2})?"


def _trie(words: list[str]) -> str:
    """A regex alternation of ``words`` shaped as a trie, so the engine tests each character once."""
    tree: dict[str, dict] = {}
    for w in words:
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict[str, dict]) -> str:
        alts = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:
            return f"(?:{body})?"
        return body

    return emit(tree)


# Money units as a trie: a number is followed by a unit or not at every digit run, and a trie tests each character
# once instead of trying 22 words in turn. It matches what the longest-first alternation matches: the units that fit
# at one place are prefixes of each other, and the trie's greedy optional parts try the longest first too.
UNIT = "(?:" + _trie(list(UNITS)) + ")"
NO_UNIT = rf"(?![ ]?{UNIT}(?!\w))"                 # a number followed by a money unit is money, nothing else

# Anchors, all literal-first so the regex engine can skip everything else at C speed: a dot before a letter (links),
# "[.]" / "(.)" (obfuscated dots), "@" (e-mails), and a run of digits, which also reads a money unit right after it
# (groups u<d>, n<d>, s<d> for a run starting with digit <d>): money is most entities, and this saves a second match.
_MONEY_TAIL = rf"(?:[ ]?{_trie(['đồng', 'dong', 'vnđ', 'vnd', 'đ'])})?(?![\w$]|-\d)"
# A run of one or two digits that can be no entity, so the scanner need not see it (most digit runs: "2 phut", "3G",
# "6 thang"). The run ends: no digit next, nor a "." or "," then a digit or another "." or "," (the run could go on
# through those). Then comes no unit or date/time letter, directly or after one " ", "." or "," (the scanner's own
# early return, written out; after a tab or no-break space a unit may follow, so those are left to it), or else a
# space and a word that is no unit (the money shape fails, and no other shape starts with a short number and a space;
# a "+", "(", "$" or "*" before that space would change that). Never after "+", "(", "$" or "*", nor for "84" (a
# country code). Tried after the first digit, so the branch still starts with a literal; the same test holds at the
# run's second digit, so the next match starts where it would have.
_SHORT_NOTHING = (r"(?<![+($*]\d)\d?(?![0-9]|[.,][0-9.,])"
                  r"(?:\Z|[^0-9.,\t\xa0 nktcvđdu$ôo:h/\-x*]|[ .,](?:\Z|[^nktcvđdu$ôo])"
                  r"|(?<![+($* ] \d)(?<![+($* ] \d\d) (?!{UNIT}))")
ANCHOR_SOURCE = (r"\.(?=[a-z\u0370-\u03ff\u0400-\u04ff])|\[\.\]|\(\.\)|@(?=[a-z0-9])|" + "|".join(
    rf"{d}(?!{'(?!4)' if d == '8' else ''}{_SHORT_NOTHING})(?:[0-9.,]{{0,40}}[0-9])?"
    rf"(?:(?P<u{d}>[ ]?(?P<n{d}>{{UNIT}})(?P<s{d}>\d{{1,3}})?{_MONEY_TAIL})|)"
    for d in "0123456789"))



@functools.cache
def _keyword_table() -> dict[str, tuple[int, tuple[str, ...]]]:
    """``data/entity_keywords.tsv``: kind -> (words allowed between keyword and number, keywords)."""
    table = {}
    for line in read_data_lines("entity_keywords.tsv"):
        kind, limit, words = line.split("\t")
        table[kind] = (int(limit) if limit.isdigit() else 0, tuple(w.strip() for w in words.split(",") if w.strip()))
    return table


def keywords() -> dict[str, tuple[tuple[str, ...], int]]:
    """Kind -> (keywords, how many words may sit between keyword and number), for the kinds a keyword can claim."""
    return {kind: (words, limit) for kind, (limit, words) in _keyword_table().items()
            if kind not in ("shortcode_link", "otp_not")}


@functools.cache
def shortcode_link_words() -> frozenset[str]:
    return frozenset(_keyword_table()["shortcode_link"][1])


@functools.cache
def otp_not_words() -> frozenset[str]:
    return frozenset(_keyword_table()["otp_not"][1])


# Numbers a keyword may claim (anchored at the first digit).
ACCOUNT_NUM = r"(?:\d[\dx*]{5,22}|\d{3,6}(?:[ .-]\d{3,6}){1,4})(?![\w*])" + NO_UNIT
MASKED = r"\d{2,6}[x*]{2,6}\d{2,4}(?![\w*])"
OTP_NUM = r"(?:\d{3}[ ]\d{3}|\d{4,8})(?!\w|[ .,-]?\d)" + NO_UNIT  # "508 271" too
MONEY_KW_NUM = rf"(?:{GROUPED})(?!\w|[.,]\d)" + NO_UNIT
SHORTCODE_NUM = r"\d{3,5}(?!\w|[ .,-]?\d)" + NO_UNIT

_PHONE = (r"(?<![\d.,+])(?:"
          r"(?:\(?\+[ ]?84\)?[ .-]?(?:\(0\)[ ]?|0)?|0084[ .-]?|84[ .-]?(?=[35789](?:[ .-]?\d){8}(?![\d]|[ .-]\d))|0)[35789]\d(?:[ .-]?\d){7}"
          r"|(?:\(?\+[ ]?84\)?[ .-]?|\(?0)2\d(?:[ .)-]{0,2}\d){8}"      # landline: 11 digits with the 0
          r"|1[89]00(?:[ .-]?\d){4,6}"                                   # hotline 1800/1900
          r"|\+[ ]?(?!84)[1-9]\d{0,2}(?:[ .-]?\d){6,12}"                  # another country
          rf")(?!\d|[.,-]\d){NO_UNIT}")
_MONEY = (rf"(?<![\w.,$])(?:\$[ ]?(?P<musd>{NUM})|(?P<mnum>{NUM}|{NUM_O})[ ]?(?P<munit>{UNIT})(?P<msub>\d{{1,3}})?"
          rf"(?:[ ]?(?:đồng|dong|vnđ|vnd|đ))?)(?![\w$]|-\d)")
_DAY = r"(?:[12]\d|3[01]|0?[1-9])"
_MON = r"(?:1[0-2]|0?[1-9])"
_DATE = (rf"(?:(?:19|20)\d\d-{_MON}-{_DAY}|{_DAY}/{_MON}(?:/(?:\d{{4}}|\d\d))?|{_DAY}-{_MON}(?:-(?:\d{{4}}|\d\d))?"
         rf"|{_DAY}\.{_MON}\.\d{{4}}|{_MON}/\d{{4}})")
_CLOCK = r"(?:[01]?\d|2[0-4])(?::[0-5]\d(?::[0-5]\d)?|h[0-5]\d(?:ph|p)?|h)"
_TIME = rf"{_CLOCK}(?:[ ]?-[ ]?{_CLOCK})?"  # "18h-21h" is one span
_DATETIME = (rf"(?<![\w.,/])(?:{_TIME}(?:,?[ ](?:ngày[ ]|ngay[ ])?{_DATE})?|{_DATE}(?:,?[ ](?:lúc[ ]|luc[ ])?"
             rf"{_TIME})?)(?![\w/:%]|[.,-]\d)")


def _compile(source: str) -> re.Pattern[str]:
    return re.compile(source.replace("[ ]", SP))


@functools.cache
def anchor() -> re.Pattern[str]:
    return _compile(ANCHOR_SOURCE.replace("{UNIT}", UNIT))


@functools.cache
def anchor_money_groups() -> tuple[tuple[int, int, int] | None, ...]:
    """For each group index that ``m.lastgroup`` can report, the (unit-with-tail, unit, sub-unit) group indexes."""
    index = anchor().groupindex
    out: list[tuple[int, int, int] | None] = [None] * (max(index.values()) + 1)
    for d in "0123456789":
        out[index[f"u{d}"]] = (index[f"u{d}"], index[f"n{d}"], index[f"s{d}"])
    return tuple(out)


@functools.cache
def number_format() -> re.Pattern[str]:
    return re.compile(NUM)


@functools.cache
def forward_url() -> re.Pattern[str]:
    """Links and e-mails from their first character. Branch order is priority order."""
    tlds = "|".join(re.escape(t) for t in naked_tlds())
    host_any = rf"(?:{_IP}|{_LABEL}(?:{_DOT}{_LABEL}){{0,8}})"
    return _compile(
        # a scheme (any TLD), with optional user info before the host ("http://vcb.com.vn@evil.xyz")
        rf"(?P<url>{_SCHEME}(?:[^\s/@]{{1,64}}@)?{host_any}{_PORT}{_PATH}"
        # www. and at least one more label
        rf"|www[ ]?{_DOT}[ ]?{_LABEL}(?:{_DOT}{_LABEL}){{1,8}}{_PORT}{_PATH})"
        # e-mail
        r"|(?P<email>[a-z0-9][a-z0-9._%+-]{0,63}@[a-z0-9-]{1,63}(?:\.[a-z0-9-]{1,63}){0,6}\.[a-z]{2,24}(?![\w-]))"
        # naked domain with a known TLD ("shopee.vn/abc", "vcb-xacthuc.top")
        rf"|(?P<naked>{_LABEL}(?:{_DOT}{_LABEL}){{0,6}}{_DOT}(?P<ntld>{tlds})(?![\w-]){_PORT}{_PATH})")


@functools.cache
def reverse_host() -> re.Pattern[str]:
    """From just left of a dot or "@", leftwards over the labels (and e-mail local part) before it, then an optional
    "www ." , user info ("user@") and scheme ("https://", "h t t p s : / /"), all read right to left."""
    return _compile(rf"[ ]?[%+{LABEL_CHARS}]{{1,63}}(?:(?:\.[ ]?|\]\.\[|\)\.\()[%+{LABEL_CHARS}]{{1,63}}){{0,8}}"
                    rf"(?:[ ]?\.[ ]?www)?(?:@[^\s/@]{{1,64}})?{_REV_SCHEME}?")


_REV_SCHEME = r"(?:[ ]?/[ ]?/[ ]?:[ ]?(?:s[ ]?)?p[ ]?[tx][ ]?[tx][ ]?h)"  # "http(s)://" read right to left


@functools.cache
def reverse_scheme() -> re.Pattern[str]:
    return _compile(_REV_SCHEME)


@functools.cache
def shapes() -> dict[str, re.Pattern[str]]:
    """What a number is by its own form, one small pattern per kind (the scanner picks which to try)."""
    return {
        "ip": _compile(rf"(?<![\w.]){_IP}{_PORT}{_PATH}"),
        "phone": _compile(_PHONE),
        "money": _compile(_MONEY),
        "masked": _compile(r"(?<![\w*+])(?:\d{1,8}[x*]{2,10}\d{2,6}|[x*]{2,10}\d{3,6})(?![\w*])"),
        "ussd": _compile(r"(?<![\w*#])\*\d{2,4}(?:\*\d{1,16}){0,4}#"),
        "otpsfx": _compile(r"(?<![\w.,])\d{4,8}(?=[ ]{1,3}(?:is[ ]your|is[ ]the|là[ ]mã|la[ ]ma)\b)"),
        "datetime": _compile(_DATETIME),
    }


@functools.cache
def context() -> re.Pattern[str]:
    """Keyword before a number, on the reversed text: separators, up to 6 words (nearest first), the keyword."""
    alts = _trie(sorted({w[::-1] for ws, _ in keywords().values() for w in ws}))
    return _compile(rf"[ :#=.\-]{{1,3}}(?P<between>(?:[^\W\d_]{{1,15}}[ :,]{{1,3}}){{0,6}}?)(?P<kw>{alts})"
                    r"(?![^\W\d_])")


@functools.cache
def context_keywords() -> tuple[str, ...]:
    """The keywords of ``context()``, longest first (the order its trie tries them in at one place), for the C
    kernel's version of it (``spamguard._entityscan.context``), which reads them leftwards on the text itself."""
    return tuple(sorted({w for ws, _ in keywords().values() for w in ws}, key=lambda w: (-len(w), w)))


@functools.cache
def keyword_last_words() -> dict[str, frozenset[str]]:
    """Last word of every keyword -> the kinds it can claim. If none of these words is among the few before a
    number, or the number has none of their shapes, no keyword claims it and the context match is skipped."""
    out: dict[str, set[str]] = {}
    for kind, (ws, _) in keywords().items():
        for w in ws:
            out.setdefault(w.split()[-1], set()).add(kind)
    return {w: frozenset(kinds) for w, kinds in out.items()}


@functools.cache
def keyword_kind() -> dict[str, tuple[str, int]]:
    return {w: (kind, limit) for kind, (ws, limit) in keywords().items() for w in ws}


@functools.cache
def number_for(kind: str) -> re.Pattern[str]:
    source = {"account": ACCOUNT_NUM, "phone": MASKED, "otp": OTP_NUM, "otp_is": OTP_NUM, "money": MONEY_KW_NUM,
              "shortcode": SHORTCODE_NUM}[kind]
    return _compile(source)
