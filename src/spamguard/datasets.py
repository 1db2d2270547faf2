"""Loaders for the corpora spamguard uses, all returning one structure: :class:`Dataset`.

The project's own SMS corpus lives in the repository (``datasets/sms_vi``). Public corpora are read from a data
directory: the ``SPAMGUARD_DATA_DIR`` environment variable, else ``../shared/datasets`` next to the current directory
or the repository. They are never copied into the repository (their licences do not allow it).
"""

from __future__ import annotations

import csv
import json
import os
import statistics
import sys
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from spamguard.cleaning import fix_mojibake
from spamguard.errors import DatasetNotFoundError

_REPO = Path(__file__).resolve().parents[2]
_VIETNAMESE = frozenset("àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ")


@dataclass
class Dataset:
    """Texts, their labels (``None`` for unlabelled sets) and optional metadata columns of equal length."""

    name: str
    texts: list[str]
    labels: list[str] | None
    meta: dict[str, list[Any]] = field(default_factory=dict)
    source: str = ""
    dropped: int = 0  # rows skipped because they had no usable text or label

    def __len__(self) -> int:
        return len(self.texts)

    def table(self) -> dict[str, list[Any]]:
        """Columns ready for a classifier: ``text`` plus the metadata."""
        return {"text": self.texts, **self.meta}


def has_diacritics(text: str) -> bool:
    return any(c in _VIETNAMESE for c in text.lower())


def data_dir() -> Path:
    """Where the public corpora are: $SPAMGUARD_DATA_DIR, else ../shared/datasets from the cwd or the repository."""
    env = os.environ.get("SPAMGUARD_DATA_DIR")
    if env:
        return Path(env)
    for base in (Path.cwd(), _REPO):
        candidate = base.parent / "shared" / "datasets"
        if candidate.is_dir():
            return candidate
    return _REPO.parent / "shared" / "datasets"


def _resolve(path: str | Path | None, relative: str) -> Path:
    target = Path(path) if path is not None else data_dir() / relative
    if not target.exists():
        raise DatasetNotFoundError(f"corpus file not found: {target} (set SPAMGUARD_DATA_DIR or pass path=)")
    return target


def _read_csv(path: Path, delimiter: str = ",", fieldnames: list[str] | None = None) -> Iterable[dict[str, str]]:
    csv.field_size_limit(min(sys.maxsize, 2**31 - 1))
    with open(path, encoding="utf-8", errors="replace", newline="") as handle:
        yield from csv.DictReader(handle, delimiter=delimiter, fieldnames=fieldnames)


def _build(name: str, rows: Iterable[dict[str, Any]], text_key: str, label: Callable[[dict], str | None] | None,
           meta_keys: Iterable[str] = (), source: Path | None = None, keep_empty: bool = False) -> Dataset:
    texts, labels, dropped = [], [], 0
    meta_keys = list(meta_keys)
    meta: dict[str, list[Any]] = {k: [] for k in meta_keys}
    for row in rows:
        text = fix_mojibake((row.get(text_key) or "").strip())
        value = label(row) if label else None
        if (not text and not keep_empty) or (label and value is None):
            dropped += 1
            continue
        texts.append(text)
        labels.append(value)
        for key in meta_keys:
            meta[key].append(row.get(key))
    return Dataset(name, texts, labels if label else None, meta, str(source or ""), dropped)


def _mapped(column: str, mapping: dict[str, str]) -> Callable[[dict], str | None]:
    return lambda row: mapping.get(str(row.get(column, "")).strip())


# ---- the project's own corpus -----------------------------------------------------------------------------------
def load_sms_vi(path: str | Path | None = None) -> Dataset:
    """spamguard's own SMS corpus (ham/spam/scam) with sender, category and group columns."""
    target = Path(path) if path else _REPO / "datasets" / "sms_vi" / "sms_vi.csv"
    if not target.exists():
        raise DatasetNotFoundError(f"the spamguard SMS corpus is not at {target}")
    return _build(target.stem, _read_csv(target), "text", lambda r: (r.get("label") or "").strip() or None,
                  ("id", "sender", "category", "group"), target)


