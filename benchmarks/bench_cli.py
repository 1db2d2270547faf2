"""Benchmark `spamguard score`: peak memory while streaming 1,000,000 rows, and the --jobs speed-up.

Usage::

    python benchmarks/bench_cli.py                       # shipped sms model, 1,000,000 rows
    python benchmarks/bench_cli.py --model /tmp/sms.sgm  # any saved model file
    python benchmarks/bench_cli.py --rows 100000 --quick # a smoke run

Writes ``benchmarks/results_cli.md`` with the machine, the exact commands and the numbers. Each run is a separate
``spamguard score`` process; memory is the peak of the summed resident set of that process and all its worker
processes, sampled every 50 ms from /proc (Linux), plus the largest single-process peak reported by the kernel.
A "noop" row runs the same command with a model that returns constant probabilities, to show the cost of the
reading/writing machinery alone.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent

# Realistic SMS bodies (invented; see examples/sms_examples.csv), lengthened to about 200 characters.
_TAILS = [" Chi tiet LH tong dai 1900 xxxx (1.000d/phut).", " Tran trong cam on Quy khach.", " Soan TC gui 9xxx de tu choi.",
          " Cảm ơn quý khách đã sử dụng dịch vụ.", " Vui lòng không trả lời tin nhắn này.", ""]


def make_input(path: Path, rows: int, seed: int = 0) -> None:
    rng = random.Random(seed)
    with (ROOT / "examples" / "sms_examples.csv").open(encoding="utf-8") as fh:
        examples = list(csv.DictReader(fh))
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["id", "text", "sender"])
        for i in range(rows):
            ex = examples[rng.randrange(len(examples))]
            text = ex["text"] + rng.choice(_TAILS) + f" Ma {rng.randrange(10**6):06d}."
            while len(text) < 180:
                text += rng.choice(_TAILS)
            writer.writerow([i, text, ex["sender"]])


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/status") as fh:
            for line in fh:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _children(pid: int) -> list[int]:
    out: list[int] = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                out.extend(int(c) for c in fh.read().split())
    except OSError:
        pass
    return out


def _tree_rss_kb(root_pid: int) -> int:
    """Summed VmRSS of ``root_pid`` and its descendants (Linux /proc)."""
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        total += _rss_kb(pid)
        stack.extend(_children(pid))
    return total


def measure(cmd: list[str]) -> dict[str, float]:
    """Run ``cmd`` under /usr/bin/time (max RSS, CPU seconds) and sample the process tree's summed RSS."""
    timer = "/usr/bin/time"
    if not os.path.exists(timer):
        raise SystemExit("needs GNU time at /usr/bin/time")
    with tempfile.NamedTemporaryFile("r", suffix=".time") as tfile:
        load_before = os.getloadavg()[0]
        started = time.perf_counter()
        proc = subprocess.Popen([timer, "-f", "%M %U %S", "-o", tfile.name, *cmd], stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE)
        peak = [0]

        def sample() -> None:
            while proc.poll() is None:
                peak[0] = max(peak[0], _tree_rss_kb(proc.pid))
                time.sleep(0.2)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, stderr = proc.communicate()
        seconds = time.perf_counter() - started
        sampler.join()
        if proc.returncode != 0:
            raise SystemExit(f"command failed ({proc.returncode}): {' '.join(cmd)}\n{stderr.decode()}")
        max_kb, user, system = tfile.read().strip().splitlines()[-1].split()
    summary = [line for line in stderr.decode().splitlines() if "rows in" in line]
    return {"seconds": seconds, "cpu_seconds": float(user) + float(system), "tree_peak_mb": peak[0] / 1024,
            "max_single_mb": int(max_kb) / 1024, "load": max(load_before, os.getloadavg()[0]),
            "summary": summary[-1] if summary else ""}


