"""Speed of the shipped posts model: posts/s on one core, model load time and memory.

Posts are the ReINTEL public test texts with their metadata (real lengths: median ~230 characters, some over 17,000),
scored in batches of 1,000 with predict_proba; also explain() on a smaller batch. Single core: BLAS/OpenMP threads are
pinned to 1 before NumPy loads.

Run:  python benchmarks/bench_posts.py            (writes benchmarks/results_posts_speed.md)
"""

from __future__ import annotations

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import platform  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

OUT = Path(__file__).parent


def _load_in_fresh_process(model: str) -> tuple[float, float]:
    """Seconds to import spamguard and load the model, and the peak RSS (MB) of that process."""
    code = ("import time, resource; t = time.perf_counter(); import spamguard; "
            f"m = spamguard.load_model({model!r}); d = time.perf_counter() - t; "
            "print(d, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    return float(out[0]), float(out[1])


def main(argv=None) -> int:
    import numpy as np

    import spamguard
    from spamguard.classifiers.posts import reintel_table

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="posts")
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--output", type=Path, default=OUT / "results_posts_speed.md")
    args = parser.parse_args(argv)

    loads = [_load_in_fresh_process(args.model) for _ in range(3)]
    model = spamguard.load_model(args.model)
    table, _, _ = reintel_table("public_test")
    n = min(args.batch, len(table["text"]))
    batch = {k: v[:n] for k, v in table.items()}
    chars = [len(t) for t in batch["text"]]
    model.predict_proba({k: v[:10] for k, v in batch.items()})  # warm caches
    timings = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        model.predict_proba(batch)
        timings.append(time.perf_counter() - start)
    best = min(timings)
    small = {k: v[:200] for k, v in batch.items()}
    start = time.perf_counter()
    model.explain(small)
    explain_s = time.perf_counter() - start
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    from spamguard.registry import SHIPPED_MODELS, shipped_model_path

    path = shipped_model_path(args.model) if args.model in SHIPPED_MODELS else Path(args.model)
    size = path.stat().st_size / 1e6
    lines = [
        "# Posts model speed",
        "",
        f"Command: `python benchmarks/bench_posts.py --batch {args.batch}`; one core (BLAS/OpenMP threads = 1); "
        f"Python {platform.python_version()} on {platform.machine()}, shared machine (other jobs running).",
        "",
        "| measure | value |",
        "|---|---|",
        f"| model file size | {size:.1f} MB |",
        f"| posts per batch (ReINTEL public test, median {statistics.median(chars):.0f} chars, max {max(chars):,}) "
        f"| {n} |",
        f"| predict_proba throughput (best of {args.repeats}) | {n / best:,.0f} posts/s |",
        f"| predict_proba, all runs (s) | {', '.join(f'{t:.2f}' for t in timings)} |",
        f"| explain throughput (200 posts) | {200 / explain_s:,.0f} posts/s |",
        f"| import + load_model time, fresh process (3 runs) | {', '.join(f'{t:.2f}' for t, _ in loads)} s |",
        f"| peak RSS after import + load (fresh process) | {np.median([m for _, m in loads]):.0f} MB |",
        f"| peak RSS after scoring {n} posts | {rss:.0f} MB |",
        "",
    ]
    args.output.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
