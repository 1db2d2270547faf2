"""Find typed entities in a message: links, e-mails, phones, shortcodes, money, accounts, OTP codes, dates.

Like underthesea's regex pre-tokenizer, named-group patterns (in :mod:`spamguard.text.entity_patterns`) are tried
in a commented PRIORITY ORDER; where two readings overlap the earlier wins:

1. url / email (a link's digits are never a phone or money)
2. a number followed by a money unit is money ("gui 500k" is money, not a shortcode)
3. a keyword just before a number decides: "STK"/"TK" -> account (even if it looks like a phone), "ma OTP"/"code"/
   "is" -> otp, "SD"/"So du"/"gia" -> money, "gui"/"goi"/"LH" -> shortcode, "thue bao"/"SDT" + masked -> phone
4. otherwise the number's shape: IP link > phone > money ($100) > masked account > USSD code > otp (before
   "is your ... code") > datetime

Spans index the string given; entities are sorted by start and never overlap; matching ignores case. Give NFC
text (as :func:`spamguard.text.normalize` does): accented keywords ("mã", "số tài khoản") are matched composed.

>>> [(e.kind, e.text) for e in find_entities("TK 0123xxx456 +2,000,000VND luc 10:20 27/03/2025")]
[('account', '0123xxx456'), ('money', '2,000,000VND'), ('datetime', '10:20 27/03/2025')]
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Iterable
from typing import Any

from spamguard import _compiled
from spamguard.errors import InputFormatError
from spamguard.text import entity_patterns as P
from spamguard.text.datetimes import _datetime_attrs, datetime_attrs, datetime_tokens
from spamguard.text.money import money_attrs, money_tokens
from spamguard.text.phones import _phone_attrs, phone_attrs, phone_tokens
from spamguard.text.types import Entity
from spamguard.text.urls import is_freemail, is_shortener, path_only_tlds, url_attrs, url_tokens

__all__ = ["find_entities", "find_entities_batch", "entity_tokens", "PLACEHOLDERS", "SEPARATOR"]

SEPARATOR = "\x1e"  # the batch path joins messages with it; no pattern crosses it
PLACEHOLDERS = {k: f"__{k}__" for k in ("url", "email", "phone", "shortcode", "money", "account", "otp",
                                         "datetime")}
_TRAIL = ".,;:!?)]}>'\""   # punctuation that ends a sentence, not a link
_BEFORE_NUMBER = "+($* "   # "+84", "(024)", "$100", "*101#"
# first letters of money units (nghìn k tr triệu tỷ củ vnd đ d usd $ đô), and "o": a letter O for 0 ("5OOk")
_UNIT_FIRST = frozenset("nktcvđdu$ôo")
_AFTER_SHORT = _UNIT_FIRST | frozenset(":h/-x*")  # what may follow a 1-2 digit number that is an entity
_SEPARATORS = frozenset(" .,")
_MASK = frozenset("x*")
_DATE_NEXT = frozenset(":h/-")
_BEFORE_SHORT = frozenset("+($*")
_MASKED_MOBILE = re.compile(r"0[35789]\d")


@functools.lru_cache(maxsize=4096)
def _is_number(s: str) -> bool:
    return P.number_format().fullmatch(s) is not None


def _lower(text: str) -> str:
    low = text.lower()
    return low if len(low) == len(text) else lower_each(text)


def lower_each(text: str) -> str:
    """Each character lowered on its own where that gives one character ("İ" lowers to two: kept), so that
    offsets hold; what the scan reads when lower-casing the whole text would change its length."""
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


_DIGITS = frozenset("0123456789")

_new = object.__new__
_entityscan = _compiled.load("_entityscan")  # the C kernel (spamguard/_entityscan.c), or None: pure Python


class _EntitySlots:
    """Same slots as the frozen :class:`Entity`, but plainly settable: an entity is filled in here, then given its
    class (the layouts match, so ``__class__`` may be assigned). About half the cost of setting the frozen fields
    through their descriptors, and the scanner builds one per entity on the hot path."""

    __slots__ = Entity.__slots__


def _entity(kind: str, start: int, end: int, text: str, placeholder: str, attrs: dict[str, Any]) -> Entity:
    """``Entity(...)``, faster (see :class:`_EntitySlots`). Equal to, and as immutable as, one built the usual way."""
    e = _new(_EntitySlots)
    e.kind = kind
    e.start = start
    e.end = end
    e.text = text
    e.placeholder = placeholder
    e.attrs = attrs
    e.__class__ = Entity
    return e  # type: ignore[return-value]


def _entities(found: list[tuple[str, int, int, dict[str, Any]]], text: str) -> list[Entity]:
    """Entities from the scanner's ``(kind, start, end, attrs)`` over ``text``."""
    if _entityscan is not None:
        return _entityscan.entities(found, text, None, Entity, PLACEHOLDERS)  # the same, built in C
    return [_entity(kind, s, e, text[s:e], PLACEHOLDERS[kind], attrs) for kind, s, e, attrs in found]


