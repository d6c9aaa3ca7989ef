from django.core.management.base import BaseCommand

from core.roles import roles_sync


class Command(BaseCommand):
    help = "Create the staff groups (Redaktorzy, Jury, Administratorzy) with their permissions."

    def handle(self, *args, **options):
        for name, count in roles_sync().items():
            self.stdout.write(f"{name}: {count} permissions")
