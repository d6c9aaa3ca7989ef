"""A minimal browser for talking to app servers behind an imaginary TLS proxy.

It keeps cookies as a browser does: per host, not per port, so the two loopback
servers see one visitor with one set of cookies, as two instances behind a
load balancer do. Every request says it came over HTTPS (X-Forwarded-Proto, as
the proxy sets it), so the production settings neither redirect it nor withhold
the Secure cookies; POSTs carry the CSRF token and an Origin, as a browser's form
posts do. Redirects are not followed: the tests look at them.
"""

from __future__ import annotations

import http.client
import urllib.parse
from dataclasses import dataclass
from http.cookies import SimpleCookie

from tests.deploy.support import AppServer


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    text: str
    server: str

    @property
    def location(self) -> str:
        return self.headers.get("Location", "")


class Visitor:
    def __init__(self, *, address: str | None = None):
        self.cookies: dict[str, str] = {}
        self.address = address  # the client address the proxy reports (X-Forwarded-For)

    def get(self, server: AppServer, path: str) -> Response:
        return self._request(server, "GET", path)

    def post(self, server: AppServer, path: str, data: dict) -> Response:
        form = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **data}
        return self._request(server, "POST", path, urllib.parse.urlencode(form, doseq=True))

    def _request(self, server: AppServer, method: str, path: str, body: str | None = None):
        headers = {"X-Forwarded-Proto": "https", "Accept-Language": "pl"}
        if self.address:
            headers["X-Forwarded-For"] = self.address
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = server.origin
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=120)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", errors="replace")
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel.value == "" or morsel["max-age"] == "0":
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return Response(response.status, response.headers, text, server.name)
