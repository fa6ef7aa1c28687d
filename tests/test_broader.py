"""A wider name of a condition named before it ("the skin disease" after EBA) refers back to it (bot/match/broader.py)."""

import pytest

from bot.models import Question


def _answer(core, text: str):
    answer = core.answer(Question(text=text))
    return answer.kind.value, [c.id for c in answer.conditions]


def test_the_import_records_the_wider_terms_each_condition_is_a_kind_of(core):
    skin_disease = next(n.doid for names in core.matcher.lexicon.uncovered.values() for n in names
                        if n.name == "skin disease")
    assert "epidermolysis-bullosa-acquisita" in core.matcher.lexicon.broader[skin_disease]
    assert "myasthenia-gravis" not in core.matcher.lexicon.broader[skin_disease]


@pytest.mark.parametrize("text", [
    "61yo with long-standing crohns, now biopsy-proven epidermolysis bullosa acquisita - is IVIG used for the skin "
    "disease?",
    "EBA in a 60 year old - any role for ivig in the skin disease?",
])
def test_a_wider_name_after_the_condition_asks_about_the_condition(core, text):
    assert _answer(core, text) == ("answer", ["epidermolysis-bullosa-acquisita"])


@pytest.mark.parametrize("text", [
    "known myasthenia gravis, now lichen planus - ivig for the skin disease?",  # no kind of skin disease named before
    "ivig for skin disease?",  # nothing named before it
    "ivig for the skin disease? she also has EBA",  # named after it, not before
])
def test_a_wider_name_of_nothing_named_before_it_is_a_disease_not_found(core, text):
    assert "skin disease" in core.matcher.find(text).not_found
    assert "myasthenia-gravis" not in [c.id for c in core.answer(Question(text=text)).conditions]


@pytest.mark.parametrize("text", [
    "antisynthetase syndrome with NSIP. IVIG for the lung disease?",
    "anti-PL-12 antisynthetase syndrome with NSIP and a falling FVC despite MMF. IVIG for the ILD?",
])
def test_the_last_words_of_a_name_of_the_condition_before_them_ask_about_it(core, text):
    """Antisynthetase syndrome ILD has no ontology term to be a kind of, but its names end in "lung disease" and
    "ILD": "the lung disease" after it is that condition, not a disease not found."""
    assert _answer(core, text) == ("answer", ["antisynthetase-syndrome-interstitial-lung-disease"])


def test_the_last_words_of_a_name_refer_back_only_to_a_condition_with_that_name(core):
    assert "lung disease" in core.matcher.find("myasthenia gravis. IVIG for the lung disease?").not_found


def _narrower(core, term: str) -> list[str]:
    """The covered conditions the ontology files under `term` whose names write it."""
    lexicon = core.matcher.lexicon
    doids = {n.doid for n in lexicon.uncovered[term.replace(" ", "")]}
    return sorted(cid for doid in doids for cid in lexicon.broader.get(doid, ())
                  if any(term.replace(" ", "") in text.lower().replace(" ", "").replace("-", "")
                         for _, text in core.kb.conditions[cid].terms()))


@pytest.mark.parametrize("text", ["IVIG for myositis?", "myositis", "any evidence for ivig in myositis in adults?"])
def test_a_wider_term_asked_alone_asks_which_of_its_covered_kinds_is_meant(core, text):
    expected = _narrower(core, "myositis")
    assert len(expected) >= 2  # dermatomyositis, inclusion body myositis, polymyositis
    answer = core.answer(Question(text=text))
    assert answer.kind.value == "clarify" and sorted(s.id for s in answer.suggestions) == expected


@pytest.mark.parametrize("text", [
    "contact dermatitis",  # filed above atopic dermatitis, which none of its names says
    "posterior reversible encephalopathy syndrome",  # words the bot cannot read around "encephalopathy"
    "ivig for skin disease?",  # too many kinds to ask about
])
def test_a_wider_term_asks_only_where_it_names_its_kinds_alone(core, text):
    assert _answer(core, text) == ("not_found", [])


def _forms_of(core, cid: str) -> list[str]:
    """The uncovered names of a condition's forms its curator did not accept, with one of its names among their words."""
    lexicon = core.matcher.lexicon
    doids = {doid for doid, cids in lexicon.forms.items() if cid in cids}
    return sorted(n.name for names in lexicon.uncovered.values() for n in names if n.doid in doids)


def test_a_form_the_curator_did_not_accept_asked_alone_offers_its_condition_and_stays_not_covered(core):
    """Primary progressive MS is filed under MS in the ontology but was never studied, so it is not accepted."""
    assert "primary progressive multiple sclerosis" in _forms_of(core, "multiple-sclerosis")
    answer = core.answer(Question(text="IVIG in primary progressive multiple sclerosis?"))
    assert answer.kind.value == "clarify" and not answer.conditions
    assert [(s.id, s.method.value) for s in answer.suggestions] == [("multiple-sclerosis", "subtype")]
    assert answer.suggestions[0].reason_ref.key == "clarify_reason_form"


@pytest.mark.parametrize("text", [
    "IVIG in PPMS?",  # none of the condition's names among its words: said to be not covered only
    "GBS. and primary progressive multiple sclerosis?",  # with a condition named: no offer beside it
])
def test_a_form_offers_its_condition_only_alone_and_by_a_name_of_it(core, text):
    answer = core.answer(Question(text=text))
    assert "multiple-sclerosis" not in [s.id for s in answer.suggestions]
