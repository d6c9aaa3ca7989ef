"""Fill a fresh database for a deployment test, in a process of its own.

    python -m tests.deploy.prepare OUTPUT.json [--cache-table] [--static]
                                               [--two-instances] [--attachment]

Runs with the environment of the servers under test (DATABASE_URL, the secret
key the ballot codes are hashed with, the cache): creates the cache table if
asked, migrates, loads the real catalogue (fixtures/catalogue/), collects the
static files if asked, adds what the test needs, and writes what the test must
know (addresses, ids, codes, a password) to OUTPUT.json.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import secrets
from pathlib import Path

import django

# A minimal PDF: a header, one empty page, the trailer.
SMALL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def two_instances() -> dict:
    """An editor, a draft practice to publish, an open vote (5 categories, 200 ballots),
    and another for a congress hall (2 categories, 300 ballots)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.urls import reverse

    from core.roles import EDITORS
    from tests.competitions.conftest import open_vote
    from tests.factories import PracticeFactory

    password = secrets.token_urlsafe(16)
    editor = get_user_model().objects.create_user(
        username="redaktorka-dwa-serwery", password=password, is_staff=True
    )
    editor.groups.add(Group.objects.get(name=EDITORS))
    draft = PracticeFactory(
        title="Praktyka opublikowana na serwerze A",
        slug="praktyka-opublikowana-na-serwerze-a",
        status="draft",
        published_at=None,
    )
    vote = open_vote(categories=5, places=3, ballots=200)
    place = {"competition_slug": vote.edition.competition.slug, "year": vote.edition.year}
    hall = open_vote(categories=2, places=3, ballots=300)  # a congress hall behind one NAT
    hall_place = {"competition_slug": hall.edition.competition.slug, "year": hall.edition.year}
    return {
        "editor": {"username": editor.username, "password": password},
        "draft": {"id": draft.pk, "title": draft.title},
        "urls": {
            "admin_login": reverse("admin:login"),
            "admin_logout": reverse("admin:logout"),
            "admin_index": reverse("admin:index"),
            "admin_practices": reverse("admin:practices_practice_changelist"),
            "practice_list": reverse("practices:practice-list"),
            "vote_code": reverse("competitions:vote-code", kwargs=place),
            "vote_ballot": reverse("competitions:vote-ballot", kwargs=place),
        },
        "vote": {
            "edition": vote.edition.pk,
            "categories": [
                {"id": c.pk, "laureates": [e.pk for e in vote.laureates[c.pk]]}
                for c in vote.categories
            ],
            "ballots": [{"id": ballot.pk, "code": code} for ballot, code in vote.ballots],
        },
        "hall": {
            "edition": hall.edition.pk,
            "vote_code": reverse("competitions:vote-code", kwargs=hall_place),
            "vote_ballot": reverse("competitions:vote-ballot", kwargs=hall_place),
            "categories": [
                {"id": c.pk, "laureates": [e.pk for e in hall.laureates[c.pk]]}
                for c in hall.categories
            ],
            "codes": [code for _ballot, code in hall.ballots],
        },
    }


def attachment() -> dict:
    """A small PDF attached to a published practice of the catalogue (stored in MEDIA_ROOT)."""
    from django.core.files.base import ContentFile

    from practices.models import Practice, PracticeAttachment

    practice = Practice.objects.published().order_by("id").first()
    stored = PracticeAttachment.objects.create(
        practice=practice,
        file=ContentFile(SMALL_PDF, name="sprawozdanie.pdf"),
        title="Sprawozdanie z realizacji",
        content_type="application/pdf",
        size=len(SMALL_PDF),
    )
    return {"attachment": {"id": stored.pk, "name": stored.file.name, "practice": practice.pk}}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("output", type=Path)
    parser.add_argument("--cache-table", action="store_true")
    parser.add_argument("--static", action="store_true")
    parser.add_argument("--two-instances", action="store_true")
    parser.add_argument("--attachment", action="store_true")
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.core.management import call_command

    quiet = {"stdout": io.StringIO(), "verbosity": 0}
    if args.cache_table:  # before anything writes: every catalogue write touches the cache
        call_command("createcachetable", **quiet)
    call_command("migrate", interactive=False, **quiet)
    call_command("load_catalogue", **quiet)
    if args.static:
        call_command("collectstatic", interactive=False, **quiet)
    result: dict = {}
    if args.two_instances:
        result.update(two_instances())
    if args.attachment:
        result.update(attachment())
    args.output.write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    main()
