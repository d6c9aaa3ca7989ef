"""The privacy notice's retention rule, applied by `manage.py purge_personal_data`."""

import datetime
import secrets
from io import StringIO

import pytest
from axes.models import AccessAttempt, AccessLog
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.utils import timezone

from competitions.models import Application, ApplicationAttachment, Ballot
from competitions.retention import personal_data_purge
from practices.models import Practice
from tests.factories import BallotFactory, EditionFactory, EntryFactory, PracticeFactory

pytestmark = pytest.mark.django_db

NOW = timezone.now()
LONG_AGO = NOW - datetime.timedelta(days=400)  # past the default 365 days
LATELY = NOW - datetime.timedelta(days=30)
CONTACT = {
    "contact_name": "Anna Nowak",
    "contact_email": "anna@example.org",
    "contact_phone": "+48 600 100 200",
}


def _practice(*, status="published", decided_at, updated_at=None, **fields):
    practice = PracticeFactory(status=status, **CONTACT, **fields)
    practice.summary = "Poprawiony opis"  # a second historical version with the contacts
    practice.save()
    Practice.objects.filter(pk=practice.pk).update(
        status_changed_at=decided_at, updated_at=updated_at or decided_at
    )
    return practice


def _contacts(practice):
    practice.refresh_from_db()
    return (practice.contact_name, practice.contact_email, practice.contact_phone)


def _history_contacts(practice):
    return set(
        Practice.history.filter(id=practice.pk).values_list(
            "contact_name", "contact_email", "contact_phone"
        )
    )


def test_contacts_decided_before_the_period_are_erased_with_their_history():
    published = _practice(decided_at=LONG_AGO)
    rejected = _practice(status="archived", decided_at=LONG_AGO)

    counts = personal_data_purge(now=NOW)

    assert _contacts(published) == ("", "", "")
    assert _contacts(rejected) == ("", "", "")
    assert _history_contacts(published) == {("", "", "")}
    assert _history_contacts(rejected) == {("", "", "")}
    assert counts["practices"] == 2
    assert counts["practice_history"] == 4


def test_contacts_within_the_period_are_kept():
    recent = _practice(decided_at=LATELY)
    in_review = _practice(status="in_review", decided_at=LONG_AGO, updated_at=LATELY)

    personal_data_purge(now=NOW)

    expected = tuple(CONTACT.values())
    assert _contacts(recent) == expected
    assert _contacts(in_review) == expected
    assert _history_contacts(recent) == {expected}


def test_a_submission_nobody_decided_on_for_the_period_is_erased():
    forgotten = _practice(status="draft", decided_at=None, updated_at=LONG_AGO)

    personal_data_purge(now=NOW)

    assert _contacts(forgotten) == ("", "", "")


def test_a_competition_entry_keeps_its_contacts_until_the_results_are_old_enough():
    entered = _practice(decided_at=LONG_AGO)
    entry = EntryFactory(practice=entered, category__edition__results_published_at=LATELY)

    personal_data_purge(now=NOW)
    kept = _contacts(entered)
    edition = entry.category.edition
    edition.results_published_at = LONG_AGO
    edition.save()
    personal_data_purge(now=NOW)

    assert kept == tuple(CONTACT.values())
    assert _contacts(entered) == ("", "", "")


def test_nothing_else_is_touched():
    erased = _practice(decided_at=LONG_AGO, author="Jan Autor", place="Gdynia")
    other = _practice(decided_at=LATELY)
    before = Practice.objects.values().get(pk=erased.pk)

    personal_data_purge(now=NOW)
    after = Practice.objects.values().get(pk=erased.pk)

    changed = {name for name in before if before[name] != after[name]}
    assert changed == {"contact_name", "contact_email", "contact_phone"}
    assert after["author"] == "Jan Autor"
    assert _contacts(other) == tuple(CONTACT.values())


def test_a_second_run_and_a_dry_run_erase_nothing_more():
    practice = _practice(decided_at=LONG_AGO)

    dry = personal_data_purge(now=NOW, dry_run=True)
    kept = _contacts(practice)
    personal_data_purge(now=NOW)
    again = personal_data_purge(now=NOW)

    assert dry["practices"] == 1 and dry["practice_history"] == 2
    assert kept == tuple(CONTACT.values())
    assert set(again.values()) == {0}


