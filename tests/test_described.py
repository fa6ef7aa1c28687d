"""What the names in a question describe: here, what the treatment is compared with (bot/match/described.py)."""

from bot.models import Question


def test_a_condition_the_treatment_is_compared_with_is_not_asked(core):
    """"like it does for PV": the pemphigus is the comparison, and the sister's pemphigus is hers; Hailey-Hailey
    disease is asked, which the bot does not cover."""
    answer = core.answer(Question(text="32F, biopsy-proven hailey-hailey disease, failed topicals. her sister has "
                                       "pemphigus vulgaris on rituximab; could ivig help her hailey-hailey like it "
                                       "does for PV?"))
    assert answer.kind.value == "not_found" and not answer.conditions


def test_the_way_it_does_names_a_comparison_too(core):
    """"the way it does in scleromyxedema": the comparison, not what is asked, beside the scleredema asked about (a
    near miss the curator blocked), and beside a covered condition asked about."""
    answer = core.answer(Question(text="sent to us as scleromyxoedema but no paraprotein -> scleredema diabeticorum "
                                       "(buschke). does ivig work for scleredema the way it does in scleromyxedema?"))
    assert answer.kind.value == "not_found" and not answer.conditions
    answer = core.answer(Question(text="would ivig help her CIDP the way it did for her MMN?"))
    assert [c.id for c in answer.conditions] == ["chronic-inflammatory-demyelinating-polyneuropathy"]


def test_a_comparison_alone_is_still_the_question(core):
    """With nothing else named, the condition after "like it does for" is still what the message is about."""
    answer = core.answer(Question(text="would ivig help like it does for CIDP?"))
    assert [c.id for c in answer.conditions] == ["chronic-inflammatory-demyelinating-polyneuropathy"]
