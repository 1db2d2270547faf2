"""The installed ``spamguard`` console script, run as a real process (and a real Ctrl-C)."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures" / "cli"
EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SPAMGUARD = shutil.which("spamguard")

pytestmark = pytest.mark.skipif(SPAMGUARD is None, reason="the spamguard console script is not installed")


def spamguard(*args: str, stdin: bytes | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([SPAMGUARD, *args], input=stdin, capture_output=True, timeout=300, cwd=cwd)


# The shipped sms model, or any saved sms model file named by SPAMGUARD_TEST_SMS_MODEL (before it ships).
SMS_MODEL = os.environ.get("SPAMGUARD_TEST_SMS_MODEL", "sms")


def real_model_loads(name: str) -> bool:
    try:
        import spamguard

        spamguard.load_model(name)
    except Exception:
        return False
    return True


def test_console_script_prints_its_version():
    import spamguard as package

    result = spamguard("--version")
    assert result.returncode == 0
    assert result.stdout.decode().strip().startswith(f"spamguard {package.__version__} (compiled kernels: ")


def test_console_script_without_a_command_prints_help_and_exits_2():
    result = spamguard()
    assert result.returncode == 2 and b"usage: spamguard" in result.stderr


@pytest.mark.parametrize("args, words", [
    (["score", "/no/such/file.csv"], "no such file"),
    (["score", str(FIXTURES / "no_text_column.csv")], "the columns are: 'id', 'body', 'from'"),
    (["score", str(FIXTURES / "good.csv"), "--format", "xml"], "invalid choice"),
    (["score", "--bogus"], "unrecognized arguments"),
])
def test_console_script_usage_errors_exit_2_with_one_error_line(args, words, tmp_path):
    result = spamguard(*args, cwd=tmp_path)
    stderr = result.stderr.decode()
    assert result.returncode == 2
    assert stderr.startswith("spamguard: error:") and words in stderr
    assert "Traceback" not in stderr and result.stdout == b""


def test_console_script_reports_an_unknown_extension(tmp_path):
    path = tmp_path / "data.xyz"
    path.write_text("text\nhello\n", encoding="utf-8")
    result = spamguard("score", str(path))
    assert result.returncode == 2 and b"cannot tell the format" in result.stderr


_SLOW_RUN = textwrap.dedent("""
    import sys, time
    sys.path.insert(0, {tests!r})
    import test_cli
    from spamguard.cli import _common, main

    class Slow(test_cli.FakeSmsModel):
        def predict_proba(self, X):
            time.sleep(0.05)
            return super().predict_proba(X)

    _common.load_model = lambda ref: Slow()
    print("ready", file=sys.stderr, flush=True)
    sys.exit(main(["score", {source!r}, "-o", {out!r}, "--chunk-size", "10", "--no-progress"]))
""")


def test_ctrl_c_in_a_real_process_exits_130_and_keeps_only_a_partial_file(tmp_path):
    source, out = tmp_path / "in.txt", tmp_path / "out.csv"
    source.write_text("".join(f"tin nhan {i}\n" for i in range(100_000)), encoding="utf-8")
    code = _SLOW_RUN.format(tests=str(Path(__file__).parent), source=str(source), out=str(out))
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stderr.readline().strip() == b"ready"
    deadline = time.monotonic() + 60
    while not any(p.name.endswith(".tmp") and p.stat().st_size > 200 for p in tmp_path.iterdir()):
        assert time.monotonic() < deadline, "no output appeared"
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130
    message = stderr.decode()
    assert "interrupted:" in message and "rows written to" in message and "out.csv.partial" in message
    written = int(message.split("interrupted: ")[1].split(" rows")[0].replace(",", ""))
    assert written > 0 and written % 10 == 0
    assert not out.exists()
    partial = (tmp_path / "out.csv.partial").read_text(encoding="utf-8")
    assert len(partial.splitlines()) == written + 1
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


# -- with the shipped sms model, when it is present -----------------------------------------------------------
needs_sms = pytest.mark.skipif(not real_model_loads(SMS_MODEL), reason="the shipped sms model is not available")
MODEL_ARGS = ["--model", SMS_MODEL]


@needs_sms
def test_readme_first_command_scores_the_example_file():
    result = spamguard("score", str(EXAMPLES / "sms_examples.csv"), *MODEL_ARGS)
    assert result.returncode == 0, result.stderr.decode()
    rows = list(csv.DictReader(io.StringIO(result.stdout.decode())))
    source = list(csv.DictReader(io.StringIO((EXAMPLES / "sms_examples.csv").read_text(encoding="utf-8"))))
    assert [r["id"] for r in rows] == [r["id"] for r in source]
    assert all(r["status"] == "ok" and r["label"] in {"ham", "spam", "scam"} for r in rows)
    assert "rows/s" in result.stderr.decode()


@needs_sms
def test_real_model_scores_every_bad_fixture_row_by_row(tmp_path):
    expected = {"ragged.csv": 4, "unbalanced_quotes.csv": 4, "invalid_utf8.csv": 2, "nul_bytes.csv": 2,
                "empty_text.csv": 3, "broken.jsonl": 5, "messages.txt": 3}
    out = tmp_path / "scores.jsonl"
    result = spamguard("score", *(str(FIXTURES / name) for name in expected), "-o", str(out), "--explain",
                       *MODEL_ARGS)
    assert result.returncode == 0, result.stderr.decode()
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    counts = {name: sum(Path(r["source"]).name == name for r in rows) for name in expected}
    assert counts == expected
    assert all(r["status"] in ("ok", "error") for r in rows)
    assert all((r["label"] is None) == (r["p_scam"] is None) for r in rows)
    assert all(r["label"] is not None for r in rows if r["status"] == "ok")


@needs_sms
def test_real_model_output_is_identical_with_two_jobs(tmp_path):
    source = list(csv.DictReader(io.StringIO((EXAMPLES / "sms_examples.csv").read_text(encoding="utf-8"))))
    path = tmp_path / "many.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(source[0]))
        writer.writeheader()
        writer.writerows({**row, "id": f"{i}-{row['id']}"} for i in range(50) for row in source)
    one = spamguard("score", str(path), "--chunk-size", "100", *MODEL_ARGS)
    two = spamguard("score", str(path), "--chunk-size", "100", "--jobs", "2", *MODEL_ARGS)
    assert one.returncode == two.returncode == 0
    assert one.stdout == two.stdout


@needs_sms
def test_real_model_explain_prints_reasons():
    result = spamguard("explain", "Tai khoan cua ban bi khoa, dang nhap http://vietcombank-xacthuc.top de mo khoa",
                       "--sender", "0912345678", *MODEL_ARGS)
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode().startswith("label: ")


@pytest.mark.skipif(not real_model_loads("sms"), reason="the shipped sms model is not available")
def test_models_lists_the_shipped_sms_model():
    result = spamguard("models")
    assert result.returncode == 0 and b"sms" in result.stdout


@pytest.mark.skipif(os.name != "posix", reason="needs a POSIX shell pipe")
@needs_sms
def test_stdin_to_stdout_pipe_works():
    result = spamguard("score", *MODEL_ARGS, stdin=b"Ma OTP cua ban la 123456\nToi ve muon nhe\n")
    assert result.returncode == 0
    assert len(result.stdout.decode().splitlines()) == 3
