"""Everything the bot says, read from `data/messages/<language>.toml` (keys → `{placeholder}` texts).

Tables in a file become dotted keys (`[consent]` + `notice = "..."` → `consent.notice`), so a
district can reword a sentence without touching code. Loading checks that every language has
the same keys with the same placeholders: a missing translation fails at start-up, not in
front of a resident.
"""

from __future__ import annotations

import string
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from bot.store.models import Language
from catalog import data_dir

DEFAULT_LANGUAGE = Language.KO


class TextsError(ValueError):
    """A messages file is unreadable, or the languages disagree on keys or placeholders."""


def messages_dir() -> Path:
    return data_dir() / "messages"


@dataclass(frozen=True)
class Texts:
    by_language: Mapping[str, Mapping[str, str]]

    @classmethod
    def load(cls, folder: Path | None = None, languages: Iterable[str] = tuple(Language)) -> Texts:
        folder = folder or messages_dir()
        tables: dict[str, dict[str, str]] = {}
        for language in languages:
            path = folder / f"{language}.toml"
            try:
                raw = tomllib.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
                raise TextsError(f"{path}: cannot be read: {error}") from error
            tables[str(language)] = _flatten(raw, path)
        _check_same_keys(tables)
        return cls(by_language=tables)

    def keys(self) -> frozenset[str]:
        return frozenset(self.by_language[DEFAULT_LANGUAGE])

    def require(self, keys: Iterable[str]) -> None:
        """Raise KeyError naming every key in `keys` that the texts lack."""
        missing = sorted(set(keys) - self.keys())
        if missing:
            raise KeyError(f"message texts lack: {', '.join(missing)}")

    def get(self, language: str, key: str, **values: object) -> str:
        """The text `key` in `language` (Korean for an unknown language), filled with `values`."""
        table = self.by_language.get(language) or self.by_language[DEFAULT_LANGUAGE]
        return table[key].format(**values)


def _flatten(raw: Mapping, path: Path, prefix: str = "") -> dict[str, str]:
    flat: dict[str, str] = {}
    for name, value in raw.items():
        key = f"{prefix}{name}"
        if isinstance(value, Mapping):
            flat.update(_flatten(value, path, key + "."))
        elif isinstance(value, str):
            flat[key] = value
        else:
            raise TextsError(f"{path}: '{key}' must be a text")
    return flat


def placeholders(template: str) -> frozenset[str]:
    return frozenset(name for _, name, _, _ in string.Formatter().parse(template) if name)


def _check_same_keys(tables: dict[str, dict[str, str]]) -> None:
    problems = []
    languages = list(tables)
    reference = languages[0]
    for language in languages[1:]:
        for key in sorted(tables[reference].keys() - tables[language].keys()):
            problems.append(f"'{key}' is in {reference} but not in {language}")
        for key in sorted(tables[language].keys() - tables[reference].keys()):
            problems.append(f"'{key}' is in {language} but not in {reference}")
        for key in sorted(tables[reference].keys() & tables[language].keys()):
            ours, theirs = placeholders(tables[reference][key]), placeholders(tables[language][key])
            if ours != theirs:
                problems.append(
                    f"'{key}' has placeholders {sorted(ours)} in {reference}, {sorted(theirs)} in {language}"
                )
    if problems:
        raise TextsError("message texts disagree:\n  " + "\n  ".join(problems))
