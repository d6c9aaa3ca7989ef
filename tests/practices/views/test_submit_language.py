"""The submission form names the practice types and topics in the page's language."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import PracticeTypeFactory, TopicFactory

pytestmark = pytest.mark.django_db


def test_english_form_lists_types_and_topics_in_english(client):
    PracticeTypeFactory(code="social", name="społeczna", name_en="social")
    TopicFactory(name="Seniorzy", name_en="Seniors", slug="seniorzy")
    with translation.override("en"):
        url = reverse("practices:practice-submit")
    html = client.get(url).content.decode()
    assert ">social</option>" in html
    assert "Seniors" in html
    assert "Seniorzy" not in html and "społeczna" not in html