def load_sms_challenge(path: str | Path | None = None) -> Dataset:
    """spamguard's independent SMS evaluation set, written apart from ``sms_vi``; never used for training."""
    return load_sms_vi(path or _REPO / "datasets" / "sms_vi_challenge" / "sms_vi_challenge.csv")


# ---- public SMS corpora -----------------------------------------------------------------------------------------
def load_uci_translated(path: str | Path | None = None) -> Dataset:
    """UCI SMS Spam Collection machine-translated to Vietnamese (ham/spam); empty translations dropped."""
    target = _resolve(path, "sms/uci_translated_vi/HuynhPhong385__data__dataset__dataset.csv")
    return _build("uci_translated_vi", _read_csv(target), "texts_vi",
                  _mapped("labels", {"ham": "ham", "spam": "spam"}), source=target)


def load_synthetic_scam(path: str | Path | None = None) -> Dataset:
    """CLEDIAN template-generated scam/safe SMS, mapped to scam/ham. ``path`` is the folder."""
    folder = _resolve(path, "sms/cledian_synthetic_scam")
    rows = [*_read_csv(folder / "datasets__raw__manual_scam.csv"), *_read_csv(folder / "datasets__raw__manual_safe.csv")]
    return _build("cledian_synthetic_scam", rows, "text",
                  _mapped("source", {"sms_scam": "scam", "sms_safe": "ham"}), source=folder)


def load_spam_comments(path: str | Path | None = None, extended: bool = False) -> Dataset:
    """Vietnamese social-media comments, spam (1) mostly copypasta ads; labels ham/spam."""
    name = "NaNa2403__Data__vietnamese_data.csv" if extended else "ankhanhtran02__datasets__vietnamese_data.csv"
    target = _resolve(path, f"sms/vi_spam_comments/{name}")
    return _build("vi_spam_comments", _read_csv(target), "text", _mapped("spam", {"0": "ham", "1": "spam"}),
                  source=target)


def load_pth1993_sample(path: str | Path | None = None) -> Dataset:
    """The 10 real SMS published as a sample of Pham & Le-Hong's corpus (label<TAB>text, no header)."""
    target = _resolve(path, "sms/pth1993_sample/src__data_sample.tsv")
    return _build("pth1993_sample", _read_csv(target, "\t", ["label", "text"]), "text",
                  _mapped("label", {"ham": "ham", "spam": "spam"}), source=target)


# ---- reviews ------------------------------------------------------------------------------------------------------
def load_vispamreviews(split: str = "train", label: str = "spam", path: str | Path | None = None) -> Dataset:
    """ViSpamReviews; ``label="spam"`` gives 0/1 (not spam/spam), ``label="type"`` the 4-way SpamLabel 0-3."""
    if split not in ("train", "dev", "test") or label not in ("spam", "type"):
        raise ValueError("split must be train/dev/test and label spam/type")
    target = _resolve(path, f"reviews/vispamreviews/{split}.csv")
    column = "Label" if label == "spam" else "SpamLabel"
    values = {"0", "1"} if label == "spam" else {"0", "1", "2", "3"}
    return _build(f"vispamreviews_{label}_{split}", _read_csv(target), "Comment",
                  lambda r: v if (v := str(r.get(column, "")).strip()) in values else None, ("Rating",), target)


# ---- fake news ----------------------------------------------------------------------------------------------------
_REINTEL_FILES = {"train": "train.csv", "public_test": "public_test.csv", "private_test": "final_private_test.csv"}
_REINTEL_META = ("id", "user_name", "timestamp_post", "num_like_post", "num_comment_post", "num_share_post")


