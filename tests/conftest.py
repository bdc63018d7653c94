"""Suite-wide settings: caches and data of the product go to a temporary folder, never $HOME."""

import os
import tempfile

_scratch = tempfile.mkdtemp(prefix="ddokddok-tests-")
os.environ.setdefault("DDOKDDOK_CACHE_DIR", os.path.join(_scratch, "cache"))
