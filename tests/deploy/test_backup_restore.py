"""backup_catalogue and restore_catalogue: a backup restored elsewhere is the same catalogue.

A fresh database with the real catalogue and one uploaded attachment is backed
up; the backup is restored into another, empty database with an empty
MEDIA_ROOT. Both databases then hold the same rows in every catalogue table,
and the attachment the same bytes. A restore into a database that is not empty,
or into a MEDIA_ROOT that is not, is refused before anything is written.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import pytest
from django.apps import apps

from tests.deploy.prepare import SMALL_PDF
from tests.deploy.support import (
    ROOT,
    connect,
    fresh_database,
    prepare,
    project_env,
    run_project,
    server_params,
)

SAMPLE_PRACTICES = """
    SELECT p.slug, p.title, p.practice_type_id, lead.slug, p.total_value, p.co_financing,
           p.currency, p.started_on, p.started_precision, p.ended_on, p.ended_precision,
           p.status, p.published_at, p.search_vector::text, p.countries, p.topic_ids,
           array(SELECT o.slug || ':' || pp.role FROM practices_partnership pp
                   JOIN organisations_organisation o ON o.id = pp.organisation_id
                  WHERE pp.practice_id = p.id ORDER BY o.slug) AS partners,
           array(SELECT t.slug FROM practices_practice_topics pt
                   JOIN practices_topic t ON t.id = pt.topic_id
                  WHERE pt.practice_id = p.id ORDER BY t.slug) AS topics,
           array(SELECT f.name FROM practices_practice_funding_sources pf
                   JOIN practices_fundingsource f ON f.id = pf.fundingsource_id
                  WHERE pf.practice_id = p.id ORDER BY f.name) AS funding
      FROM practices_practice p
      JOIN organisations_organisation lead ON lead.id = p.lead_organisation_id
     ORDER BY p.total_value IS NULL,
              NOT EXISTS (SELECT 1 FROM practices_partnership pp WHERE pp.practice_id = p.id),
              p.started_on IS NULL, p.slug
     LIMIT 5
"""

LAUREATES = """
    SELECT ed.slug, ed.year, c.name, c.laureate_places, en.laureate_place, en.is_winner,
           en.distinction, pr.slug
      FROM competitions_entry en
      JOIN competitions_category c ON c.id = en.category_id
      JOIN competitions_edition ed ON ed.id = c.edition_id
      JOIN practices_practice pr ON pr.id = en.practice_id
     WHERE en.status = 'laureate'
       AND ed.id = (SELECT c2.edition_id FROM competitions_entry e2
                      JOIN competitions_category c2 ON c2.id = e2.category_id
                     WHERE e2.status = 'laureate' ORDER BY c2.edition_id LIMIT 1)
     ORDER BY c."order", c.name, en.laureate_place