def load_reintel(split: str = "train", path: str | Path | None = None) -> Dataset:
    """ReINTEL posts with raw engagement metadata; labels reliable/unreliable for ``train``, None for the tests.

    Metadata is passed through as read (junk like "unknown" included): the posts model parses it.
    """
    if split not in _REINTEL_FILES:
        raise ValueError(f"split must be one of {sorted(_REINTEL_FILES)}")
    target = _resolve(path, f"fakenews/reintel/{_REINTEL_FILES[split]}")
    label = _mapped("label", {"0": "reliable", "1": "unreliable"}) if split == "train" else None
    # Test rows are all kept, even empty ones: predictions are written per id.
    return _build(f"reintel_{split}", _read_csv(target), "post_message", label, _REINTEL_META, target,
                  keep_empty=label is None)


def load_vfnd(path: str | Path | None = None) -> Dataset:
    """VFND news articles, real/fake (the source site leaks the label: use with care)."""
    target = _resolve(path, "fakenews/vfnd/vn_news_226_tlfr.csv")
    return _build("vfnd", _read_csv(target), "text", _mapped("label", {"0": "real", "1": "fake"}), source=target)


def load_vnnews(split: str = "train", path: str | Path | None = None) -> Dataset:
    """Vietnamese news fake/real (v2); many duplicates."""
    target = _resolve(path, f"fakenews/vnnews_v2/{'train_data' if split == 'train' else 'val_data'}.csv")
    return _build(f"vnnews_v2_{split}", _read_csv(target), "content", _mapped("label", {"0": "real", "1": "fake"}),
                  source=target)


def load_viclickbait(split: str = "train", path: str | Path | None = None) -> Dataset:
    """ViClickbait-2025 news titles, clickbait/non-clickbait."""
    target = _resolve(path, f"fakenews/viclickbait2025/{split}.json")
    rows = json.loads(target.read_text(encoding="utf-8", errors="replace"))
    return _build(f"viclickbait2025_{split}", rows, "title",
                  lambda r: r.get("label") if r.get("label") in ("clickbait", "non-clickbait") else None,
                  source=target)


def load_ds108_clickbait(split: str = "test", path: str | Path | None = None) -> Dataset:
    """DS108 clickbait news items (title), 1 clickbait / 0 (labels partly LLM-made)."""
    target = _resolve(path, f"fakenews/ds108_clickbait/{split}.csv")
    return _build(f"ds108_clickbait_{split}", _read_csv(target), "title",
                  _mapped("final_label", {"1": "clickbait", "0": "non-clickbait"}), ("sapo",), target)


LOADERS: dict[str, Callable[[], Dataset]] = {
    "sms_vi": load_sms_vi,
    "sms_vi_challenge": load_sms_challenge,
    "uci_translated_vi": load_uci_translated,
    "cledian_synthetic_scam": load_synthetic_scam,
    "vi_spam_comments": load_spam_comments,
    "pth1993_sample": load_pth1993_sample,
    "vispamreviews_spam": lambda: load_vispamreviews("train", "spam"),
    "vispamreviews_type": lambda: load_vispamreviews("train", "type"),
    "reintel_train": lambda: load_reintel("train"),
    "reintel_public_test": lambda: load_reintel("public_test"),
    "reintel_private_test": lambda: load_reintel("private_test"),
    "vfnd": load_vfnd,
    "vnnews_v2": load_vnnews,
    "viclickbait2025": load_viclickbait,
    "ds108_clickbait": load_ds108_clickbait,
}


def describe(dataset: Dataset) -> dict[str, Any]:
    """One summary row: rows, classes, share with diacritics, median length."""
    lengths = [len(t) for t in dataset.texts]
    counts = Counter(dataset.labels) if dataset.labels is not None else {}
    return {"name": dataset.name, "rows": len(dataset), "dropped": dataset.dropped,
            "classes": ", ".join(f"{k}:{v}" for k, v in sorted(counts.items())) or "(unlabelled)",
            "diacritics": round(sum(map(has_diacritics, dataset.texts)) / max(len(dataset), 1), 3),
            "median_chars": statistics.median(lengths) if lengths else 0}


def describe_available() -> list[dict[str, Any]]:
    """A summary row for every corpus present on this machine (missing ones are skipped)."""
    rows = []
    for loader in LOADERS.values():
        try:
            rows.append(describe(loader()))
        except DatasetNotFoundError:
            continue
    return rows