@functools.lru_cache(maxsize=8192)
def _unit_money(number: str, unit: str, sub: str | None) -> dict[str, Any] | bool | None:
    """Attributes of money read by the anchor ("500k"); False if the number is malformed, None under 100 dong (no
    price is). A pure function of the strings, so common amounts are parsed once; callers copy the dict to change it."""
    if not _is_number(number):
        return False
    attrs = money_attrs(number, unit, sub)
    return None if _under_100_dong(attrs) else attrs


def _under_100_dong(attrs: dict[str, Any]) -> bool:
    return attrs["currency"] == "VND" and attrs["value"] < 100 and not attrs["informal"] and attrs["unit"] not in (
        "nghìn", "nghin", "ngàn", "ngan", "triệu", "trieu", "tỷ", "tỉ", "ty")


@functools.lru_cache(maxsize=4096)
def _claimed_as(keyword: str, between: str) -> str | None:
    """The kind the keyword claims the number as, given it and the words between (both as matched, reversed), or
    None when those words are too many or forbid it. Pure, and the same few phrases recur: remembered."""
    kind, limit = P.keyword_kind()[keyword[::-1]]
    words = between[::-1].replace(":", " ").replace(",", " ").split()
    if len(words) > limit:
        return None
    if kind == "shortcode" and not all(w.strip(":,") in P.shortcode_link_words() for w in words):
        return None
    if kind == "otp" and not P.otp_not_words().isdisjoint(words):
        return None
    return kind


@functools.lru_cache(maxsize=4096)
def _claimed(keyword: str, between: str) -> str | None:
    """``_claimed_as`` given the keyword and the words between as they stand in the text (not reversed)."""
    return _claimed_as(keyword[::-1], between[::-1])


class _Regexes:
    """The compiled patterns, fetched once for all scans (the ``P`` getters are cached, but a call and a dict lookup
    per number add up on the hot path)."""

    __slots__ = ("anchor", "money_groups", "ip", "phone", "money", "masked", "ussd", "otpsfx", "datetime",
                 "reverse_host", "forward_url", "reverse_scheme", "context", "last_words", "number_for", "keywords",
                 "kernel")

    def __init__(self) -> None:
        self.anchor = P.anchor()
        self.money_groups = P.anchor_money_groups()
        shapes = P.shapes()
        self.ip, self.phone, self.money, self.masked = shapes["ip"], shapes["phone"], shapes["money"], shapes["masked"]
        self.ussd, self.otpsfx, self.datetime = shapes["ussd"], shapes["otpsfx"], shapes["datetime"]
        self.reverse_host, self.forward_url = P.reverse_host(), P.forward_url()
        self.reverse_scheme, self.context = P.reverse_scheme(), P.context()
        self.last_words = P.keyword_last_words()
        self.number_for = {kind: P.number_for(kind) for kind in P.keywords()}
        self.keywords = P.context_keywords()  # for the C kernel's context()
        # what _entityscan.scan() calls: the cached attrs functions (it copies their dicts, as phone_attrs and
        # datetime_attrs do), and _claimed on the keyword it finds before a number
        self.kernel = (self.keywords, _phone_attrs, _datetime_attrs, _unit_money, _claimed)


@functools.cache
def _regexes() -> _Regexes:
    return _Regexes()


