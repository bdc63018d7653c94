"""Shared by the deployment tests: where the repository's files are, and its pyproject."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def pyproject() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def oldest_python(pyproject: dict) -> str:
    """"3.11" from requires-python ">=3.11"."""
    spec = pyproject["project"]["requires-python"]
    assert spec.startswith(">="), spec
    return spec.removeprefix(">=").strip()
