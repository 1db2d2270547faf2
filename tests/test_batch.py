"""Streaming readers and writers (spamguard.batch): every row comes back once, bad rows say why."""

from __future__ import annotations

import csv
import gzip
import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spamguard.batch import (
    MAX_RECORD_LINES,
    OutputFile,
    RowWriter,
    chunked,
    detect_format,
    open_input,
    open_reader,
    sniff_format,
)
from spamguard.errors import InputFormatError


def read(data: bytes, fmt: str | None = "csv"):
    reader = open_reader(io.BytesIO(data), fmt, text_names=["text", "message"])
    return reader, list(reader)


@pytest.mark.parametrize("name, fmt", [("a.csv", "csv"), ("A.CSV", "csv"), ("a.tsv", "tsv"), ("a.tab", "tsv"),
                                       ("a.jsonl", "jsonl"), ("a.ndjson", "jsonl"), ("a.txt", "txt"),
                                       ("dir.v2/a.csv.gz", "csv"), ("a.jsonl.gz", "jsonl")])
def test_format_is_detected_from_the_extension(name, fmt):
    assert detect_format(name) == fmt


@pytest.mark.parametrize("name, words", [("a.json", "one JSON object per line"), ("a", "(none)"),
                                         ("a.parquet", "--format"), ("a.xlsx", "CSV UTF-8")])
def test_unknown_extensions_raise_with_a_hint(name, words):
    with pytest.raises(InputFormatError, match="cannot tell the format") as info:
        detect_format(name)
    assert words in str(info.value)


@pytest.mark.parametrize("first_line, fmt", [(b'{"text": "a"}\n', "jsonl"), (b"id,text\n", "csv"),
                                             (b"\xef\xbb\xbfid,message\n", "csv"), (b"id\ttext\n", "tsv"),
                                             (b"Xin chao, ban khoe khong\n", "txt"), (b"", "txt")])
def test_stdin_format_is_sniffed_from_the_first_line(first_line, fmt):
    assert sniff_format(first_line, ["text", "message"]) == fmt


def test_missing_input_file_raises_input_format_error(tmp_path):
    with pytest.raises(InputFormatError, match="no such file"):
        open_input(tmp_path / "nope.csv")
    with pytest.raises(InputFormatError, match="is a directory"):
        open_input(tmp_path)


def test_csv_rows_are_numbered_and_blank_lines_skipped():
    reader, records = read(b"id,text\n\n1,a\n\n2,b\n")
    assert reader.columns == ["id", "text"]
    assert [(r.row, r.line, r.fields["text"]) for r in records] == [(1, 3, "a"), (2, 5, "b")]


def test_duplicate_and_blank_header_names_are_made_unique():
    reader, records = read(b"text,text,\na,b,c\n")
    assert reader.columns == ["text", "text.2", "column_3"]
    assert records[0].fields == {"text": "a", "text.2": "b", "column_3": "c"}


def test_quoted_fields_may_span_lines_and_hold_commas_and_quotes():
    _, records = read(b'id,text\n1,"a, ""b""\nc"\n2,d\n')
    assert [r.fields["text"] for r in records] == ['a, "b"\nc', "d"]
    assert all(r.readable and r.error is None for r in records)


def test_an_unclosed_quote_costs_one_row_not_the_rest_of_the_file():
    _, records = read(b'id,text\n1,"never closed\n2,two\n3,three\n')
    assert [r.readable for r in records] == [False, True, True]
    assert "unbalanced quote" in records[0].error and "line 2" in records[0].error
    assert [r.fields.get("id") for r in records[1:]] == ["2", "3"]


def test_a_quote_open_for_too_many_lines_is_cut_off():
    body = b'id,text\n1,"open\n' + b"".join(b"%d,x\n" % i for i in range(MAX_RECORD_LINES + 5))
    _, records = read(body)
    assert not records[0].readable
    assert len(records) == 1 + MAX_RECORD_LINES + 5


def test_ragged_rows_are_unreadable_with_the_field_counts():
    _, records = read(b"a,text\n1\n1,2,3\n1,2\n")
    assert [r.readable for r in records] == [False, False, True]
    assert "1 fields, the header has 2" in records[0].error


def test_invalid_utf8_is_replaced_and_flagged():
    _, records = read(b"text\nch\xe0o\n")
    assert records[0].readable and records[0].fields["text"] == "ch\ufffdo"
    assert "invalid UTF-8 (byte 0xe0 at offset 2)" in records[0].error


def test_nul_bytes_are_removed_and_flagged():
    _, records = read(b"text\na\x00b\n")
    assert records[0].fields["text"] == "ab" and "NUL" in records[0].error


