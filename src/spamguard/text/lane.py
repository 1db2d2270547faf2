"""A one-byte-per-character view of clean lower-case text, so the hot path runs in C (bytes.translate, split, in).

Almost every message, once cleaned and lower-cased, uses only ASCII, the 67 lower-case Vietnamese letters and a
few symbols and emoji: 256 characters at most. Encoding it with a charmap gives one byte per character; accent
removal, splitting into syllables and the "is there any obfuscation here" checks then cost a ``translate`` and a
few substring searches. Text with other characters returns None from :func:`encode` and takes the regex path.
"""

from __future__ import annotations

import codecs
import functools
import re

from spamguard import _compiled
from spamguard.text.unicode_fold import ASCII_TABLE, VIET_LOWER

_EXTRA = ("“”‘’–—•·«»°€£¥₫×÷©®±←→⇒★☎✔✓✅❌❗❤✨⭐⏰⚡⚠♥"
          "🔥🎁👉👇💰💵💸💯🏆🎉😍😂🙏👍💥📣📢📞📱💳🌟📌🔔")
_DECODE = "".join(map(chr, range(128))) + VIET_LOWER + _EXTRA
assert len(_DECODE) <= 256, len(_DECODE)
_DECODE += "".join(chr(0xF0000 + i) for i in range(256 - len(_DECODE)))  # unused, private-use plane
_ENCODE = codecs.charmap_build(_DECODE)
# The upper-case letter of each lane character whose str.lower() is that character alone (the character itself
# where there is none): lower_encode() reads the cased text directly.
_UPPER = "".join(u if len(u := c.upper()) == 1 and u != c and u.lower() == c else c for c in _DECODE)
assert all(c.lower() == c or c in _UPPER for c in _DECODE)  # "A" is in the lane, and lowers to its "a"
_VIET_BYTES = range(128, 128 + len(VIET_LOWER))


def _table(fn) -> bytes:
    return bytes(fn(i) for i in range(256))


_FOLD = _table(lambda i: ASCII_TABLE.get(ord(_DECODE[i]), i) if i in _VIET_BYTES else i)
_ALNUM = {i for i in range(256) if chr(i).isalnum() and i < 128} | set(_VIET_BYTES)
_SEP = _table(lambda i: i if i in _ALNUM else 32)
# Same, but keeping the record separator (batches) and \x01 (an entity marker) as units of their own.
_SEP_KEEP = _table(lambda i: i if i in _ALNUM or i in (0x01, 0x1E) else 32)
NOT_LANE = re.compile("[^" + re.escape(_DECODE) + "]")


def _leet_cls(i: int) -> int:
    c = chr(i)
    if c.isalpha() and i < 128 or i in _VIET_BYTES:
        return ord("a")
    if c in "0134":
        return ord("0")
    if c.isdigit():
        return ord("9")
    return ord("@") if c in "@$!" else 32


_LEET_CLS = _table(_leet_cls)
_DIGIT0 = _table(lambda i: ord("0") if chr(i).isdigit() and i < 128 else i)  # "1oo%", "5ook"
_MIDDLE_DOT = _DECODE.index("·")  # "M·i·ễ·n": a separator of dotted letters too, written "~" in the classes
_SPACED_CLS = _table(lambda i: ord("a") if _LEET_CLS[i] == ord("a") else ord("~") if i == _MIDDLE_DOT else
                     (i if chr(i) in " .-_*|" else ord("#")))
_VOWELS = frozenset(b"aeiouy")
_DIGITS = frozenset(b"0123456789")
_LEFT = _table(lambda i: i if _LEET_CLS[i] == ord("a") else 1)
_RIGHT = _table(lambda i: i if _LEET_CLS[i] == ord("a") else 2)


