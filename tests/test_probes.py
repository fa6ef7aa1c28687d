"""Generalisation probes of our own, drawn from the data with fixed seeds (never from eval items): covered names
inside clinical chatter, names as heard, names without their little words. A confident answer about another
condition is the worst outcome, so none is allowed; the shares answered right are floors, not targets."""

import random
import re

import pytest

from bot.models import Question

TEMPLATES = ["{age} {sex}, known {name}, {lab}, on {drug} - any role for ivig?",
             "{age}{sex} with {name}, {lab}, failed {drug}. IVIG evidence?",
             "quick q: {name} in a {age} year old, {lab}, is ivig worth trying after {drug}?",
             "has anyone used ivig for {name}? {age}{sex}, {lab}", "{age}{sex} hx of {name}, {lab}, ivig?",
             "refractory {name} on {drug}, ivig?", "new dx {name}, {age}{sex}, ivig evidence"]
LABS = ["CRP 45", "Hb 92", "plt 110", "IgG 4.2", "CK 800", "ESR 60", "eGFR 35", "ferritin 900", "BNP 900", "INR 1.4"]
DRUGS = ["pred 40mg", "methotrexate", "rituximab", "MMF", "azathioprine", "ciclosporin", "PLEX", "IV methylpred"]
# One mishearing in one long word: spellings a listener cannot tell apart.
HEARD = [("ph", "f"), ("c", "k"), ("s", "z"), ("y", "i"), ("itis", "itus"), ("ia", "ea"), ("ous", "us"), ("ae", "e"),
         ("th", "t"), ("ll", "l"), ("mm", "m"), ("ss", "s"), ("ch", "k"), ("tt", "t"), ("pp", "p"), ("rr", "r")]
LITTLE = {"the", "of", "in", "associated", "related"}


def _outcome(answer, cid: str) -> str:
    ids = [c.id for c in answer.conditions]
    if answer.kind.value == "answer":
        return "right" if ids == [cid] else ("partial" if cid in ids else "wrong")
    return answer.kind.value


def _names(core, limit: int | None = None):
    for cid, cond in sorted(core.kb.conditions.items()):
        for name in ([cond.name] + list(cond.synonyms))[:limit]:
            yield cid, name


def test_covered_names_inside_clinical_chatter(core):
    rng = random.Random(20261130)
    outcomes = []
    for cid, name in _names(core, 4):
        text = rng.choice(TEMPLATES).format(name=name, age=rng.choice(["34", "58", "71"]), sex=rng.choice("MF"),
                                            lab=rng.choice(LABS), drug=rng.choice(DRUGS))
        outcomes.append((_outcome(core.answer(Question(text=text)), cid), text))
    wrong = [t for o, t in outcomes if o == "wrong"]
    assert not wrong, wrong[:5]
    assert sum(o == "right" for o, _ in outcomes) >= 0.98 * len(outcomes)


def test_names_as_heard_are_never_another_condition(core):
    rng = random.Random(7)
    outcomes = []
    for cid, name in _names(core):
        words = name.split()
        long = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
        if not long:
            continue
        i = rng.choice(long)
        word = words[i].lower()
        options = [(a, b) for a, b in HEARD if a in word[1:]]
        if not options:
            continue
        a, b = rng.choice(options)
        at = rng.choice([m.start() for m in re.finditer(re.escape(a), word) if m.start() > 0])
        heard = " ".join(words[:i] + [word[:at] + b + word[at + len(a):]] + words[i + 1:])
        outcomes.append((_outcome(core.answer(Question(text=f"ivig for {heard}?")), cid), heard))
    wrong = [t for o, t in outcomes if o == "wrong"]
    assert len(outcomes) > 500 and not wrong, wrong[:5]
    assert sum(o == "right" for o, _ in outcomes) >= 0.95 * len(outcomes)


def test_names_without_their_little_words_are_those_names(core):
    typed = []
    for cid, name in _names(core):
        words = name.replace("-", " ").split()
        kept = [w for w in words if w.lower() not in LITTLE]
        if 2 <= len(kept) < len(words):
            typed.append((cid, " ".join(kept)))
    assert typed
    missed = [(t, cid) for cid, t in typed if _outcome(core.answer(Question(text=f"ivig for {t}?")), cid) != "right"]
    assert not missed, missed[:5]


@pytest.mark.parametrize("first", ["ivig for kawasaki disease", "does ivig work in myasthenia gravis?", "CIDP"])
def test_everyday_short_forms_of_other_diseases_after_an_answer_are_not_the_previous_condition(core, first):
    previous = tuple(c.id for c in core.answer(Question(text=first)).conditions)
    for then in ["and copd?", "what about t2dm", "any trials in ckd?", "and gerd", "and DVT", "what about OA",
                 "gout?", "and migraine", "what about TB", "and AML?", "and FSGS"]:
        answer = core.answer(Question(text=then, previous_condition_ids=previous))
        assert not set(previous) & {c.id for c in answer.conditions}, then
