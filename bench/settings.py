"""The production settings plus the benchmark: its reference views (bench/urls.py) and
its synthetic-data command (`generate_catalogue`).

Used only by the benchmark's server and generator; never by the site itself.
"""

from config.settings import *  # noqa: F403
from config.settings import INSTALLED_APPS, TEMPLATES

INSTALLED_APPS = [*INSTALLED_APPS, "bench"]
ROOT_URLCONF = "bench.urls"
TEMPLATES[0]["DIRS"].append(BASE_DIR / "bench" / "templates")  # noqa: F405