def encode_lossy(text: str) -> bytes:
    """One byte per character; characters outside the lane become ``?`` (find them with NOT_LANE)."""
    if text.isascii():
        return text.encode("ascii")
    if _KERNEL is not None:
        return _KERNEL.encode(text, _DECODE, True)
    if len(text) > _LONG:
        # A batch: the charmap codec costs ~40 ns a character; a NumPy table lookup on the UTF-32 code points ~3 ns.
        import numpy as np

        codes = np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        return _code_table()[codes].tobytes()
    return codecs.charmap_encode(text, "replace", _ENCODE)[0]


_LONG = 4096  # characters; below this the table lookup's fixed cost outweighs the codec's


@functools.cache
def _code_table():
    """Byte of every code point in the lane, ``?`` for the others (what the charmap codec writes on "replace")."""
    import numpy as np

    table = np.full(0x110000, ord("?"), dtype=np.uint8)
    for byte, char in enumerate(_DECODE):
        table[ord(char)] = byte
    return table


def lower_encode(joined: str, sep: str) -> tuple[bytes, list[int]] | None:
    """The lane bytes of ``joined.lower()`` (``?`` where the lower-case character is outside the lane), and the
    messages (separated by the ASCII ``sep``) where that happens or the lower case of a character is not one
    character of the lane; None without the compiled kernel (the caller lowers and searches itself). A message
    listed may be in the lane after all (an upper-case form the table does not hold: the Kelvin sign)."""
    if _KERNEL is None:
        return None
    return _KERNEL.lower_encode(joined, _DECODE, _UPPER, sep)


def encode(text: str) -> bytes | None:
    """One byte per character, or None if the text has a character outside the 256 of the lane."""
    if text.isascii():
        return text.encode("ascii")  # the lane's first 128 bytes are ASCII
    if _KERNEL is not None:
        return _KERNEL.encode(text, _DECODE, False)
    if len(text) <= _LONG:
        return _encode_recent(text)
    return _encode_strict(text)


def _encode_strict(text: str) -> bytes | None:
    try:
        return codecs.charmap_encode(text, "strict", _ENCODE)[0]
    except UnicodeEncodeError:
        return None


# The slow path of normalization encodes the same text several times (its checks, then each de-obfuscation step),
# and the charmap codec costs ~50 ns a character: remember the last few.
_encode_recent = functools.lru_cache(maxsize=256)(_encode_strict)


def fold(data: bytes) -> bytes:
    """Accent-free bytes (ASCII where the text was ASCII or Vietnamese)."""
    return data.translate(_FOLD)


def decode(data: bytes) -> str:
    if _KERNEL is not None:
        return _KERNEL.decode(data, _DECODE)
    return codecs.charmap_decode(data, "strict", _DECODE)[0]


def decode_split(data: bytes, sep: str) -> list[str]:
    """``decode(data).split(sep)``, the pieces decoded one by one (``sep`` is ASCII)."""
    if _KERNEL is not None:
        return _KERNEL.decode(data, _DECODE, sep)
    return decode(data).split(sep)


def unit_bytes(data: bytes) -> bytes:
    """The bytes with every non-unit character a space, record separators and \x01 markers kept."""
    return data.translate(_SEP_KEEP)


def unit_string(data: bytes) -> str:
    """The text with every non-unit character a space, record separators and \x01 markers kept."""
    return decode(unit_bytes(data))


def ascii_unit_string(folded: bytes) -> str:
    return folded.translate(_SEP_KEEP).decode("latin-1")


def repeat_runs(folded: bytes) -> list[tuple[int, int]]:
    """Runs of one letter to collapse: 3+ of a vowel or 4+ of a consonant, not touching a digit ("0123xxx456").

    Found with an XOR of the text and itself shifted by one (zero bytes where neighbours are equal letters).
    """
    n = len(folded)
    if n < 3:
        return []
    diff = (int.from_bytes(folded[:-1].translate(_LEFT), "big")
            ^ int.from_bytes(folded[1:].translate(_RIGHT), "big")).to_bytes(n - 1, "big")
    out = []
    pos = diff.find(b"\x00\x00")
    while pos >= 0:
        letter = folded[pos]
        end = pos + 3
        while end < n and folded[end] == letter:
            end += 1
        long_enough = end - pos >= (3 if letter in _VOWELS else 4)
        if long_enough and not (pos and folded[pos - 1] in _DIGITS or end < n and folded[end] in _DIGITS):
            out.append((pos, end))
        pos = diff.find(b"\x00\x00", end)
    return out


