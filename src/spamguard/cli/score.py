"""``spamguard score``: stream rows through a model in chunks and write one output row per input row."""

from __future__ import annotations

import argparse
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

from spamguard.batch import (
    OutputFile,
    Reader,
    RowWriter,
    chunked,
    detect_format,
    open_input,
    open_reader,
)
from spamguard.cli._common import (
    Streams,
    UsageError,
    column_names,
    find_column,
    open_model,
    parse_assignments,
    parse_threshold,
    pick_meta_columns,
    pick_text_column,
)
from spamguard.cli._scoring import DEFAULT_MAX_CHARS, Plan, score_in_worker, score_records

DEFAULT_CHUNK = 5000


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("score", help="score a file of messages or posts, one output row per input row",
                       description="Score messages (sms) or posts in CSV, TSV, JSON Lines or plain-text files. "
                                   "Reads stdin when no INPUT (or -) is given; writes stdout without -o.")
    p.add_argument("inputs", nargs="*", metavar="INPUT", help="input files (.csv .tsv .jsonl .txt, optionally .gz)")
    p.add_argument("-o", "--output", help="output file (.csv .tsv .jsonl, optionally .gz); written atomically")
    add_model_options(p)
    p.add_argument("--format", choices=["csv", "tsv", "jsonl", "txt"], help="input format (default: from the "
                   "extension; sniffed on stdin)")
    p.add_argument("--output-format", choices=["csv", "tsv", "jsonl"], help="output format (default: from the "
                   "-o extension; on stdout jsonl for jsonl input, else csv)")
    add_column_options(p)
    p.add_argument("--id-col", metavar="NAME", help="column with the row id (default: 'id' if present, else "
                   "the row number)")
    p.add_argument("--keep", action="append", metavar="COLS", help="copy these input columns to the output "
                   "(comma-separated; 'all' for every column)")
    p.add_argument("--threshold", help="operating point: a name stored in the model (see `spamguard models`) "
                   "or a probability for the positive class")
    p.add_argument("--explain", action="store_true", help="add a 'reasons' column")
    p.add_argument("--top-k", type=int, default=3, help="reasons per row with --explain (default 3)")
    p.add_argument("-j", "--jobs", type=int, default=1, help="worker processes (-1: all cores); output is "
                   "identical for any value")
    p.add_argument("--chunk-size", type=int, default=DEFAULT_CHUNK, help=f"rows per model call (default "
                   f"{DEFAULT_CHUNK})")
    p.add_argument("--max-chars", type=int, default=DEFAULT_MAX_CHARS, help="longer texts are cut to this many "
                   "characters and flagged (default %(default)s)")
    p.add_argument("--strict", action="store_true", help="exit with status 1 if any row has status=error")
    p.add_argument("--excel", action="store_true", help="CSV for spreadsheets: UTF-8 byte-order mark, and cells "
                   "that would start a formula (=, +, -, @) prefixed with an apostrophe")
    progress = p.add_mutually_exclusive_group()
    progress.add_argument("--progress", action="store_true", default=None, help="show a progress bar on stderr "
                          "(default: only when stderr is a terminal)")
    progress.add_argument("--no-progress", dest="progress", action="store_false")
    p.add_argument("-q", "--quiet", action="store_true", help="no summary on stderr")
    p.set_defaults(run=run)


def add_model_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--task", choices=["sms", "posts"], help="shipped model to use (default sms)")
    p.add_argument("--model", metavar="PATH", help="a saved model file (or a shipped model name)")


def add_column_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--text-col", metavar="NAME", help="column with the text (default: text, message, content, "
                   "sms, post_message, or the only column)")
    p.add_argument("--sender-col", metavar="NAME", help="column with the SMS sender (same as --col sender=NAME)")
    p.add_argument("--col", action="append", metavar="FIELD=NAME", help="map a model field to a column, e.g. "
                   "--col likes=num_like_post (fields: sender; likes, comments, shares, timestamp, author)")


