"""The stored catalogue index always equals a fresh build, whatever edits come in any order.

Hypothesis draws sequences of edits, each through a real write path of the
project: model saves and deletes, many-to-many changes from either side,
QuerySet.update() and bulk_create(), the services (the public submission, the
moderation workflow) and the admin's change form. (Topics are never set from
the topic's side: django-simple-history, which records a practice's topics,
refuses that.) Each edit ends as a commit would (tests.conftest.after_commit runs the
after-commit flush); after each one, every practice's stored row must equal
what catalogue.index builds from the data, and nothing may stay marked stale.
"""

import pytest
from django.db import transaction
from django.db.models import ProtectedError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from catalogue.index.refresh import index_drift, index_flush, stale_count
from competitions.models import Category, Edition, Entry
from core.roles import ADMINISTRATORS
from organisations.enums import Voivodeship
from organisations.models import Organisation
from practices.models import FundingSource, Partnership, Practice, PracticeType, Topic
from practices.services import practice_change_status, practice_submit
from tests.admin_forms import admin_post
from tests.conftest import after_commit
from tests.factories import (
    CategoryFactory,
    CompetitionFactory,
    EditionFactory,
    OrganisationFactory,
    PracticeFactory,
    PracticeTypeFactory,
    TopicFactory,
)
from tests.practices.admin.conftest import staff_in

pytestmark = pytest.mark.django_db

COUNTRIES = ["PL", "UA", "LT", "DE"]
KINDS = ["municipality", "city", "ngo", "county"]
NAMES = ["Lublin", "Łódź", "Winnica", "Kowno", "Jastków", "szkoła", "seniorzy"]
STATUSES = ["submitted", "finalist", "laureate", "withdrawn"]


class World:
    """A small catalogue every example starts from."""

    def __init__(self):
        self.types = [
            PracticeTypeFactory(code="it", name="IT"),
            PracticeTypeFactory(code="social", name="społeczna"),
        ]
        self.organisations = [
            OrganisationFactory(country=country, region=region, locality=f"Miasto {n}")
            for n, (country, region) in enumerate(
                [("PL", "lubelskie"), ("UA", "obwód wołyński"), ("PL", "mazowieckie")]
            )
        ]
        self.topics = [TopicFactory(name="Edukacja"), TopicFactory(name="Zdrowie")]
        self.sources = [FundingSource.objects.create(name="Interreg", slug="interreg")]
        self.competitions = [CompetitionFactory(), CompetitionFactory()]
        self.editions = [EditionFactory(competition=c) for c in self.competitions]
        self.categories = [CategoryFactory(edition=e) for e in self.editions]
        self.practices = [
            PracticeFactory(
                practice_type=self.types[n % 2],
                lead_organisation=self.organisations[n],
                topics=[self.topics[n % 2]],
            )
            for n in range(3)
        ]
        Partnership.objects.create(practice=self.practices[0], organisation=self.organisations[1])
        Entry.objects.create(category=self.categories[0], practice=self.practices[1])
        index_flush()  # what the world's commit would do


def _pick(seq, index: int):
    return seq[index % len(seq)]


