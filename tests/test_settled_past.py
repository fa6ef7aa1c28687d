"""A term settled as the reading of a condition the question also names outright as over (bot/match/background.py):
the term is over too, so the disease asked about now is not answered as that condition."""

import pytest

from bot.models import Question


@pytest.mark.parametrize("question", [
    # batch 165's dev part: "tourette" said again about the brother, after the label set aside
    "16F sudden onset complex vocal + motor tics over 2 wks, copro, neuro says functional tic-like behaviours not "
    "tourette. her brother has tourette. ivig?",
    # batch 52's: the label the patient had, "thought thyroid eye disease (Graves treated with RAI 2018)"
    "58M, painless proptosis and lid swelling, thought thyroid eye disease (Graves treated with RAI 2018). MRI enlarged "
    "lacrimal glands + infraorbital nerves, IgG4 4.1, bx storiform fibrosis -> IgG4-related ophthalmic disease. "
    "rituximab planned, would IVIG be an alternative?",
])
def test_a_term_settled_by_a_condition_told_as_over_is_not_answered(core, question):
    answer = core.answer(Question(text=question))
    assert not answer.conditions and not answer.suggestions and answer.kind.value == "not_found"


def test_a_term_settled_by_a_condition_named_now_is_still_answered(core):
    assert [c.id for c in core.answer(Question(text="sydenham chorea, chorea worse this week. ivig?")).conditions] == [
        "sydenham-chorea"]
