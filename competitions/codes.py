"""One-time ballot codes: made at random, shown once, stored only as a keyed hash.

A code is 12 characters from a 31-character alphabet without the look-alikes
0/O, 1/I/L: 12 × log2(31) ≈ 59.4 bits, printed in groups as "ABCD-EFGH-JKMN".
Typed input is forgiven case, spaces and dashes.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from django.conf import settings

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
GROUP = 4


def code_generate() -> str:
    """A new random code, grouped for reading: "ABCD-EFGH-JKMN"."""
    raw = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + GROUP] for i in range(0, CODE_LENGTH, GROUP))


def code_normalise(typed: str) -> str | None:
    """The code as stored for hashing (upper case, no spaces or dashes), or None if malformed."""
    raw = "".join(ch for ch in typed.upper() if ch not in " -\t\u00a0\u2010\u2011\u2013")
    if len(raw) != CODE_LENGTH or any(ch not in ALPHABET for ch in raw):
        return None
    return raw


def code_near_misses(normalised: str) -> set[str]:
    """The codes one typo away from a normalised code: one character changed, or two
    neighbours swapped (12 × 30 + 11 = 371 of them).

    A wrong code that is a near miss of an issued one was mistyped, not guessed:
    a random guess lands on one with a chance of about 371 × issued / 31**12
    (5·10⁻¹² for 10,000 codes), so a typo can be told apart and forgiven.
    """
    variants = set()
    for position, typed in enumerate(normalised):
        for letter in ALPHABET:
            if letter != typed:
                variants.add(normalised[:position] + letter + normalised[position + 1 :])
    for position in range(len(normalised) - 1):
        first, second = normalised[position], normalised[position + 1]
        if first != second:
            variants.add(normalised[:position] + second + first + normalised[position + 2 :])
    return variants


def code_hash(normalised: str) -> str:
    """HMAC-SHA256 of a normalised code, keyed with SECRET_KEY, as hex.

    A fast keyed hash is right here, unlike for passwords: the codes are ~59
    random bits, so there is no dictionary to try, and the key keeps a stolen
    table of hashes useless without the server's secret. A slow hash would only
    slow down every vote.
    """
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, b"ballot:" + normalised.encode(), hashlib.sha256).hexdigest()
