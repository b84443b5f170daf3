"""Shared fixtures: the shipped dataset, and a writable copy of its folder for mutation tests."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from amparo.guidelines import DATA_DIR, get_dataset
from amparo.guidelines.model import Dataset

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def dataset() -> Dataset:
    return get_dataset()


@pytest.fixture
def data_copy(tmp_path: Path) -> Path:
    """A copy of the dataset folder that a test may break."""
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target
