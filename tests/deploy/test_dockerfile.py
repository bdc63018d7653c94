"""deploy/Dockerfile: linted by hadolint where it is installed, and its essentials checked by
reading it (no Docker engine is needed): two stages, a user that is not root, a health check
that works, no secret baked in, and the Python and Korean model that pyproject.toml names."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from .conftest import ROOT, oldest_python

DOCKERFILE = ROOT / "deploy" / "Dockerfile"
SECRET_WORDS = ("TOKEN", "SECRET", "PASSWORD", "PASSWD", "API_KEY", "DATABASE_URL")


def instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) in order; continuation lines joined, comments dropped."""
    result: list[tuple[str, str]] = []
    pending = ""
    for line in text.splitlines():
        stripped = line.strip()
        if not pending and (not stripped or stripped.startswith("#")):
            continue
        if pending and stripped.startswith("#"):
            continue  # a comment inside a continued instruction
        if stripped.endswith("\\"):
            pending += stripped[:-1].rstrip() + " "
            continue
        whole = pending + stripped
        pending = ""
        keyword, _, arguments = whole.partition(" ")
        result.append((keyword.upper(), arguments.strip()))
    return result


def stages(parsed: list[tuple[str, str]]) -> list[list[tuple[str, str]]]:
    found: list[list[tuple[str, str]]] = []
    for keyword, arguments in parsed:
        if keyword == "FROM":
            found.append([])
        if found:
            found[-1].append((keyword, arguments))
    return found


@pytest.fixture(scope="module")
def parsed() -> list[tuple[str, str]]:
    return instructions(DOCKERFILE.read_text(encoding="utf-8"))


def hadolint() -> str | None:
    beside_python = Path(sys.executable).with_name("hadolint")
    return str(beside_python) if beside_python.exists() else shutil.which("hadolint")


def test_hadolint_finds_nothing():
    binary = hadolint()
    if binary is None:
        pytest.skip("hadolint is not installed (pip install -e '.[lint]' brings it)")
    result = subprocess.run([binary, "--no-color", str(DOCKERFILE)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_parser_reads_continued_lines():
    parsed = instructions('FROM a AS b\n# note\nRUN one \\\n    # inside\n    two\nUSER 1\n')
    assert parsed == [("FROM", "a AS b"), ("RUN", "one two"), ("USER", "1")]


def test_the_wheels_are_built_in_a_stage_of_their_own(parsed):
    build, *_, final = stages(parsed)
    assert len(stages(parsed)) >= 2
    assert re.search(r"\bAS\s+\w+", build[0][1], re.IGNORECASE), "the build stage is named"
    build_runs = " ".join(arguments for keyword, arguments in build if keyword == "RUN")
    assert "pip wheel" in build_runs and "kiwipiepy-model" in build_runs
    final_runs = " ".join(arguments for keyword, arguments in final if keyword == "RUN")
    assert "--no-index" in final_runs, "the final stage installs the built wheels, not from PyPI"


def test_the_korean_model_is_the_version_pyproject_names(parsed, pyproject):
    declared = next(d for d in pyproject["project"]["dependencies"] if d.startswith("kiwipiepy-model"))
    runs = " ".join(arguments for keyword, arguments in parsed if keyword == "RUN")
    assert f'"{declared}"' in runs


def test_python_is_the_oldest_supported(parsed, pyproject):
    default = dict(
        arguments.split("=", 1) for keyword, arguments in parsed if keyword == "ARG" and "=" in arguments
    )["PYTHON_VERSION"]
    assert default == oldest_python(pyproject)
    for stage in stages(parsed):
        assert stage[0][1].startswith("python:${PYTHON_VERSION}-slim"), stage[0]


def test_the_bot_runs_as_a_user_that_is_not_root(parsed):
    final = stages(parsed)[-1]
    users = [arguments for keyword, arguments in final if keyword == "USER"]
    assert users, "the final stage sets USER"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0")
    last_user_at = max(i for i, (keyword, _) in enumerate(final) if keyword == "USER")
    assert not [k for k, _ in final[last_user_at:] if k == "RUN"], "nothing runs as root after USER"


def test_no_secret_is_baked_in(parsed):
    for keyword, arguments in parsed:
        if keyword in ("ENV", "ARG", "LABEL"):
            for name in re.findall(r"([A-Za-z_][A-Za-z0-9_]*)=", arguments):
                if name == "DATABASE_URL":
                    assert "@" not in arguments, "a database URL with credentials"
                    continue
                assert not any(word in name.upper() for word in SECRET_WORDS), f"{keyword} {name}"
        if keyword in ("COPY", "ADD"):
            assert ".env" not in shlex.split(arguments), arguments
    ignored = (ROOT / ".dockerignore").read_text(encoding="utf-8").split()
    assert ".env" in ignored and ".venv*" in ignored and ".git" in ignored


def healthcheck_command(parsed) -> list[str]:
    checks = [arguments for keyword, arguments in parsed if keyword == "HEALTHCHECK"]
    assert len(checks) == 1
    command = checks[0].split(" CMD ", 1)[1]
    return json.loads(command)  # the exec form: no shell (and no curl) in the image needed


class _Health(BaseHTTPRequestHandler):
    status = 200

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self.send_response(self.status if self.path == "/healthz" else 404)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.mark.parametrize(("status", "healthy"), [(200, True), (503, False)])
def test_the_healthcheck_asks_healthz_on_health_port(parsed, status, healthy):
    command = healthcheck_command(parsed)
    assert command[0] == "python"
    handler = type("Health", (_Health,), {"status": status})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        result = subprocess.run([sys.executable, *command[1:]], capture_output=True, timeout=30,
                                env={"HEALTH_PORT": str(server.server_address[1])})
    finally:
        server.shutdown()
        server.server_close()
    assert (result.returncode == 0) is healthy, result.stderr


def test_the_health_port_is_set_where_the_check_reads_it(parsed):
    env = " ".join(arguments for keyword, arguments in stages(parsed)[-1] if keyword == "ENV")
    assert re.search(r"\bHEALTH_PORT=\d+", env)
    assert re.search(r"\bLISTEN_HOST=0\.0\.0\.0", env), "serve must listen beyond the container"


def test_the_default_command_is_a_ddokddok_sub_command(parsed):
    from bot.cli.main import build_parser

    final = stages(parsed)[-1]
    entrypoint = json.loads(next(a for k, a in final if k == "ENTRYPOINT"))
    command = json.loads(next(a for k, a in final if k == "CMD"))
    assert entrypoint == ["ddokddok"]
    assert build_parser().parse_args(command).command == "run"
