"""Headers WhiteNoise adds to every static file it serves.

Static files skip Django's middleware, so the site's own security headers
(X-Frame-Options from XFrameOptionsMiddleware, nosniff from SecurityMiddleware)
never reach them. A stylesheet or an SVG is then framable and sniffable; these
headers say the same for them as for the pages.
"""

from __future__ import annotations

from wsgiref.headers import Headers


def static_file_headers(headers: Headers, path: str, url: str) -> None:
    headers["X-Frame-Options"] = "DENY"
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    headers["Cross-Origin-Resource-Policy"] = "same-origin"