# -- the command ---------------------------------------------------------------------------------------------
def _open_readers(args: argparse.Namespace, streams: Streams) -> list[tuple[Reader, Any, str]]:
    inputs = args.inputs or ["-"]
    if inputs.count("-") > 1:
        raise UsageError("stdin (-) can be read only once")
    readers = []
    try:
        for name in inputs:
            if name == "-":
                stream, fmt, label = streams.binary_stdin(), args.format, "<stdin>"
                if getattr(streams.stdin, "isatty", lambda: False)():
                    streams.note("reading messages from the terminal, one per line; end with Ctrl-D")
            else:
                fmt = args.format or detect_format(name)
                stream, label = open_input(name), name
            reader = open_reader(stream, fmt, name=label, text_names=column_names()["text"])
            readers.append((reader, stream, label))
    except BaseException:
        _close(readers)
        raise
    return readers


def _close(readers: list[tuple[Reader, Any, str]]) -> None:
    for _, stream, label in readers:
        if label != "<stdin>":
            stream.close()


def _plans(args: argparse.Namespace, readers: list[tuple[Reader, Any, str]], task: str, classes: tuple[str, ...],
           threshold: Any, streams: Streams) -> tuple[list[Plan | None], list[str]]:
    mapping = parse_assignments(args.col, "--col")
    text_col = mapping.pop("text", None) or args.text_col
    id_col = mapping.pop("id", None) or args.id_col
    if args.sender_col:
        mapping["sender"] = args.sender_col
    wanted = [c.strip() for item in args.keep or [] for c in item.split(",") if c.strip()]
    keep_all = "all" in wanted
    plans: list[Plan | None] = []
    kept: list[str] = []
    for reader, _, label in readers:
        cols = reader.columns
        if not cols:
            if reader.empty:
                streams.warn(f"{label} is empty")
                plans.append(None)
                continue
            cols = [text_col or "text"]  # JSON Lines whose objects are all broken: the rows report it
        tcol = pick_text_column(cols, text_col, label)
        if id_col and id_col not in cols:
            raise UsageError(f"{label}: no id column {id_col!r}; the columns are: {', '.join(map(repr, cols))}")
        icol = id_col or find_column(cols, column_names()["id"])
        meta = pick_meta_columns(cols, task, mapping, label)
        keep_cols = list(cols) if keep_all else wanted
        for c in keep_cols:
            if c not in cols and reader.format != "jsonl":  # JSON objects may leave keys out
                raise UsageError(f"{label}: --keep {c!r}: no such column; the columns are: "
                                 f"{', '.join(map(repr, cols))}")
        keep = {c: c for c in keep_cols if c != icol}
        kept.extend(keep)
        plans.append(Plan(text_col=tcol, id_col=icol, meta=meta, keep=keep, source=label if len(readers) > 1 else None,
                          threshold=threshold, explain=args.explain, top_k=args.top_k, max_chars=args.max_chars,
                          classes=classes))
    kept = list(dict.fromkeys(kept))
    return plans, kept


def _output_columns(classes: tuple[str, ...], multi: bool, explain: bool, kept: list[str]) -> tuple[list[str], dict]:
    cols = ["id"] + (["source"] if multi else []) + ["label"] + [f"p_{c}" for c in classes]
    cols += (["reasons"] if explain else []) + ["status", "error"]
    rename = {c: (c if c not in cols else f"input_{c}") for c in kept}
    return cols + list(rename.values()), rename


def run(args: argparse.Namespace, streams: Streams) -> int:
    if args.jobs == 0 or args.jobs < -1:
        raise UsageError("--jobs must be a positive number or -1 (all cores)")
    if args.chunk_size < 1 or args.max_chars < 1 or args.top_k < 1:
        raise UsageError("--chunk-size, --max-chars and --top-k must be at least 1")
    out_fmt = args.output_format
    if args.output and not out_fmt:
        out_fmt = detect_format(args.output)
        if out_fmt == "txt":
            raise UsageError(f"cannot write scores as plain text ({args.output}); use .csv, .tsv or .jsonl")
    readers = _open_readers(args, streams)
    try:
        text_col = parse_assignments(args.col, "--col").get("text") or args.text_col
        for reader, _, label in readers:  # input problems surface before the (slow) model load
            if reader.columns:
                pick_text_column(reader.columns, text_col, label)
        model, handle = open_model(args.task, args.model)
        task = getattr(model, "task", None) or args.task or "sms"
        classes = tuple(str(c) for c in model.classes_)
        threshold = parse_threshold(args.threshold, model)
        plans, kept = _plans(args, readers, task, classes, threshold, streams)
        columns, rename = _output_columns(classes, len(readers) > 1, args.explain, kept)
        for plan in plans:
            if plan is not None:
                plan.keep = {c: rename[c] for c in plan.keep}
        if out_fmt is None:
            out_fmt = "jsonl" if readers[0][0].format == "jsonl" else "csv"
        return _stream(args, streams, readers, plans, model, handle, columns, out_fmt)
    finally:
        _close(readers)