"""


def catalogue_tables() -> list[str]:
    tables = set()
    for label in ("organisations", "practices", "competitions"):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            tables.add(model._meta.db_table)
    return sorted(tables)


def table_rows(conn, table: str) -> list[tuple]:
    rows = conn.execute(f'SELECT * FROM "{table}"').fetchall()
    return sorted(rows, key=repr)


def restore(env: dict[str, str], backup) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "restore_catalogue", str(backup)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )


@pytest.mark.slow
def test_backup_restored_into_an_empty_database_is_the_same_catalogue(database_name, tmp_path):
    backup = tmp_path / "kopia"
    source_media, target_media = tmp_path / "media-zrodlo", tmp_path / "media-cel"
    with (
        fresh_database(f"{database_name}_backup") as source_url,
        fresh_database(f"{database_name}_restored") as target_url,
        fresh_database(f"{database_name}_restored_again") as third_url,
    ):
        source_env = project_env(DATABASE_URL=source_url, DJANGO_MEDIA_ROOT=str(source_media))
        target_env = project_env(DATABASE_URL=target_url, DJANGO_MEDIA_ROOT=str(target_media))
        prepared = prepare(tmp_path / "prepared.json", source_env, "--attachment")

        started = time.perf_counter()
        made = run_project(["manage.py", "backup_catalogue", str(backup)], source_env)
        backed_up = time.perf_counter()
        restored = run_project(["manage.py", "restore_catalogue", str(backup)], target_env)
        finished = time.perf_counter()
        refused_database = restore(target_env, backup)
        third_env = project_env(DATABASE_URL=third_url, DJANGO_MEDIA_ROOT=str(target_media))
        refused_media = restore(third_env, backup)

        manifest = json.loads((backup / "manifest.json").read_text(encoding="utf-8"))
        source_name = f"{database_name}_backup"
        with connect(source_name) as source, connect(f"{database_name}_restored") as target:
            counts = {
                table: (
                    source.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0],
                    target.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0],
                )
                for table in catalogue_tables()
            }
            differing = [
                table
                for table in catalogue_tables()
                if table_rows(source, table) != table_rows(target, table)
            ]
            source_practices = source.execute(SAMPLE_PRACTICES).fetchall()
            target_practices = target.execute(SAMPLE_PRACTICES).fetchall()
            source_laureates = source.execute(LAUREATES).fetchall()
            target_laureates = target.execute(LAUREATES).fetchall()
        with connect(f"{database_name}_restored_again") as third:
            third_tables = third.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"
            ).fetchone()[0]

    attachment = prepared["attachment"]["name"]
    print(
        f"\nbackup and restore: {len(manifest['row_counts'])} tables, "
        f"{sum(manifest['row_counts'].values())} rows, dump {manifest['dump']['bytes']} bytes "
        f"({manifest['pg_dump']}); backup {backed_up - started:.1f} s, restore "
        f"{finished - backed_up:.1f} s (each with the command's start-up); catalogue tables "
        f"compared row by row: {len(counts)}, {sum(s for s, _r in counts.values())} rows"
    )

    # The backup: its three files, and a manifest that describes the dump.
    assert sorted(p.name for p in backup.iterdir()) == [
        "database.dump",
        "manifest.json",
        "uploads.tar.gz",
    ]
    assert manifest["database"] == source_name
    assert manifest["pg_dump"].startswith("pg_dump (PostgreSQL) ")
    assert manifest["uploads"]["files"] == 1
    assert set(catalogue_tables()) <= set(manifest["catalogue_tables"])
    assert {t: manifest["row_counts"][t] for t in counts} == {t: s for t, (s, _r) in counts.items()}
    assert "Backup written to" in made.stdout
    # Connection settings are handed to pg_dump/pg_restore privately, never printed.
    private = [server_params().get(key) for key in ("host", "password")]
    output = made.stdout + made.stderr + restored.stdout + restored.stderr
    assert [value for value in private if value and value in output] == []

    # The restore: the same rows in every catalogue table, and the same upload.
    assert "row counts match" in restored.stdout
    assert all(source == target for source, target in counts.values()), counts
    assert counts["practices_practice"][0] > 50
    assert counts["competitions_entry"][0] > 0
    assert differing == []
    assert source_practices == target_practices
    assert len(target_practices) == 5
    assert all(row[13] for row in target_practices)  # search vectors restored, not empty
    assert target_practices[0][4] is not None  # money
    assert all(row[16] for row in target_practices[:2])  # partners
    assert any(row[17] for row in target_practices)  # topics
    assert any(row[7] for row in target_practices)  # periods
    assert source_laureates == target_laureates
    assert len(target_laureates) >= 3
    assert (target_media / attachment).read_bytes() == SMALL_PDF
    assert (target_media / attachment).read_bytes() == (source_media / attachment).read_bytes()

    # Refusals, before anything is written.
    assert refused_database.returncode == 1
    assert (
        f"Refusing to restore: the database '{database_name}_restored' is not empty"
        in refused_database.stderr
    )
    assert refused_media.returncode == 1
    assert f"Refusing to restore: MEDIA_ROOT ({target_media}) is not empty" in (
        refused_media.stderr
    )
    assert third_tables == 0
