"""The admin's spreadsheet import between dry run and confirmation: usable from any
instance, bound to the editor's session, never naming a file, gone after an hour,
and a file with too many rows refused while it is being read."""

import datetime
import io
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from practices.imports import MAX_IMPORT_ROWS, ImportTooLong, xlsx_dataset
from practices.models import ImportUpload, Practice
from tests.practices.admin.conftest import staff_in
from tests.practices.admin.test_import import CONFIRM, csv_file, dry_run, row
from tests.practices.admin.test_import import vocabulary as vocabulary

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client(client):
    client.force_login(staff_in("Redaktorzy", username="redaktorka"))
    return client


@pytest.fixture
def other_temp_folder(monkeypatch, tmp_path):
    """What another app instance sees: a temporary folder of its own, empty."""
    folder = tmp_path / "instance-b"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_a_dry_run_confirmed_on_another_instance_imports_and_leaves_nothing(
    editor_client, vocabulary, monkeypatch, tmp_path
):
    first_instance = tmp_path / "instance-a"
    first_instance.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(first_instance))
    confirm_form = dry_run(editor_client, csv_file([row()])).context["confirm_form"]
    assert list(first_instance.iterdir()) == []  # nothing on this instance's disk

    second_instance = tmp_path / "instance-b"
    second_instance.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(second_instance))
    other = Client()  # another connection carrying the same session cookie
    other.cookies = editor_client.cookies
    response = other.post(CONFIRM, confirm_form.initial)

    assert response.status_code == 302
    assert Practice.objects.get().title == "Cyfrowy urząd"
    assert not ImportUpload.objects.exists()  # deleted once confirmed


def test_another_editors_key_is_refused(editor_client, vocabulary):
    confirm_form = dry_run(editor_client, csv_file([row()])).context["confirm_form"]
    intruder = Client()
    intruder.force_login(staff_in("Redaktorzy", username="intruz"))

    response = intruder.post(CONFIRM, confirm_form.initial, follow=True)

    assert "Tej próby importu już nie ma" in response.content.decode()
    assert not Practice.objects.exists()
    assert ImportUpload.objects.count() == 1  # still the first editor's to confirm


def test_the_confirm_step_never_opens_or_deletes_a_named_file(
    editor_client, vocabulary, other_temp_folder
):
    victim = other_temp_folder / "kontakty.csv"
    victim.write_text("tytul,typ,lider\nX,IT,Gmina\n")

    for name in ("kontakty.csv", str(victim), "../instance-b/kontakty.csv"):
        response = editor_client.post(
            CONFIRM,
            {"import_file_name": name, "original_file_name": "x.csv", "format": "0"},
            follow=True,
        )
        assert response.status_code == 200
        assert "Nie ma takiej próby importu" in response.content.decode()

    assert victim.exists()
    assert not Practice.objects.exists()


def test_unconfirmed_dry_runs_are_purged_after_an_hour(editor_client, vocabulary):
    confirm_form = dry_run(editor_client, csv_file([row()])).context["confirm_form"]
    ImportUpload.objects.update(created_at=timezone.now() - datetime.timedelta(minutes=61))

    refused = editor_client.post(CONFIRM, confirm_form.initial, follow=True)
    call_command("purge_import_uploads", stdout=io.StringIO())

    assert "Tej próby importu już nie ma" in refused.content.decode()
    assert not ImportUpload.objects.exists()
    assert not Practice.objects.exists()


def test_a_new_dry_run_purges_the_expired_ones(editor_client, vocabulary):
    dry_run(editor_client, csv_file([row()]))
    ImportUpload.objects.update(created_at=timezone.now() - datetime.timedelta(hours=2))

    dry_run(editor_client, csv_file([row(tytul="Drugi")]))

    assert list(ImportUpload.objects.values_list("name", flat=True)) == ["praktyki.csv"]
    assert ImportUpload.objects.get().created_at > timezone.now() - datetime.timedelta(minutes=1)


@pytest.fixture(scope="module")
def four_hundred_thousand_rows() -> bytes:
    """A small XLSX (write-only mode) that unpacks into 400,000 rows."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["tytul", "typ", "lider"])
    for _ in range(400_000):
        sheet.append([1])  # one cell a row: about 2 MB, within the import's 5 MB
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_reading_a_400000_row_xlsx_stops_at_the_first_row_over_the_limit(
    four_hundred_thousand_rows,
):
    with pytest.raises(ImportTooLong) as refusal:
        xlsx_dataset(four_hundred_thousand_rows)

    assert refusal.value.rows_read == MAX_IMPORT_ROWS + 1


def test_a_400000_row_xlsx_is_refused_in_the_admin_with_the_limit(
    editor_client, vocabulary, four_hundred_thousand_rows
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("duzo.xlsx", four_hundred_thousand_rows)

    response = dry_run(editor_client, upload, fmt="1")

    assert "ma więcej niż 1000 wierszy" in response.content.decode()
    assert response.context.get("confirm_form") is None
    assert not ImportUpload.objects.exists()
    assert Path(tempfile.gettempdir()).exists()
