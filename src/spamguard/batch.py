"""Streaming readers and writers for batch files: CSV, TSV, JSON Lines and plain text.

Reading never stops at a bad row. Every data row becomes one :class:`Record`; a row that cannot be read, or was
read only after a repair (invalid UTF-8 replaced, NUL bytes removed), carries an ``error`` saying why, and
``readable=False`` when its fields cannot be trusted at all (ragged CSV row, broken JSON, unbalanced quote).
Files are read line by line, so memory stays flat however large the input.

Writing goes to a temporary file beside the target, renamed into place by :meth:`OutputFile.commit`; an
interrupted run leaves at most ``<target>.partial``, never a file that looks complete.

Examples
--------
>>> import io
>>> reader = open_reader(io.BytesIO(b"id,text\\n1,hello\\n2,a,b\\n"), "csv")
>>> reader.columns
['id', 'text']
>>> [(r.row, r.fields, r.readable) for r in reader]  # doctest: +NORMALIZE_WHITESPACE
[(1, {'id': '1', 'text': 'hello'}, True), (2, {}, False)]
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import json
import os
import tempfile
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import IO, Any

from spamguard.errors import InputFormatError

__all__ = ["FORMATS", "Record", "Reader", "OutputFile", "detect_format", "open_input", "open_reader",
           "sniff_format", "chunked", "RowWriter", "open_writer"]

FORMATS = ("csv", "tsv", "jsonl", "txt")
_EXTENSIONS = {".csv": "csv", ".tsv": "tsv", ".tab": "tsv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".txt": "txt"}
_HINTS = {".json": "a .json file is one document, not a stream; write one JSON object per line (.jsonl)",
          ".xlsx": "save the sheet as CSV UTF-8 first", ".xls": "save the sheet as CSV UTF-8 first"}
_BOM = b"\xef\xbb\xbf"
#: A quoted CSV field may span at most this many physical lines before it is treated as an unbalanced quote.
MAX_RECORD_LINES = 10_000
#: Largest CSV field accepted (the csv module's default of 128 KiB is too small for long posts).
MAX_FIELD_BYTES = 64 * 1024 * 1024


@dataclass
class Record:
    """One data row: its number (1-based, header and blank lines excluded), first physical line, and fields."""

    row: int
    line: int
    fields: dict[str, Any]
    error: str | None = None
    readable: bool = True


def detect_format(path: str | os.PathLike[str]) -> str:
    """Return ``csv``, ``tsv``, ``jsonl`` or ``txt`` from a file name (``.gz`` is looked through)."""
    name = Path(path).name.lower()
    if name.endswith(".gz"):
        name = name[:-3]
    suffix = Path(name).suffix
    if suffix in _EXTENSIONS:
        return _EXTENSIONS[suffix]
    hint = _HINTS.get(suffix, "name the format with --format")
    known = ", ".join(sorted(_EXTENSIONS))
    raise InputFormatError(f"cannot tell the format of {str(path)!r} from its extension {suffix or '(none)'!r}; "
                           f"known extensions: {known}; {hint}")


def sniff_format(first_line: bytes, text_names: Iterable[str] = ()) -> str:
    """Guess the format of a stream without a name: JSON Lines, a CSV/TSV with a known header, else plain text."""
    line = first_line.removeprefix(_BOM).decode("utf-8", "replace").strip()
    if line.startswith("{"):
        return "jsonl"
    names = {n.lower() for n in text_names}
    for fmt, sep in (("tsv", "\t"), ("csv", ",")):
        fields = [f.strip().strip('"').lower() for f in line.split(sep)]
        if len(fields) > 1 and names.intersection(fields):
            return fmt
    return "txt"


def open_input(path: str | os.PathLike[str]) -> IO[bytes]:
    """Open a file for binary reading (gzip-compressed when it ends in ``.gz``) with a clear error if it cannot be."""
    p = Path(path)
    if p.is_dir():
        raise InputFormatError(f"{str(path)!r} is a directory, not a file")
    try:
        return gzip.open(p, "rb") if p.name.lower().endswith(".gz") else open(p, "rb")  # noqa: SIM115
    except FileNotFoundError:
        raise InputFormatError(f"no such file: {str(path)!r}") from None
    except OSError as exc:
        raise InputFormatError(f"cannot read {str(path)!r}: {exc.strerror or exc}") from None


class _RecordTooLong(Exception):
    pass


class _Lines:
    """Physical lines of a binary stream decoded as UTF-8, with per-line repair notes and pushback."""

    def __init__(self, stream: IO[bytes] | IO[str], first: bytes | None = None):
        self._stream = stream
        self._pending: deque[tuple[int, str, str | None]] = deque()
        self._first_raw = first
        self._count = 0
        self.taken: list[tuple[int, str, str | None]] = []
        self.limit = 0

    def _read_raw(self) -> bytes | str:
        if self._first_raw is not None:
            raw, self._first_raw = self._first_raw, None
            return raw
        return self._stream.readline()

    def next_item(self) -> tuple[int, str, str | None]:
        if self._pending:
            item = self._pending.popleft()
        else:
            raw = self._read_raw()
            if not raw:
                raise StopIteration
            note = None
            if isinstance(raw, bytes):
                if self._count == 0:
                    raw = raw.removeprefix(_BOM)
                try:
                    text = raw.decode("utf-8")
                except UnicodeDecodeError as exc:
                    text = raw.decode("utf-8", "replace")
                    note = f"invalid UTF-8 (byte {raw[exc.start]:#04x} at offset {exc.start}), replaced with U+FFFD"
            else:
                text = raw
            if "\x00" in text:
                text = text.replace("\x00", "")
                note = f"{note}; NUL bytes removed" if note else "NUL bytes removed"
            self._count += 1
            item = (self._count, text, note)
        self.taken.append(item)
        if self.limit and len(self.taken) > self.limit:
            raise _RecordTooLong
        return item

    def one_by_one(self) -> Iterator[tuple[int, str, str | None]]:
        """Items for readers of one line per record (nothing to push back: each is forgotten once taken)."""
        while True:
            try:
                item = self.next_item()
            except StopIteration:
                return
            self.taken.clear()
            yield item

    def push_back(self, items: list[tuple[int, str, str | None]]) -> None:
        self._pending.extendleft(reversed(items))

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        return self.next_item()[1]


class Reader:
    """Iterate :class:`Record` objects from one stream; ``columns`` names the fields (from the header if any)."""

    def __init__(self, lines: _Lines, fmt: str, name: str):
        self.format = fmt
        self.name = name
        self._lines = lines
        self._buffer: deque[Record] = deque()
        self.columns: list[str] = []
        self.empty = False  # True when the stream holds no header and no rows (csv, tsv, jsonl)
        if fmt in ("csv", "tsv"):
            self._dialect = {"delimiter": ","} if fmt == "csv" else {"delimiter": "\t", "quoting": csv.QUOTE_NONE}
            self.columns = self._read_header()
            self.empty = not self.columns
            self._iter = self._delimited()
        elif fmt == "jsonl":
            self._iter = self._jsonl()
            self.columns = self._peek_json_keys()
            self.empty = not self._buffer
        elif fmt == "txt":
            self.columns = ["text"]
            self._iter = self._txt()
        else:
            raise InputFormatError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")

    def __iter__(self) -> Iterator[Record]:
        while self._buffer:
            yield self._buffer.popleft()
        yield from self._iter

    # -- CSV / TSV -----------------------------------------------------------------------------------------------
    def _read_header(self) -> list[str]:
        csv.field_size_limit(max(csv.field_size_limit(), MAX_FIELD_BYTES))
        for line in self._lines:
            if not line.strip():
                continue
            try:
                names = next(csv.reader([line], strict=True, **self._dialect))
            except csv.Error as exc:
                raise InputFormatError(f"{self.name}: cannot read the header line: {exc}") from None
            out: list[str] = []
            for i, raw in enumerate(names):
                name = raw.strip() or f"column_{i + 1}"
                base, n = name, 1
                while name in out:
                    n += 1
                    name = f"{base}.{n}"
                out.append(name)
            return out
        return []

    def _delimited(self) -> Iterator[Record]:
        lines, n_cols, columns, row = self._lines, len(self.columns), self.columns, 0
        if not n_cols:
            return
        reader = csv.reader(lines, strict=True, **self._dialect)
        lines.taken = []
        lines.limit = MAX_RECORD_LINES
        try:
            while True:
                try:
                    fields = next(reader)
                    problem = None
                except StopIteration:
                    break
                except (csv.Error, _RecordTooLong) as exc:
                    fields, problem = None, str(exc) or f"a quoted field runs over {MAX_RECORD_LINES} lines"
                taken = lines.taken
                lines.taken = []
                if not fields and problem is None:
                    continue  # blank line
                if problem is None and len(taken) == 1 and len(fields) == n_cols and taken[0][2] is None:
                    row += 1  # the common case: one clean line
                    yield Record(row, taken[0][0], dict(zip(columns, fields)))
                    continue
                if problem is None and len(fields) != n_cols and len(taken) > 1:
                    problem = f"the row has {len(fields)} fields over {len(taken)} lines, the header has {n_cols}"
                row += 1
                first_line = taken[0][0] if taken else 0
                if problem is not None:
                    if len(taken) > 1:  # most likely an unbalanced quote swallowed the next lines: read them again
                        lines.push_back(taken[1:])
                        problem = f"unbalanced quote? ({problem})"
                    reader = csv.reader(lines, strict=True, **self._dialect)
                    yield Record(row, first_line, {}, f"line {first_line}: cannot parse: {problem}", readable=False)
                    continue
                notes = "; ".join(dict.fromkeys(t[2] for t in taken if t[2]))
                notes = f"line {first_line}: {notes}" if notes else ""
                if len(fields) != n_cols:
                    error = f"line {first_line}: ragged row with {len(fields)} fields, the header has {n_cols}"
                    yield Record(row, first_line, {}, f"{error}; {notes}" if notes else error, readable=False)
                    continue
                yield Record(row, first_line, dict(zip(columns, fields)), notes or None)
        finally:
            lines.limit = 0

    # -- JSON Lines ----------------------------------------------------------------------------------------------
    def _peek_json_keys(self) -> list[str]:
        for record in self._iter:
            self._buffer.append(record)
            if record.readable:
                return list(record.fields)
            if len(self._buffer) >= 1000:
                break
        return []

    def _jsonl(self) -> Iterator[Record]:
        row = 0
        for lineno, text, note in self._lines.one_by_one():
            if not text.strip():
                continue
            row += 1
            try:
                obj = json.loads(text)
            except ValueError as exc:
                msg = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
                error = f"line {lineno}: broken JSON: {msg}"
                yield Record(row, lineno, {}, f"{error}; {note}" if note else error, readable=False)
                continue
            if isinstance(obj, str):
                obj = {"text": obj}
            if not isinstance(obj, dict):
                yield Record(row, lineno, {}, f"line {lineno}: expected a JSON object, got {type(obj).__name__}",
                             readable=False)
                continue
            yield Record(row, lineno, obj, f"line {lineno}: {note}" if note else None)

    # -- plain text ----------------------------------------------------------------------------------------------
    def _txt(self) -> Iterator[Record]:
        for lineno, text, note in self._lines.one_by_one():
            yield Record(lineno, lineno, {"text": text.rstrip("\r\n")}, f"line {lineno}: {note}" if note else None)


def open_reader(stream: IO[bytes] | IO[str], fmt: str | None = None, *, name: str = "<stdin>",
                text_names: Iterable[str] = ()) -> Reader:
    """Make a :class:`Reader` over a binary (or text) stream; without ``fmt`` the format is sniffed."""
    first = None
    if fmt is None:
        first = stream.readline()
        if isinstance(first, str):
            first = first.encode("utf-8")
        fmt = sniff_format(first, text_names)
    elif fmt not in FORMATS:
        raise InputFormatError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    return Reader(_Lines(stream, first), fmt, name)


def chunked(records: Iterable[Record], size: int) -> Iterator[list[Record]]:
    """Yield lists of at most ``size`` records, lazily."""
    it = iter(records)
    while chunk := list(islice(it, size)):
        yield chunk


# -- writing ---------------------------------------------------------------------------------------------------
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class RowWriter:
    """Write dict rows with fixed ``columns`` as CSV, TSV or JSON Lines to a text stream."""

    def __init__(self, stream: IO[str], fmt: str, columns: list[str], *, excel: bool = False):
        if fmt not in ("csv", "tsv", "jsonl"):
            raise InputFormatError(f"cannot write format {fmt!r}; expected csv, tsv or jsonl")
        self.format, self.columns, self.rows = fmt, columns, 0
        self._stream, self._excel = stream, excel
        if fmt != "jsonl":
            style = {"delimiter": ","} if fmt == "csv" else {"delimiter": "\t", "quoting": csv.QUOTE_NONE, "quotechar": None}
            self._csv = csv.writer(stream, lineterminator="\n", **style)
            self._csv.writerow([self._cell(c) for c in columns])

    def _cell(self, value: Any) -> str:
        kind = type(value)
        if kind is str:
            text = value
        elif value is None:
            return ""
        elif kind is float:
            return f"{value:.6f}"
        elif kind is int:
            return str(value)
        elif isinstance(value, (list, tuple)):
            text = "; ".join(str(v) for v in value)
        elif isinstance(value, dict):
            text = json.dumps(value, ensure_ascii=False)
        else:
            text = str(value)
        if self.format == "tsv" and ("\t" in text or "\n" in text or "\r" in text):
            text = text.replace("\t", " ").replace("\r", " ").replace("\n", " ")
        if self._excel and text.startswith(_FORMULA_START) and not _is_number(text):
            text = "'" + text  # a spreadsheet must not run a formula planted in a message
        return text

    def write(self, rows: Iterable[dict[str, Any]]) -> None:
        columns = self.columns
        if self.format == "jsonl":
            dumps, write = json.dumps, self._stream.write
            for r in rows:
                write(dumps({c: _json_value(r.get(c)) for c in columns}, ensure_ascii=False) + "\n")
                self.rows += 1
        else:
            cell, writerow = self._cell, self._csv.writerow
            n = 0
            for r in rows:
                writerow([cell(r.get(c)) for c in columns])
                n += 1
            self.rows += n


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _json_value(value: Any) -> Any:
    return round(value, 6) if isinstance(value, float) else value


class OutputFile:
    """A text file written under a temporary name and renamed into place by :meth:`commit`."""

    def __init__(self, path: str | os.PathLike[str], *, bom: bool = False):
        self.path = Path(path)
        if self.path.is_dir():
            raise InputFormatError(f"output {str(path)!r} is a directory")
        directory = self.path.parent
        if not directory.is_dir():
            raise InputFormatError(f"cannot write {str(path)!r}: the folder {str(directory)!r} does not exist")
        try:
            fd, tmp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=directory)
        except OSError as exc:
            raise InputFormatError(f"cannot write in {str(directory)!r}: {exc.strerror or exc}") from None
        self.tmp_path = Path(tmp)
        self._file: IO[bytes] = os.fdopen(fd, "wb")
        raw: IO[bytes] = self._file
        if self.path.name.lower().endswith(".gz"):
            raw = gzip.GzipFile(fileobj=self._file, mode="wb", filename="")  # type: ignore[assignment]
        self.stream = io.TextIOWrapper(raw, encoding="utf-8-sig" if bom else "utf-8", newline="")

    def commit(self) -> None:
        """Close and rename the temporary file to the target name."""
        self.stream.close()
        self._file.close()
        os.replace(self.tmp_path, self.path)

    def abort(self, keep_partial: bool = True) -> Path | None:
        """Close; keep what was written as ``<target>.partial`` (returned) or delete it."""
        for closable in (self.stream, self._file):
            with contextlib.suppress(OSError, ValueError):
                closable.close()
        if keep_partial:
            partial = self.path.with_name(self.path.name + ".partial")
            os.replace(self.tmp_path, partial)
            return partial
        self.tmp_path.unlink(missing_ok=True)
        return None


def open_writer(stream: IO[str], fmt: str, columns: list[str], *, excel: bool = False) -> RowWriter:
    """Shorthand for :class:`RowWriter`."""
    return RowWriter(stream, fmt, columns, excel=excel)
