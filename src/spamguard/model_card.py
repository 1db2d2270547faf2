"""Model cards: the markdown file shipped beside each model, written from the card stored in the model file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SMS_LICENCES = {
    "sms_vi": "CC BY 4.0 (spamguard's own corpus)",
    "uci_translated_vi": "translation: no licence stated; UCI original CC BY 4.0",
    "cledian_synthetic_scam": "no licence stated (template-generated)",
    "vi_spam_comments": "no licence stated",
}

SMS_WEAKNESSES = """\
- Trained mostly on messages written for the project (see datasets/sms_vi/README.md), not collected from phones:
  expect lower accuracy on real traffic than the cross-validated figures, which come from the same writers. The
  independent challenge set (a different writer) and the held-out public corpora show the size of that gap.
- Operating points were chosen on out-of-fold predictions of the training data; on real traffic the false-positive
  rate at a named operating point can differ. Re-estimate thresholds on your own labelled sample before blocking.
- Brandname spoofing (fake base stations) is under-represented; a scam sent under a bank's brandname with wording
  and a link close to the real bank's is the hardest case.
- Spam vs scam is a policy line (legal ads vs fraud and illegal services); borderline loan and recruitment ads are
  the most frequent confusion.
- Only Vietnamese (and English OTPs); other languages get unreliable scores."""


def _table(metrics: dict[str, Any]) -> str:
    rows = ["| class | support | F1 | ROC-AUC | PR-AUC | recall @1% ham FPR | recall @0.1% ham FPR |",
            "|---|---|---|---|---|---|---|"]
    for name, row in metrics["per_class"].items():
        def cell(key, row=row):
            return f"{row[key]:.3f}" if key in row and row[key] == row[key] else "-"
        rows.append(f"| {name} | {metrics['support'][name]} | {cell('f1')} | {cell('roc_auc')} | {cell('pr_auc')} | "
                    f"{cell('recall_at_fpr_0.01')} | {cell('recall_at_fpr_0.001')} |")
    return "\n".join(rows)


def write_sms_card(card: dict[str, Any], versions: dict[str, str], path: Path, model_path: Path,
                   evaluation_md: Path | None = None, params: dict[str, Any] | None = None) -> None:
    data = "\n".join(f"| {name} | {info['rows']} | {info['weight']} | {SMS_LICENCES.get(name, '?')} |"
                     for name, info in card["training_data"].items())
    points = json.dumps(card["operating_points"], indent=1)
    parts = [
        "# SMS model card (`models/sms.sgm`)",
        "",
        "Classes `ham`, `spam` (unsolicited advertising), `scam` (fraud, phishing, illegal services). Load with "
        "`spamguard.load_model(\"sms\")`.",
        "",
        "Retrain (seeded, reproducible): `python -m spamguard.training sms` (writes this card too).",
        f"File: {model_path.stat().st_size / 1e6:.1f} MB, arrays + JSON (no pickle), SHA-256 checked on load. "
        f"Saved with {', '.join(f'{k} {v}' for k, v in versions.items())}.",
        "",
        "## Model",
        "Syllable uni/bigrams of the normalized (de-obfuscated) and the accent-free text, entity placeholders and "
        "attributes (look-alike or official domain, TLD, shortener, IP host, phone kind, money), the sender's kind "
        "and sender x content crosses (e.g. a personal number writing in a bank's name); hashed (2^18 columns), "
        "TF-IDF weighted, averaged-SGD logistic regression; probabilities temperature-calibrated on grouped "
        f"out-of-fold predictions (T = {card['temperature']:.3f}). Trained with and without senders, and on "
        "accent-free copies of accented messages. Parameters: "
        f"`{json.dumps(params)}` (the dense block of counts and ratios is off: dense_weight 0).",
        "",
        "## Training data",
        "| corpus | rows (deduplicated) | weight per row | licence |",
        "|---|---|---|---|",
        data,
        "",
        f"Labels: {card['labels']}. Seed: {card['seed']}.",
        "",
        "## Operating points (probability thresholds)",
        "Chosen on out-of-fold predictions so that at most 1% / 0.1% of ham messages score above them. "
        "`model.predict(texts)` returns the most probable class; `model.predict(texts, threshold=\"fpr_1pct\")` "
        "flags spam/scam only above these thresholds.",
        "",
        "```json",
        points,
        "```",
        "",
        "## Out-of-fold metrics on sms_vi (training cross-validation; NOT a held-out result)",
        _table(card["oof_metrics_sms_vi_with_sender"]) if "oof_metrics_sms_vi_with_sender" in card else "-",
        "",
        "## Held-out evaluation",
    ]
    if evaluation_md and evaluation_md.exists():
        parts.append(evaluation_md.read_text(encoding="utf-8").strip().replace("\n### ", "\n#### "))
    else:
        parts.append("Run `python benchmarks/eval_sms.py`; results are in BENCHMARKS.md.")
    parts += ["", "## Known weaknesses", SMS_WEAKNESSES, ""]
    path.write_text("\n".join(parts), encoding="utf-8")


def main() -> None:
    """Rewrite models/sms.md from the model file (after re-running the evaluation): python -m spamguard.model_card"""
    from spamguard.persist import read_model_file
    from spamguard.registry import shipped_model_path

    model_path = shipped_model_path("sms")
    meta, _ = read_model_file(model_path)
    evaluation = Path(__file__).resolve().parents[2] / "benchmarks" / "results_sms_eval.md"
    write_sms_card(meta["card"], meta["versions"], model_path.with_suffix(".md"), model_path, evaluation,
                   meta["params"])


if __name__ == "__main__":
    main()
