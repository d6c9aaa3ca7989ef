"""The largest request body the site takes, refused before a byte of it is read.

Django's DATA_UPLOAD_MAX_MEMORY_SIZE covers form fields only; files of any size
would be read to disk (and checked only after). MAX_UPLOAD_BYTES caps the whole
body by its declared Content-Length (Django never reads past it), so an
oversized upload is answered at once with the site's 413 page in the visitor's
language, whatever view it was meant for. The proxy may have its own, larger cap.
"""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import render
from django.template.defaultfilters import filesizeformat


class RequestSizeLimitMiddleware:
    """Answer 413 to a request whose body is declared larger than MAX_UPLOAD_BYTES.

    Must come after LocaleMiddleware (the page is in the visitor's language) and
    before anything that reads request.POST or request.FILES.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        limit = settings.MAX_UPLOAD_BYTES
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads no body it cannot measure
        if limit and length > limit:
            return render(
                request,
                "413.html",
                {"size": filesizeformat(length), "limit": filesizeformat(limit)},
                status=413,
            )
        return self.get_response(request)