def test_history_of_a_deleted_practice_is_erased_once_old_enough():
    practice = _practice(decided_at=LONG_AGO)
    practice_id = practice.pk
    practice.delete()
    Practice.history.filter(id=practice_id).update(history_date=LONG_AGO)

    personal_data_purge(now=NOW)

    contacts = Practice.history.filter(id=practice_id).values_list("contact_email", flat=True)
    assert set(contacts) == {""}


def _application(edition, *, saved_at, submitted_at=None, entry=None):
    application = Application.objects.create(
        edition=edition,
        token_hash=secrets.token_hex(32),
        folder=secrets.token_hex(16),
        contact_name="Ewa Zgłaszająca",
        email="ewa@example.org",
        data={"title": "Nasza praktyka", "contact_phone": "600 000 000"},
        submitted_at=submitted_at,
        entry=entry,
    )
    Application.objects.filter(pk=application.pk).update(saved_at=saved_at)
    return application


def test_unsent_entry_forms_go_with_their_files_and_sent_ones_lose_their_contacts(
    django_capture_on_commit_callbacks,
):
    old_results = EditionFactory(results_published_at=LONG_AGO)
    fresh = EditionFactory(year=2021, competition=old_results.competition)
    unsent = _application(old_results, saved_at=LONG_AGO)
    attachment = ApplicationAttachment.objects.create(
        application=unsent,
        file=ContentFile(b"%PDF-1.4", name="opis.pdf"),
        title="opis.pdf",
        content_type="application/pdf",
        size=8,
    )
    storage, name = attachment.file.storage, attachment.file.name
    recent_unsent = _application(fresh, saved_at=LATELY)
    entry = EntryFactory(category__edition=old_results)
    sent = _application(old_results, saved_at=LONG_AGO, submitted_at=LONG_AGO, entry=entry)

    with django_capture_on_commit_callbacks(execute=True):
        counts = personal_data_purge(now=NOW)

    sent.refresh_from_db()
    assert not Application.objects.filter(pk=unsent.pk).exists()
    assert not storage.exists(name)
    assert Application.objects.filter(pk=recent_unsent.pk).exists()
    assert (sent.contact_name, sent.email) == ("", "")
    assert sent.data == {"title": "Nasza praktyka"}
    assert counts["unsent_applications"] == 1
    assert counts["application_contacts"] == 1


def test_ballot_labels_and_sign_in_records_go_after_the_period():
    old = BallotFactory(edition__results_published_at=LONG_AGO, label="Jan Uczestnik")
    recent = BallotFactory(edition__results_published_at=LATELY, edition__year=2021, label="Ola")
    record = {"user_agent": "x", "ip_address": "192.0.2.1", "username": "a", "path_info": "/"}
    AccessLog.objects.create(**record)
    AccessAttempt.objects.create(**record, get_data="", post_data="", failures_since_start=1)
    AccessLog.objects.update(attempt_time=LONG_AGO)
    AccessLog.objects.create(**record)

    counts = personal_data_purge(now=NOW)

    assert Ballot.objects.get(pk=old.pk).label == ""
    assert Ballot.objects.get(pk=recent.pk).label == "Ola"
    assert AccessLog.objects.count() == 1
    assert AccessAttempt.objects.count() == 1  # today's attempt stays (a lockout may hold)
    assert counts["logins"] == 1


def test_command_reports_the_counts_and_the_period(settings):
    settings.PERSONAL_DATA_RETENTION_DAYS = 10
    practice = _practice(decided_at=NOW - datetime.timedelta(days=11))
    out = StringIO()

    call_command("purge_personal_data", "--dry-run", stdout=out)
    kept = _contacts(practice)
    call_command("purge_personal_data", stdout=out)

    assert "Would erase (retention 10 days):" in out.getvalue()
    assert "  practices: 1" in out.getvalue()
    assert kept == tuple(CONTACT.values())
    assert _contacts(practice) == ("", "", "")