_NOOP = textwrap.dedent("""
    import sys, numpy as np
    from spamguard.cli import _common, main
    class Noop:
        task = "sms"; classes_ = np.array(["ham", "spam", "scam"])
        def predict_proba(self, X):
            n = len(X["text"]) if isinstance(X, dict) else len(X)
            return np.tile([0.8, 0.1, 0.1], (n, 1))
        def labels_from_proba(self, proba, threshold=None):
            return self.classes_[proba.argmax(axis=1)]
    _common.load_model = lambda ref: Noop()
    sys.exit(main(sys.argv[1:]))
""")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--model", default="sms", help="shipped model name or model file")
    parser.add_argument("--speedup-rows", type=int, default=200_000, help="rows for the --jobs comparison")
    parser.add_argument("--quick", action="store_true", help="skip the 1/10-size memory run")
    parser.add_argument("--out", default=str(HERE / "results_cli.md"))
    args = parser.parse_args()
    spamguard = shutil.which("spamguard")
    if spamguard is None:
        raise SystemExit("the spamguard console script is not installed (pip install -e .)")
    work = Path(tempfile.mkdtemp(prefix="bench_cli_"))
    results: list[tuple[str, str, dict[str, float]]] = []
    try:
        sizes = [args.rows] if args.quick else [args.rows // 10, args.rows]
        for n in sorted(set(sizes + [args.speedup_rows])):
            make_input(work / f"in_{n}.csv", n)
        model_opt = ["--model", args.model] if args.model not in ("sms", "posts") else ["--task", args.model]
        runs: list[tuple[str, int, list[str]]] = []
        for n in sizes:
            runs.append((f"memory, {n:,} rows, --jobs 1", n, ["--jobs", "1"]))
        for jobs in (1, 2):
            runs.append((f"speed, {args.speedup_rows:,} rows, --jobs {jobs}", args.speedup_rows, ["--jobs", str(jobs)]))
        for label, n, extra in runs:
            argv = ["score", str(work / f"in_{n}.csv"), "-o", str(work / "out.csv"), *model_opt, "--no-progress",
                    *extra]
            shown = "spamguard " + " ".join(a if not a.startswith(str(work)) else a.replace(str(work), "$TMP")
                                             for a in argv)
            print(f"running: {shown}", file=sys.stderr)
            results.append((label, shown, measure([spamguard, *argv])))
            print(f"  {results[-1][2]}", file=sys.stderr)
        n = sizes[-1]
        argv = ["score", str(work / f"in_{n}.csv"), "-o", str(work / "out.csv"), "--no-progress", "--jobs", "1"]
        print("running: noop model", file=sys.stderr)
        results.append((f"noop model (I/O only), {n:,} rows", "python -c '<noop model>' " + " ".join(
            a.replace(str(work), "$TMP") for a in argv), measure([sys.executable, "-c", _NOOP, *argv])))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    write_report(args, results)


def write_report(args: argparse.Namespace, results: list[tuple[str, str, dict[str, float]]]) -> None:
    import spamguard

    lines = ["# `spamguard score` benchmark", "",
             f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
             f"spamguard {spamguard.__version__}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
             f"Command: `python benchmarks/bench_cli.py --rows {args.rows} --model {args.model} "
             f"--speedup-rows {args.speedup_rows}{' --quick' if args.quick else ''}`.",
             "Input: CSV of invented SMS (id,text,sender), about 200 characters each, built from "
             "examples/sms_examples.csv. Output: CSV file (atomic write). Default chunk size 5,000 rows.", "",
             "| run | wall s | rows/s (wall) | CPU s (user+sys, all processes) | peak RSS, process tree (MB) | "
             "peak RSS, largest process (MB) | load avg (1 min) |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for label, _, r in results:
        n = int(label.split(" rows")[0].split()[-1].replace(",", ""))
        lines.append(f"| {label} | {r['seconds']:.1f} | {n / r['seconds']:,.0f} | {r['cpu_seconds']:.1f} | "
                     f"{r['tree_peak_mb']:.0f} | {r['max_single_mb']:.0f} | {r['load']:.1f} |")
    speed = {label: r for label, _, r in results if label.startswith("speed")}
    if len(speed) == 2:
        one, two = speed.values()
        lines += ["", f"--jobs 2 speed-up over --jobs 1: {one['seconds'] / two['seconds']:.2f}x in wall-clock time "
                      f"(including the model load in each worker). The machine is shared: when the load average "
                      f"exceeds the {os.cpu_count()} cores, wall-clock numbers understate what an idle machine does."]
    lines += ["", "Commands (`$TMP` is a temporary folder):", ""]
    lines += [f"- {label}: `{cmd}`" for label, cmd, _ in results]
    lines += ["", "Summaries printed by spamguard:", ""]
    lines += [f"- {label}: {r['summary']}" for label, _, r in results if r["summary"]]
    Path(args.out).write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
