"""predict_proba speed of whatever spamguard is importable, on the distinct ~200-character SMS of our datasets.

Meant for before/after comparisons of two versions on one machine, back to back:

    git archive <commit> src models datasets | tar -x -C /tmp/old   # the older package, model and data
    PYTHONPATH=/tmp/old/src taskset -c 1 python benchmarks/score_speed.py
    taskset -c 1 python benchmarks/score_speed.py

CPU time of this process; best of ``--repeats`` warm runs (after one run that warms the caches).
"""

from __future__ import annotations

import argparse
import time


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=9)
    args = parser.parse_args()
    import spamguard
    from sms_batch import distinct_long_sms

    texts, senders = distinct_long_sms()
    model = spamguard.load_model("sms")
    model.predict_proba(texts, senders=senders)
    best = float("inf")
    for _ in range(args.repeats):
        start = time.process_time()
        model.predict_proba(texts, senders=senders)
        best = min(best, time.process_time() - start)
    print(f"spamguard from {spamguard.__file__}: {len(texts)} distinct SMS, predict_proba "
          f"{len(texts) / best:,.0f} msgs/s ({best * 1e6 / len(texts):.1f} µs/msg)")


if __name__ == "__main__":
    main()
