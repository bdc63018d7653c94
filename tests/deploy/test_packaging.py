"""pyproject.toml against the code: every package the code imports is declared (the product's
in `dependencies`, the tests' in the `test` extra), CI's lock file pins each of them, the
licence is the file's, and `ddokddok --version` says what is installed."""

from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import packages_distributions, version

import pytest
from packaging.requirements import Requirement

from bot.cli.main import main

from .conftest import ROOT


def normalised(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def imported_top_levels(*folders: str) -> set[str]:
    """Top-level modules imported anywhere in these folders (at module top or in a function)."""
    found: set[str] = set()
    for folder in folders:
        for path in (ROOT / folder).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    found.update(alias.name.split(".")[0] for alias in node.names)
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    found.add(node.module.split(".")[0])
    return found


def helper_module_names() -> set[str]:
    """Names the tests import their own helpers by (tests/bot is on sys.path: `adapters.conftest`)."""
    tests = ROOT / "tests"
    return {"tests"} | {p.name for p in tests.rglob("*") if p.is_dir()} | {p.stem for p in tests.rglob("*.py")}


def third_party(modules: set[str]) -> set[str]:
    return {m for m in modules if m not in sys.stdlib_module_names and m not in {"bot", "catalog", "__future__"}}


def distributions_of(modules: set[str]) -> dict[str, set[str]]:
    owners = packages_distributions()
    missing = sorted(m for m in modules if m not in owners)
    assert not missing, f"imported but not installed: {missing}"
    return {m: {normalised(d) for d in owners[m]} for m in modules}


def declared(requirements: list[str]) -> set[str]:
    return {normalised(Requirement(spec).name) for spec in requirements}


def test_the_product_declares_what_it_imports(pyproject):
    runtime = declared(pyproject["project"]["dependencies"])
    for module, owners in distributions_of(third_party(imported_top_levels("bot", "catalog"))).items():
        assert owners & runtime, f"bot/ or catalog/ imports {module} ({owners}): add it to dependencies"


def test_the_tests_declare_what_they_import(pyproject):
    available = declared(pyproject["project"]["dependencies"]) | declared(
        pyproject["project"]["optional-dependencies"]["test"]
    )
    modules = third_party(imported_top_levels("tests")) - helper_module_names()
    for module, owners in distributions_of(modules).items():
        assert owners & available, f"tests import {module} ({owners}): add it to the test extra"


def test_the_ci_lock_pins_every_declared_package(pyproject):
    pinned = {
        normalised(line.split("==")[0])
        for line in (ROOT / "requirements-ci.lock").read_text(encoding="utf-8").splitlines()
        if "==" in line and not line.startswith(("#", " "))
    }
    project = pyproject["project"]
    wanted = declared(project["dependencies"])
    for extra in ("test", "lint"):
        wanted |= declared(project["optional-dependencies"][extra])
    assert not wanted - pinned, f"not in requirements-ci.lock (run `make lock`): {sorted(wanted - pinned)}"


def test_the_licence(pyproject):
    assert pyproject["project"]["license"] == "MIT"
    text = (ROOT / "LICENSE").read_text(encoding="utf-8")
    assert text.startswith("MIT License") and "Copyright (c) 2026 ddokddok contributors" in text
    assert pyproject["project"]["license-files"] == ["LICENSE"]


def test_version_names_the_installed_package(capsys, pyproject):
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out.strip() == f"ddokddok {version('ddokddok')}"
    assert version("ddokddok") == pyproject["project"]["version"]
