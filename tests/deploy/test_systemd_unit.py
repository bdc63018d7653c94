"""deploy/ddokddok.service, the one-process SQLite install: hardened, its state in a directory
systemd makes for it, secrets from an environment file; checked by `systemd-analyze verify`
(and its offline security score) where systemd is installed."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli.main import build_parser

from .conftest import ROOT

UNIT = ROOT / "deploy" / "ddokddok.service"
INSTALLED_COMMAND = "/opt/ddokddok/bin/ddokddok"


def unit_settings(text: str) -> dict[str, list[str]]:
    """`Section.Key` -> every value it is given (systemd allows a key more than once)."""
    settings: dict[str, list[str]] = {}
    section = ""
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("["):
            section = line.strip("[]")
            continue
        key, _, value = line.partition("=")
        settings.setdefault(f"{section}.{key.strip()}", []).append(value.strip())
    return settings


@pytest.fixture(scope="module")
def unit() -> dict[str, list[str]]:
    return unit_settings(UNIT.read_text(encoding="utf-8"))


def one(unit, key: str) -> str:
    values = unit.get(key)
    assert values, f"{key} is not set"
    return values[-1]


def test_it_runs_the_bot_in_polling_mode(unit):
    command = shlex.split(one(unit, "Service.ExecStart"))
    assert command[0] == INSTALLED_COMMAND
    assert build_parser().parse_args(command[1:]).command == "run"


def test_it_runs_as_its_own_unprivileged_user(unit):
    dynamic = unit.get("Service.DynamicUser", ["no"])[-1] == "yes"
    assert dynamic or unit.get("Service.User", ["root"])[-1] not in ("root", "0")
    assert one(unit, "Service.NoNewPrivileges") == "yes"
    assert one(unit, "Service.CapabilityBoundingSet") == ""


def test_only_its_state_directory_is_writable(unit):
    assert one(unit, "Service.ProtectSystem") == "strict"
    assert one(unit, "Service.ProtectHome") == "yes"
    state = one(unit, "Service.StateDirectory")
    environment = dict(value.split("=", 1) for value in unit["Service.Environment"])
    assert environment["DATABASE_URL"] == f"sqlite:////var/lib/{state}/ddokddok.sqlite3"
    assert one(unit, "Service.StateDirectoryMode") == "0700"


def test_secrets_come_from_an_environment_file(unit):
    assert one(unit, "Service.EnvironmentFile").startswith("/etc/")
    text = UNIT.read_text(encoding="utf-8")
    assert re.search(r"mode 0600|-m 0600", text), "the file's mode is said where it is installed"
    for value in unit["Service.Environment"]:
        assert not re.search(r"TOKEN|SECRET|PASSWORD", value.split("=", 1)[0]), value


def test_it_restarts_after_a_failure(unit):
    assert one(unit, "Service.Restart") == "on-failure"
    assert one(unit, "Install.WantedBy") == "multi-user.target"


def unit_for_this_environment(tmp_path: Path) -> Path:
    """The unit with ExecStart pointing at this environment's `ddokddok` (verify checks that
    the command exists)."""
    command = Path(sys.executable).with_name("ddokddok")
    assert command.exists(), command
    copy = tmp_path / "ddokddok.service"
    copy.write_text(UNIT.read_text(encoding="utf-8").replace(INSTALLED_COMMAND, str(command)), encoding="utf-8")
    return copy


def systemd_analyze() -> str:
    binary = shutil.which("systemd-analyze")
    if binary is None:
        pytest.skip("systemd-analyze is not installed")
    return binary


def test_systemd_accepts_it(tmp_path):
    result = subprocess.run([systemd_analyze(), "verify", str(unit_for_this_environment(tmp_path))],
                            capture_output=True, text=True)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr


def test_systemd_rates_its_exposure_low(tmp_path):
    binary = systemd_analyze()
    result = subprocess.run([binary, "security", "--offline=yes", "--threshold=20",
                             str(unit_for_this_environment(tmp_path))], capture_output=True, text=True)
    if "--offline" in result.stderr or "unrecognized option" in result.stderr:
        pytest.skip("this systemd-analyze cannot rate a unit file offline (systemd < 250)")
    exposure = re.search(r"Overall exposure level for \S+: ([\d.]+)", result.stdout)
    assert exposure, result.stdout + result.stderr
    # 0 is the most locked down, 10 the least; systemd calls up to 2 "OK".
    assert float(exposure.group(1)) <= 2.0, result.stdout
