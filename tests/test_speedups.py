"""The compiled kernels (spamguard._speedups) against their definitions: scikit-learn's MurmurHash3 columns, and a
canonical CSR matrix of counts. Their use in the scoring path is checked against the pure-Python path in
test_sms_counts.py."""

from __future__ import annotations

import os
import shutil
import time

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spamguard import _compiled


def test_the_kernels_are_built_where_a_c_compiler_is_available():
    if os.environ.get("SPAMGUARD_NO_EXTENSIONS") or os.environ.get("SPAMGUARD_PURE_PYTHON"):
        pytest.skip("extensions switched off on purpose")
    if not (shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")):
        pytest.skip("no C compiler here: the pure-Python path is used")
    assert _compiled.speedups is not None, "the install did not build spamguard._speedups (see the pip log)"


kernels = pytest.importorskip("spamguard._speedups")


def _columns(strings, n_features, ascii=None, mentions=()):
    cols, lengths, hits = kernels.unit_columns(strings, ascii or [None] * len(strings), n_features, mentions)
    return np.frombuffer(cols, dtype=np.int64), np.frombuffer(lengths, dtype=np.int64), hits


def _sklearn_column(token, n_features):
    from sklearn.utils import murmurhash3_32

    return abs(murmurhash3_32(token, seed=0)) % n_features


@settings(max_examples=300, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs", "Zs", "Zl", "Zp", "Cc", "Nd")), min_size=1, max_size=30))
def test_a_units_columns_are_murmurhash3_of_its_utf8_like_sklearn(unit):
    if unit.split() != [unit]:
        return  # holds a blank that str.split() splits on: not one unit
    cols, lengths, _ = _columns([unit], 2**18)
    assert cols.tolist() == [_sklearn_column(unit, 2**18), _sklearn_column("~" + unit, 2**18)]
    assert lengths.tolist() == [2]


def test_pairs_prefixes_shapes_and_rows():
    n = 2**20
    cols, lengths, _ = _columns(["tài khoản 0912", " ", "x\u3000y"], n, ascii=["tai khoan 0912", None, None])
    expected = ["tài", "khoản", "tài_khoản", "__num4__", "khoản___num4__",
                "~tai", "~khoan", "~tai_khoan", "~__num4__", "~khoan___num4__",
                "x", "y", "x_y", "~x", "~y", "~x_y"]
    assert lengths.tolist() == [10, 0, 6]
    assert sorted(cols[:10].tolist()) == sorted(_sklearn_column(t, n) for t in expected[:10])
    assert sorted(cols[10:].tolist()) == sorted(_sklearn_column(t, n) for t in expected[10:])


def test_long_numbers_share_the_twelve_digit_shape_and_other_digits_count():
    cols, _, _ = _columns(["1234567890123456 ٣٤٥"], 2**18)
    assert cols[0] == _sklearn_column("__num12__", 2**18)
    assert cols[1] == _sklearn_column("__num3__", 2**18)  # Arabic-Indic digits are decimal too, as in str


def test_brand_mentions_are_found_on_the_accent_free_side_only():
    mentions = ((b"~vietcombank", 0), (b"~vcb", 1))
    _, _, hits = _columns(["vcb x", "vietcombank"], 2**10, ascii=None, mentions=mentions)
    assert sorted(hits) == [(0, 1), (1, 0)]
    _, _, hits = _columns(["vcb"], 2**10, ascii=["zzz"], mentions=mentions)
    assert hits == []


def test_a_lone_surrogate_is_an_encode_error_not_a_crash():
    with pytest.raises(UnicodeEncodeError):
        _columns(["ab \ud800"], 2**10)


@pytest.mark.parametrize("args, error", [
    ((["a"], [None, None], 8, ()), ValueError),
    ((["a"], [None], 0, ()), ValueError),
    ((["a", 3], [None, None], 8, ()), TypeError),
    ((("a",), [None], 8, ()), TypeError),
    ((["a"], [None], 8, ((b"~a", "x"),)), TypeError),
    ((["a"], [None], 8, 5), TypeError),
])
def test_unit_columns_rejects_bad_arguments(args, error):
    with pytest.raises(error):
        kernels.unit_columns(*args)


def _csr(groups_a, groups_b):
    def flat(groups):
        cols = np.asarray([c for g in groups for c in g], dtype=np.int64)
        return cols, np.asarray([len(g) for g in groups], dtype=np.int64)

    indptr, indices, counts = kernels.csr_counts(*flat(groups_a), *flat(groups_b))
    return (np.frombuffer(indptr, dtype=np.int64), np.frombuffer(indices, dtype=np.int64),
            np.frombuffer(counts, dtype=np.float64))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.lists(st.integers(0, 50), max_size=40), st.lists(st.integers(0, 50), max_size=10)),
                max_size=8))
