"""Scoring one chunk of records: one model call, one output row per record (also run inside --jobs workers)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from spamguard.batch import Record
from spamguard.cli._common import ModelHandle

DEFAULT_MAX_CHARS = 100_000


@dataclass
class Plan:
    """How to turn the records of one input into model input and output rows (picklable, sent to workers)."""

    text_col: str
    id_col: str | None = None
    meta: dict[str, str] = field(default_factory=dict)
    keep: dict[str, str] = field(default_factory=dict)  # input column -> output column
    source: str | None = None
    threshold: float | str | None = None
    explain: bool = False
    top_k: int = 3
    max_chars: int = DEFAULT_MAX_CHARS
    classes: tuple[str, ...] = ()


def _as_text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return "" if value is None else str(value)


def score_records(model: Any, records: list[Record], plan: Plan) -> list[dict[str, Any]]:
    """One output row per record, in order; all scorable rows go to the model in a single call."""
    rows: list[dict[str, Any]] = []
    positions: list[int] = []
    texts: list[str] = []
    metas: dict[str, list[str]] = {k: [] for k in plan.meta}
    meta_items = list(plan.meta.items())
    text_col, id_col, keep, source, max_chars = plan.text_col, plan.id_col, plan.keep, plan.source, plan.max_chars
    for rec in records:
        fields = rec.fields
        rid = fields.get(id_col) if id_col else None
        out: dict[str, Any] = {"id": rec.row if rid is None or rid == "" else rid, "status": "ok", "error": None}
        if source is not None:
            out["source"] = source
        for col, name in keep.items():
            out[name] = fields.get(col)
        error = rec.error
        if rec.readable:
            raw = fields.get(text_col)
            text = raw if type(raw) is str else _as_text(raw)
            if raw is None:
                error = _join(error, f"no {text_col!r} field")
            elif not text or text.isspace():
                error = _join(error, "empty text")
            else:
                if len(text) > max_chars:
                    error = _join(error, f"text of {len(text):,} characters cut to the first {max_chars:,}")
                    text = text[:max_chars]
                positions.append(len(rows))
                texts.append(text)
                for k, col in meta_items:
                    metas[k].append(_as_text(fields.get(col)))
        if error:
            out["status"], out["error"] = "error", error
        rows.append(out)
    if positions:
        _predict(model, positions, texts, metas, rows, plan)
    return rows


def _join(first: str | None, second: str) -> str:
    return f"{first}; {second}" if first else second


def _predict(model: Any, positions: list[int], texts: list[str], metas: dict[str, list[str]],
             rows: list[dict[str, Any]], plan: Plan) -> None:
    X: Any = {"text": texts, **metas} if metas else texts
    try:
        proba = model.predict_proba(X)
        labels = decide_labels(model, X, proba, plan.threshold)
        explained = model.explain(X, top_k=plan.top_k) if plan.explain else None
        if len(proba) != len(texts) or len(labels) != len(texts):
            raise ValueError(f"the model returned {len(proba)} rows for {len(texts)} inputs")
    except Exception as exc:  # one bad row must not sink its chunk: score the rows one by one
        if len(texts) > 1:
            for i, pos in enumerate(positions):
                _predict(model, [pos], [texts[i]], {k: [v[i]] for k, v in metas.items()}, rows, plan)
            return
        out = rows[positions[0]]
        out["status"] = "error"
        out["error"] = _join(out["error"], f"model failed on this row: {type(exc).__name__}: {exc}")
        out["model_failed"] = True
        return
    import numpy as np

    p_columns = [f"p_{c}" for c in plan.classes]
    values = np.asarray(proba, dtype=float).tolist()
    labels = [str(x) for x in (labels.tolist() if hasattr(labels, "tolist") else labels)]
    for i, pos in enumerate(positions):
        out = rows[pos]
        out["label"] = labels[i]
        out.update(zip(p_columns, values[i]))
        if explained is not None:
            out["reasons"] = list(explained[i].get("reasons", []))


def decide_labels(model: Any, X: Any, proba: Any, threshold: float | str | None) -> Any:
    """Labels under ``threshold``: from the probabilities already computed when the model can, else predict()."""
    from_proba = getattr(model, "labels_from_proba", None)
    if from_proba is not None:
        return from_proba(proba, threshold)
    return model.predict(X) if threshold is None else model.predict(X, threshold=threshold)


def score_in_worker(handle: ModelHandle, records: list[Record], plan: Plan) -> list[dict[str, Any]]:
    return score_records(handle.get(freeze=True), records, plan)
