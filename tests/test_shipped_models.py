"""The shipped models load offline (also from an installed wheel), carry their cards, and behave sensibly."""

from __future__ import annotations

import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

import spamguard
from spamguard.errors import ModelNotFoundError

ROOT = Path(__file__).resolve().parents[1]

# Fresh messages written for this test (not in the training corpus).
CLEAR_SCAMS = [
    ("Techcombank: Tai khoan cua Quy khach tam khoa do giao dich bat thuong. Xac thuc ngay tai "
     "https://techcombank-xacthuc.vip/login de tranh mat tien", "0898123456"),
    ("NHA CAI UY TIN SO 1 - nap lan dau tang 200%, rut tien 3 phut. Truy cap bet79win.top nhan code 88K", "0357111222"),
    ("Chuc mung quy khach trung thuong xe SH150i. Vui long chuyen phi thu tuc 3.500.000d vao STK 1903345566 "
     "de nhan giai", "+84 345 678 901"),
]
CLEAR_HAM = [
    ("Ma xac thuc cua ban la 749201. Ma co hieu luc trong 5 phut. Tuyet doi khong cung cap cho bat ky ai.", "VCB"),
    ("Con ơi tối nay về ăn cơm không, mẹ nấu canh chua nhé", "0912876543"),
    ("[TB] Quy khach da nap thanh cong 100.000d vao thue bao. Tran trong cam on.", "VIETTEL"),
]


@pytest.fixture(scope="module")
def sms():
    return spamguard.load_model("sms")


def test_sms_model_loads_with_classes_operating_points_and_card(sms):
    assert list(sms.classes_) == ["ham", "spam", "scam"]
    assert set(sms.operating_points_) == {"fpr_1pct", "fpr_0.1pct"}
    assert "sms_vi" in sms.card_["training_data"]
    assert sms.saved_with_["spamguard"]


def test_sms_model_flags_clear_scams_and_passes_clear_ham(sms):
    scam = sms.predict_proba([t for t, _ in CLEAR_SCAMS], senders=[s for _, s in CLEAR_SCAMS])[:, 2]
    ham = sms.predict_proba([t for t, _ in CLEAR_HAM], senders=[s for _, s in CLEAR_HAM])[:, 0]
    assert (scam > 0.5).all(), scam
    assert (ham > 0.5).all(), ham


def test_sms_model_works_without_senders(sms):
    scam = sms.predict_proba([t for t, _ in CLEAR_SCAMS])[:, 2]
    assert (scam > 0.5).all(), scam


def test_sms_model_explains_a_lookalike_link(sms):
    [item] = sms.explain([CLEAR_SCAMS[0][0]], senders=[CLEAR_SCAMS[0][1]])
    assert item["label"] == "scam"
    assert any("look-alike of techcombank" in r for r in item["reasons"]), item["reasons"]


def test_unknown_model_name_lists_the_shipped_ones():
    with pytest.raises(ModelNotFoundError, match="sms"):
        spamguard.load_model("email")


def test_list_models_reads_cards_without_building_models():
    names = {row["name"] for row in spamguard.registry.list_models()}
    assert "sms" in names


@pytest.mark.slow
def test_shipped_model_loads_from_an_installed_wheel_outside_the_repository(tmp_path):
    wheel_dir = tmp_path / "wheel"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(wheel_dir), str(ROOT)],
                           capture_output=True, text=True)
    if build.returncode != 0:
        pytest.skip(f"cannot build a wheel here (no build backend available offline?): {build.stderr[-300:]}")
    [wheel] = wheel_dir.glob("spamguard-*.whl")
    assert "spamguard/_models/sms.sgm" in zipfile.ZipFile(wheel).namelist()
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(system_site_packages=True, with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)], check=True)
    code = ("import spamguard, pathlib; m = spamguard.load_model('sms'); "
            "p = spamguard.registry.shipped_model_path('sms'); "
            "assert 'site-packages' in str(p), p; print(m.predict(['Ma OTP cua ban la 123456'])[0])")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    result = subprocess.run([str(python), "-c", code], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() in {"ham", "spam", "scam"}
