"""Brands that scams imitate: their official domains, sender names, and look-alike detection for domains.

The table lives in ``data/brands.tsv``; it is read once, on first use.

>>> official_brand("online.vietcombank.com.vn")
'vietcombank'
>>> lookalike_brand("vietc0mbank-xacminh.top")
'vietcombank'
>>> lookalike_brand("vietcombank.com.vn") is None
True
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from itertools import chain

__all__ = ["Brand", "brands", "official_brand", "lookalike_brand", "sender_brand", "registered_domain",
           "read_data_lines"]


@dataclass(frozen=True, slots=True)
class Brand:
    """A row of ``brands.tsv``. ``keys`` are name keys for look-alike matching; ``strict_keys`` (a subset, written
    "=key" in the file) only count as a whole hyphen-separated part of a domain or glued to a bait word."""

    id: str
    name: str
    domains: tuple[str, ...]
    keys: tuple[str, ...]
    senders: tuple[str, ...]
    category: str
    strict_keys: tuple[str, ...] = ()


def read_data_lines(name: str) -> list[str]:
    """Non-empty, non-comment lines of ``spamguard/text/data/<name>``."""
    from importlib import resources  # here, not at import time: it is slow to import and only needed once

    text = resources.files("spamguard.text").joinpath("data", name).read_text(encoding="utf-8")
    return [line.rstrip("\n") for line in text.splitlines() if line.strip() and not line.startswith("#")]


@functools.cache
def brands() -> dict[str, Brand]:
    """All brands by id, in file order."""
    out: dict[str, Brand] = {}
    for line in read_data_lines("brands.tsv"):
        bid, name, domains, keys, senders, category = (c.strip() for c in line.split("\t"))
        raw_keys = _split(keys)
        out[bid] = Brand(bid, name, _split(domains), tuple(k.lstrip("=") for k in raw_keys), _split(senders),
                         category, tuple(k[1:] for k in raw_keys if k.startswith("=")))
    return out


def _split(cell: str) -> tuple[str, ...]:
    return tuple(x.strip() for x in cell.split(",") if x.strip())


@functools.cache
def _suffixes() -> frozenset[str]:
    return frozenset(read_data_lines("domain_suffixes.txt"))


def registered_domain(host: str) -> str:
    """The domain a registrant owns: one label left of the public suffix (``a.b.vcb.com.vn`` -> ``vcb.com.vn``)."""
    labels = host.strip(".").split(".")
    if len(labels) >= 3 and ".".join(labels[-2:]) in _suffixes():
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


@functools.cache
def _official_index() -> dict[str, str]:
    index: dict[str, str] = {}
    for b in brands().values():
        for d in b.domains:
            index.setdefault(d, b.id)
    return index


@functools.cache
def _known_domains() -> frozenset[str]:
    return frozenset(read_data_lines("known_domains.txt"))


def official_brand(host: str) -> str | None:
    """Brand id whose own domain ``host`` is (itself or a subdomain of an official domain), else None."""
    index = _official_index()
    host = host.lower().strip(".")
    while True:
        bid = index.get(host)
        if bid is not None:
            return bid
        dot = host.find(".")
        if dot < 0:
            return None
        host = host[dot + 1:]


def _sender_key(name: str) -> str:
    return re.sub(r"[^0-9a-z]", "", name.lower())


@functools.cache
def _sender_index() -> dict[str, str]:
    index: dict[str, str] = {}
    table = brands().values()
    for b in table:
        for s in b.senders:
            index.setdefault(_sender_key(s), b.id)
    for b in table:  # then display names and long name keys, never overriding an explicit sender name
        index.setdefault(_sender_key(b.name), b.id)
        for k in b.keys:
            if k not in b.strict_keys and len(k) >= 4:
                index.setdefault(k, b.id)
    return index


def sender_brand(sender: str) -> str | None:
    """Brand id for an alphanumeric sender name ("VCB", "Viettel Post", "J&T"), else None."""
    return _sender_index().get(_sender_key(sender))


# --- look-alike domains -------------------------------------------------------------------------------------------
# Skeleton: fold characters that scammers swap for each other onto one form, for both brand keys and domains.
_SKELETON = str.maketrans({
    "0": "o", "1": "l", "i": "l", "!": "l", "|": "l", "3": "e", "4": "a", "@": "a", "5": "s", "$": "s",
    "7": "t", "9": "g", "6": "b",
    # Cyrillic and Greek look-alikes that survive in raw (un-normalized) links
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "і": "l", "ј": "j", "ѕ": "s",
    "ԁ": "d", "һ": "h", "ӏ": "l", "к": "k", "м": "m", "т": "t", "в": "b", "н": "h",
    "α": "a", "ο": "o", "ν": "v", "ρ": "p", "τ": "t", "ι": "l", "κ": "k", "ε": "e", "υ": "u",
})


def _skeleton(s: str) -> str:
    return s.translate(_SKELETON).replace("rn", "m").replace("vv", "w")


@dataclass(frozen=True, slots=True)
class _Key:
    skel: str
    brand: str
    whole_only: bool       # short key: whole part, or glued to a bait word
    bigrams: frozenset[str]


@functools.cache
def _keys() -> tuple[_Key, ...]:
    out = []
    for b in brands().values():
        for k in b.keys:
            whole = k in b.strict_keys or len(k) < 5
            skel = _skeleton(k)
            out.append(_Key(skel, b.id, whole, frozenset(skel[i:i + 2] for i in range(len(skel) - 1))))
    out.sort(key=lambda k: -len(k.skel))
    return tuple(out)


@functools.cache
def _baits() -> frozenset[str]:
    return frozenset(_skeleton(w) for w in read_data_lines("bait_words.txt"))


def _glued_to_bait(part: str, key: str, baits: frozenset[str]) -> bool:
    if part.startswith(key):
        rest = part[len(key):]
    elif part.endswith(key):
        rest = part[:-len(key)]
    else:
        return False
    return rest in baits or rest.isdigit() or rest.strip("l").isdigit()


def _within_one_edit(key: str, text: str) -> bool:
    """True if some substring of ``text`` is at most one edit (incl. one transposition) away from ``key``.

    One edit leaves at least one of the key's three pieces (:func:`_thirds`) whole, at most one place off where it
    sits in the key; so only the substrings around the pieces' occurrences can match, and each is compared with the
    key directly (was: an edit-distance table over the whole text, in Python, for every key tried)."""
    m = len(key)
    if m < 3:
        return _within_one_edit_table(key, text)
    if key in text:
        return True
    a, b = len(key) // 3, 2 * len(key) // 3
    n = len(text)
    tried = set()
    for piece, at in ((key[:a], 0), (key[a:b], a), (key[b:], b)):
        q = text.find(piece)
        while q >= 0:
            for start in (q - at - 1, q - at, q - at + 1):
                for size in (m - 1, m, m + 1):
                    if start >= 0 and start + size <= n and (start, size) not in tried:
                        tried.add((start, size))
                        if _one_edit(key, text[start:start + size]):
                            return True
            q = text.find(piece, q + 1)
    return False


def _one_edit(key: str, s: str) -> bool:
    """Whether ``s`` is ``key`` with one character changed, added or removed, or two neighbours swapped."""
    if len(s) == len(key):
        diff = [i for i, (x, y) in enumerate(zip(key, s)) if x != y]
        return len(diff) <= 1 or (len(diff) == 2 and diff[1] == diff[0] + 1 and key[diff[0]] == s[diff[1]]
                                   and key[diff[1]] == s[diff[0]])
    longer, shorter = (s, key) if len(s) > len(key) else (key, s)
    if len(longer) != len(shorter) + 1:
        return False
    i = 0
    while i < len(shorter) and shorter[i] == longer[i]:
        i += 1
    return shorter[i:] == longer[i + 1:]


def _within_one_edit_table(key: str, text: str) -> bool:
    """:func:`_within_one_edit` by the edit-distance table (approximate substring matching, with transpositions);
    used for keys too short to cut in three, and as the definition the tests compare with."""
    m = len(key)
    prev2: list[int] | None = None
    prev = list(range(m + 1))  # column for text[:0] ... approximate substring: row 0 is free
    for j, c in enumerate(text):
        cur = [0] * (m + 1)
        for i in range(1, m + 1):
            cost = 0 if key[i - 1] == c else 1
            v = min(prev[i] + 1, cur[i - 1] + 1, prev[i - 1] + cost)
            if prev2 is not None and i > 1 and key[i - 1] == text[j - 1] and key[i - 2] == c:
                v = min(v, prev2[i - 2] + 1)
            cur[i] = v
        if cur[m] <= 1:
            return True
        prev2, prev = prev, cur
    return False


@functools.lru_cache(maxsize=65536)
def lookalike_brand(host: str) -> str | None:
    """Brand id that ``host`` imitates without being the brand's own domain, else None.

    Catches digit/letter swaps (``vietc0mbank``), brand plus hyphen or extra words (``vietcombank-xacminh.top``,
    ``vcb-hotro.vip``, ``vcbhotro.vip``), the brand's name on another TLD (``vietcombank.com``) and one-letter typos
    of long names (``vietcombamk``).
    """
    host = host.lower().strip(".")
    if not host or official_brand(host) is not None:
        return None
    reg = registered_domain(host)
    if reg in _known_domains():
        return None
    labels = host.split(".")
    n_suffix = reg.count(".")  # labels of the public suffix
    labels = labels[:len(labels) - n_suffix] or labels[:1]
    skels = [_skeleton(lab) for lab in labels]
    joined = [s.replace("-", "").replace("_", "") for s in skels]
    parts = [p for s in skels for p in re.split(r"[-_]", s) if p]
    # Every rule below needs a brand skeleton inside a label (substring rules) or most of a long name's letter
    # pairs (typo rule): only the keys that pass that test are tried, in their usual order, so the answer is the same.
    keys = _keys()
    baits = None
    for k in _keys_inside(joined):
        key = keys[k]
        if key.whole_only:
            baits = baits or _baits()
            if key.skel in parts or any(_glued_to_bait(p, key.skel, baits) for p in parts):
                return key.brand
        else:  # its skeleton is inside a label
            return key.brand
    typo_keys = _typo_keys()
    for k, labels in _typo_candidates(joined):
        key = typo_keys[k]
        thirds = _thirds(key.skel)
        if any(len(j) >= len(key.skel) - 1 and any(t in j for t in thirds) and _within_one_edit(key.skel, j)
               for j in labels):
            return key.brand
    return None


def _keys_inside(labels: list[str]) -> list[int]:
    """Indices (in _keys() order) of the keys whose skeleton occurs in one of the labels."""
    if not any(_any_skeleton().search(label) for label in labels):
        return []  # most links are about no brand: one regex search says so
    index, _ = _skeleton_index()
    sizes = _sizes_by_start()
    found: set[int] = set()
    for label in labels:
        # At each place, only the lengths of the skeletons that start with the letters there (a lookahead regex
        # over all the skeletons, to find where one starts, cost two to three times as much).
        for i in range(len(label)):
            for size in sizes.get(label[i:i + 2], ()):
                if i + size > len(label):
                    break
                hit = index.get(label[i:i + size])
                if hit:
                    found.update(hit)
    return sorted(found)


@functools.cache
def _sizes_by_start() -> dict[str, tuple[int, ...]]:
    """For the first two letters of the skeletons (the letter itself for a one-letter skeleton): the lengths of the
    skeletons that start with them, shortest first."""
    out: dict[str, set[int]] = {}
    skeletons = list(_skeleton_index()[0])
    for skel in skeletons:
        out.setdefault(skel[:2], set()).add(len(skel))
    for letter in (skel for skel in skeletons if len(skel) == 1):  # (none today) it starts the longer ones too
        for start, sizes in out.items():
            if start[0] == letter:
                sizes.add(1)
    return {start: tuple(sorted(sizes)) for start, sizes in out.items()}


def _typo_candidates(labels: list[str]) -> list[tuple[int, list[str]]]:
    """Long keys (index in _typo_keys() order) with the labels sharing enough of their letter pairs to be within
    one typo (all but 3 of the key's distinct pairs)."""
    index, need = _bigram_index()
    passing: dict[int, list[str]] = {k: list(labels) for k in _short_typo_keys()}
    empty = ()
    get = index.get
    for label in labels:
        pairs = {label[i:i + 2] for i in range(len(label) - 1)}
        shared: dict[int, int] = {}  # (a Counter costs more to set up than counting ~30 postings does)
        for k in chain.from_iterable([get(pair, empty) for pair in pairs]):
            shared[k] = shared.get(k, 0) + 1
        for k, count in shared.items():
            if 0 < need[k] <= count:
                passing.setdefault(k, []).append(label)
    return sorted(passing.items())


@functools.cache
def _short_typo_keys() -> tuple[int, ...]:
    """The long keys with at most 3 distinct letter pairs: every label is a candidate for them."""
    return tuple(k for k, n in enumerate(_bigram_index()[1]) if n <= 0)


@functools.cache
def _any_skeleton() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(k) for k in sorted({key.skel for key in _keys()}, key=len, reverse=True)))


