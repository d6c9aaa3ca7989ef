"""What bench/run.py says of the machine and does to the database before it measures.

The report names the huge pages PostgreSQL's shared buffers sit in (a new backend's
first reads of a million-practice catalogue took half as long with them, bench/README),
and each size's data is read into the shared buffers before its kinds run.
"""

import pytest
from django.db import connection
from psycopg.conninfo import make_conninfo

from bench import run

MEMINFO = """MemTotal:       24563508 kB
HugePages_Total:    3300
HugePages_Free:     3226
HugePages_Rsvd:     3077
HugePages_Surp:        0
Hugepagesize:       2048 kB
"""


def test_huge_pages_taken_count_the_reserved_pages_as_taken():
    # 74 pages touched and 3077 reserved by PostgreSQL's shared memory, of 3300.
    assert run.huge_pages(MEMINFO) == "6.2 of 6.4 GiB taken"


def test_a_machine_without_huge_pages_says_none():
    assert run.huge_pages("MemTotal: 24563508 kB\nHugePages_Total:       0\n") == "none"


@pytest.mark.django_db
def test_prewarm_reads_the_tables_into_the_shared_buffers_or_says_why_not(catalogue):
    # The test database, wherever it is (a socket's directory for the embedded server).
    settings = connection.settings_dict
    url = make_conninfo(
        **{
            key: value
            for key, value in {
                "host": settings["HOST"],
                "port": settings["PORT"],
                "user": settings["USER"],
                "password": settings["PASSWORD"],
                "dbname": settings["NAME"],
            }.items()
            if value
        }
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_available_extensions WHERE name = 'pg_prewarm'")
        (available,) = cursor.fetchone()

    said = run.prewarm(url)

    if available:
        # Every block of every table and index of the schema, the practices' among them.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT sum(pg_relation_size(c.oid) / 8192), "
                "bool_or(c.relname = 'practices_practice' AND pg_relation_size(c.oid) > 0) "
                "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'i', 'm')"
            )
            blocks, practices_read = cursor.fetchone()
        assert practices_read
        assert said.startswith(f"{blocks} blocks ("), said
        assert said.endswith("GiB) prewarmed"), said
    else:
        assert said.startswith("not prewarmed ("), said
