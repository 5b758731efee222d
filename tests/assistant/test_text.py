"""Normalisation, typo repair and clause splitting."""

from __future__ import annotations

import pytest

from spinewise.assistant.text import TypoRepairer, damerau_levenshtein, normalise, split_clauses


def test_contractions_are_expanded_with_or_without_apostrophe() -> None:
    assert normalise("I can't pee and I dont know why") == "i cannot pee and i do not know why"
    assert normalise("It’s fine, I havent had fever") == "it is fine, i have not had fever"


def test_damerau_levenshtein_counts_a_swap_as_one_edit() -> None:
    # hand count: "numbnes" -> "numbness" is one insertion; "hlep" -> "help" one transposition
    assert damerau_levenshtein("numbnes", "numbness") == 1
    assert damerau_levenshtein("hlep", "help") == 1
    assert damerau_levenshtein("kitten", "sitting") == 3  # the textbook example


def test_typos_are_repaired_only_towards_the_lexicon_and_never_from_real_words() -> None:
    repairer = TypoRepairer(["bladder", "numbness", "legs"], english=frozenset({"ladder"}))
    assert repairer.repair("numbnes and leggs") == "numbness and legs"
    assert repairer.repair("i fell off a ladder") == "i fell off a ladder"
    assert repairer.repair("bladdder") == "bladder"
    assert repairer.repair("xyzzy") == "xyzzy"


def test_clauses_split_at_commas_contrast_words_and_new_subjects() -> None:
    text = "no fever, but i cannot pee and my back hurts. it started today"
    pieces = [text[c.start : c.end].strip() for c in split_clauses(text)]
    assert pieces == ["no fever", "i cannot pee", "my back hurts", "it started today"]
    assert [c.sentence for c in split_clauses(text)] == [0, 0, 0, 1]


def test_a_decimal_point_does_not_end_a_sentence() -> None:
    assert len(split_clauses("temperature of 38.5 and back pain")) == 1


def test_without_an_english_word_list_only_doubled_letters_are_repaired() -> None:
    repairer = TypoRepairer(["weak", "legs"], english=frozenset())
    assert not repairer.edits_allowed
    assert repairer.repair("leggs") == "legs"
    assert repairer.repair("week") == "week"  # could be a typo of "weak", but we cannot know


@pytest.mark.parametrize(
    ("written", "read"),
    [
        # Scots, Irish, Jamaican and text-speak spellings become the words the rules read
        ("ah've got nae feeling roond ma backside", "i have got no feeling round my backside"),
        ("me da had cancer", "my dad had cancer"),
        ("mi cyaan feel mi batty", "i cannot feel my batty"),
        (
            "bk pain + cnt feel when i need a wee, hvnt been since yday",
            "back pain + cannot feel when i need a wee, have not been since yesterday",
        ),
        ("not gonna lie I inject", "honestly i inject"),
        ("I 'broke' my back moving a sofa", "i hurt my back moving a sofa"),
        # ... but ordinary English stays as it is
        ("call me back please", "call me back please"),
        ("I had an MI last year", "i had an mi last year"),
        ("I cannot lie down flat", "i cannot lie down flat"),
        ("my back is a wee bit sore", "my back is a wee bit sore"),
    ],
)
def test_dialect_and_text_speak_are_read_as_standard_words(written: str, read: str) -> None:
    assert normalise(written) == read
