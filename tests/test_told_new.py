"""A condition told in a statement of its own, then an uncovered disease told as new right after "now" in a later
sentence (batch 168's dev part): the new disease may be the question, so the condition is offered, not answered.
A word no name has that ends as diseases' names do ("cerebellitis") is such a disease too, after history as well."""

import pytest

from bot.models import Question


def _read(core, question: str) -> tuple[list[str], list[str]]:
    answer = core.answer(Question(text=question))
    return [c.id for c in answer.conditions], [s.id for s in answer.suggestions]


@pytest.mark.parametrize(("question", "offered"), [
    ("9yo, chronic ITP since age 4 (plt 30-50, watch and wait, never bled). now HSP: palpable purpura legs, severe "
     "colicky abdo pain, ileo-ileal intussusception reduced, steroids not helping. ivig for severe GI henoch "
     "schonlein?", ["immune-thrombocytopenia-children"]),
    ("62M, idiopathic recurrent pericarditis since 2017, colchicine + anakinra, quiet for 2 yrs now. new dx "
     "IgG4-related disease (autoimmune pancreatitis, bilat submandibular swelling, serum IgG4 4.1 g/L), steroid "
     "dependent at 10mg. any evidence ivig helps?", ["chronic-idiopathic-pericarditis"]),
    ("CIDP. now takayasu arteritis, ivig?", ["chronic-inflammatory-demyelinating-polyneuropathy"]),
])
def test_a_condition_told_before_a_disease_told_new_is_offered(core, question, offered):
    assert _read(core, question) == ([], offered)


@pytest.mark.parametrize(("question", "offered"), [
    # batch 168's dev part: history, then a word no name has that ends as diseases' names do
    ("13F. pmh: L rasmussen encephalitis - functional hemispherectomy 2019, seizure free; ADHD. now post-EBV acute "
     "cerebellitis, ataxic, cerebellar swelling on MRI. ivig?", ["rasmussen-encephalitis"]),
    ("CIDP. now cerebellitis, ivig?", ["chronic-inflammatory-demyelinating-polyneuropathy"]),
    # batch 43's dev part: history, then in the same sentence a word that only uncovered names have ("biliary
    # dyskinesia", "polymyalgia rheumatica") and that ends as diseases' names do
    ("CIDP for 10 years, now tardive dyskinesia after metoclopramide, any ivig?",
     ["chronic-inflammatory-demyelinating-polyneuropathy"]),
    ("pmh CIDP since 2015, now polymyalgia with stiff shoulders, ivig?",
     ["chronic-inflammatory-demyelinating-polyneuropathy"]),
])
def test_a_condition_told_before_an_unread_disease_told_new_is_offered(core, question, offered):
    assert _read(core, question) == ([], offered)


@pytest.mark.parametrize(("question", "answered"), [
    # a word of a covered name after "now" is no new disease
    ("pmh CIDP. now neuropathy worse, ivig?", ["chronic-inflammatory-demyelinating-polyneuropathy"]),
    # the condition's own course after "now"
    ("CIDP. now relapsing, ivig?", ["chronic-inflammatory-demyelinating-polyneuropathy"]),
    # ... nor a word of uncovered names only that does not end as a disease's does
    ("CIDP for 10 years, now stable on monthly infusions, ivig?", ["chronic-inflammatory-demyelinating-polyneuropathy"]),
    # the condition asked about in its own sentence, a feature told new after it
    ("any evidence ivig helps in acute viral myocarditis? 30yo, new LV dysfunction",
     ["myocarditis-dilated-cardiomyopathy"]),
    # a gestation between "now" and the other illness: the pregnancy is told, not a new disease
    ("previous baby died day 3 of neonatal haemochromatosis (liver failure, extrahepatic siderosis). now 12/40, "
     "factor V leiden het on LMWH. ivig from 14 wk - evidence and regimen?", ["gestational-alloimmune-liver-disease"]),
])
def test_a_condition_is_still_answered_when_nothing_new_is_told_after_now(core, question, answered):
    assert _read(core, question)[0] == answered


def test_today_tells_something_new_after_the_patients_past(core):
    """"had kawasaki disease as a child. today chest pain ...": what is new today may be the question, so the past
    illness is offered, not answered."""
    assert _read(core, "45F, had kawasaki disease as a child. today chest pain and troponin up - ivig?") == (
        [], ["kawasaki-disease"])
