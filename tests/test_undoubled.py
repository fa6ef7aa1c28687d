"""A short word of a name typed with a doubled letter once ("c dif": C diff) (bot/match/undoubled.py)."""

import pytest


def _answered(core, text: str) -> list[str]:
    return sorted({h.condition_id for h in core.matcher.find(text).matches})


@pytest.mark.parametrize("text", ["ivig for c dif colitis", "recurrent c dif - any role for ivig?",
                                  "c dif not responding to vanc, anyone used ivig?"])
def test_a_doubled_letter_typed_once_in_a_short_word_of_a_name_is_read(core, text):
    assert _answered(core, text) == ["clostridioides-difficile-infection"]


@pytest.mark.parametrize("text", [
    "C DIF ivig",  # typed in capitals: an abbreviation, not a slip
    "ivig dif",  # alone, the word is no name
])
def test_no_name_is_read_where_the_word_is_no_slip_or_stands_alone(core, text):
    assert _answered(core, text) == []
