"""The visitor's address and scheme behind the reverse proxy."""

import ipaddress

from django.conf import settings


def parse_address(hop: str) -> str | None:
    """The IP address in one X-Forwarded-For hop, or None when it holds none.

    Proxies write '1.2.3.4', '1.2.3.4:8080', '2001:db8::1' or '[2001:db8::1]:443';
    anything else ('unknown', two addresses glued by a space) is not an address
    that lockouts may store in an inet column or rate limits may put in a key.
    """
    hop = hop.strip()
    if hop.startswith("["):
        hop = hop[1:].partition("]")[0]
    elif hop.count(":") == 1:
        hop = hop.partition(":")[0]
    try:
        return str(ipaddress.ip_address(hop))
    except ValueError:
        return None


class ClientAddressMiddleware:
    """Set REMOTE_ADDR to the visitor's address when the request came through a trusted
    proxy, and believe X-Forwarded-Proto only from such a proxy.

    X-Forwarded-For is believed only from the addresses in TRUSTED_PROXIES, and
    only its right-most untrusted entry (the one our own proxy added), so a
    visitor cannot choose the address that rate limits and lockouts count. A hop
    that is not an IP address leaves REMOTE_ADDR as it was (the proxy's).
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.trusted = set(settings.TRUSTED_PROXIES)

    def __call__(self, request):
        meta = request.META
        if meta.get("REMOTE_ADDR") not in self.trusted:
            # Only our proxy says whether the visitor came over HTTPS
            # (SECURE_PROXY_SSL_HEADER); from anyone else the claim is dropped.
            meta.pop("HTTP_X_FORWARDED_PROTO", None)
        forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded and meta.get("REMOTE_ADDR") in self.trusted:
            hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
            for hop in reversed(hops):
                if hop not in self.trusted:
                    address = parse_address(hop)
                    if address is not None:
                        meta["REMOTE_ADDR"] = address
                    break
        return self.get_response(request)
