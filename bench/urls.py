from django.http import HttpResponse
from django.urls import path

from bench.admin_peer import bench_admin_site
from bench.textbook import TextbookCatalogueView
from config.urls import urlpatterns as site_urlpatterns


def hello(request):
    """The framework's ceiling: a view that does nothing but return a fixed string."""
    return HttpResponse("hello", content_type="text/plain")


def search_engine(request):
    """The tantivy peer (bench/search_engine.py), imported on first use: tantivy is the
    benchmark's optional dependency, and the other peers run without it."""
    from bench.search_engine import SearchEngineCatalogueView

    return SearchEngineCatalogueView.as_view()(request)


urlpatterns = [
    path("bench/hello/", hello),
    path("bench/textbook/", TextbookCatalogueView.as_view()),
    path("bench/tantivy/", search_engine),
    path("bench-admin/", bench_admin_site.urls),
    *site_urlpatterns,
]
