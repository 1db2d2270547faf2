"""Rebuild BENCHMARKS.md from the result files the benchmark scripts write (each names its own command).

Run: python benchmarks/collect.py
"""

from __future__ import annotations

from pathlib import Path

HERE = Path(__file__).parent
SECTIONS = [
    ("SMS model: held-out accuracy beside two baselines", "results_sms_eval.md"),
    ("SMS model: where it wins and loses", "results_sms_notes.md"),
    ("SMS model: scoring speed, load time, memory", "results_sms_speed.md"),
    ("SMS model: scoring speed by stage", "results_sms_stages.md"),
    ("SMS model: how scoring was made faster, and what is left", "results_speed_notes.md"),
    ("Text pipeline speed and import time", "results_text.md"),
    ("Posts model: cross-validated ROC-AUC with ablations and baselines", "results_posts_eval.md"),
    ("Posts model: scoring speed, load time, memory", "results_posts_speed.md"),
    ("Generic classifier on ViSpamReviews", "results_vispam.md"),
    ("Command line: streaming memory and --jobs speed-up", "results_cli.md"),
]
INTRO = """# Benchmarks

Every figure below was produced by the command quoted in its section, on this project's development machine
(2 cores, 24 GiB, no GPU; other jobs were often running, so speed figures are conservative: see the load noted in
each section). Accuracy figures name the split they come from. Regenerate this file with
`python benchmarks/collect.py` after re-running the scripts.
"""


def main() -> None:
    parts = [INTRO]
    for title, name in SECTIONS:
        path = HERE / name
        body = path.read_text(encoding="utf-8").strip() if path.exists() else "_Not measured yet._"
        body = body.replace("\n## ", "\n### ").removeprefix("## ")
        if body.startswith(title) or body.splitlines()[0].startswith(("Text pipeline speed", "#")):
            body = "\n".join(body.splitlines()[1:]).strip()
        parts.append(f"## {title}\n\n{body}\n")
    (HERE.parent / "BENCHMARKS.md").write_text("\n".join(parts), encoding="utf-8")


if __name__ == "__main__":
    main()