def test_csr_counts_equals_scipy_sum_duplicates(rows):
    import scipy.sparse as sp

    indptr, indices, counts = _csr([a for a, _ in rows], [b for _, b in rows])
    row_ids = [r for r, (a, b) in enumerate(rows) for _ in a + b]
    cols = [c for a, b in rows for c in a + b]
    expected = sp.csr_matrix((np.ones(len(cols)), (row_ids, cols)), shape=(len(rows), 51))
    expected.sum_duplicates()
    assert indptr.tolist() == expected.indptr.tolist()
    assert indices.tolist() == expected.indices.tolist()
    assert counts.tolist() == expected.data.tolist()


@pytest.mark.parametrize("row", [[7] * 300_000, list(range(300_000, 0, -1)), list(range(300_000)) * 2])
def test_csr_counts_stays_fast_on_adversarial_rows(row):
    start = time.process_time()
    indptr, indices, counts = _csr([row], [[]])
    assert time.process_time() - start < 2.0  # a quadratic sort would take minutes
    assert indptr.tolist() == [0, len(set(row))]
    assert counts.sum() == len(row)


@pytest.mark.parametrize("args", [
    (b"\x00" * 7, np.zeros(1, np.int64), np.zeros(0, np.int64), np.zeros(1, np.int64)),
    (np.zeros(1, np.int64), np.ones(1, np.int64), np.zeros(0, np.int64), np.zeros(2, np.int64)),
    (np.zeros(1, np.int64), np.full(1, 2, np.int64), np.zeros(0, np.int64), np.zeros(1, np.int64)),
    (np.zeros(1, np.int64), np.full(1, -1, np.int64), np.zeros(0, np.int64), np.zeros(1, np.int64)),
    ("text", np.zeros(1, np.int64), np.zeros(0, np.int64), np.zeros(1, np.int64)),
])
def test_csr_counts_rejects_inconsistent_buffers(args):
    with pytest.raises((ValueError, TypeError)):
        kernels.csr_counts(*args)


def _numpy_logits(matrix, idf, coef_t):
    data = np.log1p(matrix.data) * idf[matrix.indices]
    rows = np.repeat(np.arange(matrix.shape[0]), np.diff(matrix.indptr))
    norms = np.sqrt(np.bincount(rows, weights=data * data, minlength=matrix.shape[0]))
    data *= (1.0 / np.maximum(norms, 1e-12))[rows]
    scaled = matrix.copy()
    scaled.data = data
    return scaled @ coef_t


@pytest.mark.parametrize("index_dtype", [np.int32, np.int64])
def test_linear_logits_are_bit_identical_to_numpy_and_scipy(index_dtype):
    import scipy.sparse as sp

    rng = np.random.default_rng(3)
    matrix = sp.random(60, 500, density=0.05, format="lil", random_state=4)
    matrix[7] = 0  # an empty row
    matrix = matrix.tocsr()
    matrix.data = rng.integers(1, 6, size=matrix.nnz).astype(np.float64)
    idf, coef_t = rng.uniform(1, 5, 500), rng.normal(size=(500, 3))
    table = np.ascontiguousarray(np.column_stack([idf, coef_t]))
    raw = kernels.linear_logits(matrix.indptr.astype(index_dtype), matrix.indices.astype(index_dtype), matrix.data,
                                table, np.log1p(np.arange(256.0)))
    logits = np.frombuffer(raw, dtype=np.float64).reshape(60, 3)
    np.testing.assert_array_equal(logits, _numpy_logits(matrix, idf, coef_t))
    assert not logits[7].any()


@pytest.mark.parametrize("change, error", [
    (lambda a: {**a, "counts": np.array([1.5, 1.0])}, OverflowError),
    (lambda a: {**a, "counts": np.array([300.0, 1.0])}, OverflowError),
    (lambda a: {**a, "indices": np.array([0, 9], dtype=np.int64)}, ValueError),
    (lambda a: {**a, "indptr": np.array([0, 3], dtype=np.int64)}, ValueError),
    (lambda a: {**a, "table": np.ones(12)}, TypeError),
    (lambda a: {**a, "counts": np.array([1, 1], dtype=np.int64)}, TypeError),
])
def test_linear_logits_rejects_what_it_cannot_compute_exactly(change, error):
    args = {"indptr": np.array([0, 2], dtype=np.int64), "indices": np.array([0, 2], dtype=np.int64),
            "counts": np.array([1.0, 2.0]), "table": np.ones((4, 3)), "logs": np.log1p(np.arange(256.0))}
    args = change(args)
    with pytest.raises(error):
        kernels.linear_logits(args["indptr"], args["indices"], args["counts"], args["table"], args["logs"])


