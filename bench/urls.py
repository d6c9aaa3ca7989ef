from django.http import HttpResponse
from django.urls import path

from bench.textbook import TextbookCatalogueView
from config.urls import urlpatterns as site_urlpatterns


def hello(request):
    """The framework's ceiling: a view that does nothing but return a fixed string."""
    return HttpResponse("hello", content_type="text/plain")


urlpatterns = [
    path("bench/hello/", hello),
    path("bench/textbook/", TextbookCatalogueView.as_view()),
    *site_urlpatterns,
]
