"""Every audit test signs checkpoints with its own key into its own directory (never var/)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def audit_key(settings, tmp_path):
    key_file = tmp_path / "audit.key"
    key_file.write_text("k" * 16 + "test-audit-key-0123456789abcdef\n")
    settings.AUDIT_KEY = ""
    settings.AUDIT_KEY_FILE = key_file
    settings.AUDIT_KEY_GENERATE = False
    settings.AUDIT_CHECKPOINT_DIR = tmp_path / "checkpoints"
    return key_file
