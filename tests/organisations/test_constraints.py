import pytest

from organisations.models import Membership
from tests.conftest import refused_by_database
from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_organisation_slug_is_unique():
    OrganisationFactory(slug="zwiazek-miast-polskich")

    with refused_by_database("organisations_organisation_slug_key"):
        OrganisationFactory(slug="zwiazek-miast-polskich")


def test_organisation_unknown_kind_is_refused():
    with refused_by_database("organisation_kind_valid"):
        OrganisationFactory(kind="kingdom")


def test_membership_in_itself_is_refused():
    partnership = OrganisationFactory(kind="partnership")

    with refused_by_database("membership_not_self"):
        Membership.objects.create(member=partnership, group=partnership)


def test_membership_twice_in_the_same_group_is_refused():
    gmina, partnership = OrganisationFactory(), OrganisationFactory(kind="partnership")
    Membership.objects.create(member=gmina, group=partnership)

    with refused_by_database("membership_unique"):
        Membership.objects.create(member=gmina, group=partnership, role="członek")