# Each edit: (name, parameters drawn by hypothesis). `apply` runs it on the world.
edits = st.one_of(
    st.tuples(
        st.just("organisation_save"),
        st.integers(0, 9),
        st.sampled_from(COUNTRIES),
        st.sampled_from(NAMES),
        st.sampled_from(KINDS),
    ),
    st.tuples(st.just("organisation_update"), st.sampled_from(COUNTRIES)),
    st.tuples(st.just("organisation_admin"), st.integers(0, 9), st.sampled_from(COUNTRIES)),
    st.tuples(
        st.just("practice_save"),
        st.integers(0, 9),
        st.sampled_from(NAMES),
        st.integers(0, 9),
        st.integers(0, 9),
    ),
    st.tuples(st.just("practice_status"), st.integers(0, 9)),
    st.tuples(st.just("practice_submit"), st.sampled_from(NAMES), st.sampled_from(COUNTRIES)),
    st.tuples(st.just("practice_delete"), st.integers(0, 9)),
    st.tuples(st.just("topics_set"), st.integers(0, 9), st.lists(st.integers(0, 9), max_size=2)),
    st.tuples(st.just("topic_rename"), st.integers(0, 9), st.sampled_from(NAMES)),
    st.tuples(st.just("topic_delete"), st.integers(0, 9)),
    st.tuples(st.just("source_link"), st.integers(0, 9)),
    st.tuples(st.just("source_rename"), st.sampled_from(NAMES)),
    st.tuples(st.just("type_rename"), st.integers(0, 9), st.sampled_from(NAMES)),
    st.tuples(st.just("partner_add"), st.integers(0, 9), st.integers(0, 9)),
    st.tuples(st.just("partner_bulk_add"), st.integers(0, 9), st.integers(0, 9)),
    st.tuples(st.just("partner_move"), st.integers(0, 9)),
    st.tuples(st.just("partner_delete"), st.integers(0, 9)),
    st.tuples(st.just("entry_add"), st.integers(0, 9), st.integers(0, 9)),
    st.tuples(
        st.just("entry_save"),
        st.integers(0, 9),
        st.sampled_from(STATUSES),
        st.booleans(),
        st.sampled_from(["", "Empatia"]),
    ),
    st.tuples(st.just("entry_update"), st.booleans()),
    st.tuples(st.just("entry_delete"), st.integers(0, 9)),
    st.tuples(
        st.just("category_save"), st.integers(0, 9), st.integers(0, 9), st.sampled_from(NAMES)
    ),
    st.tuples(st.just("category_delete"), st.integers(0, 9)),
    st.tuples(
        st.just("edition_save"), st.integers(0, 9), st.integers(0, 9), st.sampled_from(NAMES)
    ),
)


def _delete(obj) -> None:
    """Delete, unless the data's rules protect it (a practice with entries): then nothing."""
    try:
        with transaction.atomic():
            obj.delete()
    except ProtectedError:
        pass


