"""factory_boy factories for tests; each builds a valid row with the fewest fields."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from catalogue.index.refresh import index_flush
from competitions.enums import EntryStatus
from competitions.models import (
    Ballot,
    Category,
    Competition,
    Criterion,
    Edition,
    Entry,
    JuryMember,
    Vote,
)
from organisations.enums import OrganisationKind
from organisations.models import Organisation
from practices.enums import PracticeStatus, PracticeTypeCode
from practices.models import Practice, PracticeType, Topic


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Gmina Testowa {n}")
    slug = factory.Sequence(lambda n: f"gmina-testowa-{n}")
    kind = OrganisationKind.MUNICIPALITY
    country = "PL"


class PracticeTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PracticeType
        django_get_or_create = ("code",)

    code = PracticeTypeCode.IT
    name = "IT"
    definition = "działania polegające na wykorzystaniu nowych technologii"


class TopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Topic

    name = factory.Sequence(lambda n: f"Temat {n}")
    slug = factory.Sequence(lambda n: f"temat-{n}")


class PracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Practice
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Praktyka {n}")
    slug = factory.Sequence(lambda n: f"praktyka-{n}")
    practice_type = factory.SubFactory(PracticeTypeFactory)
    lead_organisation = factory.SubFactory(OrganisationFactory)
    status = PracticeStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def topics(self, create, extracted, **kwargs):
        if create and extracted:
            self.topics.set(extracted)

    @factory.post_generation
    def indexed(self, create, extracted, **kwargs):
        """Build its catalogue row, as the commit of the practice would (catalogue.index);
        a test's transaction never commits."""
        if create:
            index_flush()
            self.refresh_from_db()


class CompetitionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Competition

    name = factory.Sequence(lambda n: f"Konkurs {n}")
    slug = factory.Sequence(lambda n: f"konkurs-{n}")


class EditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Edition

    competition = factory.SubFactory(CompetitionFactory)
    year = 2020
    name = factory.LazyAttribute(lambda e: f"{e.competition.name} {e.year}")
    slug = factory.LazyAttribute(lambda e: f"{e.competition.slug}-{e.year}")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    edition = factory.SubFactory(EditionFactory)
    name = factory.Sequence(lambda n: f"Kategoria {n}")
    slug = factory.Sequence(lambda n: f"kategoria-{n}")
    laureate_places = 3


class EntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Entry

    category = factory.SubFactory(CategoryFactory)
    practice = factory.SubFactory(PracticeFactory)
    status = EntryStatus.SUBMITTED


class JuryMemberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = JuryMember

    edition = factory.SubFactory(EditionFactory)
    user = factory.SubFactory(UserFactory)


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    edition = factory.SubFactory(EditionFactory)
    name = factory.Sequence(lambda n: f"Kryterium {n}")


class BallotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ballot

    edition = factory.SubFactory(EditionFactory)
    code_hash = factory.Sequence(lambda n: f"{n:064x}")


class VoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vote

    ballot = factory.SubFactory(BallotFactory)
    entry = factory.SubFactory(EntryFactory)
    category = factory.LazyAttribute(lambda v: v.entry.category)


def bicycle_practices(matches: int) -> None:
    """`matches` practices about bicycles, published a day apart, every third with it in
    its title, so that relevance and recency disagree; and one that does not match."""
    start = timezone.now() - datetime.timedelta(days=100)
    for n in range(matches):
        in_title = n % 3 == 0
        PracticeFactory(
            title=f"Rower w gminie {n}" if in_title else f"Praktyka {n}",
            summary="Wypożyczalnia rowerów miejskich." if not in_title else "",
            published_at=start + datetime.timedelta(days=n),
        )
    PracticeFactory(title="Budżet obywatelski", summary="Mieszkańcy wybierają projekty.")
