"""The layers of docs/architecture.md, checked: no module imports a layer above its own.

Every `import` counts, at the top of a module or inside a function, so a shortcut taken deep
in a function fails here as plainly as one at the top. What a layer may use is the table in
docs/architecture.md; change both together.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# Bottom to top: each layer may import its own and the ones before it.
LAYERS: list[tuple[str, tuple[str, ...]]] = [
    ("store", ("bot.store",)),
    ("core", ("bot.core",)),
    ("domain", ("bot.people", "bot.requests", "bot.checkins", "bot.notices", "bot.sending", "bot.reports",
                "bot.ops")),
    ("conversation", ("bot.conversation",)),
    ("adapters", ("bot.adapters", "bot.board")),
    ("entry points", ("bot.cli", "bot.bench", "bot.app")),
]
# Loose modules still at the top of bot/ (placed by a later change) are entry-level for now.
MESSENGER_PACKAGES = ("telegram",)


def layer_of(module: str) -> int | None:
    for index, (_, prefixes) in enumerate(LAYERS):
        if any(module == prefix or module.startswith(prefix + ".") for prefix in prefixes):
            return index
    return None


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found += [f"{node.module}.{alias.name}" for alias in node.names]
    return found


def bot_modules() -> list[Path]:
    return sorted(p for p in (ROOT / "bot").rglob("*.py") if "migrations" not in p.parts or p.name == "env.py")


@pytest.mark.parametrize("path", bot_modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_imports_a_layer_above_its_own(path: Path) -> None:
    own = layer_of(module_name(path))
    if own is None:
        pytest.skip("not in a layer yet")
    above = [name for name in imports_of(path)
             if (layer := layer_of(name)) is not None and layer > own]
    assert above == [], f"{module_name(path)} ({LAYERS[own][0]}) imports from above: {above}"


@pytest.mark.parametrize("package", ["catalog", "bot/conversation", "bot/core", "bot/store"])
def test_the_conversation_and_the_layers_below_it_know_no_messenger(package: str) -> None:
    for path in (ROOT / package).rglob("*.py"):
        named = [name for name in imports_of(path) if name.split(".")[0] in MESSENGER_PACKAGES]
        assert named == [], f"{path.relative_to(ROOT)} imports {named}"


def test_the_catalog_knows_nothing_of_the_bot() -> None:
    for path in (ROOT / "catalog").rglob("*.py"):
        assert not [name for name in imports_of(path) if name.split(".")[0] == "bot"], path


def test_every_module_of_bot_is_in_a_layer() -> None:
    loose = [module_name(p) for p in bot_modules()
             if layer_of(module_name(p)) is None and module_name(p) not in ("bot",)]
    assert loose == [], f"place these in a layer (docs/architecture.md): {loose}"


def test_the_matcher_at_run_time_needs_none_of_the_catalogs_tools() -> None:
    """catalog/tools/ (importer, evaluation, benchmark, word proposals) is for people at a shell."""
    for path in (ROOT / "catalog").glob("*.py"):
        used = [name for name in imports_of(path) if name.startswith("catalog.tools")]
        assert used == [], f"{path.relative_to(ROOT)} imports {used}"


def test_the_kakao_adapter_knows_no_telegram() -> None:
    """A second messenger is one more adapter: it shares the conversation, never Telegram's code."""
    for path in (ROOT / "bot" / "adapters" / "kakao").rglob("*.py"):
        named = [name for name in imports_of(path)
                 if name.split(".")[0] in MESSENGER_PACKAGES or name.startswith("bot.adapters.telegram")]
        assert named == [], f"{path.relative_to(ROOT)} imports {named}"
