"""`import spamguard` is cheap and side-effect free; the public API is reachable from the top level."""

from __future__ import annotations

import json
import subprocess
import sys

import spamguard


def _fresh_python(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout


def test_import_loads_no_heavy_dependency_and_configures_no_logging():
    out = _fresh_python(
        "import json, logging, sys; import spamguard; "
        "print(json.dumps({'heavy': sorted(m for m in ('sklearn', 'underthesea', 'scipy', 'numpy', 'joblib') "
        "if m in sys.modules), 'handlers': len(logging.getLogger().handlers)}))")
    state = json.loads(out)
    assert state == {"heavy": [], "handlers": 0}


def test_public_api_names_resolve_lazily():
    for name in spamguard.__all__:
        assert getattr(spamguard, name) is not None
    assert spamguard.normalize("Hoà").text == "hòa"
    assert "~hoa" in spamguard.tokenize("Hoà")


def test_unknown_attribute_is_an_attribute_error():
    try:
        spamguard.no_such_thing  # noqa: B018
    except AttributeError as error:
        assert "no_such_thing" in str(error)
    else:
        raise AssertionError("expected AttributeError")


def test_version_is_exposed_and_matches_the_cli():
    out = subprocess.run([sys.executable, "-m", "spamguard.cli", "--version"], capture_output=True, text=True)
    assert spamguard.__version__ in out.stdout + out.stderr
