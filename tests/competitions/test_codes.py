"""Ballot codes: unguessable, readable, forgiving of how they are typed, stored only hashed."""

import math
import re

from competitions.codes import ALPHABET, CODE_LENGTH, code_generate, code_hash, code_normalise


def test_code_generate_is_grouped_readable_and_long_enough():
    codes = {code_generate() for _ in range(500)}

    assert len(codes) == 500
    assert all(re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code) for code in codes)
    assert not set("".join(codes)) & set("01ILO")
    assert CODE_LENGTH * math.log2(len(ALPHABET)) >= 58


def test_code_normalise_forgives_case_spaces_and_dashes():
    assert code_normalise(" abcd-efgh jkmn ") == "ABCDEFGHJKMN"
    assert code_normalise("ABCD–EFGH–JKMN") == "ABCDEFGHJKMN"


def test_code_normalise_refuses_wrong_length_or_ambiguous_characters():
    assert code_normalise("ABCD-EFGH-JKM") is None
    assert code_normalise("ABCD-EFGH-JKMNP") is None
    assert code_normalise("ABCD-EFGH-JKM0") is None
    assert code_normalise("ABCD-EFGH-JKMO") is None
    assert code_normalise("") is None


def test_code_hash_is_keyed_with_the_secret_key(settings):
    first = code_hash("ABCDEFGHJKMN")
    settings.SECRET_KEY = "another-key"

    assert len(first) == 64
    assert code_hash("ABCDEFGHJKMN") != first
