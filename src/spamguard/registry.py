"""The shipped models: where they live and how to load them by name."""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from spamguard.errors import ModelNotFoundError

SHIPPED_MODELS = {"sms": "sms.sgm", "posts": "posts.sgm"}


def _model_dirs() -> list[Path]:
    dirs = []
    # Installed wheel: models/ is copied into the package as spamguard/_models.
    packaged = Path(str(resources.files("spamguard"))) / "_models"
    dirs.append(packaged)
    # Source checkout or editable install: the repository's top-level models/ folder.
    dirs.append(Path(__file__).resolve().parents[2] / "models")
    return dirs


def shipped_model_path(name: str) -> Path:
    """The file of a shipped model, e.g. ``shipped_model_path("sms")``."""
    if name not in SHIPPED_MODELS:
        raise ModelNotFoundError(f"no shipped model named {name!r}; choose one of {sorted(SHIPPED_MODELS)} "
                                 "or pass the path of a model file")
    for folder in _model_dirs():
        candidate = folder / SHIPPED_MODELS[name]
        if candidate.is_file():
            return candidate
    raise ModelNotFoundError(f"the shipped model {name!r} is missing from this installation "
                             f"(looked in {', '.join(str(d) for d in _model_dirs())})")


def load_model(name_or_path: str | Path = "sms") -> Any:
    """Load a shipped model by name (``"sms"``, ``"posts"``) or any model file by path.

    >>> model = load_model("sms")                                  # doctest: +SKIP
    >>> model.predict_proba(["Tai khoan cua ban bi khoa"], senders=["0912345678"])  # doctest: +SKIP
    """
    from spamguard.persist import load_model_file

    key = str(name_or_path)
    if key in SHIPPED_MODELS:
        return load_model_file(shipped_model_path(key))
    path = Path(name_or_path)
    if not path.is_file():
        raise ModelNotFoundError(f"{key!r} is neither a shipped model ({', '.join(sorted(SHIPPED_MODELS))}) "
                                 "nor an existing model file")
    return load_model_file(path)


def list_models() -> list[dict[str, Any]]:
    """The shipped models with their cards (read without building the model)."""
    from spamguard.persist import read_model_file

    rows = []
    for name in SHIPPED_MODELS:
        try:
            path = shipped_model_path(name)
        except ModelNotFoundError:
            continue
        meta, _ = read_model_file(path)
        rows.append({"name": name, "path": str(path), "card": meta.get("card", {}),
                     "versions": meta.get("versions", {}), "saved_at": meta.get("saved_at")})
    return rows
