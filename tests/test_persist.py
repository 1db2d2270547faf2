"""Model files cannot run code, and damaged or foreign files are refused with a clear error."""

from __future__ import annotations

import io
import json
import pickle
import zipfile

import numpy as np
import pytest

from spamguard.errors import ModelFormatError
from spamguard.persist import _meta_digest, load_model_file, read_model_file


class _Payload:
    """Unpickling this object creates a marker file: proof that code ran."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def _valid_meta(arrays, cls="SmsClassifier"):
    from spamguard.persist import FORMAT_NAME, SCHEMA_VERSION, _array_digest

    meta = {"format": FORMAT_NAME, "schema_version": SCHEMA_VERSION, "class": cls, "params": {}, "state": {},
            "array_sha256": {k: _array_digest(a) for k, a in arrays.items()}, "versions": {}, "card": {}}
    meta["meta_sha256"] = _meta_digest(meta)
    return np.frombuffer(json.dumps(meta).encode(), dtype=np.uint8)


def test_pickled_payload_inside_the_archive_does_not_run(tmp_path):
    marker = tmp_path / "pwned"
    payload = np.empty(1, dtype=object)
    payload[0] = _Payload(marker)
    path = tmp_path / "evil.sgm"
    np.savez(path.open("wb"), __meta__=_valid_meta({}), weights=payload)
    with pytest.raises(ModelFormatError, match="refuses"):
        load_model_file(path)
    assert not marker.exists()


def test_a_plain_pickle_renamed_to_a_model_file_does_not_run(tmp_path):
    marker = tmp_path / "pwned"
    path = tmp_path / "evil.sgm"
    path.write_bytes(pickle.dumps(_Payload(marker)))
    with pytest.raises(ModelFormatError, match="not a spamguard model"):
        load_model_file(path)
    assert not marker.exists()


def test_a_file_naming_an_untrusted_class_is_refused(tmp_path):
    path = tmp_path / "evil.sgm"
    np.savez(path.open("wb"), __meta__=_valid_meta({}, cls="os.system"))
    with pytest.raises(ModelFormatError, match="not a trusted"):
        load_model_file(path)


def test_an_array_changed_after_saving_fails_the_checksum(tmp_path):
    arrays = {"coef": np.zeros(4, dtype=np.float32)}
    path = tmp_path / "m.sgm"
    np.savez(path.open("wb"), __meta__=_valid_meta(arrays), coef=np.ones(4, dtype=np.float32))
    with pytest.raises(ModelFormatError, match="integrity"):
        read_model_file(path)


def test_edited_metadata_fails_the_checksum(tmp_path):
    arrays = {"coef": np.zeros(4, dtype=np.float32)}
    meta = json.loads(_valid_meta(arrays).tobytes())
    meta["state"] = {"temperature": 0.001}
    path = tmp_path / "m.sgm"
    np.savez(path.open("wb"), __meta__=np.frombuffer(json.dumps(meta).encode(), np.uint8), **arrays)
    with pytest.raises(ModelFormatError, match="integrity"):
        read_model_file(path)


@pytest.mark.parametrize("content", [b"", b"not a model", b"PK\x03\x04garbage"])
def test_garbage_files_are_refused(tmp_path, content):
    path = tmp_path / "m.sgm"
    path.write_bytes(content)
    with pytest.raises(ModelFormatError):
        load_model_file(path)


def test_an_archive_without_metadata_is_refused(tmp_path):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("coef.npy", b"")
    path = tmp_path / "m.sgm"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(ModelFormatError):
        load_model_file(path)


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ModelFormatError, match="cannot read"):
        load_model_file(tmp_path / "nope.sgm")
