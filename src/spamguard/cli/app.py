"""The ``spamguard`` command: argument parsing, dispatch, and the only place exceptions become exit codes."""

from __future__ import annotations

import argparse
import contextlib
import sys
from enum import IntEnum
from typing import IO, Any

from spamguard._version import __version__
from spamguard.cli._common import Streams, UsageError
from spamguard.errors import (
    DatasetNotFoundError,
    InputFormatError,
    ModelFormatError,
    ModelNotFoundError,
    SpamguardError,
)


class ExitStatus(IntEnum):
    """Exit codes of ``spamguard`` (documented in docs/cli.md)."""

    OK = 0
    ERROR = 1  # rows had errors and --strict was given; or a run failed (disk full, model broken, ...)
    USAGE = 2  # bad arguments, missing or unreadable input, unknown format, missing text column, unknown model
    INTERRUPTED = 130  # Ctrl-C


_USAGE_ERRORS = (UsageError, InputFormatError, ModelNotFoundError, ModelFormatError, DatasetNotFoundError)


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so main() decides the exit code and the stream."""

    def __init__(self, *args: Any, streams: Streams | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.streams = streams

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(f"{message} (see `{self.prog} --help`)")

    def exit(self, status: int = 0, message: str | None = None) -> None:  # type: ignore[override]
        if message:
            (self.streams.stderr if self.streams else sys.stderr).write(message)
        raise _Exit(status)

    def _print_message(self, message: str, file: IO[str] | None = None) -> None:
        if message and self.streams:
            if file is None or file is sys.stdout:
                file = self.streams.stdout
            elif file is sys.stderr:
                file = self.streams.stderr
        super()._print_message(message, file)


class _Exit(Exception):
    def __init__(self, status: int):
        self.status = status



def _kernels_line() -> str:
    """Which compiled kernels this install loads: without them scoring is about half as fast (same results)."""
    from spamguard import _compiled

    loaded = [name.lstrip("_") for name in _compiled.KERNELS if _compiled.load(name) is not None]
    if len(loaded) == len(_compiled.KERNELS):
        return "compiled kernels: all"
    if not loaded:
        return "compiled kernels: none, pure Python: same results, about half the speed"
    return f"compiled kernels: {', '.join(loaded)} only; the rest in pure Python"


def build_parser(streams: Streams | None = None) -> argparse.ArgumentParser:
    from spamguard.cli import evaluate, explain, listing, score, train

    parser = _Parser(prog="spamguard", streams=streams,
                     description="Flag spam and scam SMS and unreliable social-media posts written in Vietnamese.",
                     epilog="Exit status: 0 ok; 1 rows had errors and --strict was given, or the run failed; "
                            "2 usage error (bad option, missing file or column); 130 interrupted. "
                            "Run `spamguard COMMAND --help` for each command.")
    parser.add_argument("--version", action="version", version=f"spamguard {__version__} ({_kernels_line()})")
    parser.add_argument("--traceback", action="store_true", help="show the Python traceback on errors")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    for module in (score, train, evaluate, explain, listing):
        module.add_parser(sub)
    for choice in sub.choices.values():
        choice.streams = streams  # type: ignore[attr-defined]
    return parser


def main(argv: list[str] | None = None, *, stdin: IO[Any] | None = None, stdout: IO[str] | None = None,
         stderr: IO[str] | None = None) -> int:
    """Run ``spamguard`` with ``argv`` (default ``sys.argv[1:]``) and return the exit status."""
    if stdout is None:
        _utf8(sys.stdout, "strict")
    if stderr is None:
        _utf8(sys.stderr, "backslashreplace")
    streams = Streams(stdin=stdin or sys.stdin, stdout=stdout or sys.stdout, stderr=stderr or sys.stderr)
    argv = sys.argv[1:] if argv is None else list(argv)
    show_traceback = "--traceback" in argv
    try:
        parser = build_parser(streams)
        args = parser.parse_args(argv)
        if not getattr(args, "command", None):
            parser.print_help(streams.stderr)
            return ExitStatus.USAGE
        args.argv = argv
        return int(args.run(args, streams))
    except _Exit as exc:
        return exc.status
    except KeyboardInterrupt:
        streams.note("interrupted")
        return ExitStatus.INTERRUPTED
    except BrokenPipeError:  # `spamguard score big.csv | head`: the reader left, nothing more to say
        if stdout is None:
            _silence_stdout()
        return ExitStatus.ERROR
    except _USAGE_ERRORS as exc:
        _report(streams, exc, show_traceback)
        return ExitStatus.USAGE
    except (SpamguardError, OSError) as exc:
        _report(streams, exc, show_traceback)
        return ExitStatus.ERROR
    except Exception as exc:  # a bug: say so plainly, keep the traceback one flag away
        _report(streams, exc, show_traceback, prefix=f"unexpected {type(exc).__name__}: ")
        if not show_traceback:
            streams.note("run again with --traceback for details, and please report it")
        return ExitStatus.ERROR


def _report(streams: Streams, exc: BaseException, show_traceback: bool, prefix: str = "") -> None:
    if show_traceback:
        import traceback

        traceback.print_exception(exc, file=streams.stderr)
    message = str(exc) or type(exc).__name__
    if isinstance(exc, OSError) and exc.filename and exc.strerror:
        message = f"{exc.strerror}: {exc.filename}"
    print(f"spamguard: error: {prefix}{message}", file=streams.stderr)


def _utf8(stream: Any, errors: str) -> None:
    """Write UTF-8 whatever the console's code page, so Vietnamese never fails to print."""
    reconfigure = getattr(stream, "reconfigure", None)
    if reconfigure is not None and (getattr(stream, "encoding", "") or "").lower().replace("-", "") != "utf8":
        with contextlib.suppress(ValueError, OSError):
            reconfigure(encoding="utf-8", errors=errors)


def _silence_stdout() -> None:
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass
