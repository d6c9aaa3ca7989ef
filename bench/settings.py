"""The production settings plus the benchmark's two reference views (bench/urls.py).

Used only by the benchmark's server; never by the site itself.
"""

from config.settings import *  # noqa: F403
from config.settings import TEMPLATES

ROOT_URLCONF = "bench.urls"
TEMPLATES[0]["DIRS"].append(BASE_DIR / "bench" / "templates")  # noqa: F405
