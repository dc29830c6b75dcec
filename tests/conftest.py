"""Shared test fixtures: paths to the project's fixtures and to ../shared when present."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SEEDS = FIXTURES / "seeds"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def db(tmp_path) -> Path:
    """A fresh corpus path."""
    return tmp_path / "corpus.db"
