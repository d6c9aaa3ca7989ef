"""manage.py create_training_edition [--phase …] [--codes N] | --delete

A training edition to try the whole competition flow on; the logic is in
competitions.services.training, which the tests call too.
"""

from django.core.management.base import BaseCommand, CommandError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from competitions.enums import EditionPhase
from competitions.services.training import (
    DEFAULT_CODES,
    TrainingRefused,
    training_edition_create,
    training_edition_delete,
    training_phases,
)
from core.links import absolute_url


class Command(BaseCommand):
    help = (
        "Create an unpublished training edition (categories, criteria, entries from the "
        "catalogue's published practices, a jury and an organiser account) to try the whole "
        "competition flow; --delete removes it and its accounts, and nothing else."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--phase",
            choices=training_phases(),
            default=EditionPhase.SUBMISSIONS,
            help="Leave the edition at this stage (default: submissions, the call for entries).",
        )
        parser.add_argument(
            "--codes",
            type=int,
            default=DEFAULT_CODES,
            help="Ballot codes to issue with --phase public_vote (default: %(default)s).",
        )
        parser.add_argument(
            "--delete",
            action="store_true",
            help="Remove the training edition, its competition and the training accounts.",
        )

    def handle(self, *args, phase: str, codes: int, delete: bool, **options):
        try:
            if delete:
                self._report_deletion(training_edition_delete())
            else:
                self._report_creation(training_edition_create(phase=phase, codes=codes))
        except TrainingRefused as refusal:
            raise CommandError(str(refusal)) from refusal

    def _report_creation(self, made) -> None:
        edition = made.edition
        path = {"competition_slug": edition.competition.slug, "year": edition.year}
        with translation.override("pl"):
            page = absolute_url(edition.get_absolute_url())
            dashboard = absolute_url(
                reverse("admin:competitions_edition_dashboard", args=[edition.pk])
            )
            jury = absolute_url(reverse("competitions:jury-home"))
            entry = absolute_url(reverse("competitions:application-start", kwargs=path))
            vote = absolute_url(reverse("competitions:vote-code", kwargs=path))
            login = absolute_url(reverse("login"))
        write = self.stdout.write
        write(
            self.style.SUCCESS(
                _("Utworzono edycję szkoleniową „%(name)s” (etap: %(phase)s).")
                % {"name": edition.name, "phase": edition.get_phase_display()}
            )
        )
        write(
            _(
                "Nie ma jej na listach, w wyszukiwarce ani w mapie strony; "
                "nic tu nie jest prawdziwe."
            )
        )
        write("")
        write(_("Strona edycji:        %(url)s") % {"url": page})
        write(_("Pulpit organizatora:  %(url)s") % {"url": dashboard})
        write(_("Strony jury:          %(url)s") % {"url": jury})
        write(_("Zgłoszenia online:    %(url)s") % {"url": entry})
        write(_("Głosowanie:           %(url)s") % {"url": vote})
        write(_("Logowanie:            %(url)s") % {"url": login})
        write("")
        write(self.style.WARNING(_("Konta (hasła widać tylko teraz; nigdzie ich nie zapisano):")))
        width = max(len(account.username) for account in made.accounts)
        for account in made.accounts:
            write(f"  {account.username:<{width}}  {account.password}  {account.role}")
        if made.codes:
            write("")
            write(
                self.style.WARNING(
                    _("Kody do głosowania (%(count)s; widać je tylko teraz):")
                    % {"count": len(made.codes)}
                )
            )
            for code in made.codes:
                write(f"  {code}")
        write("")
        write(_("Usuwanie: manage.py create_training_edition --delete"))

    def _report_deletion(self, done) -> None:
        for name in done.editions:
            self.stdout.write(self.style.SUCCESS(_("Usunięto: %(name)s.") % {"name": name}))
        self.stdout.write(
            _("Usunięte zgłoszenia: %(count)s (praktyki katalogu zostały bez zmian).")
            % {"count": done.entries}
        )
        if done.deleted_users:
            self.stdout.write(
                _("Usunięte konta: %(names)s.") % {"names": ", ".join(done.deleted_users)}
            )
        if done.deactivated_users:
            self.stdout.write(
                self.style.WARNING(
                    _(
                        "Konta działały poza edycją szkoleniową, więc je tylko zablokowano "
                        "(bez hasła): %(names)s."
                    )
                    % {"names": ", ".join(done.deactivated_users)}
                )
            )
