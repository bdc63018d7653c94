"""Which programs exist and which fit a message: load a catalog, match a message, detect a crisis.

Pure Python over data files: no Telegram, no database, no clock.
"""

from catalog.loader import Catalog, CatalogError, UnknownDistrictError, data_dir, load_catalog

__all__ = ["Catalog", "CatalogError", "UnknownDistrictError", "data_dir", "load_catalog"]
