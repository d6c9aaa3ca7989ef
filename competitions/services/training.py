"""The training edition: a whole competition to practise on, made and removed in one step.

`training_edition_create` builds an unpublished edition (`Edition.is_training`)
of a training competition from the catalogue's real published practices, with
categories, weighted criteria on different scales, a jury and an organiser
account, and walks it with the real services to the phase asked for.
`training_edition_delete` removes all of it, and nothing else: the practices
used as entries stay as they are (only their Entry rows go).

A training edition awards nothing: `Entry.objects.public()` and the catalogue's
index leave it out, the public lists and the sitemap do not name it; its own
pages (edition, vote, jury) stay reachable by address, under a banner.

Passwords and ballot codes are returned in plain text once, for the caller to
show; only their hashes are stored.
"""

from __future__ import annotations

import secrets
import string
from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser, Group
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from competitions.enums import PHASE_ORDER, EditionPhase, EntryStatus
from competitions.models import (
    Category,
    Competition,
    Criterion,
    DecisionLog,
    Edition,
    Entry,
    JuryMember,
)
from competitions.selectors import edition_free_slug, edition_jury_ranking
from competitions.services.ballots import ballot_authenticate, ballot_issue, vote_cast
from competitions.services.decisions import entry_decide
from competitions.services.jury import jury_scores_save
from competitions.services.phases import (
    edition_advance_phase,
    edition_change_vote_close,
    edition_set_vote_window,
)
from competitions.services.refusals import CompetitionRefused
from core.roles import ADMINISTRATORS, JURY, roles_sync
from practices.models import Practice

COMPETITION_SLUG = "szkolenie"
ORGANISER = "szkolenie-organizator"
CHAIR = "szkolenie-przewodniczacy"
JURORS = ("szkolenie-juror-1", "szkolenie-juror-2")
USERNAMES = (ORGANISER, CHAIR, *JURORS)

# Two categories of three entries: places 1 and 2 are laureates, the third a finalist.
CATEGORIES = (
    ("uslugi", "Usługi dla mieszkańców"),
    ("wspolpraca", "Zarządzanie i współpraca"),
)
ENTRIES_PER_CATEGORY = 3
LAUREATE_PLACES = 2
# (name, its English and Ukrainian, weight, scale from, scale to): different scales on
# purpose, as real rules have.
CRITERIA = (
    ("Innowacyjność", "Innovation", "Інноваційність", 2, 1, 10),
    ("Trwałość efektów", "Lasting effects", "Тривалість результатів", 1, 1, 5),
    (
        "Możliwość powtórzenia gdzie indziej",
        "Can be repeated elsewhere",
        "Можливість повторити деінде",
        1,
        1,
        5,
    ),
)
DEFAULT_CODES = 10
VOTE_DAYS = 14
# Voters of the practice vote when the edition is left at its results: four choose the
# laureate in place 1, one the laureate in place 2, so no category is tied.
PRACTICE_VOTES = (0, 0, 1, 0, 0)
# Letters and digits only, easy to copy from a terminal: 20 of 62 characters, 119 bits.
PASSWORD_ALPHABET = string.ascii_letters + string.digits
PASSWORD_LENGTH = 20


class TrainingRefused(CompetitionRefused):
    pass


@dataclass(frozen=True)
class TrainingAccount:
    username: str
    password: str
    role: str


@dataclass
class TrainingEdition:
    """What was made: the edition, the accounts and the ballot codes, in plain text once."""

    edition: Edition
    accounts: list[TrainingAccount] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)


@dataclass
class TrainingDeletion:
    editions: list[str] = field(default_factory=list)
    entries: int = 0
    deleted_users: list[str] = field(default_factory=list)
    # Accounts that acted outside the training edition: kept (their records stay
    # true) but closed, with no password.
    deactivated_users: list[str] = field(default_factory=list)


def training_edition_exists() -> bool:
    return Edition.objects.filter(is_training=True).exists()


def training_phases() -> tuple[str, ...]:
    """The phases a new training edition may be left in (the call for entries onwards)."""
    return PHASE_ORDER[PHASE_ORDER.index(EditionPhase.SUBMISSIONS) :]


def _reached(phase: str, target: str) -> bool:
    return PHASE_ORDER.index(target) >= PHASE_ORDER.index(phase)


