"""Which programs exist and which fit a message: load a catalog, match a message, detect a crisis.

Pure Python over data files: no Telegram, no database, no clock.
"""

from catalog.crisis import detect_crisis
from catalog.loader import Catalog, CatalogError, UnknownDistrictError, data_dir, load_catalog
from catalog.matcher import Matcher
from catalog.results import Crisis, CrisisKind, Hotline, Match, MatchResult

__all__ = [
    "Catalog",
    "CatalogError",
    "Crisis",
    "CrisisKind",
    "Hotline",
    "Match",
    "MatchResult",
    "Matcher",
    "UnknownDistrictError",
    "data_dir",
    "detect_crisis",
    "load_catalog",
]
