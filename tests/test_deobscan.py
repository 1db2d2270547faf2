"""The de-obfuscation kernel (spamguard._deobscan) against the Python deobfuscate() it replaces for lane text.

Every comparison runs deobfuscate() twice, with the kernel and with it switched off (the Python code, which
defines the results), and wants the same text, offsets, spans and counts.
"""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spamguard.text import deobfuscate as D
from spamguard.text import lane, normalize
from spamguard.text.entities import find_entities
from spamguard.text.types import OBFUSCATION_KINDS

KERNEL = D._KERNEL
ROOT = Path(__file__).resolve().parent.parent

needs_kernel = pytest.mark.skipif(KERNEL is None, reason="spamguard._deobscan is not loaded (not built here, or SPAMGUARD_PURE_PYTHON=1)")
pytestmark = needs_kernel

ALL_FLAGS = [None] + [tuple(bool(b >> k & 1) for k in range(4)) for b in range(16)]
SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _load(path: Path, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run(text, offsets, spans, flags, kernel):
    saved = D._KERNEL
    D._KERNEL = KERNEL if kernel else None
    try:
        counts = dict.fromkeys(OBFUSCATION_KINDS, 0)
        out = D.deobfuscate(text, list(offsets), list(spans), counts, flags)
    finally:
        D._KERNEL = saved
    return out, counts


def check(text: str, spans=(), flags=None, offsets=None) -> None:
    """The kernel gives what the Python code gives (text in the lane only)."""
    assert lane.encode(text) is not None, text
    offsets = list(range(len(text))) if offsets is None else offsets
    got, got_counts = _run(text, offsets, spans, flags, kernel=True)
    want, want_counts = _run(text, offsets, spans, flags, kernel=False)
    assert got == want
    assert got_counts == want_counts
    assert type(got[0]) is str and type(got[1]) is list and type(got[2]) is list
    assert all(type(s) is tuple for s in got[2])


def check_all_flags(text: str, spans=(), offsets=None) -> None:
    for flags in ALL_FLAGS:
        check(text, spans, flags, offsets)


# --- the cases of the other de-obfuscation tests ------------------------------------------------------------
def _cases_of(module) -> list[str]:
    """The strings of every parametrized test of a test module (the raw text when a case is a tuple)."""
    out = []
    for name in dir(module):
        for mark in getattr(getattr(module, name), "pytestmark", []):
            if mark.name == "parametrize":
                out += [case[0] if isinstance(case, tuple) else case for case in mark.args[1]]
    return [c for c in out if isinstance(c, str)]


_DEOBF_TESTS = _load(ROOT / "tests" / "test_deobfuscate.py", "_deobscan_deobfuscate_cases")
_SPEED_TESTS = _load(ROOT / "tests" / "test_deobf_speed.py", "_deobscan_speed_cases")
SUITE_CASES = sorted({text for raw in _cases_of(_DEOBF_TESTS) + _cases_of(_SPEED_TESTS) + _DEOBF_TESTS.RAW_FLAG_CASES
                      for text in (raw, raw.lower()) if lane.encode(text) is not None})


def test_the_suite_cases_are_many():
    assert len(SUITE_CASES) > 150


@pytest.mark.parametrize("text", SUITE_CASES)
def test_the_cases_of_the_deobfuscation_tests(text):
    check_all_flags(text)
    check_all_flags(text, [(e.start, e.end) for e in find_entities(text)])
    if len(text) > 6:
        check(text, [(2, 6)])


@pytest.mark.parametrize("raw", [r for r in _cases_of(_DEOBF_TESTS) if isinstance(r, str)])
def test_normalize_is_the_same_with_the_kernel(raw, monkeypatch):
    with_kernel = normalize(raw)
    monkeypatch.setattr(D, "_KERNEL", None)
    assert with_kernel == normalize(raw)


# --- the traps of the regexes, written out ------------------------------------------------------------------
LEET = ["ban!!! ngay!!", "m!ễn", "!!a!!", "a!!!b", "a!!b!!", "t@i@", "@@a", "x@y@z", "0a", "a0", "4nh", "0ng",
        "th0ng-ba0", "a1b2c3", "ab0!!", "0!!", "a0_b", "_a0", "a0a0a0", "@a", "$a$", "ab!c", "ab!!!!!!", "x4 y4",
        "h4h4 h4", "pass w0rd", "passw0rd!!", "kh0@n", "1ừa", "v1ệt", "g00gle", "c0de", "x3m", "d4ng.nh4p",
        "a0 0a 00a a00", "t@i!kh0an", "0o0o", "l0l", "10l", "b0ss@", "ab$cd$", "xa0b\nc0d", "0ab 1cd 3ef 4gh",
        "!a!b!", "a!", "!a", "tk0 1a", "th0ng@ba0", "kh0an1", "kh0anvay", "bangt0tnghiep"]
O_NUMBER = ["1oo%", "1ook", "1ookg", "1ooka", "1oođ", "1ooa", "a1oo", "_1oo", "1oo_", "12.ooo", "12,ooo", "1.oooo",
            "1.ooo1", "h2o", "2o25", "1o0", "o1oo", "1oo1oo", "5ooo.ooo", "1.ooo.ooo", "x.ooo", "1..ooo", "1.ooo%",
            "9,oook", "1oo", "1o", "10o0o", "1ok", "1oo k", "đ1oo", "ạ1oo", "1ooạ", "1o.ooo", "2O25", "1oo.1oo"]
SPACED = ["a b c", "a b c d", "a b c dx", "a b c d ex", "xa b c d e", "a b c d1", "a b c d_", "a b c d e f g h",
          "1 a b c d", "_a b c d", "a  b c d", "a b c d\ne", "\na b c d", "a b c d.e.f", "a b c d e1", "é b c d",
          "ạ b c d ê", "a b c d e x y z w", "k h u y e n m a i k h u y e n", "a e i o", "a e i o u y",
          "a b c d e f g h i j k l m n o p q r s t u v w x y z a b c d e f g h i j k l m n o p q r s t u v w x y z"]
DOTTED = ["a.b.c", "a.bx", "a.b.cx", "a.b.c.dx", "a_b_c", "a_b_c_", "a_b_c1", "a_b_c_d_e", "a_b_c_dx", "x_y_z_w",
          "a.b-c.d.e", "a·b·c", "a|b|c|d", "a*b*c*", "a-b-c-", "a.b.c.", "ab.c.d.e", "_a.b.c", "a.b.c_d", "a.e.i",
          "a.e.i.o.u", "m·i·ễ·n", "ạ.b.c", "1.a.b.c", "a.b.c.d-e-f-g", "a.b.c d e f g", "a.b.c d e f", "t.p.h.c.m",
          "a_b_c_d_ex", "x.a_b_c_d", "n_h_ậ_n", "a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z.a.b.c.d.e.f.g"]
REPEAT = ["quáaaaa", "hoàaaa", "xooong", "hmmmm", "okkkk", "cccd", "0123xxx456", "xxx4", "4xxxx", "aaa", "zzz",
          "zzzz", "ooo", "AAA", "aaaà", "đđđđ", "sooooo đẹpppp", "a a a a", "ạạạ", "ggggg1", "nhéeeee!!!"]
MIXED = ["th0ng ba0: k h u y e n m a i lớn nhéeee", "k h u y e e e n", "t h 0 n g", "k.h.0.a.n", "a b c 1oo%",
         "1oo% a.b.c 4nh", "m.i.ễ.n p.h.í 100 vòng", "a e i . o u y", "t@@@i", "k h u u u y e n"]


@pytest.mark.parametrize("text", LEET + O_NUMBER + SPACED + DOTTED + REPEAT + MIXED)
def test_the_traps(text):
    check_all_flags(text)
    n = len(text)
    for spans in ([(0, 1)], [(n - 1, n)], [(1, 3), (4, 4)], [(0, n)], [(n, n)], [(2, 5), (0, 1)]):
        if all(0 <= s <= e <= n for s, e in spans):
            check(text, spans)


@pytest.mark.parametrize("text", ["th0ng ba0 kh0an", "a.b.c 1oo% a b c d", "1oo% t@i sooo"])
def test_spans_that_overlap_each_other_are_read_as_the_python_code_reads_them(text):
    # _Protected expects non-overlapping spans; with overlapping ones both read the last span starting first.
    n = len(text)
    for spans in ([(0, n), (2, 3)], [(0, 6), (1, 2), (1, 3)], [(3, 3), (0, n)], [(5, 9), (5, 6), (0, 1)]):
        check_all_flags(text, spans)


def test_offsets_and_spans_move_with_deleted_characters():
    text = "k h u y e n xin chaooooo bạn a.b.c.d"
    offsets = [10 + 3 * i for i in range(len(text))]
    for spans in ([(12, 15), (30, 30)], [(30, 35), (12, 15)], [(0, 0), (len(text), len(text))]):
        check_all_flags(text, spans, offsets)


def test_any_objects_as_offsets_come_back_in_place():
    text = "k h u y e n quáaaa"
    offsets = [f"o{i}" for i in range(len(text))]
    check_all_flags(text, [], offsets)
    (out, offs, _), _ = _run(text, offsets, [], None, kernel=True)
    assert out == "khuyen quá" and offs[0] == "o0"


def test_a_run_joined_into_blanks_counts_again_each_round():
    # Every letter its own syllable: the separators become blanks, the text does not change, and the Python code
    # counts the run again in each of its 4 rounds.
    for text in ("a e i o", "a e a e", "e e e e"):
        check_all_flags(text)
        _, counts = _run(text, range(len(text)), [], None, kernel=True)
        assert counts["spaced"] == 4
    check_all_flags("a.e.a.e")  # (dotted: the blanks make it spaced letters, joined once)


def test_nothing_to_undo_returns_the_arguments_themselves():
    text, offsets, spans = "xin chao ban", list(range(12)), [(0, 3)]
    out = D.deobfuscate(text, offsets, spans, dict.fromkeys(OBFUSCATION_KINDS, 0), None)
    assert out[0] is text and out[1] is offsets and out[2] is spans
    text = "th0ng"
    offsets = list(range(5))
    out = D.deobfuscate(text, offsets, [], dict.fromkeys(OBFUSCATION_KINDS, 0), None)
    assert out[0] == "thong" and out[1] == offsets and out[1] is not offsets


def test_the_callbacks_get_what_the_python_code_gives_them(monkeypatch):
    def record(fn, calls):
        def wrapper(arg):
            calls.append(arg)
            return fn(arg)
        return wrapper

    text = "th0ng ba0 k h u y e n m.i.ễ.n 4nh a b c d1 t@i"
    calls = {}
    for kernel in (True, False):
        unleet_calls, split_calls = [], []
        D._unleet.cache_clear()
        monkeypatch.setattr(D, "_unleet", record(D._unleet, unleet_calls))
        monkeypatch.setattr(D, "split_syllables", record(D.split_syllables, split_calls))
        calls[kernel] = _run(text, range(len(text)), [(40, 42)], None, kernel), unleet_calls, split_calls
        monkeypatch.undo()
    assert calls[True] == calls[False]
    assert calls[True][1] and calls[True][2]


# --- generated text -----------------------------------------------------------------------------------------
def _lane_only(text: str) -> str:
    return lane.NOT_LANE.sub("", text)


_TRAP_ALPHABET = list("abeiouykmnth o0134@$!.-_*·|,%đéạ\n_x9O") + ["a b ", "a.b.", "1oo", ".ooo", "!!", "aaa"]
trap_text = st.lists(st.sampled_from(_TRAP_ALPHABET), max_size=30).map("".join)
lane_texts = st.one_of(_SPEED_TESTS.obf_text.map(_lane_only), _SPEED_TESTS.spaced_text.map(_lane_only), trap_text)


@SETTINGS
@given(lane_texts, st.sampled_from(ALL_FLAGS), st.data())
def test_generated_text_with_spans(text, flags, data):
    check(text, _SPEED_TESTS._spans(text, data), flags)
    check(text.lower(), _SPEED_TESTS._spans(text, data), flags)


@SETTINGS
@given(_SPEED_TESTS.obf_text.map(_lane_only), st.sampled_from(ALL_FLAGS), st.data())
def test_generated_obfuscated_text(text, flags, data):
    check(text.lower(), _SPEED_TESTS._spans(text, data), flags)


@SETTINGS
@given(_SPEED_TESTS.spaced_text.map(_lane_only), st.sampled_from(ALL_FLAGS), st.data())
def test_generated_spaced_text(text, flags, data):
    check(text, _SPEED_TESTS._spans(text, data), flags)


@SETTINGS
@given(trap_text, st.data())
def test_generated_trap_text_every_flag(text, data):
    spans = _SPEED_TESTS._spans(text, data)
    offsets = [7 * i + 1 for i in range(len(text))]
    check_all_flags(text, spans, offsets)


# --- real text ----------------------------------------------------------------------------------------------
_SAMPLES = _load(ROOT / "benchmarks" / "text_samples.py", "_deobscan_text_samples")
REAL = [m.lower() for m in _SAMPLES.SHORT + _SAMPLES.LONG]


def test_real_messages():
    checked = 0
    for text in REAL:
        if lane.encode(text) is None:
            continue
        spans = [(e.start, e.end) for e in find_entities(text)]
        check(text, spans, None)
        for flags in ALL_FLAGS[1:]:
            check(text, spans, flags)
        checked += 1
    assert checked > 40


def test_real_messages_normalize_the_same(monkeypatch):
    from spamguard.text import normalize_batch

    raws = _SAMPLES.SHORT + _SAMPLES.LONG
    with_kernel = [normalize(m) for m in raws], normalize_batch(raws)
    monkeypatch.setattr(D, "_KERNEL", None)
    assert with_kernel == ([normalize(m) for m in raws], normalize_batch(raws))


# --- bad arguments ------------------------------------------------------------------------------------------
def _call(data=b"th0ng", offsets=None, spans=None, flags=None, tables=None, unleet=None, split=None):
    return KERNEL.deobfuscate(data, list(range(len(data))) if offsets is None else offsets,
                              [] if spans is None else spans, flags, D._KERNEL_TABLES if tables is None else tables,
                              D._unleet if unleet is None else unleet, D.split_syllables if split is None else split)


class _Untruthful:
    def __bool__(self):
        raise ZeroDivisionError


def test_the_call_helper_works():
    assert _call()[0] == "thong"


def test_a_wrong_number_of_arguments_raises():
    with pytest.raises(TypeError):
        KERNEL.deobfuscate(b"x", [0], [], None, D._KERNEL_TABLES, D._unleet)
    with pytest.raises(TypeError):
        KERNEL.deobfuscate()


@pytest.mark.parametrize(("kwargs", "error"), [
    ({"data": "th0ng"}, TypeError),
    ({"data": bytearray(b"th0ng")}, TypeError),
    ({"offsets": [0, 1]}, ValueError),
    ({"offsets": (0, 1, 2, 3, 4)}, TypeError),
    ({"spans": [(0, 9)]}, ValueError),
    ({"spans": [(3, 2)]}, ValueError),
    ({"spans": [(-1, 2)]}, ValueError),
    ({"spans": [[0, 2]]}, TypeError),
    ({"spans": [(0, 1, 2)]}, TypeError),
    ({"spans": [("a", 2)]}, TypeError),
    ({"spans": [(0, 2**80)]}, OverflowError),
    ({"spans": ((0, 1),)}, TypeError),
    ({"flags": 15}, ValueError),
    ({"flags": (True, False)}, ValueError),
    ({"flags": [True] * 4}, ValueError),
    ({"flags": (True, _Untruthful(), True, True)}, ZeroDivisionError),
    ({"tables": ()}, TypeError),
    ({"tables": (b"x",) * 8}, TypeError),
    ({"tables": D._KERNEL_TABLES[:7] + ("abc",)}, TypeError),
    ({"tables": D._KERNEL_TABLES[:7] + ("x" * 256,)}, ValueError),
    ({"tables": D._KERNEL_TABLES[:7] + (lane._DECODE[:200] + "a" + lane._DECODE[201:],)}, ValueError),
    ({"unleet": 3}, TypeError),
    ({"split": "x", "data": b"a b c d"}, TypeError),
    ({"unleet": lambda token: 5}, TypeError),
    ({"unleet": lambda token: "\u4e00" * len(token)}, ValueError),
    ({"unleet": lambda token: 1 / 0}, ZeroDivisionError),
    ({"split": lambda word: ("x",), "data": b"a b c d"}, TypeError),
    ({"split": lambda word: 7, "data": b"a b c d"}, TypeError),
    ({"split": lambda word: 1 / 0, "data": b"a b c d"}, ZeroDivisionError),
])
def test_bad_arguments_raise(kwargs, error):
    with pytest.raises(error):
        _call(**kwargs)


def test_bad_arguments_raise_through_deobfuscate():
    counts = dict.fromkeys(OBFUSCATION_KINDS, 0)
    with pytest.raises(ValueError):
        D.deobfuscate("th0ng", [0, 1], [], counts)
    with pytest.raises(ValueError):
        D.deobfuscate("th0ng", list(range(5)), [], counts, (True, False))
    with pytest.raises(ValueError):
        D.deobfuscate("th0ng", list(range(5)), [], counts, [True] * 5)


def test_flags_are_read_by_their_truth():
    for flags in ([1, 0, 0, 0], (1, "", [], 0), (0, 0, "x", 2), iter([True, False, True, True])):
        check("th0ng ba0 a b c d quáaaa 1oo%", (), list(flags) if not isinstance(flags, tuple) else flags)


def test_the_offsets_list_changing_size_in_a_callback_raises():
    offsets = list(range(5))

    def unleet(token):
        offsets.append(5)
        return D._unleet(token)

    with pytest.raises(RuntimeError):
        _call(offsets=offsets, unleet=unleet)


def test_cuts_out_of_range_are_not_cuts():
    assert _call(b"a b c d", split=lambda word: (-5, 0, 2, 4, 99))[0] == "ab cd"
    assert _call(b"a b c d", split=lambda word: [1, True])[0] == "a bcd"
    assert _call(b"a b c d", split=lambda word: (2**80, -(2**80), 3))[0] == "abc d"


# --- long text ----------------------------------------------------------------------------------------------
LONG_PIECES = {
    "leet": "th0ng ba0 kh0an t@i ",
    "o_number": "1oo% 97.ooo 5o0k ",
    "spaced": "k h u y e n ; ",
    "spaced_backoff": "a b c dx ",
    "dotted": "m.i.ễ.n p.h.í ",
    "underscore": "a_b_",
    "repeat": "quáaaaa xooong ",
    "letters": "a b ",
    "mixed": "th0ng k.h.u a b c d ex 1oo% nhéeee ",
}


@pytest.mark.slow
@pytest.mark.parametrize("kind", sorted(LONG_PIECES))
def test_a_megabyte_of_each_kind_takes_seconds(kind):
    piece = LONG_PIECES[kind]
    text = piece * (1_000_000 // len(piece)) + ("1" if kind == "underscore" else "")
    spans = [(i, i + 2) for i in range(0, len(text) - 2, 5000)]
    start = time.process_time()
    counts = dict.fromkeys(OBFUSCATION_KINDS, 0)
    out = D.deobfuscate(text, list(range(len(text))), spans, counts)
    assert time.process_time() - start < 10
    assert len(out[1]) == len(out[0])
    small = text[:20_000]
    check(small, [(s, e) for s, e in spans if e <= len(small)])