def apply(edit, world: World, admin) -> None:
    """Run one edit through its write path (one branch per path)."""
    name, *args = edit
    practices = list(Practice.objects.order_by("id"))
    organisations = list(Organisation.objects.order_by("id"))
    topics = list(Topic.objects.order_by("id"))
    entries = list(Entry.objects.order_by("id"))
    categories = list(Category.objects.order_by("id"))
    editions = list(Edition.objects.order_by("id"))
    partnerships = list(Partnership.objects.order_by("id"))
    if name == "organisation_save":
        index, country, text, kind = args
        organisation = _pick(organisations, index)
        organisation.country, organisation.name, organisation.kind = country, f"Gmina {text}", kind
        if country == "PL" and organisation.region not in Voivodeship.values:
            organisation.region = "pomorskie"  # the database holds Poland to its voivodeships
        organisation.save()
    elif name == "organisation_update":
        Organisation.objects.filter(country="PL").update(country=args[0])
    elif name == "organisation_admin":
        index, country = args
        organisation = _pick(organisations, index)
        # A Polish organisation's region is a voivodeship from the list; elsewhere text.
        region = (
            {"voivodeship": "pomorskie", "region": ""}
            if country == "PL"
            else {
                "voivodeship": "",
                "region": f"Region {country}",
            }
        )
        admin_post(
            admin,
            f"/admin/organisations/organisation/{organisation.pk}/change/",
            country=country,
            **region,
        )
    elif name == "practice_save" and practices:
        index, text, lead, kind = args
        practice = _pick(practices, index)
        practice.title = f"Praktyka {text}"
        practice.lead_organisation = _pick(organisations, lead)
        practice.practice_type = _pick(world.types, kind)
        practice.save()
    elif name == "practice_status" and practices:
        practice = _pick(practices, args[0])
        target = "draft" if practice.status == "published" else "published"
        practice_change_status(practice=practice, to_status=target, by=None)
    elif name == "practice_submit":
        text, country = args
        practice_submit(
            title=f"Zgłoszenie {text}",
            practice_type=world.types[0],
            topics=Topic.objects.all()[:1],
            summary=f"O {text}",
            description="",
            started_year=2020,
            ended_year=None,
            total_value=None,
            currency="",
            organisation_name=f"Fundacja {text}",
            organisation_kind="ngo",
            organisation_country=country,
            organisation_locality=text,
            contact_name="Anna",
            contact_email="anna@example.org",
            contact_phone="",
        )
    elif name == "practice_delete" and practices:
        _delete(_pick(practices, args[0]))
    elif name == "topics_set" and practices and topics:
        index, chosen = args
        _pick(practices, index).topics.set([_pick(topics, n) for n in chosen])
    elif name == "topic_rename" and topics:
        index, text = args
        topic = _pick(topics, index)
        topic.name = text
        topic.save()
    elif name == "topic_delete" and topics:
        _delete(_pick(topics, args[0]))
    elif name == "source_link" and practices:
        _pick(practices, args[0]).funding_sources.add(*FundingSource.objects.all())
    elif name == "source_rename":
        FundingSource.objects.filter(slug="interreg").update(name=args[0])
        for source in FundingSource.objects.all():
            source.name = f"{args[0]} fundusz"
            source.save()
    elif name == "type_rename":
        index, text = args
        practice_type = _pick(list(PracticeType.objects.order_by("code")), index)
        practice_type.name = text
        practice_type.save()
    elif name in ("partner_add", "partner_bulk_add") and practices:
        practice_index, organisation_index = args
        practice = _pick(practices, practice_index)
        organisation = _pick(organisations, organisation_index)
        if not Partnership.objects.filter(practice=practice, organisation=organisation).exists():
            link = Partnership(practice=practice, organisation=organisation)
            if name == "partner_add":
                link.save()
            else:
                Partnership.objects.bulk_create([link])
    elif name == "partner_move" and partnerships and len(practices) > 1:
        link = _pick(partnerships, args[0])
        others = [
            p
            for p in practices
            if p.pk != link.practice_id
            and not Partnership.objects.filter(practice=p, organisation=link.organisation).exists()
        ]
        if others:
            link.practice = others[0]
            link.save()
    elif name == "partner_delete" and partnerships:
        _delete(_pick(partnerships, args[0]))
    elif name == "entry_add" and practices and categories:
        practice_index, category_index = args
        practice = _pick(practices, practice_index)
        category = _pick(categories, category_index)
        if not Entry.objects.filter(practice=practice, category=category).exists():
            Entry.objects.create(practice=practice, category=category)
    elif name == "entry_save" and entries:
        index, status, winner, distinction = args
        entry = _pick(entries, index)
        entry.status = status
        entry.distinction = distinction
        entry.laureate_place = None
        entry.is_winner = False
        if status == "laureate" and not Entry.objects.filter(
            category=entry.category, laureate_place=1
        ).exclude(pk=entry.pk):
            entry.laureate_place, entry.is_winner = 1, winner
        entry.save()
    elif name == "entry_update" and entries:
        Entry.objects.filter(status="laureate", laureate_place=1).update(is_winner=args[0])
    elif name == "entry_delete" and entries:
        _delete(_pick(entries, args[0]))
    elif name == "category_save" and categories and editions:
        index, edition_index, text = args
        category = _pick(categories, index)
        category.edition = _pick(editions, edition_index)
        category.name = text
        category.slug = f"{category.pk}-{category.edition_id}"
        category.save()
    elif name == "category_delete" and categories:
        _delete(_pick(categories, args[0]))
    elif name == "edition_save" and editions:
        index, competition_index, text = args
        edition = _pick(editions, index)
        competitions = [e.competition for e in editions]
        target = _pick(competitions, competition_index)
        if not Edition.objects.filter(competition=target, year=edition.year).exclude(pk=edition.pk):
            edition.competition = target
        edition.name = f"Konkurs {text}"
        edition.save()


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sequence=st.lists(edits, min_size=1, max_size=8))
def test_the_stored_index_equals_a_fresh_build_after_any_edits(client, sequence):
    with transaction.atomic():  # each example starts from the same world
        world = World()
        client.force_login(staff_in(ADMINISTRATORS))
        for edit in sequence:
            with after_commit():
                apply(edit, world, client)

            drift = list(index_drift())
            assert drift == [], (edit, drift)
            assert stale_count() == 0, edit
        transaction.set_rollback(True)
