import psycopg
from django.core.management.base import BaseCommand
from django.db import connection
from psycopg import sql


class Command(BaseCommand):
    help = "Create the database DATABASE_URL names on its server, if it does not exist yet."

    def handle(self, *args, **options):
        params = connection.get_connection_params()
        name = params.pop("dbname")
        with psycopg.connect(**params, dbname="postgres", autocommit=True) as server:
            exists = server.execute(
                "SELECT 1 FROM pg_database WHERE datname = %s", [name]
            ).fetchone()
            if exists:
                self.stdout.write(f"Database {name!r} is there.")
                return
            server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        self.stdout.write(self.style.SUCCESS(f"Created database {name!r}."))
