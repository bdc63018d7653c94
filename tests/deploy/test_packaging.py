"""pyproject.toml against the code: every package the code imports is declared (the product's
in `dependencies`, the tests' in the `test` extra), CI's lock file pins each of them, the
licence is the file's, and `ddokddok --version` says what is installed."""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
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


def test_the_learned_tiers_read_their_files_from_a_wheels_data_folder(tmp_path):
    """An installed wheel carries data/ inside the package, as catalog/_data (pyproject's
    force-include), and nothing beside the packages: the learned tiers' models (crisis, talk)
    and the English words the crisis reader knows must be found there, as the catalog is."""
    shutil.copytree(ROOT / "catalog", tmp_path / "catalog", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "data", tmp_path / "catalog" / "_data")
    script = (
        "import catalog; from catalog import crisis_model, crisis_reading, talk_model\n"
        f"assert catalog.__file__.startswith({str(tmp_path)!r}), catalog.__file__\n"
        "crisis_model.shipped_model(); talk_model.shipped_model()\n"
        "print(crisis_reading.mended_english('hidng in the bathrom'))\n"
    )
    run = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=120,
                         env={**os.environ, "PYTHONPATH": str(tmp_path)})
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "hiding in the bathroom"
