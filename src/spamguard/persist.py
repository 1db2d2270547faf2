"""Saving and loading models in a format that cannot execute code.

A model file (``.sgm``) is a NumPy ``.npz`` archive holding only numeric/string arrays plus one JSON document
(``__meta__``). It is read with ``allow_pickle=False``, so no object in it can run code on load, and the class to
rebuild is looked up in a fixed allow-list rather than imported by name. The JSON records the versions the model was
saved with and a SHA-256 of every array and of the JSON itself; a file that fails any check is refused with
:class:`~spamguard.errors.ModelFormatError`. The checksums detect corruption and casual tampering; they are not a
signature (anyone who can write the file can recompute them) — the safety guarantee comes from the format.
"""

from __future__ import annotations

import hashlib
import io
import json
import platform
import zipfile
from datetime import datetime, timezone
from importlib import import_module
from pathlib import Path
from typing import Any

import numpy as np

from spamguard._version import __version__
from spamguard.errors import ModelFormatError

FORMAT_NAME = "spamguard-model"
SCHEMA_VERSION = 1
_META_KEY = "__meta__"

# The only classes a model file may ask to rebuild: name -> module. Never import a name read from a file.
TRUSTED_CLASSES = {
    "SmsClassifier": "spamguard.classifiers.sms",
    "PostsClassifier": "spamguard.classifiers.posts",
    "TextClassifier": "spamguard.classifiers.generic",
}


def _array_digest(array: np.ndarray) -> str:
    digest = hashlib.sha256()
    digest.update(str(array.dtype.str).encode())
    digest.update(str(array.shape).encode())
    digest.update(np.ascontiguousarray(array).tobytes())
    return digest.hexdigest()


def _meta_digest(meta: dict[str, Any]) -> str:
    body = {k: v for k, v in meta.items() if k != "meta_sha256"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _versions() -> dict[str, str]:
    import sklearn

    return {"spamguard": __version__, "numpy": np.__version__, "scikit-learn": sklearn.__version__,
            "python": platform.python_version()}


def save_model(model: Any, path: str | Path, card: dict[str, Any] | None = None) -> Path:
    """Write ``model`` to ``path`` (``.sgm``). The model must implement ``_get_state() -> (state, arrays)``."""
    name = type(model).__name__
    if name not in TRUSTED_CLASSES:
        raise ModelFormatError(f"cannot save a {name}: only {sorted(TRUSTED_CLASSES)} can be saved")
    state, arrays = model._get_state()
    for key, array in arrays.items():
        if not isinstance(array, np.ndarray) or array.dtype.hasobject:
            raise ModelFormatError(f"array {key!r} must be a numeric or fixed-width string ndarray")
    meta = {
        "format": FORMAT_NAME,
        "schema_version": SCHEMA_VERSION,
        "class": name,
        "params": model.get_params(deep=False),
        "state": state,
        "array_sha256": {key: _array_digest(a) for key, a in arrays.items()},
        "versions": _versions(),
        "saved_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "card": card or {},
    }
    meta["meta_sha256"] = _meta_digest(meta)
    encoded = np.frombuffer(json.dumps(meta, ensure_ascii=False).encode("utf-8"), dtype=np.uint8)
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as handle:
        np.savez_compressed(handle, **{_META_KEY: encoded}, **arrays)
    tmp.replace(path)
    return path


def read_model_file(path: str | Path) -> tuple[dict[str, Any], dict[str, np.ndarray]]:
    """Read and verify a model file without building the model. Raises ModelFormatError on any problem."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ModelFormatError(f"cannot read model file {path}: {exc.strerror or exc}") from exc
    if not zipfile.is_zipfile(io.BytesIO(raw)):
        raise ModelFormatError(f"{path} is not a spamguard model file (expected a .sgm archive)")
    try:
        with np.load(io.BytesIO(raw), allow_pickle=False) as archive:
            arrays = {key: archive[key] for key in archive.files}
    except (ValueError, OSError, zipfile.BadZipFile, EOFError) as exc:
        # allow_pickle=False makes NumPy refuse object arrays (pickles) with ValueError.
        raise ModelFormatError(f"{path} holds data spamguard refuses to load: {exc}") from exc
    try:
        meta = json.loads(arrays.pop(_META_KEY).tobytes().decode("utf-8"))
    except (KeyError, ValueError) as exc:
        raise ModelFormatError(f"{path} has no readable spamguard metadata") from exc
    if not isinstance(meta, dict) or meta.get("format") != FORMAT_NAME:
        raise ModelFormatError(f"{path} is not a spamguard model file")
    if meta.get("schema_version") != SCHEMA_VERSION:
        raise ModelFormatError(f"{path} uses schema version {meta.get('schema_version')}, this spamguard reads "
                               f"{SCHEMA_VERSION}: upgrade spamguard or retrain the model")
    if meta.get("meta_sha256") != _meta_digest(meta):
        raise ModelFormatError(f"{path} failed its integrity check (metadata checksum mismatch)")
    expected = meta.get("array_sha256", {})
    if set(expected) != set(arrays):
        raise ModelFormatError(f"{path} failed its integrity check (arrays added or missing)")
    for key, array in arrays.items():
        if _array_digest(array) != expected[key]:
            raise ModelFormatError(f"{path} failed its integrity check (array {key!r} was modified)")
    return meta, arrays


def load_model_file(path: str | Path) -> Any:
    """Load a model saved by :func:`save_model`, after verifying it."""
    meta, arrays = read_model_file(path)
    name = meta.get("class")
    if name not in TRUSTED_CLASSES:
        raise ModelFormatError(f"{path} asks for class {name!r}, which is not a trusted spamguard model class")
    cls = getattr(import_module(TRUSTED_CLASSES[name]), name)
    model = cls._from_state(meta["params"], meta["state"], arrays)
    model.card_ = meta.get("card", {})
    model.saved_with_ = meta.get("versions", {})
    return model
