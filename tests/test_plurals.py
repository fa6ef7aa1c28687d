"""Uncovered diseases' names typed with a plural word in the singular (bot/match/plurals.py)."""

from bot.match.plurals import singular
from bot.models import Question


def test_a_plural_is_made_singular_by_its_ending():
    assert [singular(w) for w in ("legs", "bodies", "veins")] == ["leg", "body", "vein"]


def test_names_of_two_words_or_more_gain_their_singular_forms_and_no_covered_key(core):
    lexicon = core.matcher.lexicon
    forms = lexicon.uncovered_forms
    assert "restlesslegssyndrome" in lexicon.uncovered and "restlesslegsyndrome" in forms
    assert forms["restlesslegsyndrome"][0].name == lexicon.uncovered["restlesslegssyndrome"][0].name
    assert "bellspalsy" in forms and "bellpalsy" in lexicon.uncovered  # "Bell's palsy" typed without its apostrophe
    covered = {"".join(e.words) for e in lexicon.entries if e.condition_id is not None}
    assert set(forms).isdisjoint(covered) and set(forms).isdisjoint(lexicon.uncovered)
    assert all(len(n.key.split()) >= 2 for names in forms.values() for n in names)  # never "bends" -> "bend"
    assert "anomalie" not in core.matcher._uncovered_words  # a form's words are no uncovered disease's words


def test_the_singular_form_is_an_uncovered_disease_asked_about(core):
    """The patient's MMN, treated with IVIG already, is background to what the question asks about."""
    answer = core.answer(Question(text="on IVIG for her MMN already - any evidence it helps restless leg syndrome too?"))
    assert answer.kind.value == "not_found" and not answer.conditions
