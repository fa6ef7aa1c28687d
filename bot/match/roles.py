"""What a named condition is to the question: asked about, or background (negated, a trigger, the patient's history)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

from bot.match.referred import ARTICLES
from bot.match.role_lists import RoleWordLists
from bot.text import canonical_phrase

if TYPE_CHECKING:
    from bot.text import Token

DISEASE_WORD = 6  # a word this long ending as diseases' names do ("-opathy", "ataxia") may be a disease's name
MAX_BETWEEN = 3  # little words between a role word and the name ("history of", "covid PCR came back negative")
ASKED_SCORE = 90.0  # a term asked back about ("ITP": adults or children?) is the question from this score
SENTENCE_END = re.compile(r"[.;!?]\s")  # a stop and a space end a sentence; not the "." of "1.5"
QUESTION_END = re.compile(r"([.;!?])(?:\s|$)")  # the end of the sentence a word is in: "?" asks
CLAUSE_END = re.compile(r"[,;:()!?]|[.]\s|\s[-–—]\s|—")  # ... a comma, colon, bracket, spaced dash or em dash a clause
ASIDE = re.compile(r"\s*\(")  # a bracket opening right after a word: an aside
PASSIVE = frozenset({"by", "with"})  # "HLH triggered by EBV", "GBS associated with covid": the cause follows
YEARS = frozenset({"year", "years", "yr", "yrs"})
AGE = re.compile(r"[0-9]{1,2}(?:yo|y|yrs|years|mo|mos)?")  # "at 9", "at 9yo", "at 6mo", "at age 3": an age
YEAR = re.compile(r"(?:19|20)[0-9][0-9]")  # "in 2025": a calendar year, not "in 2 weeks"
GLUED_SPAN = re.compile(r"[0-9]+([a-z]+)")  # "12d", "3wks": a span with its unit glued to the number
UNIT_LETTERS = frozenset({"d", "w", "mo", "mos", "y"})  # the units' short forms, beside `time_units`


class Role(str, Enum):
    negated = "negated"  # "not long covid", "MOG antibody negative"
    trigger = "trigger"  # "POTS after covid", "ITP secondary to SLE"
    history = "history"  # "known asthma", "Crohn's on adalimumab": the patient lives with it
    besides = "besides"  # "who also has atopic dermatitis": another illness the patient lives with, beside the asked
    past = "past"  # "had kawasaki disease at age 3", "was labelled polymyositis": over, or set aside
    parent = "parent"  # "Miller Fisher variant of GBS": what the asked form is a form of
    effect = "effect"  # "the mycoplasma pneumonia that set off the SJS": what the asked disease led to
    holder = "holder"  # "the CLL patient has developed AIHA": who is asked about, not what IVIG is asked for


Phrases = frozenset[tuple[str, ...]]


def _opens_at(by_first: dict[str, tuple[tuple[str, ...], ...]], words: list[str] | tuple[str, ...], at: int) -> bool:
    """Whether one of the phrases filed under their first word (`_by_word(..., 0)`) starts at word `at`."""
    return at < len(words) and any(tuple(words[at:at + len(p)]) == p for p in by_first.get(words[at], ()))


def _by_word(phrases: Phrases, at: int) -> dict[str, tuple[tuple[str, ...], ...]]:
    """The phrases filed under their word at `at` (-1: the last, 0: the first)."""
    out: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        out.setdefault(phrase[at], []).append(phrase)
    return {word: tuple(found) for word, found in out.items()}


@dataclass(frozen=True)
class RoleWords:
    before: tuple[tuple[Role, Phrases], ...] = ()
    after: tuple[tuple[Role, Phrases], ...] = ()
    between: frozenset[str] = frozenset()
    not_history_after: frozenset[str] = frozenset()  # "MMN on IVIG": treated with IVIG is the question itself
    not_negated_after: frozenset[str] = frozenset()  # "no measles immunity": the word after the name is negated
    time_units: frozenset[str] = frozenset()  # "weeks": "2 weeks after chickenpox" tells what came before
    some: frozenset[str] = frozenset()  # "a", "few": a count of time units written as a word ("a week after")
    treatment: frozenset[str] = frozenset()  # "ivig": what follows it in its sentence says what it is asked for
    referring: frozenset[str] = frozenset()  # "the", "her": "IVIG for the PML" refers back to a disease named
    asking: frozenset[str] = frozenset()  # "for", "of": "IVIG for PML", "part of PTLD treatment" name the asked
    pointing: frozenset[str] = frozenset()  # "that", "there": "could IVIG help with that?" points back
    onset: frozenset[str] = frozenset()  # "has", "develops": after an answer, "now has NEC" names a new disease
    switching: frozenset[tuple[str, ...]] = frozenset()  # "what about": the disease named next is asked about
    coordinating: frozenset[str] = frozenset()  # "and", "or": names joined by them are asked about together
    comparing: frozenset[str] = frozenset()  # "vs": "covid-19 vs long covid" asks about both, one against the other
    diagnosing: frozenset[tuple[str, ...]] = frozenset()  # "so", "looks like": the abbreviation after it is a diagnosis
    relabelled: Phrases = frozenset()  # "treated as": with a contrasting word later, the label was wrong
    contrasting: frozenset[str] = frozenset()  # "but", "however"
    disease_endings: tuple[str, ...] = ()  # "opathy", "itis": a word the bot cannot read that ends so names a disease
    disease_heads: frozenset[str] = frozenset()  # "syndrome": after words no reading has, it names a disease
    persons: frozenset[str] = frozenset()  # "woman", "pt": "a woman with RA, now MG": RA is the patient's
    treatment_again: Phrases = frozenset()  # "it helps": after the treatment, "it" names it again
    present: frozenset[str] = frozenset()  # "now": right before a past role's phrase, the label is the current one
    relative: frozenset[str] = frozenset()  # "that": right before an effect role's phrase, a clause about the cause
    kin: frozenset[str] = frozenset()  # "son", "sister": a sentence that brings in another person
    pregnancy_kin: frozenset[str] = frozenset()  # "mum", "baby": whose conditions a pregnancy is treated for
    told_new: frozenset[str] = frozenset()  # "now": an uncovered disease told after it is the patient's new one
    told_again: frozenset[str] = frozenset()  # "relapsing": right after "now", the same disease's course
    measured: frozenset[str] = frozenset()  # "fine", "low": right after a term in capitals, a reading of what it measures
    correcting: Phrases = frozenset()  # "it's": after "but", the uncovered disease named next replaces the label
    planned: frozenset[str] = frozenset()  # "considering": before the treatment in a statement, it is not yet given
    other_patient: Phrases = frozenset()  # "different pt": a clause opening so turns to another patient
    findings: frozenset[str] = frozenset()  # "hemolysis": after the treatment, a feature of the disease told
    other_patient_lead: frozenset[str] = frozenset()  # "totally": may open a clause before an other-patient phrase
    products: Phrases = frozenset()  # "VZIG": a product's name that names a condition, yet is asked about as a treatment
    treatment_names: Phrases = frozenset()  # "immune globulin": the treatment in words no loose reading stands on
    onset_before: Phrases = frozenset()  # "new": right before a name, a time "ago" after it says when it began
    serology: frozenset[str] = frozenset()  # "antibody": "... negative" after it rules out only what the test finds
    circumstance: Phrases = frozenset()  # "given": after the treatment, the disease after it is weighed, not asked
    marks: frozenset[str] = field(init=False, repr=False, compare=False)  # every word of a role phrase
    negating: frozenset[str] = field(init=False, repr=False, compare=False)  # ... of a negating one
    negation_words: frozenset[str] = field(init=False, repr=False, compare=False)  # one-word negating phrases
    # The phrases of `before` by their last word and of `after` by their first, per role in the same order: `role`
    # runs for every word of a question with a negation in it, and compares only the phrases that could fit.
    _ending: tuple = field(init=False, repr=False, compare=False)
    _opening: tuple = field(init=False, repr=False, compare=False)
    _past_words: frozenset[str] = field(init=False, repr=False, compare=False)  # its one-word phrases ("had")
    _past_ending: dict = field(init=False, repr=False, compare=False)  # the past role's phrases by their last word
    _past_opening: dict = field(init=False, repr=False, compare=False)  # ... after the name, by their first word
    form_words: frozenset[str] = field(init=False, repr=False, compare=False)  # "variant", "form": the parent role's
    diagnosing_ends: frozenset[str] = field(init=False, repr=False, compare=False)  # "so", "like": diagnosing's last
    other_patient_firsts: frozenset[str] = field(init=False, repr=False, compare=False)  # "different": their first
    triggers: Phrases = field(init=False, repr=False, compare=False)  # the trigger role's phrases ("after")
    holder_words: frozenset[str] = field(init=False, repr=False, compare=False)  # one-word holder phrases ("pts")
    _effects: Phrases = field(init=False, repr=False, compare=False)  # the effect role's phrases ("triggered")
    _effect_first: frozenset[str] = field(init=False, repr=False, compare=False)  # ... their first words

    def __post_init__(self) -> None:
        # A question with none of these words gives no name a role (most give none): nothing to look at then.
        # The treatment's own words are left out: every phrase with one ("gave ivig for") has another word to mark it.
        marks = {w for _, phrases in (*self.before, *self.after) for p in phrases for w in p} - self.treatment
        negated = [p for role, phrases in (*self.before, *self.after) if role is Role.negated for p in phrases]
        object.__setattr__(self, "marks", frozenset(marks))
        object.__setattr__(self, "negating", frozenset(w for p in negated for w in p))
        object.__setattr__(self, "negation_words", frozenset(p[0] for p in negated if len(p) == 1))
        object.__setattr__(self, "_ending", tuple((role, _by_word(phrases, -1)) for role, phrases in self.before))
        object.__setattr__(self, "_opening", tuple((role, _by_word(phrases, 0)) for role, phrases in self.after))
        object.__setattr__(self, "form_words", frozenset(p[0] for role, phrases in self.before if role is Role.parent
                                                         for p in phrases if len(p) == 1))
        object.__setattr__(self, "diagnosing_ends", frozenset(p[-1] for p in self.diagnosing))
        object.__setattr__(self, "other_patient_firsts", frozenset(p[0] for p in self.other_patient))
        phrases_of = dict(self.before)
        object.__setattr__(self, "triggers", phrases_of.get(Role.trigger, frozenset()))
        object.__setattr__(self, "holder_words", frozenset(p[0] for role, phrases in self.after if role is Role.holder
                                                           for p in phrases if len(p) == 1))
        object.__setattr__(self, "_effects", phrases_of.get(Role.effect, frozenset()))
        object.__setattr__(self, "_effect_first", frozenset(p[0] for p in self._effects))
        object.__setattr__(self, "_past_ending", dict(self._ending).get(Role.past, {}))
        object.__setattr__(self, "_past_opening", dict(self._opening).get(Role.past, {}))
        object.__setattr__(self, "_past_words", frozenset(w for w, found in self._past_ending.items() if (w,) in found))

    def _told_past(self, words: list[str] | tuple[str, ...], at: int) -> bool:
        """Whether a phrase that says an illness is over (`past_after`: "last yr", "years ago") starts at `at`."""
        return _opens_at(self._past_opening, words, at)

    def _when_given(self, before: list[str] | tuple[str, ...]) -> bool:
        """Whether the treatment, in the words before a cause phrase, is what the phrase times: not when it asks for
        a disease named in between ("ivig for aplastic anaemia after allo sct": the anaemia came after)."""
        given = max((i for i, w in enumerate(before) if w in self.treatment), default=None)
        return given is not None and not any(w in self.asking for w in before[given + 1:-1])

    @classmethod
    def from_lists(cls, lists: RoleWordLists) -> "RoleWords":
        def phrases(items: list[str]) -> Phrases:
            return frozenset(p for item in items if (p := canonical_phrase(item)))

        return cls(((Role.negated, phrases(lists.negated_before)), (Role.trigger, phrases(lists.trigger_before)),
                    (Role.history, phrases(lists.history_before)), (Role.besides, phrases(lists.besides_before)),
                    (Role.past, phrases(lists.past_before)),
                    (Role.parent, phrases(lists.parent_before)), (Role.effect, phrases(lists.effect_before))),
                   ((Role.negated, phrases(lists.negated_after)), (Role.history, phrases(lists.history_after)),
                    (Role.holder, phrases(lists.holder_after)), (Role.parent, phrases(lists.parent_after)),
                    (Role.past, phrases(lists.past_after)), (Role.trigger, phrases(lists.trigger_after))),
                   frozenset(w for item in lists.between for w in canonical_phrase(item)),
                   frozenset(w for item in lists.not_history_after for w in canonical_phrase(item)),
                   frozenset(w for item in lists.not_negated_after for w in canonical_phrase(item)),
                   frozenset(w for item in lists.time_units for w in canonical_phrase(item)),
                   frozenset(w for item in lists.some for w in canonical_phrase(item)),
                   frozenset(w for item in lists.treatment for w in canonical_phrase(item)),
                   frozenset(w for item in lists.referring for w in canonical_phrase(item)),
                   frozenset(w for item in lists.asking for w in canonical_phrase(item)),
                   frozenset(w for item in lists.pointing for w in canonical_phrase(item)),
                   frozenset(w for item in lists.onset for w in canonical_phrase(item)),
                   frozenset(p for item in lists.switching if (p := canonical_phrase(item))),
                   frozenset(w for item in lists.coordinating for w in canonical_phrase(item)),
                   frozenset(w for item in lists.comparing for w in canonical_phrase(item)),
                   frozenset(p for item in lists.diagnosing if (p := canonical_phrase(item))),
                   frozenset(p for item in lists.relabelled_before if (p := canonical_phrase(item))),
                   frozenset(w for item in lists.contrasting for w in canonical_phrase(item)),
                   tuple(ending.lower() for ending in lists.disease_endings),
                   frozenset(w for item in lists.disease_heads for w in canonical_phrase(item)),
                   frozenset(w for item in lists.persons for w in canonical_phrase(item)),
                   frozenset(p for item in lists.treatment_again if (p := canonical_phrase(item))),
                   frozenset(w for item in lists.present_before for w in canonical_phrase(item)),
                   frozenset(w for item in lists.relative_before for w in canonical_phrase(item)),
                   frozenset(w for item in lists.kin for w in canonical_phrase(item)),
                   frozenset(w for item in lists.pregnancy_kin for w in canonical_phrase(item)),
                   frozenset(w for item in lists.told_new for w in canonical_phrase(item)),
                   frozenset(w for item in lists.told_again for w in canonical_phrase(item)),
                   frozenset(w for item in lists.measured_after for w in canonical_phrase(item)),
                   frozenset(p for item in lists.correcting if (p := canonical_phrase(item))),
                   frozenset(w for item in lists.planned for w in canonical_phrase(item)),
                   frozenset(p for item in lists.other_patient if (p := canonical_phrase(item))),
                   frozenset(w for item in lists.findings for w in canonical_phrase(item)),
                   frozenset(w for item in lists.other_patient_lead for w in canonical_phrase(item)),
                   frozenset(p for item in lists.products if (p := canonical_phrase(item))),
                   frozenset(p for item in lists.treatment_names if (p := canonical_phrase(item))),
                   frozenset(p for item in lists.onset_before if (p := canonical_phrase(item))),
                   frozenset(w for item in lists.serology_between for w in canonical_phrase(item)),
                   frozenset(p for item in lists.circumstance_before if (p := canonical_phrase(item))))

    def relabelled_at(self, words: list[str] | tuple[str, ...], start: int, end: int, stop: int,
                      glued: frozenset[int] = frozenset()) -> bool:
        """Whether the name at start:end follows a phrase that labels it ("first treated as"), maybe with one word
        that qualifies the name between ("treated as seronegative NMOSD"; hyphen-joined words are one: "assumed
        non-infectious posterior uveitis"), and a contrasting word follows it before `stop` (its sentence's end):
        "... treated as Crohn's, but caseating granulomas": ruled out."""
        if self.contrasting.isdisjoint(words[end:stop]):
            return False
        qualified = start - 2 if start - 1 in glued else start - 1  # `glued`: tokens joined to the one before by "-"
        for k in (start, qualified)[:1 + (qualified >= 0)]:  # a name opening the message has no phrase before it
            for ends_at in self._phrase_ends(words, k, start):  # not `end`: that is the name's own end
                if any(tuple(words[max(0, ends_at - len(p)):ends_at]) == p for p in self.relabelled):
                    return True
        return False

    def corrected_at(self, words: list[str] | tuple[str, ...], end: int, stop: int, uncovered_starts) -> bool:
        """Whether, after the name ending at `end` and before `stop` (its sentence's end), a contrasting word and a
        correcting phrase bring in an uncovered disease: "referred from ED as stiff person syndrome but it's
        tetanus" sets the label aside."""
        for k in range(end, stop - 1):
            if words[k] in self.contrasting:
                for phrase in self.correcting:
                    after = k + 1 + len(phrase)
                    if tuple(words[k + 1:after]) == phrase and self._past_articles(words, after) in uncovered_starts:
                        return True
        return False

    def _past_articles(self, words: list[str] | tuple[str, ...], k: int) -> int:
        while k < len(words) and words[k] in ARTICLES:
            k += 1
        return k

    def _past_between(self, words: list[str] | tuple[str, ...], k: int, start: int) -> int:
        """Where a phrase before k ends, past the `between` words right before k ("history of"), never more than
        MAX_BETWEEN words back from the name at `start`."""
        while k > 0 and start - k < MAX_BETWEEN and words[k - 1] in self.between:
            k -= 1
        return k

    def _phrase_ends(self, words: list[str] | tuple[str, ...], k: int, start: int) -> range:
        """Where a role phrase before k may end: past all the `between` words first ("history of"), then nearer, as
        a phrase may end in such a word itself ("thought it was MMN")."""
        return range(self._past_between(words, k, start), k + 1)

    def asks_at(self, words: list[str] | tuple[str, ...], k: int) -> bool:
        """Whether the word at k is one of `asking` that asks ("IVIG for PSC?"), not one saying what IVIG is compared
        with ("has IVIG been compared with steroids?": the steroids are no disease)."""
        return words[k] in self.asking and not (k > 0 and words[k - 1] in self.comparing)

    def past_before_any(self, words: list[str] | tuple[str, ...]) -> bool:
        """Whether a one-word phrase of the past role ("had", "previous") is among the words."""
        return not self._past_words.isdisjoint(words)

    def past_right_before(self, words: list[str] | tuple[str, ...], i: int) -> bool:
        """Whether a phrase of the past role ends right before word i ("had", "managed as")."""
        ending = self._past_ending.get(words[i - 1], ()) if i else ()
        return any(tuple(words[i - len(p):i]) == p for p in ending)

    def a_while_after(self, words: list[str] | tuple[str, ...], start: int) -> bool:
        """Whether the name at `start` follows a time since it and a one-word trigger ("2 weeks after chickenpox: now
        drowsy", "a month following flu"): the question tells what came before, and asks about what came after."""
        if start < 3 or words[start - 2] not in self.time_units:
            return False
        return (words[start - 1],) in self.triggers and (words[start - 3].isdigit() or words[start - 3] in self.some)

    def ends_as_disease(self, token: "Token") -> bool:
        """Whether a word typed in lower case is long enough and ends as diseases' names do ("arteriopathy")."""
        return token.original.islower() and len(token.original) >= DISEASE_WORD and token.canonical.endswith(
            self.disease_endings)

    def own_feature_after(self, words: list[str] | tuple[str, ...], end: int, cue: str) -> int | None:
        """Where the cue that settled a name starts, when an effect phrase right after the name leads to it ("ASS
        associated ILD"): the name and its cue are one label, the condition's own feature, not a cause and its
        effect. None otherwise."""
        for p in self._effects if cue else ():
            at = end + len(p)
            if tuple(words[end:at]) == p and " ".join(words[at:at + len(cue.split())]).lower() == cue.lower():
                return at
        return None

    def role(self, words: list[str] | tuple[str, ...], start: int, end: int, stops: tuple[int, ...] = (),
             glued: frozenset[int] = frozenset(), tested: bool = True) -> Role | None:
        """The role the words around tokens start:end give the name there, if any, within its sentence: `stops` are
        the tokens that open a new one ("... - PG. On pred": PG is not "on" anything). A role phrase before the name
        whose first word is hyphen-joined to the word before it (`glued`: those tokens) makes an adjective of it, and
        gives no role ("EBV-triggered HLH" is HLH asked about), and makes the name before it a trigger. Unless the name
        is what a test finds itself (`tested`), a negating word after an antibody test's words negates nothing
        ("myasthenia gravis, antibody negative": seronegative)."""
        first = 0
        if stops:
            first = max((k for k in stops if k <= start), default=0)
            words = words[first:min((k for k in stops if k >= end), default=len(words))]
            start, end = start - first, end - first
        if start >= 3 and words[start - 1] == "for" and words[start - 3] == "on" and words[start - 2] not in self.treatment:
            return Role.history  # "on tofacitinib for RA": what a drug the patient takes is for; not "on IVIG for CIDP"
        for k in self._phrase_ends(words, start, start):  # the role phrase ends right before k
            last = words[k - 1] if k > 0 else None
            for role, by_last in self._ending:
                fits = [p for p in by_last.get(last, ()) if tuple(words[max(0, k - len(p)):k]) == p
                        and k - len(p) + first not in glued]
                if fits:
                    if role is Role.past and any(k > len(p) and words[k - len(p) - 1] in self.present for p in fits):
                        continue  # "now labelled acquired von Willebrand": the label is the current one
                    if role is Role.parent and "of" not in words[k:start]:
                        continue  # "Miller Fisher variant of GBS"; not "MECP2 variant -> Rett syndrome", a gene's variant
                    if role is Role.negated and end < len(words) and words[end] in self.not_negated_after:
                        continue  # "no measles immunity": what the patient lacks is immunity; measles is asked about
                    if role is Role.trigger and self._when_given(words[max(0, k - 5):k - 1]):
                        continue  # "is IVIG still recommended after allogeneic SCT?": when IVIG is given, not a cause
                    if role is Role.effect and not any(k > len(p) and words[k - len(p) - 1] in self.relative
                                                       for p in fits):
                        continue  # "covid triggered GBS": GBS is asked about; "the EBV that triggered his HLH" not
                    return role
        # "covid-triggered GBS", "covid triggered GBS": covid is what set it off; not "HLH triggered by EBV".
        if end < len(words) and words[end] in self._effect_first and any(
                tuple(words[end:end + len(p)]) == p and (end + first in glued or end + len(p) < len(words)
                                                          and words[end + len(p)] not in PASSIVE) for p in self._effects):
            return Role.trigger
        k = end  # the role phrase starts at k
        while k < len(words) and k - end < MAX_BETWEEN and words[k] in self.between:
            k += 1
        for role, by_first in self._opening:
            at = end if role is Role.trigger else k  # "covid serology pos": the test's words are the phrase's own
            if _opens_at(by_first, words, at):
                if role is Role.negated and not tested and not self.serology.isdisjoint(words[end:k]):
                    continue  # "myasthenia gravis, antibody negative": seronegative, still the disease
                if role is Role.history and (k != end or k + 1 >= len(words) or words[k + 1] in self.not_history_after
                                             or words[k + 1] in ARTICLES or words[k + 1] in self.referring):
                    continue  # "Crohn's on adalimumab", right after the name, and not "on IVIG" or "on the shin"
                if role is Role.holder and k != end:
                    continue  # "the SLE patient", not "SLE, the patient is 40"
                if role is Role.holder and self._told_past(words, k + 1):
                    return Role.past  # "we used ivig in a DLRPN pt last yr": a patient seen before, not this one
                if role is Role.parent and (k != end or k + 1 < len(words) and words[k + 1] == "of"):
                    continue  # "GBS variant with ...", not "Miller Fisher variant of GBS"
                if role is Role.past and k != end:
                    continue  # "West syndrome as an infant", right after the name
                return role
        # "HLH in 2025": the year it happened, right after the name, says it is over.
        # "Sydenham chorea at 9", "at age 9": the age it happened at, right after the name, says it is over too;
        # not a time in weeks, days or months ("measles exposure at 28 weeks" is a pregnancy's).
        age_at = end + 2 if end + 1 < len(words) and words[end + 1] == "age" else end + 1
        if age_at < len(words) and words[end] == "at" and AGE.fullmatch(words[age_at]) and not (
                age_at + 1 < len(words) and words[age_at + 1] in self.time_units and words[age_at + 1] not in YEARS):
            return Role.past
        # "C diff 2021", "HLH in 2025", "nec fasc of R thigh in 2024" (where, then when), "HIT after CABG in 2020",
        # "septic shock from pneumonia in 2021" (what set it off or caused it, then when)
        after = words[end:end + 1] in (["of"], ["after"], ["from"]) and next(
            (m + 1 for m in range(end + 2, min(end + 5, len(words) - 1)) if words[m] == "in"), None) or end + (
            words[end:end + 1] == ["in"])
        if after < len(words) and YEAR.fullmatch(words[after]):
            return Role.past
        # "chronic idiopathic pericarditis for 6 yrs", "RA for years": years the patient has lived with it (not "tics
        # for 3 weeks", a story's start).
        span = end + 1 + (end + 1 < len(words) and (words[end + 1].isdigit() or words[end + 1] in self.some))
        if words[end:end + 1] == ["for"] and span < len(words) and words[span] in YEARS:
            return Role.history
        # "covid 5 wks ago": a time since the name, then "ago", says it is over; not after a word that tells the
        # name as new ("new narcolepsy with cataplexy 2 months ago": when it began).
        def began() -> bool:  # looked for only when "ago" follows: most names have none
            return any(tuple(words[max(0, start - len(p)):start]) == p for p in self.onset_before)

        if end + 2 < len(words) and words[end + 2] == "ago" and words[end + 1] in self.time_units and (
                words[end].isdigit() or words[end] in self.some) and not began():
            return Role.past
        if end + 1 < len(words) and words[end + 1] == "ago" and (glued := GLUED_SPAN.fullmatch(words[end])) and (
                glued.group(1) in self.time_units or glued.group(1) in UNIT_LETTERS) and not began():
            return Role.past  # "polytrauma 12d ago"
        # A past-role word that is also a `between` word ("had") was skipped above: right before the name, or before
        # its article, it still says the illness is over ("had kawasaki disease at age 3"; "never had" negates).
        k = start
        while k > 0 and words[k - 1] in ARTICLES:
            k -= 1
        if k > 0 and words[k - 1] in self._past_words and not (k > 1 and words[k - 2] in self.present):
            return Role.past
        return None


def sentence_stops(tokens: list, text: str, roles: RoleWords) -> tuple[int, ...]:
    """The tokens that open a sentence, for `RoleWords.role`: after a stop and a space, and after a negating word
    set apart by a comma, colon or dash ("no - CIDP", "no, the adult one" answer a question; they negate nothing).
    Not a word of a longer negating phrase: "worked up for ?vasculitic neuropathy" queries the name after "for"."""
    return tuple(k for k in range(1, len(tokens)) if SENTENCE_END.search(text, tokens[k - 1].end, tokens[k].start)
                 or tokens[k - 1].canonical in roles.negation_words
                 and CLAUSE_END.search(text, tokens[k - 1].end, tokens[k].start))
