"""Every imports test keeps its encrypted uploads in its own directory and, unless it says
otherwise, runs the job steps in the request (no thread)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _imports_settings(settings, tmp_path):
    settings.WUSHE_IMPORTS_DIR = tmp_path / "imports"
    settings.WUSHE_IMPORTS_IN_BACKGROUND = False
