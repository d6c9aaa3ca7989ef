"""The training edition for the browser journeys: built once per test module, committed
so the live server sees it, at the stage the journey starts from. The `site` fixture
flushes the whole database when the module is done."""

from __future__ import annotations

from competitions.services.training import TrainingEdition, training_edition_create


def training_for_browser(django_db_blocker, phase: str) -> TrainingEdition:
    from django.db import connection, transaction

    from core.pagecache import catalogue_changed

    with django_db_blocker.unblock():
        assert connection.settings_dict["NAME"].startswith("test_")
        with transaction.atomic():
            training = training_edition_create(phase=phase)
        catalogue_changed()
    return training


def password_of(training: TrainingEdition, username: str) -> str:
    return next(a.password for a in training.accounts if a.username == username)


def sign_in(page, site: str, username: str, password: str, next_path: str) -> None:
    page.goto(f"{site}/konto/logowanie/?next={next_path}")
    page.get_by_label("Nazwa użytkownika").fill(username)
    page.get_by_label("Hasło").fill(password)
    page.get_by_role("button", name="Zaloguj się").click()
