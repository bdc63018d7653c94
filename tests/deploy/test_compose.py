"""compose.yaml: PostgreSQL, a one-off migration and two `ddokddok serve` workers behind one
proxy, every command a real `ddokddok` sub-command, and every secret read from .env (committed
as .env.example, ignored by git) instead of being written into the file."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess

import pytest
import yaml

from bot.cli.main import build_parser
from bot.core.settings import Settings

from .conftest import ROOT

SECRET_NAME = re.compile(r"TOKEN|SECRET|PASSWORD|PASSWD|API_KEY|DATABASE_URL", re.IGNORECASE)
REFERENCE = re.compile(r"^\$\{[A-Z_][A-Z0-9_]*(:?[-?][^}]*)?\}$")
# What .env.example may hold besides the bot's settings: compose.yaml's own variables.
COMPOSE_VARIABLES = {"POSTGRES_PASSWORD", "BOT_DOMAIN", "WEBHOOK_PATH"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))


def bot_services(compose: dict) -> dict[str, dict]:
    return {name: service for name, service in compose["services"].items() if "build" in service}


def environment(service: dict) -> dict[str, str]:
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, "") for item in env)
    return {name: "" if value is None else str(value) for name, value in env.items()}


def test_the_services(compose):
    services = compose["services"]
    assert {"postgres", "migrate", "proxy"} <= set(services)
    serving = [name for name, service in bot_services(compose).items() if service["command"] == ["serve"]]
    assert len(serving) == 2, serving
    assert bot_services(compose)["migrate"]["command"] == ["db", "upgrade"]
    for name in serving:
        needs = services[name]["depends_on"]
        assert needs["migrate"]["condition"] == "service_completed_successfully"
        assert needs["postgres"]["condition"] == "service_healthy"
    assert "healthcheck" in services["postgres"]


def test_every_command_is_a_ddokddok_sub_command(compose):
    parser = build_parser()
    for name, service in bot_services(compose).items():
        args = parser.parse_args(service["command"])  # argparse exits on an unknown one
        assert callable(args.handler), name


def test_only_the_proxy_publishes_a_port(compose):
    published = [name for name, service in compose["services"].items() if service.get("ports")]
    assert published == ["proxy"]


def test_no_secret_is_written_inline(compose):
    for name, service in compose["services"].items():
        for variable, value in environment(service).items():
            if SECRET_NAME.search(variable):
                assert REFERENCE.match(value), f"{name}: {variable} must come from .env, as ${{{variable}}}"
    for name, service in bot_services(compose).items():
        assert service["env_file"] == ".env", name


def test_secrets_stay_out_of_git():
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    assert ".env" in ignored
    example = ROOT / ".env.example"
    assert example.exists()
    for line in example.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            if SECRET_NAME.search(name):
                assert value == "", f".env.example fills in {name}"


def test_the_env_example_names_real_settings():
    known = {name.upper() for name in Settings.model_fields} | COMPOSE_VARIABLES
    for line in (ROOT / ".env.example").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            assert line.partition("=")[0] in known, line


def test_the_env_example_loads_as_settings(tmp_path, monkeypatch):
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    (tmp_path / ".env").write_text((ROOT / ".env.example").read_text(encoding="utf-8"), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    settings = Settings()
    assert settings.telegram_bot_token is None  # empty means unset: the template runs as it is


def caddy_workers(text: str) -> list[str]:
    default = re.search(r"\{\$WORKERS:([^}]*)\}", text)
    assert default, "the Caddyfile's upstreams default to compose.yaml's workers"
    return default.group(1).split()


def test_the_proxy_passes_the_webhook_to_both_workers(compose):
    caddyfile = (ROOT / "deploy" / "Caddyfile").read_text(encoding="utf-8")
    serving = sorted(name for name, service in bot_services(compose).items() if service["command"] == ["serve"])
    dockerfile = (ROOT / "deploy" / "Dockerfile").read_text(encoding="utf-8")
    port = re.search(r"LISTEN_PORT=(\d+)", dockerfile).group(1)
    assert sorted(caddy_workers(caddyfile)) == [f"{name}:{port}" for name in serving]
    assert "health_uri /healthz" in caddyfile
    for name in serving:  # the image's HEALTHCHECK asks HEALTH_PORT; `serve` answers on LISTEN_PORT
        assert environment(compose["services"][name])["HEALTH_PORT"] == port
    mounts = compose["services"]["proxy"]["volumes"]
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in mounts


def test_the_caddyfile_is_valid():
    caddy = shutil.which("caddy")
    if caddy is None:
        pytest.skip("caddy is not installed")
    result = subprocess.run(
        [caddy, "adapt", "--config", str(ROOT / "deploy" / "Caddyfile"), "--adapter", "caddyfile"],
        capture_output=True, text=True, env={**os.environ, "BOT_DOMAIN": "bot.example.org"},
    )
    assert result.returncode == 0, result.stderr
    config = json.loads(result.stdout)
    text = json.dumps(config)
    assert '"dial": "worker-1:8080"' in text and '"dial": "worker-2:8080"' in text
    assert '"/telegram"' in text
