"""One matcher for the whole catalog test session: the Korean model loads once per process."""

from pathlib import Path

import pytest

from catalog import Matcher, load_catalog

TEST_DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture(scope="session")
def test_data() -> Path:
    return TEST_DATA


@pytest.fixture(scope="session")
def catalog():
    return load_catalog()


@pytest.fixture(scope="session")
def matcher(catalog):
    return Matcher(catalog)
