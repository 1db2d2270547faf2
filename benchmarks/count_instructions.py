"""Instructions per message of the text pipeline or of SMS scoring, counted by valgrind: a measure that does not move
with the machine's load, for before/after comparisons of two versions (wall-clock time on this VM swings by a third
between minutes).

    python benchmarks/count_instructions.py short              # tokenize_batch on bench_text's ~70-char batch
    python benchmarks/count_instructions.py long               # ... on its ~200-char batch
    python benchmarks/count_instructions.py sms                # predict_proba on score_speed.py's batch
    python benchmarks/count_instructions.py cold70             # tokenize_batch once on bench_text's distinct corpus
    python benchmarks/count_instructions.py cold200            #   SMS of 60-80 / 170-230 chars, never seen before
    PYTHONPATH=/tmp/old/src python benchmarks/count_instructions.py short   # another version (git archive)

Each count is the difference between a process that runs the work ``--runs`` times after one warm-up call and one
that stops after the warm-up, divided by the messages processed; PYTHONHASHSEED=0. The cold batches warm up on the
corpora's other messages instead (as bench_text's cold row does) and run once: every message is new to the caches.
Needs valgrind; about a minute.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def _work(batch: str, runs: int) -> None:
    """The child: one warm-up call, then ``runs`` more."""
    sys.path.insert(0, str(HERE))
    if batch.startswith("cold"):
        from spamguard.text import tokenize_batch

        texts, others = _cold_sets(batch)
        tokenize_batch(others)
        if runs:
            tokenize_batch(texts)
        return
    if batch == "sms":
        import spamguard
        from sms_batch import distinct_long_sms

        texts, senders = distinct_long_sms()
        model = spamguard.load_model("sms")
        call = lambda: model.predict_proba(texts, senders=senders)  # noqa: E731
    else:
        from spamguard.text import tokenize_batch
        from text_samples import LONG, SHORT

        samples = SHORT if batch == "short" else LONG
        texts = (samples * (3000 // len(samples) + 1))[:3000]
        call = lambda: tokenize_batch(texts)  # noqa: E731
    call()
    for _ in range(runs):
        call()


def _cold_sets(batch: str) -> tuple[list[str], list[str]]:
    """bench_text's cold row: the distinct corpus SMS of the batch's lengths, and what to warm up on."""
    from spamguard import datasets
    from text_samples import LONG, SHORT

    low, high = (60, 80) if batch == "cold70" else (170, 230)
    distinct = list(dict.fromkeys(datasets.load_sms_vi().texts + datasets.load_sms_challenge().texts))
    return ([t for t in distinct if low <= len(t) <= high],
            [t for t in distinct if not low <= len(t) <= high] + SHORT + LONG)


def _instructions(batch: str, runs: int) -> int:
    env = dict(os.environ, PYTHONHASHSEED="0")
    proc = subprocess.run(["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
                           sys.executable, __file__, batch, "--child", str(runs)],
                          capture_output=True, text=True, env=env, check=True)
    return int(re.search(r"I\s+refs:\s+([\d,]+)", proc.stderr).group(1).replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("batch", choices=("short", "long", "sms", "cold70", "cold200"))
    parser.add_argument("--runs", type=int, default=6)
    parser.add_argument("--child", type=int, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child is not None:
        _work(args.batch, args.child)
        return
    runs = 1 if args.batch.startswith("cold") else args.runs
    base = _instructions(args.batch, 0)
    total = _instructions(args.batch, runs)
    sys.path.insert(0, str(HERE))
    import spamguard
    from sms_batch import distinct_long_sms

    if args.batch.startswith("cold"):
        messages = len(_cold_sets(args.batch)[0])
    else:
        messages = len(distinct_long_sms()[0]) if args.batch == "sms" else 3000

    print(f"{args.batch}: {(total - base) / (runs * messages):,.0f} instructions a message "
          f"(spamguard from {Path(spamguard.__file__).parent})")


if __name__ == "__main__":
    main()