def test_bom_and_crlf_are_handled():
    reader, records = read(b"\xef\xbb\xbftext\r\nhello\r\n")
    assert reader.columns == ["text"] and records[0].fields["text"] == "hello"


def test_tsv_ignores_quotes():
    _, records = read(b'text\tx\n"half quoted\t1\n', "tsv")
    assert records[0].fields == {"text": '"half quoted', "x": "1"}


def test_jsonl_bad_lines_are_unreadable_and_blank_lines_skipped():
    reader, records = read(b'{"text": "a", "n": 1}\n\n{oops\n"bare string"\n42\n', "jsonl")
    assert reader.columns == ["text", "n"]
    assert [(r.row, r.line, r.readable) for r in records] == [(1, 1, True), (2, 3, False), (3, 4, True),
                                                              (4, 5, False)]
    assert records[0].fields["n"] == 1 and records[2].fields == {"text": "bare string"}
    assert "expected a JSON object, got int" in records[3].error


def test_jsonl_columns_come_from_the_first_readable_object():
    reader, records = read(b'{broken\n{"message": "x"}\n', "jsonl")
    assert reader.columns == ["message"] and len(records) == 2


def test_txt_keeps_every_line_including_blank_ones():
    _, records = read(b"a\r\n\nb", "txt")
    assert [r.fields["text"] for r in records] == ["a", "", "b"]


def test_empty_streams_have_no_columns_and_no_rows():
    for fmt in ("csv", "tsv", "jsonl", "txt"):
        reader, records = read(b"", fmt)
        assert records == []


def test_chunked_keeps_order_and_sizes():
    assert [len(c) for c in chunked(range(25), 10)] == [10, 10, 5]
    assert [x for c in chunked(range(25), 7) for x in c] == list(range(25))


# -- property: whatever rows csv.writer writes, the reader returns them, one record each -----------------------
cell = st.text(alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00\r"), max_size=30)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(cell, cell), max_size=20))
def test_csv_written_by_the_csv_module_reads_back_exactly(rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["id", "text"])
    writer.writerows(rows)
    _, records = read(buffer.getvalue().encode("utf-8"))
    assert [(r.fields["id"], r.fields["text"]) for r in records] == rows


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=300), st.sampled_from(["csv", "tsv", "jsonl", "txt"]))
def test_arbitrary_bytes_never_crash_a_reader(data, fmt):
    try:
        reader, records = read(b"text,x\n" + data, fmt)
    except InputFormatError:
        return  # e.g. an unreadable header line
    rows = [r.row for r in records]
    assert rows == sorted(set(rows))
    assert all(r.readable or r.error for r in records)


# -- writing --------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["csv", "tsv", "jsonl"])
def test_writers_round_trip_through_the_readers(fmt):
    stream = io.StringIO()
    writer = RowWriter(stream, fmt, ["id", "text", "p"])
    writer.write([{"id": 1, "text": "xin chào, \"bạn\"", "p": 0.1234567}, {"id": 2, "text": None, "p": None}])
    reader, records = read(stream.getvalue().encode("utf-8"), fmt)
    assert writer.rows == 2 and len(records) == 2
    assert records[0].fields["text"] == "xin chào, \"bạn\""
    assert str(records[0].fields["p"]) in ("0.123457", "0.123457")


def test_jsonl_writer_keeps_lists_and_nulls():
    stream = io.StringIO()
    RowWriter(stream, "jsonl", ["reasons", "error"]).write([{"reasons": ["a", "b"]}])
    assert json.loads(stream.getvalue()) == {"reasons": ["a", "b"], "error": None}


def test_output_file_appears_only_on_commit(tmp_path):
    target = tmp_path / "out.csv"
    out = OutputFile(target)
    out.stream.write("a\n")
    assert not target.exists()
    out.commit()
    assert target.read_text() == "a\n" and [p.name for p in tmp_path.iterdir()] == ["out.csv"]


def test_output_file_abort_keeps_a_partial_file_or_nothing(tmp_path):
    out = OutputFile(tmp_path / "out.csv")
    out.stream.write("a\n")
    assert out.abort().name == "out.csv.partial"
    out = OutputFile(tmp_path / "b.csv")
    assert out.abort(keep_partial=False) is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.csv.partial"]


def test_output_file_compresses_gz_targets(tmp_path):
    out = OutputFile(tmp_path / "out.csv.gz")
    out.stream.write("xin chào\n")
    out.commit()
    assert gzip.decompress((tmp_path / "out.csv.gz").read_bytes()).decode() == "xin chào\n"
