"""A practice's public date: the source's own date where it gives one, else the moment an
editor first published it; imports, fixture loads and re-publishing never move it."""

import datetime

import pytest
from django.utils import timezone

from catalogue.fixtures import load_catalogue, read_catalogue
from practices.enums import PracticeStatus
from practices.models import Practice
from practices.services import practice_change_status
from tests.conftest import after_commit
from tests.factories import PracticeFactory
from tests.practices.admin.test_import import (
    COLUMNS,
    CONFIRM,
    csv_file,
    dry_run,
    page_text,
    row,
    vocabulary,  # noqa: F401 (a fixture)
)

pytestmark = pytest.mark.django_db


def local_day(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date()


def test_publishing_dates_a_practice_by_its_source_when_the_source_gives_a_date():
    practice = PracticeFactory(
        status=PracticeStatus.DRAFT,
        published_at=None,
        source_published_on=datetime.date(2019, 3, 4),
    )

    practice_change_status(practice=practice, to_status=PracticeStatus.PUBLISHED, by=None)

    practice.refresh_from_db()
    assert local_day(practice.published_at) == datetime.date(2019, 3, 4)


def test_without_a_source_date_the_first_publication_stays_the_public_date():
    practice = PracticeFactory(status=PracticeStatus.DRAFT, published_at=None)
    before = timezone.now()
    practice_change_status(practice=practice, to_status=PracticeStatus.PUBLISHED, by=None)
    practice.refresh_from_db()
    first = practice.published_at
    assert before <= first <= timezone.now()

    practice_change_status(practice=practice, to_status=PracticeStatus.ARCHIVED, by=None)
    practice_change_status(practice=practice, to_status=PracticeStatus.PUBLISHED, by=None)

    practice.refresh_from_db()
    assert practice.published_at == first


def test_a_source_date_given_later_moves_a_published_practice_to_it():
    practice = PracticeFactory()

    practice.source_published_on = datetime.date(2020, 12, 1)
    practice.save(update_fields=["source_published_on"])

    practice.refresh_from_db()
    assert local_day(practice.published_at) == datetime.date(2020, 12, 1)


def test_a_reimport_keeps_the_public_date_and_can_give_the_source_date(
    editor_client,
    vocabulary,  # noqa: F811
):
    published = timezone.make_aware(datetime.datetime(2024, 5, 6, 10, 0))
    practice = PracticeFactory(slug="cyfrowy-urzad", title="Cyfrowy urząd", published_at=published)
    columns = ["identyfikator", *COLUMNS, "zrodlo_data"]

    def run_import(**values):
        upload = csv_file([row(identyfikator="cyfrowy-urzad", **values)], columns=columns)
        confirm_form = dry_run(editor_client, upload).context["confirm_form"]
        with after_commit():
            editor_client.post(CONFIRM, confirm_form.initial)
        practice.refresh_from_db()

    run_import(tytul="Cyfrowy urząd 2.0", zrodlo_data="")
    assert (practice.title, practice.published_at) == ("Cyfrowy urząd 2.0", published)

    run_import(zrodlo_data="15.06.2017")
    assert practice.source_published_on == datetime.date(2017, 6, 15)
    assert local_day(practice.published_at) == datetime.date(2017, 6, 15)


def test_a_source_date_without_its_day_is_refused_with_the_column(
    editor_client,
    vocabulary,  # noqa: F811
):
    columns = [*COLUMNS, "zrodlo_data"]

    response = dry_run(editor_client, csv_file([row(zrodlo_data="2017")], columns=columns))

    assert "Kolumna „zrodlo_data”: „2017”: podaj dzień publikacji w źródle" in page_text(response)
    assert not Practice.objects.exists()


def test_the_catalogue_carries_the_day_its_sources_were_added_not_the_load_time():
    load_catalogue(read_catalogue())
    days = {local_day(moment) for moment in Practice.objects.values_list("published_at", flat=True)}
    assert days == {datetime.date(2026, 11, 23)}

    Practice.objects.update(title="Zmieniony")  # an edit the next load overwrites
    load_catalogue(read_catalogue())

    assert {local_day(m) for m in Practice.objects.values_list("published_at", flat=True)} == days


def test_the_feed_dates_an_entry_by_its_public_date(client):
    PracticeFactory(title="Stara praktyka", source_published_on=datetime.date(2018, 1, 2))

    feed = client.get("/praktyki/kanal.atom").content.decode()

    assert "<published>2018-01-0" in feed  # 2018-01-01T23:00Z is 2 January in Warsaw
