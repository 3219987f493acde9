"""A small generated quarter (the engine's generator: 40 clinics, 50 lines each, one quarter of
look-back) shared by the dental review tests, as a folder and as a zip."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

QUARTER = "2024Q4"


@pytest.fixture(scope="session")
def demo_quarter(tmp_path_factory) -> Path:
    from pingjian.dental.generate import generate

    root = tmp_path_factory.mktemp("dental-root")
    generate(
        root / "demo", 40, QUARTER, 7, lookback_quarters=1, fmt="csv", lines_per_clinic=50, progress=False
    )
    return root / "demo"


@pytest.fixture(scope="session")
def demo_zip(demo_quarter, tmp_path_factory) -> Path:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for p in sorted(demo_quarter.iterdir()):
            z.write(p, p.name)
    out = tmp_path_factory.mktemp("dental-zip") / "demo-2024Q4.zip"
    out.write_bytes(buf.getvalue())
    return out


@pytest.fixture
def dental_settings(settings, demo_quarter, tmp_path):
    settings.PINGJIAN_DENTAL_DATA_ROOT = demo_quarter.parent
    settings.PINGJIAN_DENTAL_UPLOAD_DIR = tmp_path / "uploads"
    settings.PINGJIAN_DENTAL_STORE = tmp_path / "store"
    return settings
