"""The ``spamguard`` command run in-process through ``main(argv)`` with injected streams and a fake model."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import numpy as np
import pytest

from spamguard.cli import ExitStatus, _common, main

FIXTURES = Path(__file__).parent / "fixtures" / "cli"


# -- a small deterministic model with the spamguard model protocol --------------------------------------------
class FakeSmsModel:
    """Scores by keywords; a text containing "BOOM" makes predict_proba raise (to test row isolation)."""

    task = "sms"
    classes_ = np.array(["ham", "spam", "scam"])
    operating_points_ = {"fpr_1pct": {"scam": 0.3}, "fpr_0.1pct": {"scam": 0.6}}

    def __init__(self):
        self.calls: list[int] = []

    def _texts(self, X):
        if isinstance(X, str):
            raise ValueError("Iterable over raw text documents expected, string object received.")
        return list(X["text"]) if isinstance(X, dict) else list(X)

    def predict_proba(self, X):
        texts = self._texts(X)
        self.calls.append(len(texts))
        out = []
        for text in texts:
            if "BOOM" in text:
                raise RuntimeError("boom")
            low = text.lower()
            scam = 1.0 + 3 * sum(w in low for w in ("otp", "khoa", "http", "khóa"))
            spam = 1.0 + 3 * sum(w in low for w in ("khuyen mai", "giam gia", "khuyến mãi", "giảm giá"))
            ham = 1.0 + (len(text) % 7) / 10
            total = ham + spam + scam
            out.append([ham / total, spam / total, scam / total])
        return np.array(out)

    def predict(self, X, threshold=None):
        return self.labels_from_proba(self.predict_proba(X), threshold)

    def labels_from_proba(self, proba, threshold=None):
        if threshold is None:
            return self.classes_[proba.argmax(axis=1)]
        cut = self.operating_points_[threshold]["scam"] if isinstance(threshold, str) else threshold
        labels = self.classes_[proba[:, :2].argmax(axis=1)]
        return np.where(proba[:, 2] >= cut, "scam", labels)

    def explain(self, X, top_k=5):
        texts = self._texts(X)
        proba = self.predict_proba(X)
        out = []
        for text, p in zip(texts, proba):
            i = text.lower().find("otp")
            reasons = ["asks for an OTP code"] if i >= 0 else []
            feats = [{"feature": "kw:otp", "weight": 1.5, "spans": [[i, i + 3]]}] if i >= 0 else []
            out.append({"label": str(self.classes_[p.argmax()]), "scores": dict(zip(self.classes_, p.tolist())),
                        "reasons": reasons, "features": feats[:top_k]})
        return out


class FakePostsModel(FakeSmsModel):
    task = "posts"
    classes_ = np.array(["reliable", "unreliable"])
    operating_points_ = {}
    seen: list[dict] = []

    def predict_proba(self, X):
        texts = self._texts(X)
        FakePostsModel.seen.append({k: list(v) for k, v in X.items()} if isinstance(X, dict) else {"text": texts})
        p = np.array([0.8 if "tin đồn" in t.lower() else 0.2 for t in texts])
        return np.column_stack([1 - p, p])

    labels_from_proba = None  # this one only has predict(): the CLI must fall back to it

    def predict(self, X, threshold=None):
        return self.classes_[(self.predict_proba(X)[:, 1] >= (threshold or 0.5)).astype(int)]


def fake_loader(ref: str):
    """Module-level (picklable by reference) so --jobs worker processes can load the fake too."""
    if ref in ("posts",) or ref.endswith("posts.model"):
        return FakePostsModel()
    if ref in ("sms",) or ref.endswith("sms.model"):
        return FakeSmsModel()
    from spamguard.errors import ModelNotFoundError

    raise ModelNotFoundError(f"no model {ref!r}")


@pytest.fixture(autouse=True)
def fake_models(monkeypatch):
    monkeypatch.setattr(_common, "load_model", fake_loader)


def run(argv, stdin: bytes | str = b""):
    out, err = io.StringIO(), io.StringIO()
    stdin_stream = io.BytesIO(stdin) if isinstance(stdin, bytes) else io.StringIO(stdin)
    code = main(argv, stdin=stdin_stream, stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def rows_of(csv_text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(csv_text)))


def score_fixture(name, *extra):
    code, out, err = run(["score", str(FIXTURES / name), "--no-progress", *extra])
    return code, rows_of(out), err


# -- the basics -----------------------------------------------------------------------------------------------
def test_version_prints_the_package_version():
    import spamguard

    code, out, _ = run(["--version"])
    assert code == ExitStatus.OK
    assert out.strip().startswith(f"spamguard {spamguard.__version__} (compiled kernels: ")


@pytest.mark.parametrize("argv", [["--help"], ["score", "--help"], ["train", "--help"], ["evaluate", "--help"],
                                  ["explain", "--help"], ["models", "--help"], ["datasets", "--help"]])
def test_help_goes_to_stdout_and_exits_zero(argv):
    code, out, err = run(argv)
    assert code == ExitStatus.OK
    assert out.startswith("usage: spamguard")
    assert err == ""


@pytest.mark.parametrize("argv", [[], ["frobnicate"], ["score", "--no-such-option"], ["score", "--jobs", "0"],
                                  ["score", "--jobs", "x"], ["score", "--chunk-size", "0"]])
def test_bad_command_lines_exit_with_usage_status(argv):
    code, _, err = run(argv)
    assert code == ExitStatus.USAGE
    assert err.startswith(("spamguard: error:", "usage: spamguard"))


def test_importing_the_cli_does_not_import_scikit_learn():
    import subprocess
    import sys

    code = "import sys; from spamguard.cli.app import build_parser; build_parser(); print('sklearn' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


# -- scoring --------------------------------------------------------------------------------------------------
def test_score_writes_one_row_per_input_row_with_ids_labels_and_probabilities():
    code, rows, err = score_fixture("good.csv")
    assert code == ExitStatus.OK
    assert [r["id"] for r in rows] == ["m1", "m2", "m3"]
    assert list(rows[0]) == ["id", "label", "p_ham", "p_spam", "p_scam", "status", "error"]
    assert [r["label"] for r in rows] == ["scam", "spam", "ham"]
    for r in rows:
        assert r["status"] == "ok" and r["error"] == ""
        assert sum(float(r[f"p_{c}"]) for c in ("ham", "spam", "scam")) == pytest.approx(1.0, abs=1e-5)
    assert "3 rows" in err and "0 rows with errors" in err


def test_score_uses_the_sender_column_when_present(monkeypatch):
    seen = []
    original = FakeSmsModel.predict_proba

    def spy(self, X):
        seen.append(X)
        return original(self, X)

    monkeypatch.setattr(FakeSmsModel, "predict_proba", spy)
    score_fixture("good.csv")
    assert seen[0]["sender"] == ["VCB", "0912345678", "0987654321"]


def test_score_makes_one_model_call_per_chunk(monkeypatch):
    model = FakeSmsModel()
    monkeypatch.setattr(_common, "load_model", lambda ref: model)
    text = "id,text\n" + "".join(f"{i},tin nhan so {i}\n" for i in range(25))
    code, out, _ = run(["score", "--format", "csv", "--chunk-size", "10"], text.encode())
    assert code == ExitStatus.OK
    assert model.calls == [10, 10, 5]  # labels come from labels_from_proba, not a second model call
    assert [r["id"] for r in rows_of(out)] == [str(i) for i in range(25)]


@pytest.mark.parametrize("fixture, statuses, error_words", [
    ("invalid_utf8.csv", ["error", "ok"], ["invalid UTF-8", ""]),
    ("nul_bytes.csv", ["error", "ok"], ["NUL bytes removed", ""]),
    ("empty_text.csv", ["error", "error", "ok"], ["empty text", "empty text", ""]),
    ("ragged.csv", ["error", "ok", "error", "ok"], ["2 fields, the header has 3", "", "5 fields", ""]),
    ("unbalanced_quotes.csv", ["error", "ok", "ok", "ok"], ["unbalanced quote", "", "", ""]),
    ("broken.jsonl", ["ok", "error", "error", "error", "ok"], ["", "broken JSON", "broken JSON", "JSON object", ""]),
    ("crlf_bom.csv", ["ok", "ok"], ["", ""]),
    ("messages.txt", ["ok", "error", "ok"], ["", "empty text", ""]),
    ("messages.tsv", ["ok", "ok"], ["", ""]),
])
def test_bad_rows_get_status_error_and_a_reason_while_the_run_goes_on(fixture, statuses, error_words):
    code, out, _ = run(["score", str(FIXTURES / fixture), "--output-format", "csv"])
    rows = rows_of(out)
    assert code == ExitStatus.OK
    assert [r["status"] for r in rows] == statuses
    for r, words in zip(rows, error_words):
        assert words in r["error"]
        if not words:
            assert r["error"] == ""


def test_rows_repaired_on_reading_are_still_scored_but_flagged():
    _, rows, _ = score_fixture("invalid_utf8.csv")
    assert rows[0]["status"] == "error" and rows[0]["label"] in {"ham", "spam", "scam"}


def test_unreadable_rows_get_no_label():
    _, rows, _ = score_fixture("ragged.csv")
    assert rows[0]["label"] == "" and rows[0]["p_scam"] == ""


def test_row_ids_fall_back_to_the_row_number_for_unreadable_rows():
    _, rows, _ = score_fixture("ragged.csv")
    assert [r["id"] for r in rows] == ["1", "2", "3", "4"]


def test_a_one_megabyte_line_is_scored_and_flagged_as_cut(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text("id,text\n1," + "otp " * 262_144 + "\n2,ngan\n", encoding="utf-8")
    code, out, _ = run(["score", str(path), "--max-chars", "10000"])
    rows = rows_of(out)
    assert code == ExitStatus.OK and len(rows) == 2
    assert rows[0]["label"] == "scam" and "cut to the first 10,000" in rows[0]["error"]
    assert rows[1]["status"] == "ok"


def test_a_one_megabyte_line_fits_under_the_default_limit(tmp_path):
    path = tmp_path / "long.jsonl"
    path.write_text(json.dumps({"text": "a" * 1_000_000}) + "\n", encoding="utf-8")
    code, out, _ = run(["score", str(path), "--max-chars", "2000000"])
    assert code == ExitStatus.OK
    assert json.loads(out)["status"] == "ok"


def test_a_model_failure_on_one_row_does_not_sink_its_chunk(tmp_path):
    code, out, err = run(["score", "--format", "txt"], b"mot\nBOOM\nba\n")
    rows = rows_of(out)
    assert code == ExitStatus.OK
    assert [r["status"] for r in rows] == ["ok", "error", "ok"]
    assert "model failed on this row: RuntimeError: boom" in rows[1]["error"]


def test_a_model_that_fails_on_every_row_makes_the_run_fail():
    code, out, err = run(["score", "--format", "txt"], b"BOOM 1\nBOOM 2\n")
    assert code == ExitStatus.ERROR
    assert "the model failed on every row" in err
    assert len(rows_of(out)) == 2


@pytest.mark.parametrize("fixture", ["header_only.csv", "empty.csv"])
def test_empty_and_header_only_files_give_an_empty_result(fixture):
    code, rows, err = score_fixture(fixture)
    assert code == ExitStatus.OK
    assert rows == []
    assert "0 rows" in err


def test_an_empty_file_is_named_in_a_warning():
    _, _, err = score_fixture("empty.csv")
    assert "empty.csv is empty" in err


def test_a_missing_text_column_exits_2_naming_the_columns_that_exist():
    code, out, err = score_fixture("no_text_column.csv")
    assert code == ExitStatus.USAGE
    assert out == []
    assert err.startswith("spamguard: error:")
    assert "'id', 'body', 'from'" in err and "--text-col" in err


def test_text_col_names_the_text_column():
    code, rows, _ = score_fixture("no_text_column.csv", "--text-col", "body")
    assert code == ExitStatus.OK and rows[0]["status"] == "ok"


def test_a_text_col_that_does_not_exist_exits_2():
    code, _, err = score_fixture("good.csv", "--text-col", "nope")
    assert code == ExitStatus.USAGE and "no column 'nope'" in err


@pytest.mark.parametrize("name, words", [("data.xyz", "cannot tell the format"), ("data.json", ".jsonl"),
                                         ("data.xlsx", "CSV UTF-8")])
def test_an_unknown_format_exits_2(tmp_path, name, words):
    path = tmp_path / name
    path.write_text("text\nhello\n", encoding="utf-8")
    code, _, err = run(["score", str(path)])
    assert code == ExitStatus.USAGE and words in err


def test_format_overrides_the_extension(tmp_path):
    path = tmp_path / "data.xyz"
    path.write_text("text\nhello\n", encoding="utf-8")
    code, out, _ = run(["score", str(path), "--format", "csv"])
    assert code == ExitStatus.OK and len(rows_of(out)) == 1


def test_a_missing_file_exits_2_before_loading_the_model(monkeypatch):
    monkeypatch.setattr(_common, "load_model", lambda ref: pytest.fail("model loaded"))
    code, _, err = run(["score", "/no/such/file.csv"])
    assert code == ExitStatus.USAGE
    assert err == "spamguard: error: no such file: '/no/such/file.csv'\n"


def test_a_directory_as_input_exits_2(tmp_path):
    code, _, err = run(["score", str(tmp_path) + "/"])
    assert code == ExitStatus.USAGE


@pytest.mark.skipif(not hasattr(__import__("os"), "geteuid") or __import__("os").geteuid() == 0,
                    reason="root can read any file")
def test_an_unreadable_file_exits_2(tmp_path):
    path = tmp_path / "secret.csv"
    path.write_text("text\nhello\n", encoding="utf-8")
    path.chmod(0)
    code, _, err = run(["score", str(path)])
    assert code == ExitStatus.USAGE and "cannot read" in err


def test_an_unknown_model_exits_2():
    code, _, err = score_fixture("good.csv", "--model", "/no/such.model")
    assert code == ExitStatus.USAGE and "no model" in err


def test_strict_turns_row_errors_into_exit_status_1():
    assert score_fixture("ragged.csv", "--strict")[0] == ExitStatus.ERROR
    assert score_fixture("good.csv", "--strict")[0] == ExitStatus.OK


# -- stdin and formats ----------------------------------------------------------------------------------------
@pytest.mark.parametrize("data, n_rows", [
    (b"Ma OTP 1234\nhello\n", 2),                       # plain text: every line a message
    (b"id,text\n1,hello\n", 1),                         # CSV with a known header
    (b"id\tmessage\n1\thello\n2\tbye\n", 2),            # TSV with a known header
    (b'{"text": "hello"}\n{"text": "bye"}\n', 2),       # JSON Lines
])
def test_stdin_format_is_sniffed(data, n_rows):
    code, out, _ = run(["score", "--output-format", "csv"], data)
    assert code == ExitStatus.OK and len(rows_of(out)) == n_rows


def test_stdin_may_be_a_text_stream():
    code, out, _ = run(["score", "-"], "xin chào\n")
    assert code == ExitStatus.OK and rows_of(out)[0]["status"] == "ok"


def test_jsonl_input_gives_jsonl_output_with_numbers_and_nulls():
    code, out, _ = run(["score", str(FIXTURES / "broken.jsonl"), "--explain"])
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == ExitStatus.OK and len(lines) == 5
    assert lines[0]["id"] == 1 and isinstance(lines[0]["p_scam"], float) and lines[0]["reasons"] == []
    assert lines[1]["label"] is None and lines[1]["status"] == "error"


@pytest.mark.parametrize("suffix", [".csv", ".tsv", ".jsonl", ".csv.gz", ".jsonl.gz"])
def test_output_format_follows_the_output_extension(tmp_path, suffix):
    import gzip

    out = tmp_path / f"scores{suffix}"
    code, stdout, _ = run(["score", str(FIXTURES / "good.csv"), "-o", str(out)])
    assert code == ExitStatus.OK and stdout == ""
    raw = gzip.decompress(out.read_bytes()) if suffix.endswith(".gz") else out.read_bytes()
    text = raw.decode("utf-8")
    if ".jsonl" in suffix:
        assert [json.loads(x)["id"] for x in text.splitlines()] == ["m1", "m2", "m3"]
    else:
        sep = "\t" if ".tsv" in suffix else ","
        assert text.splitlines()[0].split(sep)[:2] == ["id", "label"] and len(text.splitlines()) == 4
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]  # no temporary file left behind


def test_gzip_input_is_read(tmp_path):
    import gzip

    path = tmp_path / "in.csv.gz"
    path.write_bytes(gzip.compress((FIXTURES / "good.csv").read_bytes()))
    code, out, _ = run(["score", str(path)])
    assert code == ExitStatus.OK and len(rows_of(out)) == 3


def test_text_output_is_refused(tmp_path):
    code, _, err = run(["score", str(FIXTURES / "good.csv"), "-o", str(tmp_path / "out.txt")])
    assert code == ExitStatus.USAGE and "plain text" in err


def test_output_into_a_missing_folder_exits_2(tmp_path):
    code, _, err = run(["score", str(FIXTURES / "good.csv"), "-o", str(tmp_path / "nope" / "out.csv")])
    assert code == ExitStatus.USAGE and "does not exist" in err


def test_several_inputs_are_scored_in_order_with_a_source_column():
    code, out, _ = run(["score", str(FIXTURES / "good.csv"), str(FIXTURES / "messages.txt")])
    rows = rows_of(out)
    assert code == ExitStatus.OK
    assert [(Path(r["source"]).name, r["id"]) for r in rows] == [
        ("good.csv", "m1"), ("good.csv", "m2"), ("good.csv", "m3"),
        ("messages.txt", "1"), ("messages.txt", "2"), ("messages.txt", "3")]


def test_keep_copies_input_columns_and_renames_clashes(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text("id,text,label,note\n1,hello,ham,x\n", encoding="utf-8")
    code, out, _ = run(["score", str(path), "--keep", "all"])
    row = rows_of(out)[0]
    assert code == ExitStatus.OK
    assert row["text"] == "hello" and row["note"] == "x" and row["input_label"] == "ham"
    assert row["id"] == "1" and "input_id" not in row


def test_keep_an_unknown_column_exits_2():
    code, _, err = score_fixture("good.csv", "--keep", "nope")
    assert code == ExitStatus.USAGE and "--keep 'nope'" in err


def test_excel_mode_writes_a_bom_and_defuses_formulas(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text('text\n"=HYPERLINK(""http://x.top"",""bam"")"\n-5\n', encoding="utf-8")
    out = tmp_path / "out.csv"
    code, _, _ = run(["score", str(path), "--keep", "text", "-o", str(out), "--excel"])
    raw = out.read_bytes()
    assert code == ExitStatus.OK and raw.startswith(b"\xef\xbb\xbf")
    rows = rows_of(raw.decode("utf-8-sig"))
    assert rows[0]["text"].startswith("'=HYPERLINK") and rows[1]["text"] == "-5"


def test_tsv_output_keeps_one_line_per_row(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"text": "dong\tmot\ndong hai"}) + "\n", encoding="utf-8")
    code, out, _ = run(["score", str(path), "--keep", "text", "--output-format", "tsv"])
    assert code == ExitStatus.OK
    assert out.splitlines()[1].split("\t")[-1] == "dong mot dong hai"


# -- thresholds, explanations, posts --------------------------------------------------------------------------
def test_a_named_threshold_changes_labels():
    data = b"Ma OTP\n"  # p_scam = 4/6.x: scam by default; a stricter operating point keeps it scam too
    _, default, _ = run(["score", "--format", "txt"], data)
    _, lenient, _ = run(["score", "--format", "txt", "--threshold", "0.99"], data)
    assert rows_of(default)[0]["label"] == "scam" and rows_of(lenient)[0]["label"] != "scam"


@pytest.mark.parametrize("value, words", [("fpr_5pct", "fpr_0.1pct, fpr_1pct"), ("1.5", "between 0 and 1")])
def test_a_bad_threshold_exits_2(value, words):
    code, _, err = score_fixture("good.csv", "--threshold", value)
    assert code == ExitStatus.USAGE and words in err


def test_explain_adds_a_reasons_column():
    _, rows, _ = score_fixture("good.csv", "--explain")
    assert rows[0]["reasons"] == "asks for an OTP code" and rows[2]["reasons"] == ""


def test_posts_metadata_is_picked_by_reintel_names():
    FakePostsModel.seen.clear()
    code, rows, _ = score_fixture("reintel_like.csv", "--task", "posts")
    assert code == ExitStatus.OK
    assert list(rows[0])[:4] == ["id", "label", "p_reliable", "p_unreliable"]
    seen = FakePostsModel.seen[0]
    assert seen["likes"] == ["19477", "54 like"] and seen["timestamp"] == ["1585945439", "unknown"]
    assert seen["author"] == ["a1", "b2"] and seen["shares"] == ["173", ""]


def test_col_maps_a_metadata_field_to_any_column(tmp_path):
    path = tmp_path / "p.csv"
    path.write_text("text,n_like\ntin đồn,12\n", encoding="utf-8")
    FakePostsModel.seen.clear()
    code, _, _ = run(["score", str(path), "--task", "posts", "--col", "likes=n_like"])
    assert code == ExitStatus.OK and FakePostsModel.seen[0]["likes"] == ["12"]


@pytest.mark.parametrize("col, words", [("colour=text", "takes no field 'colour'"), ("likes=nope", "no column"),
                                        ("likes", "KEY=VALUE")])
def test_bad_col_mappings_exit_2(col, words):
    code, _, err = score_fixture("reintel_like.csv", "--task", "posts", "--col", col)
    assert code == ExitStatus.USAGE and words in err


def test_a_model_of_the_wrong_task_exits_2():
    code, _, err = score_fixture("good.csv", "--task", "sms", "--model", "x/posts.model")
    assert code == ExitStatus.USAGE and "'posts' model" in err


# -- parallel and interrupted runs ----------------------------------------------------------------------------
@pytest.mark.slow
def test_output_is_identical_for_any_number_of_jobs(tmp_path):
    path = tmp_path / "in.csv"
    lines = [f"{i},{'Ma OTP ' if i % 3 == 0 else ''}tin nhan thu {i} {'x' * (i % 11)}" for i in range(3000)]
    path.write_text("id,text\n" + "\n".join(lines) + "\nbad,row,here\n", encoding="utf-8")
    one = run(["score", str(path), "--chunk-size", "250", "--jobs", "1"])
    two = run(["score", str(path), "--chunk-size", "250", "--jobs", "2"])
    assert one[0] == two[0] == ExitStatus.OK
    assert one[1] == two[1]
    assert len(rows_of(two[1])) == 3001


class InterruptingModel(FakeSmsModel):
    def predict_proba(self, X):
        if len(self.calls) == 1:  # the second chunk
            raise KeyboardInterrupt
        return super().predict_proba(X)


def test_ctrl_c_exits_130_says_how_many_rows_were_written_and_leaves_no_complete_file(tmp_path, monkeypatch):
    monkeypatch.setattr(_common, "load_model", lambda ref: InterruptingModel())
    source = tmp_path / "in.txt"
    source.write_text("".join(f"tin {i}\n" for i in range(50)), encoding="utf-8")
    out = tmp_path / "out.csv"
    code, _, err = run(["score", str(source), "-o", str(out), "--chunk-size", "10"])
    assert code == ExitStatus.INTERRUPTED
    assert "interrupted: 10 rows written" in err
    assert not out.exists()
    partial = tmp_path / "out.csv.partial"
    assert len(rows_of(partial.read_text(encoding="utf-8"))) == 10
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.txt", "out.csv.partial"]


def test_ctrl_c_on_stdout_says_how_many_rows_were_written(monkeypatch):
    monkeypatch.setattr(_common, "load_model", lambda ref: InterruptingModel())
    code, out, err = run(["score", "--format", "txt", "--chunk-size", "5"], b"a\n" * 30)
    assert code == ExitStatus.INTERRUPTED and "interrupted: 5 rows written" in err
    assert len(rows_of(out)) == 5


def test_an_existing_output_survives_an_interrupted_run(tmp_path, monkeypatch):
    monkeypatch.setattr(_common, "load_model", lambda ref: InterruptingModel())
    out = tmp_path / "out.csv"
    out.write_text("old,complete,result\n", encoding="utf-8")
    run(["score", "--format", "txt", "-o", str(out), "--chunk-size", "5"], b"a\n" * 30)
    assert out.read_text(encoding="utf-8") == "old,complete,result\n"


def test_progress_bar_goes_to_stderr_only_when_asked():
    _, out_quiet, err_quiet = run(["score", "--format", "txt"], b"a\nb\n")
    _, out_bar, err_bar = run(["score", "--format", "txt", "--progress"], b"a\nb\n")
    assert out_quiet == out_bar
    assert "rows/s]" not in err_quiet and "rows" in err_bar and "\r" in err_bar


def test_quiet_drops_the_summary():
    _, _, err = run(["score", "--format", "txt", "-q"], b"a\n")
    assert err == ""


# -- explain, models, datasets, evaluate, train ---------------------------------------------------------------
def test_explain_prints_label_scores_reasons_and_feature_spans():
    code, out, _ = run(["explain", "Gui ma OTP ngay", "--sender", "0912345678"])
    assert code == ExitStatus.OK
    assert out.startswith("label: scam")
    assert "1. asks for an OTP code" in out
    assert "kw:otp" in out and "OTP" in out.split("kw:otp")[1]


def test_explain_json_is_machine_readable():
    code, out, _ = run(["explain", "-", "--json"], "Gui ma OTP ngay")
    data = json.loads(out)
    assert code == ExitStatus.OK and data["label"] == "scam" and data["features"][0]["spans"] == [[7, 10]]


def test_explain_refuses_empty_text():
    assert run(["explain", "  "])[0] == ExitStatus.USAGE


def test_models_lists_the_registry(monkeypatch):
    import spamguard.registry as registry

    monkeypatch.setattr(registry, "list_models", lambda: [
        {"name": "sms", "path": "/x/sms.sgm", "card": {"task": "sms", "classes": ["ham", "spam", "scam"]}}])
    code, out, _ = run(["models"])
    assert code == ExitStatus.OK
    assert "sms" in out and "ham, spam, scam" in out
    code, out, _ = run(["models", "--json"])
    assert json.loads(out)[0]["card"]["task"] == "sms"


def test_datasets_lists_what_the_datasets_module_describes(monkeypatch):
    import spamguard.datasets as datasets

    monkeypatch.setattr(datasets, "describe_available", lambda: [{"name": "reintel", "rows": 4372}])
    code, out, _ = run(["datasets"])
    assert code == ExitStatus.OK and "reintel" in out and "4372" in out


def test_evaluate_prints_a_metrics_table():
    code, out, err = run(["evaluate", str(FIXTURES / "labelled.csv")])
    assert code == ExitStatus.OK, err
    assert "scam" in out and "macro-F1" in out


def test_evaluate_json_and_plot(tmp_path):
    pytest.importorskip("matplotlib")
    png = tmp_path / "eval.png"
    code, out, err = run(["evaluate", str(FIXTURES / "labelled.csv"), "--json", "--plot", str(png)])
    assert code == ExitStatus.OK, err
    assert json.loads(out)["n"] == 6
    assert png.read_bytes()[:4] == b"\x89PNG"


def test_evaluate_refuses_labels_the_model_does_not_know(tmp_path):
    path = tmp_path / "l.csv"
    path.write_text("text,label\nxin chao,0\n", encoding="utf-8")
    code, _, err = run(["evaluate", str(path)])
    assert code == ExitStatus.USAGE and "'0'" in err and "--label-map" in err


def test_evaluate_without_a_label_column_exits_2():
    code, _, err = run(["evaluate", str(FIXTURES / "good.csv")])
    assert code == ExitStatus.USAGE and "label column" in err


class FakeEstimator:
    def __init__(self, C=1.0, random_state=None):
        self.C, self.random_state = C, random_state

    def get_params(self, deep=True):
        return {"C": self.C, "random_state": self.random_state}

    def set_params(self, **params):
        for k, v in params.items():
            setattr(self, k, v)
        return self

    def fit(self, X, y):
        self.fitted_on_ = (X, list(y))
        self.classes_ = np.array(sorted(set(y)))
        return self


@pytest.fixture
def fake_training(monkeypatch):
    import spamguard.classifiers as classifiers
    import spamguard.persist as persist

    saved = {}
    # setitem, not setattr: the package resolves its classes lazily and the real ones need not import here
    monkeypatch.setitem(vars(classifiers), "SmsClassifier", FakeEstimator)
    monkeypatch.setitem(vars(classifiers), "PostsClassifier", FakeEstimator)
    monkeypatch.setattr(persist, "save_model", lambda model, path, card=None: saved.update(
        model=model, path=path, card=card))
    return saved


def test_train_fits_on_every_labelled_row_and_saves_a_model_card(fake_training, tmp_path):
    code, out, err = run(["train", str(FIXTURES / "labelled.csv"), "--task", "sms", "-o", str(tmp_path / "m.sgm"),
                          "--param", "C=2.5", "--param", "random_state=0", "--description", "test"])
    assert code == ExitStatus.OK, err
    model, card = fake_training["model"], fake_training["card"]
    X, y = model.fitted_on_
    assert len(X) == 6 and y.count("scam") == 2 and model.C == 2.5 and model.random_state == 0
    assert card["task"] == "sms" and card["params"] == {"C": 2.5, "random_state": 0}
    assert card["data"][0]["file"] == "labelled.csv" and card["data"][0]["labels"] == {"ham": 2, "scam": 2, "spam": 2}
    assert len(card["data"][0]["sha256"]) == 64 and card["command"].startswith("spamguard train ")
    assert out == "" and "training" in err


def test_train_passes_posts_metadata_and_maps_labels(fake_training, tmp_path):
    path = tmp_path / "r.csv"
    path.write_text("id,user_name,post_message,num_like_post,label\n1,u,tin đồn,5,1\n2,v,,3,0\n3,w,tin that,x,0\n",
                    encoding="utf-8")
    code, _, err = run(["train", str(path), "--task", "posts", "-o", str(tmp_path / "m.sgm"),
                        "--label-map", "0=reliable,1=unreliable"])
    X, y = fake_training["model"].fitted_on_
    assert code == ExitStatus.OK
    assert y == ["unreliable", "reliable"] and X["likes"] == ["5", "x"] and X["author"] == ["u", "w"]
    assert "skipped 1 rows (empty text: 1)" in err


@pytest.mark.parametrize("argv, words", [
    (["--param", "nope=1"], "has no parameter nope"),
    (["--label-col", "missing"], "cannot find the label column 'missing'"),
])
def test_train_usage_errors_exit_2(fake_training, tmp_path, argv, words):
    code, _, err = run(["train", str(FIXTURES / "labelled.csv"), "--task", "sms", "-o", str(tmp_path / "m"), *argv])
    assert code == ExitStatus.USAGE and words in err


def test_jsonl_with_only_broken_lines_reports_every_row(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_text("{oops\n[1]\n", encoding="utf-8")
    code, out, _ = run(["score", str(path)])
    assert code == ExitStatus.OK
    assert [json.loads(x)["status"] for x in out.splitlines()] == ["error", "error"]


def test_jsonl_keep_tolerates_keys_missing_from_some_objects(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text('{"text": "a"}\n{"text": "b", "note": "x"}\n', encoding="utf-8")
    code, out, _ = run(["score", str(path), "--keep", "note"])
    assert code == ExitStatus.OK
    assert [json.loads(x)["note"] for x in out.splitlines()] == [None, "x"]


def test_evaluate_plot_without_matplotlib_says_how_to_install_it_before_scoring(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "matplotlib", None)  # makes `import matplotlib` raise ImportError
    monkeypatch.setattr(_common, "load_model", lambda ref: pytest.fail("model loaded before the check"))
    code, out, err = run(["evaluate", str(FIXTURES / "labelled.csv"), "--plot", "x.png"])
    assert code == ExitStatus.ERROR and out == ""
    assert "pip install 'spamguard[plot]'" in err


def test_an_unexpected_error_is_one_line_with_a_hint_and_traceback_on_request(monkeypatch):
    def broken(ref):
        raise ZeroDivisionError("oops")

    monkeypatch.setattr(_common, "load_model", broken)
    code, _, err = run(["score", str(FIXTURES / "good.csv")])
    assert code == ExitStatus.ERROR
    assert err.splitlines()[0] == "spamguard: error: unexpected ZeroDivisionError: oops"
    assert "--traceback" in err and "Traceback" not in err
    code, _, err = run(["--traceback", "score", str(FIXTURES / "good.csv")])
    assert "Traceback (most recent call last)" in err
