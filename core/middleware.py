"""The visitor's address behind the reverse proxy."""

from django.conf import settings


class ClientAddressMiddleware:
    """Set REMOTE_ADDR to the visitor's address when the request came through a trusted proxy.

    X-Forwarded-For is believed only from the addresses in TRUSTED_PROXIES, and
    only its right-most untrusted entry (the one our own proxy added), so a
    visitor cannot choose the address that rate limits and lockouts count.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.trusted = set(settings.TRUSTED_PROXIES)

    def __call__(self, request):
        meta = request.META
        forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded and meta.get("REMOTE_ADDR") in self.trusted:
            hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
            for hop in reversed(hops):
                if hop not in self.trusted:
                    meta["REMOTE_ADDR"] = hop[:64]
                    break
        return self.get_response(request)