@transaction.atomic
def training_edition_create(
    *, phase: str = EditionPhase.SUBMISSIONS, codes: int = DEFAULT_CODES
) -> TrainingEdition:
    """Build the training edition and walk it to `phase` with the real services.

    Refused, with nothing written, when a training edition (or the training
    competition or accounts) already exists, or when the catalogue has too few
    published practices. From the public vote on, `codes` ballot codes are
    issued; at the results, the practice votes have used their own codes and
    none is returned.
    """
    if phase not in training_phases():
        raise TrainingRefused(
            _("Nieznany etap edycji szkoleniowej: %(phase)s.") % {"phase": phase}, reason="phase"
        )
    if codes < 1:
        raise TrainingRefused(_("Liczba kodów musi być dodatnia."), reason="codes")
    existing = Edition.objects.filter(is_training=True).first()
    if existing is not None:
        raise TrainingRefused(
            _(
                "Edycja szkoleniowa już istnieje (%(name)s). Aby zacząć od nowa, usuń ją: "
                "manage.py create_training_edition --delete"
            )
            % {"name": existing.name},
            reason="exists",
        )
    if Competition.objects.filter(slug=COMPETITION_SLUG).exists():
        raise TrainingRefused(
            _(
                "Adres konkursu „%(slug)s” jest już zajęty przez konkurs, który nie jest "
                "szkoleniowy; edycji szkoleniowej nie utworzono."
            )
            % {"slug": COMPETITION_SLUG},
            reason="slug",
        )
    User = get_user_model()
    taken = sorted(User.objects.filter(username__in=USERNAMES).values_list("username", flat=True))
    if taken:
        raise TrainingRefused(
            _(
                "Konta szkoleniowe już istnieją (%(names)s). Usuń je razem z edycją: "
                "manage.py create_training_edition --delete"
            )
            % {"names": ", ".join(taken)},
            reason="accounts",
        )
    needed = len(CATEGORIES) * ENTRIES_PER_CATEGORY
    practices = list(Practice.objects.published().order_by("slug")[:needed])
    if len(practices) < needed:
        raise TrainingRefused(
            ngettext(
                "Katalog ma %(count)s opublikowaną praktykę, a edycja szkoleniowa potrzebuje "
                "%(needed)s. Najpierw wczytaj katalog: manage.py load_catalogue",
                "Katalog ma %(count)s opublikowanych praktyk, a edycja szkoleniowa potrzebuje "
                "%(needed)s. Najpierw wczytaj katalog: manage.py load_catalogue",
                len(practices),
            )
            % {"count": len(practices), "needed": needed},
            reason="empty",
        )

    accounts, (organiser, chair, *jurors) = _accounts()
    edition = _edition()
    result = TrainingEdition(edition=edition, accounts=accounts)
    categories = [
        Category.objects.create(
            edition=edition, name=name, slug=slug, order=order, laureate_places=LAUREATE_PLACES
        )
        for order, (slug, name) in enumerate(CATEGORIES)
    ]
    for order, (name, name_en, name_uk, weight, low, high) in enumerate(CRITERIA):
        Criterion.objects.create(
            edition=edition,
            name=name,
            name_en=name_en,
            name_uk=name_uk,
            weight=weight,
            scale_min=low,
            scale_max=high,
            order=order,
        )
    members = [JuryMember.objects.create(edition=edition, user=chair, is_chair=True)] + [
        JuryMember.objects.create(edition=edition, user=juror) for juror in jurors
    ]

    edition = edition_advance_phase(edition=edition, actor=organiser)  # the call for entries
    now = timezone.now()
    for index, practice in enumerate(practices):
        Entry.objects.create(
            category=categories[index // ENTRIES_PER_CATEGORY],
            practice=practice,
            submitted_at=now,
        )
    if _reached(EditionPhase.JURY_REVIEW, phase):
        edition = edition_advance_phase(edition=edition, actor=organiser)
    if _reached(EditionPhase.PUBLIC_VOTE, phase):
        _score_and_decide(edition, members, chair)
        now = timezone.now()
        edition_set_vote_window(
            edition=edition, opens_at=now, closes_at=now + timedelta(days=VOTE_DAYS)
        )
        edition = edition_advance_phase(edition=edition, actor=organiser)
    if phase == EditionPhase.PUBLIC_VOTE:
        issued = ballot_issue(edition=edition, issued_by=organiser, count=codes)
        result.codes = [code.code for code in issued]
    if _reached(EditionPhase.RESULTS, phase):
        _practice_vote(edition, organiser)
        edition = edition_advance_phase(edition=edition, actor=organiser)
    if _reached(EditionPhase.ARCHIVED, phase):
        edition = edition_advance_phase(edition=edition, actor=organiser)
    result.edition = edition
    return result


def _accounts() -> tuple[list[TrainingAccount], list[AbstractBaseUser]]:
    """The organiser (Administrators), the chair and the jurors (Jury), each with a new
    random password; all are staff, so they can sign in to the admin."""
    if Group.objects.filter(name__in=(ADMINISTRATORS, JURY)).count() < 2:
        roles_sync()
    groups = {group.name: group for group in Group.objects.filter(name__in=(ADMINISTRATORS, JURY))}
    User = get_user_model()
    people = [
        (ORGANISER, "Organizator", ADMINISTRATORS, _("organizator (Administratorzy)")),
        (CHAIR, "Przewodniczący jury", JURY, _("przewodniczący jury (Jury)")),
        *(
            (username, f"Juror {n}", JURY, _("juror (Jury)"))
            for n, username in enumerate(JURORS, start=1)
        ),
    ]
    accounts, users = [], []
    for username, last_name, group, role in people:
        password = "".join(secrets.choice(PASSWORD_ALPHABET) for _i in range(PASSWORD_LENGTH))
        user = User(username=username, first_name="Szkolenie", last_name=last_name)
        user.is_staff = True
        user.set_password(password)
        user.save()
        user.groups.add(groups[group])
        users.append(user)
        accounts.append(TrainingAccount(username=username, password=password, role=role))
    return accounts, users


def _edition() -> Edition:
    competition = Competition.objects.create(
        name="Konkurs szkoleniowy",
        short_name="Szkolenie",
        slug=COMPETITION_SLUG,
        description=(
            "Konkurs do ćwiczeń: pozwala przejść całą edycję — nabór, ocenę jury, "
            "głosowanie i wyniki — bez wpływu na katalog. Nie jest prawdziwy."
        ),
    )
    year = timezone.localdate().year
    return Edition.objects.create(
        competition=competition,
        year=year,
        name=f"Edycja szkoleniowa {year}",
        slug=edition_free_slug(competition=competition, year=year),
        is_training=True,
        has_public_vote=True,
        theme="Edycja szkoleniowa — tylko do ćwiczeń, nic tu nie jest prawdziwe",
        description=(
            "Ta edycja służy wyłącznie do ćwiczeń: organizator przeprowadza ją przez etapy, "
            "jury ocenia, głosujący oddają głosy kodami, a wyniki można ogłosić. Zgłoszenia to "
            "prawdziwe praktyki z katalogu użyte jako przykład; nie otrzymują żadnej nagrody, "
            "a edycji nie ma na listach, w wyszukiwarce ani w mapie strony. "
            "Usuwa ją polecenie manage.py create_training_edition --delete."
        ),
    )


def _score_and_decide(edition: Edition, members: list[JuryMember], chair) -> None:
    """Every juror scores and submits every entry (a category's first entry highest);
    the chair then names the jury's ranking: places 1..N laureates, the rest finalists."""
    criteria = list(edition.criteria.order_by("order", "id"))
    entries = list(
        Entry.objects.filter(category__edition=edition).order_by("category__order", "id")
    )
    for member_index, member in enumerate(members):
        for entry_index, entry in enumerate(entries):
            rank = entry_index % ENTRIES_PER_CATEGORY
            values = {
                c.pk: max(c.scale_min, c.scale_max - rank * 2 - (member_index + i) % 2)
                for i, c in enumerate(criteria)
            }
            jury_scores_save(member=member, entry=entry, values=values, submit=True)
    for ranking in edition_jury_ranking(edition):
        for position, row in enumerate(ranking.rows, start=1):
            laureate = position <= ranking.category.laureate_places
            entry_decide(
                entry=row.entry,
                actor=chair,
                status=EntryStatus.LAUREATE if laureate else EntryStatus.FINALIST,
                laureate_place=position if laureate else None,
                reason="Edycja szkoleniowa: decyzja według rankingu jury.",
            )


def _practice_vote(edition: Edition, organiser) -> None:
    """Vote with codes of their own (PRACTICE_VOTES), then close the vote early."""
    issued = ballot_issue(
        edition=edition,
        issued_by=organiser,
        labels=[f"Głosujący ćwiczebny {n}" for n in range(1, len(PRACTICE_VOTES) + 1)],
    )
    categories = list(edition.categories.order_by("order", "id"))
    for code, choice in zip(issued, PRACTICE_VOTES, strict=True):
        ballot = ballot_authenticate(edition=edition, code=code.code)
        for category in categories:
            laureates = list(
                category.entries.filter(status=EntryStatus.LAUREATE).order_by("laureate_place")
            )
            vote_cast(ballot=ballot, category_id=category.pk, entry_id=laureates[choice].pk)
    edition_change_vote_close(
        edition=edition,
        closes_at=timezone.now(),
        actor=organiser,
        reason="Edycja szkoleniowa: głosowanie ćwiczebne zamknięte od razu.",
    )


@transaction.atomic
def training_edition_delete() -> TrainingDeletion:
    """Remove every training edition with all it holds (categories, entries, criteria,
    jury, scores, ballots, votes, the decision log), its competition when nothing else
    is left in it, and the training accounts. Practices are never touched.

    An account that acted outside the training edition (a seat on a real jury, a
    line in a real edition's log) is not deleted, which would rewrite those
    records: it is deactivated and left without a password.
    """
    done = TrainingDeletion()
    editions = list(Edition.objects.select_for_update().filter(is_training=True).order_by("id"))
    competition_ids = {edition.competition_id for edition in editions}
    for edition in editions:
        done.entries += Entry.objects.filter(category__edition=edition).count()
        _edition_remove(edition)
        done.editions.append(edition.name)
    for competition in Competition.objects.filter(pk__in=competition_ids):
        if not competition.editions.exists():
            competition.delete()

    User = get_user_model()
    for user in User.objects.filter(username__in=USERNAMES).order_by("username"):
        acted_elsewhere = (
            JuryMember.objects.filter(user=user).exists()
            or DecisionLog.objects.filter(actor=user).exists()
        )
        if acted_elsewhere:
            user.is_active = False
            user.set_unusable_password()
            user.save(update_fields=["is_active", "password"])
            done.deactivated_users.append(user.username)
        else:
            user.delete()
            done.deleted_users.append(user.username)
    if not done.editions and not done.deleted_users and not done.deactivated_users:
        raise TrainingRefused(
            _("Nie ma edycji szkoleniowej ani kont szkoleniowych: nie ma czego usuwać."),
            reason="missing",
        )
    return done


def _edition_remove(edition: Edition) -> None:
    """Delete an edition and every row that belongs to it, even while its vote is locked.

    The database keeps a locked vote's categories and laureates (migration 0004's
    triggers read the edition's lock). Deleting the edition's own row first lifts
    that lock for its rows alone; the foreign keys are deferred, and checked once
    every row that pointed to the edition is gone.
    Related rows go through the ORM, so the catalogue's index hears of every entry.
    """
    pk = edition.pk
    table = connection.ops.quote_name(Edition._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [pk])
    # The entries first, by their categories' column: a category's cascade would look
    # its entries up in their default order, which joins the edition row now gone.
    Entry._base_manager.filter(category__edition_id=pk).delete()
    for relation in Edition._meta.related_objects:
        if relation.many_to_many:
            continue  # none point here; forward ones are below
        rows = relation.related_model._base_manager.filter(**{relation.field.attname: pk})
        if relation.on_delete is models.SET_NULL:
            rows.update(**{relation.field.attname: None})
        elif relation.on_delete is models.PROTECT and rows.exists():
            raise TrainingRefused(
                _("Edycji szkoleniowej nie usunięto: wskazują na nią %(what)s.")
                % {"what": relation.related_model._meta.verbose_name_plural},
                reason="protected",
            )
        else:
            rows.delete()
    for m2m in Edition._meta.local_many_to_many:
        through = m2m.remote_field.through
        if through._meta.auto_created:
            through._base_manager.filter(**{m2m.m2m_field_name(): pk}).delete()
    with connection.cursor() as cursor:
        # Check the foreign keys now rather than at the commit: a row still pointing to
        # the edition fails here, inside the service, and nothing is removed.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
