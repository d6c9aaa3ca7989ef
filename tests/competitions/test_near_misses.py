"""A typo of a voting code is told apart from a guess."""

from competitions.codes import ALPHABET, CODE_LENGTH, code_near_misses, code_normalise


def test_near_misses_are_every_one_letter_change_and_neighbour_swap():
    code = code_normalise("ABCD-EFGH-JKMN")

    misses = code_near_misses(code)

    assert len(misses) == CODE_LENGTH * (len(ALPHABET) - 1) + (CODE_LENGTH - 1)
    assert "XBCDEFGHJKMN" in misses  # one letter changed
    assert "BACDEFGHJKMN" in misses  # two neighbours swapped
    assert code not in misses
    assert "BADCEFGHJKMN" not in misses  # two typos: a guess, not a typo
    assert all(len(miss) == CODE_LENGTH and set(miss) <= set(ALPHABET) for miss in misses)


def test_a_swap_of_equal_neighbours_is_no_typo():
    assert "AABCDEFGHJKM" not in code_near_misses("AABCDEFGHJKM")
