"""The shipped texts of the accessibility statement, the privacy notice and the contact
page (core/site_pages/), as the rows editors then change in the admin."""

import datetime
from pathlib import Path

from django.db import migrations

SHIPPED_DIR = Path(__file__).resolve().parent.parent / "site_pages"
PREPARED_ON = datetime.date(2026, 12, 6)


def _read(slug, language):
    text = (SHIPPED_DIR / f"{slug}.{language}.md").read_text(encoding="utf-8")
    first, _newline, body = text.partition("\n")
    return first.removeprefix("# ").strip(), body.strip()


def load_pages(apps, schema_editor):
    SitePage = apps.get_model("core", "SitePage")
    for slug in ("accessibility", "privacy", "contact"):
        title_pl, body_pl = _read(slug, "pl")
        title_en, body_en = _read(slug, "en")
        SitePage.objects.get_or_create(
            slug=slug,
            defaults={
                "title_pl": title_pl,
                "body_pl": body_pl,
                "title_en": title_en,
                "body_en": body_en,
                "prepared_on": PREPARED_ON,
                "reviewed_on": PREPARED_ON,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [migrations.RunPython(load_pages, migrations.RunPython.noop)]
