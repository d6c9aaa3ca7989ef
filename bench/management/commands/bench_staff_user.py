import os

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "Create (or reset the password of) the superuser the benchmark signs in as to "
        "fetch the admin changelist peer; the password comes from BENCH_ADMIN_PASSWORD."
    )

    def add_arguments(self, parser):
        parser.add_argument("--username", default="bench-admin")

    def handle(self, *args, username, **options):
        password = os.environ.get("BENCH_ADMIN_PASSWORD")
        if not password:
            raise CommandError("set BENCH_ADMIN_PASSWORD")
        user, _created = get_user_model().objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.invalid"}
        )
        user.is_staff = user.is_superuser = user.is_active = True
        user.set_password(password)
        user.save()
