"""An antibody the question reports as found reads the condition named by it; a curator's ambiguity still asks."""

import pytest

from bot.models import Question


def _answered(core, text: str) -> list[str]:
    answer = core.answer(Question(text=text))
    return [c.id for c in answer.conditions] if answer.kind.value == "answer" else []


@pytest.mark.parametrize(("text", "expected"), [
    ("63M, statin 5y, CK 9000, anti-HMGCR+, add IVIG?", ["immune-mediated-necrotising-myopathy"]),
    ("AQP4-IgG positive myelitis C2-C7, poor response to PLEX - add ivig?", ["neuromyelitis-optica-spectrum-disorder"]),
    # a term the curator marked ambiguous: settled by its cue words, whatever the reading's score
    ("anti-GQ1b positive, drowsy, ophthalmoplegia. IVIG evidence?", ["bickerstaff-brainstem-encephalitis"]),
])
def test_an_antibody_reported_found_reads_its_condition(core, text, expected):
    assert _answered(core, text) == expected


@pytest.mark.parametrize("text", [
    "AQP4 negative, IVIG?",  # not found: no antibody reported
    "HMGCR - ivig?",  # the code alone, not reported as an antibody found
    "anti-GQ1b antibody syndrome ivig",  # ambiguous by the curator, no cue: asks
])
def test_without_a_reported_antibody_or_a_cue_nothing_is_answered(core, text):
    assert _answered(core, text) == []


def test_not_beside_a_condition_answered_outright(core):
    assert _answered(core, "myasthenia gravis, anti-HMGCR+ - ivig?") == ["myasthenia-gravis"]


def test_markers_are_codes_and_anti_words_not_plain_words(core):
    owners = core.matcher.markers.owners
    assert owners["hmgcr"] == {"immune-mediated-necrotising-myopathy"}
    assert owners["aqp4"] == {"neuromyelitis-optica-spectrum-disorder"}
    assert not {"primary", "secondary", "and", "with", "specific", "1"} & owners.keys()  # "primary antibody ..."