def _chunks(readers: list[tuple[Reader, Any, str]], plans: list[Plan | None], size: int) -> Iterator[tuple]:
    for (reader, _, _), plan in zip(readers, plans):
        if plan is None:
            continue
        for chunk in chunked(reader, size):
            yield plan, chunk


def _stream(args, streams, readers, plans, model, handle, columns, out_fmt) -> int:
    out_file = OutputFile(args.output, bom=args.excel) if args.output else None
    target = out_file.stream if out_file else streams.stdout
    if out_file is None and args.excel and out_fmt == "csv":
        target.write("\ufeff")
    writer = RowWriter(target, out_fmt, columns, excel=args.excel)
    stats: Counter[str] = Counter()
    labels: Counter[str | None] = Counter()
    first_error: list[str] = []
    show = args.progress if args.progress is not None else bool(getattr(streams.stderr, "isatty", lambda: False)())
    bar = _progress_bar(streams, show)
    started = time.perf_counter()
    chunks = _chunks(readers, plans, args.chunk_size)
    if args.jobs == 1:
        results: Any = (score_records(model, chunk, plan) for plan, chunk in chunks)
    else:
        from joblib import Parallel, delayed

        results = Parallel(n_jobs=args.jobs, return_as="generator", pre_dispatch="2*n_jobs")(
            delayed(score_in_worker)(handle, chunk, plan) for plan, chunk in chunks)
    try:
        for rows in results:
            writer.write(rows)
            target.flush()
            stats["rows"] += len(rows)
            for r in rows:
                if r["status"] != "ok":
                    stats["errors"] += 1
                    stats["model_failed"] += bool(r.pop("model_failed", False))
                    if not first_error:
                        first_error.append(f"row {r['id']}: {r['error']}")
            labels.update(r.get("label") for r in rows)
            if bar is not None:
                bar.update(len(rows))
    except KeyboardInterrupt:
        if bar is not None:
            bar.close()
        where = ""
        if out_file is not None:
            partial = out_file.abort(keep_partial=True)
            where = f" to {partial} (incomplete; {args.output} was not written)"
        streams.note(f"interrupted: {writer.rows:,} rows written{where}")
        return 130
    except BaseException:
        if out_file is not None:
            out_file.abort(keep_partial=False)
        raise
    if bar is not None:
        bar.close()
    if out_file is not None:
        out_file.commit()
    elapsed = time.perf_counter() - started
    if not args.quiet:
        streams.note(_summary(stats, labels, elapsed, args.output, first_error))
    if stats["model_failed"] and not any(k is not None for k in labels):
        streams.note(f"error: the model failed on every row ({first_error[0]})")
        return 1
    return 1 if args.strict and stats["errors"] else 0


def _progress_bar(streams: Streams, show: bool) -> Any:
    if not show:
        return None
    from tqdm import tqdm

    return tqdm(file=streams.stderr, unit=" rows", unit_scale=True, mininterval=0.5, dynamic_ncols=True)


def _summary(stats: Counter[str], label_counts: Counter[str | None], elapsed: float, output: str | None,
             first_error: list[str]) -> str:
    rows = stats["rows"]
    labels = ", ".join(f"{k} {v:,}" for k, v in sorted(label_counts.items(), key=lambda kv: str(kv[0]))
                       if k is not None) or "none"
    rate = rows / elapsed if elapsed > 0 else 0.0
    text = f"{_n(rows, 'row')} in {elapsed:.1f} s ({rate:,.0f} rows/s); labels: {labels}; " \
           f"{_n(stats['errors'], 'row')} with errors"
    if first_error:
        text += f" (first: {first_error[0][:200]})"
    if output:
        text += f"; written to {output}"
    return text


def _n(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"