@functools.cache
def _skeleton_index() -> tuple[dict[str, tuple[int, ...]], list[int]]:
    """Skeleton -> indices of the keys that have it, and the distinct skeleton lengths, shortest first."""
    index: dict[str, list[int]] = {}
    for k, key in enumerate(_keys()):
        index.setdefault(key.skel, []).append(k)
    return {skel: tuple(ks) for skel, ks in index.items()}, sorted({len(skel) for skel in index})


@functools.lru_cache(maxsize=1024)
def _thirds(skel: str) -> tuple[str, str, str]:
    """The skeleton in three pieces. One edit, even a swap of two neighbours, breaks at most two of them, so a text
    within one edit of the skeleton contains at least one piece unchanged: a cheap test before the edit distance."""
    a, b = len(skel) // 3, 2 * len(skel) // 3
    return skel[:a], skel[a:b], skel[b:]


@functools.cache
def _typo_keys() -> tuple[_Key, ...]:
    return tuple(key for key in _keys() if not key.whole_only and len(key.skel) >= 6)


@functools.cache
def _bigram_index() -> tuple[dict[str, tuple[int, ...]], tuple[int, ...]]:
    """Letter pair -> indices of the long keys that have it, and how many pairs each key needs shared."""
    index: dict[str, list[int]] = {}
    for k, key in enumerate(_typo_keys()):
        for pair in key.bigrams:
            index.setdefault(pair, []).append(k)
    return {pair: tuple(ks) for pair, ks in index.items()}, tuple(len(key.bigrams) - 3 for key in _typo_keys())