class _Scanner:
    """One pass over one string (a message, or many joined by the separator).

    ``run`` returns ``(kind, start, end, attrs)`` tuples: the callers make the entities, each once, with the spans
    their message needs."""

    __slots__ = ("low", "rev", "n", "out", "floor", "rx")

    def __init__(self, low: str) -> None:
        self.low, self.n = low, len(low)
        self.rev: str | None = None
        self.out: list[tuple[str, int, int, dict[str, Any]]] = []
        self.floor = 0  # end of the last entity: nothing may start before it
        self.rx = _regexes()

    def add(self, kind: str, start: int, end: int, attrs: dict[str, Any]) -> int:
        self.out.append((kind, start, end, attrs))
        self.floor = end
        return end

    def run(self) -> list[tuple[str, int, int, dict[str, Any]]]:
        if _entityscan is not None:  # this loop in C, with the common outcomes of number(), quick_money() and
            return _entityscan.scan(self.low, self, self.rx.kernel)  # keyword(); it calls link() and them for the rest
        low, pos = self.low, 0
        money_groups = self.rx.money_groups
        for m in self.rx.anchor.finditer(low):
            at = m.start()
            if at < pos:
                continue  # inside the entity just read
            unit_group = m.lastindex  # set only when the anchor read a money unit after the digits
            if unit_group is None:
                pos = self.number(at, m.end()) if low[at] in _DIGITS else self.link(at)
            else:
                u, n, s = money_groups[unit_group]
                pos = self.quick_money(at, m.start(u), m.end(), m.group(n), m.group(s)) or self.number(at, m.start(u))
        return self.out

    def quick_money(self, at: int, num_end: int, end: int, unit: str, sub: str | None) -> int:
        """Money read by the anchor ("500k", "2.000.000đ"), if its number is well formed; else 0."""
        low = self.low
        if at > self.floor and (low[at - 1] in ".,$_" or low[at - 1].isalnum()):
            return 0
        parsed = _unit_money(low[at:num_end], unit, sub)
        if parsed is False:
            return 0
        if parsed is None:
            return end  # "08 đồng giá", "0 dong": no price is under 100 dong
        attrs = parsed.copy()
        if at and low[at - 1] in "+-":
            attrs["sign"] = low[at - 1]
        return self.add("money", at, end, attrs)

    # --- links and e-mails --------------------------------------------------------------------------------------
    def link(self, at: int) -> int:
        """A link or e-mail around the dot or "@" at ``at``: read leftwards to its start, then forwards."""
        if self.rev is None:
            self.rev = self.low[::-1]
        r = self.rx.reverse_host.match(self.rev, self.n - at)
        if r is None:
            return at + 1
        start = self.n - r.end()
        if start < self.floor:  # labels glued to the entity before: start after it, at a letter or digit
            start = self.floor
            while start < at and not self.low[start].isalnum():
                start += 1
        m = self.rx.forward_url.match(self.low, start)
        if m is None or m.end() <= at:
            return at + 1
        if m.lastgroup == "email":
            return self.email(m.start(), m.end())
        return max(self.url(m.start(), m.end(), m.group("ntld")), at + 1)

    def url(self, start: int, end: int, naked_tld: str | None) -> int:
        low = self.low
        while end > start and low[end - 1] in _TRAIL:
            end -= 1
        attrs = url_attrs(low[start:end])
        if naked_tld and naked_tld in path_only_tlds() and not attrs["path"].strip("/") and not (
                is_shortener(attrs["domain"]) or attrs["official_of"]):
            return end  # "cong.co", "thu 7.cn": a word, not a link
        return self.add("url", start, end, attrs)

    def email(self, start: int, end: int) -> int:
        domain = self.low[start:end].rpartition("@")[2]
        a = url_attrs(domain)
        attrs = {k: a[k] for k in ("domain", "registered_domain", "tld", "official_of", "lookalike_of", "cheap_tld")}
        attrs["freemail"] = is_freemail(attrs["registered_domain"])
        if attrs["freemail"]:
            attrs["official_of"] = None  # "vcb.hotro@gmail.com" is not Google writing, nor the bank
        return self.add("email", start, end, attrs)

    # --- numbers ------------------------------------------------------------------------------------------------
    def number(self, at: int, run_end: int) -> int:
        """Read the number whose digits are ``low[at:run_end]``; try only the shapes its neighbours allow."""
        low, floor, rx = self.low, self.floor, self.rx
        q = low[run_end:run_end + 1]
        q2 = low[run_end + 1:run_end + 2] if q in _SEPARATORS else ""
        if run_end - at <= 2 and q not in _AFTER_SHORT and q2 not in _UNIT_FIRST and (
                at <= floor or low[at - 1] not in _BEFORE_SHORT) and not (q and low.startswith("84", at)):
            return run_end  # "2 phut", "100%"... a short number that is nothing by itself (mostly the anchor's job)
        run = low[at:run_end]
        start = at
        if at > floor and low[at - 1] in _BEFORE_NUMBER and (low[at - 1] != " " or (
                at - 1 > floor and low[at - 2] in _BEFORE_NUMBER)):  # not for a plain space (the loops undo it)
            while start > floor and start > at - 3 and low[start - 1] in _BEFORE_NUMBER:
                start -= 1
            while start < at and low[start] == " ":
                start += 1
        if start < at:
            lead = low[start:at]
            if "*" in lead and (m := rx.ussd.match(low, at - 1)):
                s, e = m.span()
                return self.add("shortcode", s, e, {"code": low[s:e], "ussd": True, "premium": False})
            if "$" in lead and (m := rx.money.match(low, start)):
                return self.money(m)
            bracket_or_plus = "+" in lead or "(" in lead
        else:
            bracket_or_plus = False
        dots = run.count(".")
        if dots >= 3 and (m := rx.ip.match(low, at)):
            if self.rev is None:
                self.rev = low[::-1]
            r = rx.reverse_scheme.match(self.rev, self.n - at)  # "http://103.45.67.89/a"
            return self.url(max(self.n - r.end(), floor) if r else at, m.end(), None)
        if (q in _UNIT_FIRST or q2 in _UNIT_FIRST) and (m := rx.money.match(low, at)):
            return self.money(m)
        digits = len(run) - dots - run.count(",")
        if (digits >= 3 or q in _MASK) and (claimed := self.keyword(at)):
            return claimed
        if run[0] == "0" or bracket_or_plus or run.startswith(("84", "18", "19")):
            m = rx.phone.match(low, start) or (start < at and rx.phone.match(low, at))
            if m:
                s, e = m.span()
                return self.add("phone", s, e, phone_attrs(low[s:e]))
        if q in _MASK and (m := rx.masked.match(low, at)):
            s, e = m.span()
            if e - s == 10 and _MASKED_MOBILE.match(low, s):  # "(0377xxx295)": a mobile number shown masked
                return self.add("phone", s, e, phone_attrs(low[s:e], masked=True))
            return self.add("account", s, e, {"masked": True, "digits": sum(c.isdigit() for c in low[s:e])})
        if q == " " and 4 <= digits <= 8 and (m := rx.otpsfx.match(low, at)):
            return self.add("otp", at, m.end(), {"length": m.end() - at})
        if (q in _DATE_NEXT or dots == 2) and (m := rx.datetime.match(low, at)):
            return self.datetime(at, m.end())
        return run_end

    def money(self, m: Any) -> int:
        s, e = m.span()
        if m.group("musd"):
            attrs = money_attrs(m.group("musd"), "$")
        else:
            attrs = money_attrs(m.group("mnum"), m.group("munit"), m.group("msub"))
        return self.add_money(s, e, attrs)

    def add_money(self, s: int, e: int, attrs: dict[str, Any]) -> int:
        if _under_100_dong(attrs):
            return e  # "08 đồng giá", "0 dong": no price is under 100 dong
        if s and self.low[s - 1] in "+-":
            attrs["sign"] = self.low[s - 1]
        return self.add("money", s, e, attrs)

    def keyword(self, at: int) -> int:
        """If a keyword right before the number claims it, add that entity and return its end (else 0).

        The tests are all needed and each only says no, so the most selective and cheapest goes first: the keyword
        match itself (one anchored match on the reversed text), then the number's shape for that keyword, and last
        the word-list test (``keyword_near``), which few numbers reach."""
        low, rx = self.low, self.rx
        if _entityscan is not None:  # the same match, read leftwards on the text in C
            span = _entityscan.context(low, at, rx.keywords)
            if span is None:
                return 0
            kw_start, kw_end, between_end = span
            kind = _claimed_as(low[kw_start:kw_end][::-1], low[kw_end:between_end][::-1])
        else:
            if self.rev is None:
                self.rev = low[::-1]
            c = rx.context.match(self.rev, self.n - at)
            if c is None:
                return 0
            kind = _claimed_as(c.group("kw"), c.group("between"))
        if kind is None:
            return 0
        m = rx.number_for[kind].match(low, at)
        if m is None or not self.keyword_near(at, kind):
            return 0
        s, e = m.span()
        raw = low[s:e]
        if kind == "account":
            masked = "x" in raw or "*" in raw
            return self.add("account", s, e, {"masked": masked, "digits": sum(ch.isdigit() for ch in raw)})
        if kind == "phone":
            return self.add("phone", s, e, phone_attrs(raw, masked=True))
        if kind in ("otp", "otp_is"):
            return self.add("otp", s, e, {"length": sum(ch.isdigit() for ch in raw)})
        if kind == "money":
            attrs = money_attrs(raw, None)
            sign = low[s - 1] if s and low[s - 1] in "+-" else None
            if sign:
                attrs["sign"] = sign
            return self.add("money", s, e, attrs)
        return self.add("shortcode", s, e, {"code": raw, "ussd": False, "premium": len(raw) == 4 and raw[0] in "678"})

    def keyword_near(self, at: int, kind: str) -> bool:
        """Whether the last seven words (within 48 characters) before the number hold a keyword's last word whose
        kind the number has the shape of (``kind``'s, which it was checked for, or another's)."""
        low, rx = self.low, self.rx
        before = low[max(self.floor, at - 48):at].replace(":", " ").replace(",", " ").split()[-7:]
        found = rx.last_words.keys() & before
        if not found:
            return False
        kinds = set().union(*map(rx.last_words.__getitem__, found))
        return kind in kinds or any(rx.number_for[k].match(low, at) for k in kinds)

    def datetime(self, s: int, e: int) -> int:
        attrs = datetime_attrs(self.low[s:e])
        if attrs is None:
            return e
        return self.add("datetime", s, e, attrs)