def test_predict_proba_is_bit_identical_with_and_without_the_kernels(monkeypatch):
    import spamguard

    model = spamguard.load_model("sms")
    texts = ["Ma OTP cua ban la 482913", "Vietcombank: xac minh tai http://vietcombank-xacminh.top",
             "Mẹ ơi tối nay con về muộn", "", "ha " * 400, "giảm 50% 👉 bit.ly/abc 0912 345 678"]
    senders = ["VCB", None, "0912345678", None, "8088", "SHOP"]
    compiled = model.predict_proba(texts, senders=senders)
    monkeypatch.setattr(_compiled, "speedups", None)
    np.testing.assert_array_equal(compiled, model.predict_proba(texts, senders=senders))


class _Placed:
    def __init__(self, placeholder):
        self.placeholder = placeholder


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab 12ệ\t", max_size=20),
       st.lists(st.tuples(st.integers(0, 22), st.integers(0, 22), st.sampled_from(["__url__", "__phone__", "x y"])),
                max_size=4))
def test_cutting_entities_in_equals_cutting_the_string_first(unit_str, cuts):
    from spamguard.text.tokenize import _cut_entities

    class _Norm:
        entity_spans = [(s, e) for s, e, _ in cuts]

    cut = _cut_entities(unit_str, _Norm, [f" {p} " for _, _, p in cuts])
    expected, _, _ = _columns([cut], 2**16)
    got, _, _ = kernels.unit_columns([unit_str], [None], 2**16, (), [_Norm.entity_spans],
                                     [[_Placed(p) for _, _, p in cuts]])
    assert sorted(np.frombuffer(got, dtype=np.int64).tolist()) == sorted(expected.tolist())


@pytest.mark.parametrize("spans, entities, error", [
    ([[(-1, 2)]], [[_Placed("__x__")]], ValueError),
    ([[(0, 2, 3)]], [[_Placed("__x__")]], TypeError),
    ([[(0, 2)]], [[object()]], AttributeError),
    ([[(0, 2)]], [[_Placed(5)]], TypeError),
    ([(0, 2)], [[_Placed("__x__")]], TypeError),
    ([[(0, 2)]], None, ValueError),
])
def test_unit_columns_rejects_bad_cuts(spans, entities, error):
    with pytest.raises(error):
        kernels.unit_columns(["abc def"], [None], 2**10, (), spans, entities)


def test_every_kernel_source_is_listed_and_loads():
    from pathlib import Path

    if os.environ.get("SPAMGUARD_PURE_PYTHON"):
        pytest.skip("kernels switched off on purpose")
    sources = {p.stem for p in (Path(_compiled.__file__).parent).glob("_*.c")}
    assert sources == set(_compiled.KERNELS)
    assert all(_compiled.load(name) is not None for name in _compiled.KERNELS)


def test_a_module_built_from_another_version_of_its_source_is_refused(tmp_path, monkeypatch):
    import hashlib
    import json

    monkeypatch.setattr(_compiled, "_HERE", tmp_path)
    _compiled._up_to_date.cache_clear()
    try:
        source = tmp_path / "_k.c"
        source.write_text("int x;")
        (tmp_path / "_k.h").write_text("int y;")
        digest = hashlib.sha256(b"int x;")
        digest.update(b"int y;")
        (tmp_path / ".kernels-built.json").write_text(json.dumps({"_k": digest.hexdigest()}))
        assert _compiled._up_to_date("_k")
        _compiled._up_to_date.cache_clear()
        source.write_text("int x = 1;")  # edited after the build
        with pytest.warns(UserWarning, match="rebuild"):
            assert not _compiled._up_to_date("_k")
        assert _compiled._up_to_date("_absent")  # no source here (an installed wheel): nothing to check
    finally:
        _compiled._up_to_date.cache_clear()


def test_the_build_records_the_hash_the_loader_checks(tmp_path):
    import importlib.util
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    spec = importlib.util.spec_from_file_location("hatch_build", root / "hatch_build.py")
    hatch_build = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hatch_build)
    source = tmp_path / "_k.c"
    source.write_text("int x;")
    (tmp_path / "_k.h").write_text("int y;")
    assert hatch_build.source_hash(source) == _compiled._source_hash(source)
