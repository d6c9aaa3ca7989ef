"""Fill the primary of the replica test, in a process of its own.

    python -m tests.core.replica_prepare OUTPUT.json

Runs with the app servers' environment (DATABASE_URL names the primary): migrates,
then adds an editor, two published practices and an open vote with one ballot, and
writes what the test must know (addresses, a password, the ballot's code, the
choice to vote for) to OUTPUT.json. Small on purpose: the standby replays all of it.
"""

from __future__ import annotations

import io
import json
import os
import secrets
import sys
from pathlib import Path

import django


def fill() -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.urls import reverse

    from core.roles import EDITORS
    from tests.competitions.conftest import open_vote
    from tests.factories import PracticeFactory

    password = secrets.token_urlsafe(16)
    editor = get_user_model().objects.create_user(
        username="redaktor-repliki", password=password, is_staff=True
    )
    editor.groups.add(Group.objects.get(name=EDITORS))
    practices = [
        PracticeFactory(title=f"Praktyka czytana z repliki {n}", slug=f"praktyka-repliki-{n}")
        for n in (1, 2, 3)
    ]
    vote = open_vote(categories=1, places=2, ballots=1)
    place = {"competition_slug": vote.edition.competition.slug, "year": vote.edition.year}
    category = vote.categories[0]
    _ballot, code = vote.ballots[0]
    return {
        "editor": {"username": editor.username, "password": password},
        "practices": [
            {
                "id": p.pk,
                "title": p.title,
                "url": reverse("practices:practice-detail", kwargs={"slug": p.slug}),
            }
            for p in practices
        ],
        "urls": {
            "admin_login": reverse("admin:login"),
            "admin_index": reverse("admin:index"),
            "vote_code": reverse("competitions:vote-code", kwargs=place),
            "vote_ballot": reverse("competitions:vote-ballot", kwargs=place),
        },
        "vote": {"code": code, "category": category.pk, "entry": vote.laureates[category.pk][0].pk},
    }


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, stdout=io.StringIO(), verbosity=0)
    Path(sys.argv[1]).write_text(json.dumps(fill()), encoding="utf-8")


if __name__ == "__main__":
    main()