def obfuscation_flags(folded: bytes) -> tuple[bool, bool, bool, bool]:
    """Which de-obfuscation steps may apply to one message: (leet, O in a number, spaced, repeated letters)."""
    if _KERNEL is not None:  # the slow path asks this once per de-obfuscation round
        return _UNPACKED[_KERNEL.obfuscation_flags(folded, (len(folded),), _FLAG_TABLES)[0]]
    return obfuscation_flags_py(folded)


def obfuscation_flags_py(folded: bytes) -> tuple[bool, bool, bool, bool]:
    """:func:`obfuscation_flags` in Python: the definition the kernel is tested against."""
    # Class patterns (see _LEET_CLS) where leetspeak may be: letter-digit-letter, a digit ending a word of 2+
    # letters, a digit starting a word of 2+ letters, "@" "$" "!" between letters (with a blank on each side).
    cls = " " + folded.translate(_LEET_CLS).decode("latin-1") + " "
    leet = "a0a" in cls or "a00a" in cls or "aa0 " in cls or " 0aa" in cls or "a@a" in cls
    digits = folded.translate(_DIGIT0).decode("latin-1")
    onum = "0o" in digits or "0.ooo" in digits or "0,ooo" in digits  # "1oo%", "97.ooo"
    sp = folded.translate(_SPACED_CLS).decode("latin-1")  # letters spaced out or between separators
    spaced = ("a a a a" in sp or "a.a.a" in sp or "a-a-a" in sp or "a_a_a" in sp or "a*a*a" in sp
              or "a|a|a" in sp or "a~a~a" in sp)
    return leet, onum, spaced, bool(repeat_runs(folded))


_KERNEL = _compiled.load("_lanescan")
_FLAG_TABLES = (_LEET_CLS, _DIGIT0, _SPACED_CLS, _LEFT, _RIGHT)
_UNPACKED = [(bool(b & 1), bool(b & 2), bool(b & 4), bool(b & 8)) for b in range(16)]


def obfuscation_flags_batch(folded: bytes, lengths: list[int]) -> dict[int, tuple[bool, bool, bool, bool]]:
    """:func:`obfuscation_flags` of each message of a batch (messages of the given lengths joined by one separator
    byte), for the messages where some step may apply (the others have nothing to undo)."""
    if _KERNEL is not None:
        packed = _KERNEL.obfuscation_flags(folded, lengths, _FLAG_TABLES)
        return {i: _UNPACKED[b] for i, b in enumerate(packed) if b}
    out = {}
    at = 0
    for i, n in enumerate(lengths):
        flags = obfuscation_flags_py(folded[at:at + n])
        if any(flags):
            out[i] = flags
        at += n + 1
    return out


_CLASSES = bytes((1 if c.isspace() else 0) | (2 if c.isdigit() else 0) for c in _DECODE)


def words_batch(units: bytes, data: bytes, lengths: list[int], keys: tuple[bytes, ...], names: tuple[str, ...]
                ) -> tuple[dict[int, list[tuple[int, int, str]]], set[str]] | None:
    """In the unit bytes of a batch and the lane bytes ``data`` of its text (messages of the given lengths joined
    by one separator byte): per message, ``(start, end, name)`` of each key (lane bytes; ``names`` are theirs)
    found as a word that stands alone in the text (see teencode.expansions_in_units), and the distinct words that
    are not ASCII. None when the compiled kernel is not there (the caller splits the messages itself)."""
    if _KERNEL is None:
        return None
    return _KERNEL.unit_words(units, data, lengths, keys, names, _DECODE, _CLASSES)