_TRIGGER = re.compile(r"[0-9.@]")


def _check(text: Any) -> str:
    if isinstance(text, str):
        return text
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return ""
    raise InputFormatError(f"find_entities expects a str message, got {type(text).__name__}; convert it with str() "
                           "or drop it first.")


def find_entities(text: str) -> list[Entity]:
    """Typed spans of ``text``, sorted by start and never overlapping (``text[e.start:e.end] == e.text``).

    ``None`` and NaN count as empty messages; other non-strings raise :class:`~spamguard.errors.InputFormatError`.

    >>> [(e.kind, e.attrs["value"]) for e in find_entities("Nhan ngay 1tr5 khi nap 500k")]
    [('money', 1500000.0), ('money', 500000.0)]
    """
    if type(text) is not str:
        text = _check(text)
    if _TRIGGER.search(text) is None:  # no digit, dot or @: no entity is possible
        return []
    return _entities(_Scanner(_lower(text)).run(), text)


def find_entities_batch(texts: Iterable[str]) -> list[list[Entity]]:
    """``[find_entities(t) for t in texts]``, in one pass over the messages joined with ``"\\x1e"``."""
    if isinstance(texts, str):
        raise InputFormatError("find_entities_batch expects an iterable of messages, got a single str; wrap it in "
                               "a list or call find_entities().")
    texts = [t if type(t) is str else _check(t) for t in texts]
    joined = SEPARATOR.join(texts)
    if joined.count(SEPARATOR) != len(texts) - 1:  # a message holding the separator itself: one at a time
        return [find_entities(t) for t in texts]
    return entities_of_joined(texts, joined, _lower(joined))


def entities_of_joined(texts: list[str], joined: str, low: str) -> list[list[Entity]]:
    """find_entities_batch() of ``texts``, given them joined by the separator (none inside a message) and that
    joined text lowered as the scan reads it (see :func:`lower_each`)."""
    found = _Scanner(low).run()
    if _entityscan is not None:  # the loop below, in C
        return _entityscan.entities(found, joined, [len(t) for t in texts], Entity, PLACEHOLDERS)
    out: list[list[Entity]] = [[] for _ in texts]
    msg, base, nxt = 0, 0, len(texts[0]) + 1
    for kind, s, e, attrs in found:
        while s >= nxt:  # entities come in order: step to the message holding this one
            msg += 1
            base, nxt = nxt, nxt + len(texts[msg]) + 1
        out[msg].append(_entity(kind, s - base, e - base, joined[s:e], PLACEHOLDERS[kind], attrs))
    return out


def entity_tokens(entity: Entity) -> tuple[str, ...]:
    """Attribute tokens for the models, beside ``entity.placeholder`` (e.g. ``"__url_lookalike__"``)."""
    kind, attrs = entity.kind, entity.attrs
    if kind == "url":
        return url_tokens(attrs)
    if kind == "email":
        return tuple(t for t, on in (("__email_lookalike__", attrs.get("lookalike_of")),
                                     ("__email_official__", attrs.get("official_of")),
                                     ("__email_freemail__", attrs.get("freemail"))) if on)
    if kind == "phone":
        return phone_tokens(attrs)
    if kind == "money":
        return money_tokens(attrs)
    if kind == "account":
        return ("__account_masked__",) if attrs.get("masked") else ("__account_full__",)
    if kind == "otp":
        return (f"__otp_len{attrs.get('length', 0)}__",)
    if kind == "shortcode":
        if attrs.get("ussd"):
            return ("__shortcode_ussd__",)
        return ("__shortcode_premium__",) if attrs.get("premium") else ()
    if kind == "datetime":
        return datetime_tokens(attrs)
    return ()
