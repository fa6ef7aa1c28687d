"""Every name the matcher knows: covered conditions' terms, imported ontology names and subtypes, uncovered diseases."""

from __future__ import annotations

import math
import re
from collections.abc import Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import Field

from bot.knowledge import DataError, KnowledgeBase, is_present, parse_model
from bot.match.cues import CUE_GROUP_PREFIX, Cues, groups_named, load_cues
from bot.match.entry import AliasEntry as AliasEntry  # where the matcher's modules import it from
from bot.match.alone import named_alone
from bot.match.plurals import looks_plural, singular_forms
from bot.models import MatchMethod
from bot.paths import intents_dir
from bot.match.broader import kinds_of
from bot.match.role_lists import RoleWordLists
from bot.match.roles import RoleWords
from bot.schema import StrictModel
from bot.text import Token, canonical_phrase, name_keys

RULES_FILE = "matching.yaml"
# Grammatical words (and the drug's own name): a reading neither starts nor ends with one.
FILLER = frozenset(
    "a an and are as at be by can could did do does for from has have help how i in is it its me my of on or "
    "should the there this to use used using was what when where which who why will with would you ivig".split()
)


class Thresholds(StrictModel):
    loose_accept: float = Field(default=0.82, gt=0, le=1)
    loose_suggest: float = Field(default=0.6, gt=0, le=1)
    loose_margin: float = Field(default=0.12, ge=0, le=1)
    loose_sole_accept: float = Field(default=0.6, gt=0, le=1)
    late_cue_floor: float = Field(default=0.9, gt=0, le=1)
    max_extra_words: int = Field(default=1, ge=0, le=3)


class LowerCase(StrictModel):
    min_letters: int = Field(default=3, ge=2, le=10)
    not_when: list[str] = Field(default_factory=list)
    # ... except beside one of these words of the question: "hit" with "heparin" is HIT; beside them the lower case
    # stands for the capitals in any message ("pandas" with "strep").
    unless_beside: dict[str, list[str]] = Field(default_factory=dict)
    not_amid_capitals: list[str] = Field(default_factory=list)  # never the abbreviation amid capitals ("pots")
    correcting: list[str] = Field(default_factory=list)  # "meant": a message naming only the word corrects to it
    correcting_lead: list[str] = Field(default_factory=list)  # "sorry", "no", "i": may come before it
    short_not_named: list[str] = Field(default_factory=list)  # two letters never named alone ("and bp?")


class Recurrence(StrictModel):
    """`recurrence:` of matching.yaml: words, and counts before a plural, that say a disease came back."""
    words: list[str] = Field(default_factory=list)
    counts: list[str] = Field(default_factory=list)


class MatchingRules(StrictModel):
    schema_version: Literal[1]
    head_words: list[str] = Field(default_factory=list)
    optional_words: list[str] = Field(default_factory=list)
    negations: list[str] = Field(default_factory=list)
    prefixes: list[str] = Field(default_factory=list)
    distant_prefixes: list[str] = Field(default_factory=list)
    timing_prefixes: list[str] = Field(default_factory=list)
    procedures: list[str] = Field(default_factory=list)
    medical_context: list[str] = Field(default_factory=list)
    lower_case_abbreviations: LowerCase = Field(default_factory=LowerCase)
    never_alone: list[str] = Field(default_factory=list)
    adjective_endings: dict[str, str] = Field(default_factory=dict)
    cue_negations: list[str] = Field(default_factory=list)
    course_words: list[str] = Field(default_factory=list)
    defining_course_words: list[str] = Field(default_factory=list)
    joining_words: list[str] = Field(default_factory=list)
    outcome_words: list[str] = Field(default_factory=list)
    units: list[str] = Field(default_factory=list)
    treatment_words: list[str] = Field(default_factory=list)
    recurrence: Recurrence = Field(default_factory=Recurrence)
    roles: RoleWordLists = Field(default_factory=RoleWordLists)
    thresholds: Thresholds = Field(default_factory=Thresholds)


RECURRENT = "recurrent"  # the defining word `recurrence` words and counts are read as


@dataclass(frozen=True)
class Rules:
    head: frozenset[str]
    optional: frozenset[str]
    negations: frozenset[str]
    prefixes: frozenset[str]
    medical: frozenset[str]
    thresholds: Thresholds
    lower_case: LowerCase = field(default_factory=LowerCase)
    never_alone: frozenset[str] = frozenset()
    adjective_endings: tuple[tuple[str, str], ...] = ()  # longest ending first
    course: frozenset[str] = frozenset()  # "severe", "sensory": how a disease runs, not which disease it is
    cue_negations: frozenset[str] = frozenset()  # "non": the cue word after it says the opposite
    defining: frozenset[str] = frozenset()  # "recurrent", "chronic": without one, a name is another disease
    joining: frozenset[str] = frozenset()  # "with", "associated": what follows says with what, not which disease
    outcome: frozenset[str] = frozenset()  # "prevent": what follows is what IVIG should spare the patient
    roles: RoleWords = field(default_factory=RoleWords)  # "not", "after", "known": background, not the question
    units: frozenset[str] = frozenset()  # "mg", "pm": right after a number, a capitalised term is that unit
    treatment: frozenset[str] = frozenset()  # "IVIg": its capitals say nothing of how the writer types abbreviations
    recurring: frozenset[str] = frozenset()  # "repeated", "keeps": read as "recurrent" by the loose pass
    counts: frozenset[str] = frozenset()  # "three": before a plural, read as "recurrent" too, as a number from 2 is
    distant_prefixes: frozenset[str] = frozenset()  # "familial": another disease a few describing words before too
    timing: tuple[frozenset[str], frozenset[str]] = (frozenset(), frozenset())  # "post" before "allo-SCT": when
    # Derived once: a word right before a reading that makes it another disease ("non", "post").
    turning: frozenset[str] = field(init=False, repr=False, compare=False)
    # ... and the words that never carry a name: filler and head words ("syndrome").
    generic: frozenset[str] = field(init=False, repr=False, compare=False)
    # ... and every word of how a disease runs, defining ones too ("chronic", "neonatal").
    describing: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "turning", self.negations | self.prefixes)
        object.__setattr__(self, "generic", FILLER | self.head)
        object.__setattr__(self, "describing", self.course | self.defining)

    def recurrent_at(self, words: list[str]) -> frozenset[int]:
        """The places of the words that say the disease came back, read as "recurrent" ("repeated miscarriages",
        "3 miscarriages": a count right before a plural that is no time unit, or one word before it: "8 chest
        infections")."""
        return frozenset(k for k, word in enumerate(words) if word in self.recurring
                         or self._counts_episodes(word, words[k + 1] if k + 1 < len(words) else "")
                         or k + 2 < len(words) and words[k + 1].isalpha() and words[k + 1] not in self.roles.time_units
                         and self._counts_episodes(word, words[k + 2]))

    def _counts_episodes(self, word: str, after: str) -> bool:
        if not (word in self.counts or word.isdigit() and len(word) < 3 and int(word) >= 2):
            return False
        return looks_plural(after) and after not in self.roles.time_units  # "24/40, previous loss" counts none

    def noun_forms(self, word: str) -> tuple[str, ...]:
        """The nouns an adjective may stand for ("autistic": autism); none for a word no ending fits."""
        return tuple(word[: len(word) - len(ending)] + noun for ending, noun in self.adjective_endings
                     if word.endswith(ending) and len(word) > len(ending) + 1)

    def lower_case_fits(self, entry: "AliasEntry", typed: str, cued: bool = False,
                        split: tuple[str, ...] = (), words: Collection[str] = ()) -> bool:
        """Whether an abbreviation typed in lower case in an all-lower-case message ("ivig for itp") stands for
        the capitals of the data: long enough (or shorter, with one of its cue words in the question: "mg
        crisis"), written in capitals there (two at least: "SSc"), and not an everyday word ("air"). Typed `split`
        into its parts, as the data writes it ("mis-c", not "misc"), it is no everyday word, unless a part is a
        little word ("a man" is no AMAN). An everyday word stands for it beside a word the data names for it (`words`:
        "hit" with "heparin")."""
        text = entry.case_text
        long_enough = len(text) >= self.lower_case.min_letters or len(text) >= 2 and (
            cued or typed not in self.lower_case.short_not_named and (self._named_alone(typed, words)
                                                                      or self._asked_for(typed, words)))
        capitals = text.isupper() or sum(map(str.isupper, text)) >= 2  # "SSc", "EoE": mixed, but an abbreviation
        return (entry.condition_id is not None and long_enough and capitals and typed == text.lower()
                and (FILLER.isdisjoint(split) if split  # "on" is no ON
                     else typed not in FILLER and (typed not in self.lower_case.not_when or not set(
                         self.lower_case.unless_beside.get(typed, ())).isdisjoint(words) or self._named_alone(typed, words))))

    def _asked_for(self, typed: str, words: Collection[str]) -> bool:
        """Whether two letters follow the treatment and its asking word: "ivig in ms?", "ivig for mg, any rct?" ask
        about the abbreviation, not the unit."""
        words = tuple(words)
        return any(words[k] == typed and self.roles.asks_at(words, k - 1) and words[k - 2] in self.treatment
                   for k in range(2, len(words)))

    def _named_alone(self, typed: str, words: Collection[str]) -> bool:
        """Whether the message is only a switching phrase or a correction and the word: "and hit?", "what about ten?",
        "sorry meant ms" ask about the abbreviation, not the everyday word or the unit."""
        words, lower = tuple(words), self.lower_case
        if words[-1:] != (typed,):
            return False
        before = words[:-1]
        return before in self.roles.switching or bool(before) and not lower.correcting.isdisjoint(before) \
            and lower.correcting_lead.issuperset(before)

    def lower_case_beside(self, entry: "AliasEntry", typed: str, words: Collection[str], split: tuple[str, ...] = ()) -> bool:
        """Whether an abbreviation typed in lower case amid capitals stands for the data's capitals: as in a message all
        in lower case, but no word of its own there ("itp", not "pots"), or beside a word the data names for it."""
        beside = self.lower_case.unless_beside.get("-".join(split) if split else typed)  # "mis-c", never "misc"
        return (bool(beside) and not set(beside).isdisjoint(words) or typed not in self.lower_case.not_amid_capitals) \
            and self.lower_case_fits(entry, typed, split=split, words=words)

    def typed_in_lower_case(self, tokens: list[Token]) -> bool:
        """Whether the writer types in lower case: a capital a phone puts at the start ("Does ivig help itp"), the
        pronoun "I", the treatment's name in its usual mixed case ("IVIg in gbs") and an age with a sex as case notes
        write them ("59M bulbar onset als") do not say otherwise; the treatment's name all in capitals does ("I keep
        my IVIG in pots"; amid capitals only a form that is no word of its own is read: `lower_case_beside`)."""
        for k, token in enumerate(tokens):
            typed = token.original
            if typed == "I" or token.canonical in self.treatment and not typed.isupper() \
                    or typed[-1:] in ("M", "F") and typed[:-1].isdigit():
                continue
            if any(ch.isupper() for ch in (typed[1:] if k == 0 else typed)):
                return False
        return True

    @classmethod
    def load(cls, directory: Path | None = None) -> "Rules":
        path = (Path(directory) if directory else intents_dir()) / RULES_FILE
        if not is_present(path):  # optional; but a FIFO or a broken link is reported, not read as "no rules"
            return cls(frozenset(), frozenset(), frozenset(), frozenset(), frozenset(), Thresholds())
        problems: list[str] = []
        parsed = parse_model(MatchingRules, path, problems)
        if parsed is None:
            raise DataError(problems)

        def words(items: list[str]) -> frozenset[str]:
            return frozenset(w for item in items for w in canonical_phrase(item))

        lower = parsed.lower_case_abbreviations
        lower = lower.model_copy(update={name: frozenset(w.lower() for w in getattr(lower, name)) for name in (
            "not_when", "correcting", "short_not_named")} | {"correcting_lead": frozenset(
            w.lower() for w in lower.correcting + lower.correcting_lead)})  # a correction's own words may lead it
        endings = sorted(((a.lower(), n.lower()) for a, n in parsed.adjective_endings.items()),
                         key=lambda pair: -len(pair[0]))
        return cls(words(parsed.head_words), words(parsed.optional_words), words(parsed.negations),
                   words(parsed.prefixes), words(parsed.medical_context), parsed.thresholds, lower,
                   words(parsed.never_alone), tuple(endings), words(parsed.course_words),
                   words(parsed.cue_negations), words(parsed.defining_course_words), words(parsed.joining_words),
                   words(parsed.outcome_words), RoleWords.from_lists(parsed.roles), words(parsed.units),
                   words(parsed.treatment_words), words(parsed.recurrence.words), words(parsed.recurrence.counts),
                   words(parsed.distant_prefixes), (words(parsed.timing_prefixes), words(parsed.procedures)))


@dataclass
class Lexicon:
    entries: list[AliasEntry] = field(default_factory=list)
    condition_words: dict[str, int] = field(default_factory=dict)  # word -> covered conditions whose names use it
    weights: dict[str, float] = field(default_factory=dict)
    rare_weight: float = 1.0  # a word no covered name uses (in an uncovered name): as informative as the rarest
    stop: frozenset[str] = frozenset()
    uncovered: dict[str, list] = field(default_factory=dict)  # joined words -> UncoveredName (key, case, doid, name)
    uncovered_forms: dict[str, list] = field(default_factory=dict)  # the same, typed otherwise (bot/match/plurals.py)
    broader: dict[str, frozenset[str]] = field(default_factory=dict)  # DOID -> conditions that are kinds of it
    forms: dict[str, frozenset[str]] = field(default_factory=dict)  # DOID -> conditions it is an unaccepted form of

    def uncovered_entries(self) -> list[AliasEntry]:
        """Uncovered names of two words or more as entries, for loose readings to compete with (built on demand)."""
        out = []
        for names in self.uncovered.values():
            for name in names:
                words = tuple(name.key.split())
                # A name the ontology writes in capitals ("PARRY-ROMBERG SYNDROME") is no abbreviation read by case.
                if len(words) > 1 and (not name.case or not _needs_case(name.name)):
                    out.append(AliasEntry.of(None, name.name, MatchMethod.exact, False, "", words, doid=name.doid))
        return out

    def weight(self, word: str) -> float:
        found = self.weights.get(word)
        return found if found is not None else 0.0 if word in self.stop else self.rare_weight


def bracket_forms(name: str) -> list[str]:
    """A name and, when it has a bracketed qualifier, the name without it: "X (routine prophylaxis)" -> "X"."""
    bare = " ".join((re.sub(r"\([^)]*\)", " ", name) if "(" in name else name).split())
    return [name, bare] if bare and bare != name else [name]


def _entry(folded: dict[str, str], cid, text, method, match_case=False, **extra) -> AliasEntry:
    case_text, words = name_keys(text, folded)  # `folded`: the lexicon's words, each folded once and shared
    if not match_case and not case_text.isupper():  # only a term in capitals is read by its case ("RRTIs")
        case_text = ""  # at 100,000 conditions, 33 MB less
    return AliasEntry.of(cid, text, method, match_case, case_text, words, **extra)


def _term_entry(folded: dict[str, str], cid, term, method, cues: Cues) -> AliasEntry:
    return _entry(folded, cid, term.text, method, term.match_case, other_meanings=tuple(term.other_meanings),
                  cues=cues.expand([c for c in term.cues if not c.startswith(CUE_GROUP_PREFIX)]),
                  cue_groups=groups_named(term.cues), other_groups=groups_named(term.other_cues),
                  answer_with_note=term.answer_with_note, answer_alone=term.answer_alone, setting=term.setting,
                  other_cues=cues.expand(term.other_cues), other_not_a_disease=term.other_not_a_disease)


def build_lexicon(kb: KnowledgeBase, rules: Rules, cues: Cues | None = None) -> Lexicon:
    cues = cues or load_cues()
    lexicon = Lexicon()
    entries = lexicon.entries
    add = entries.append
    folded: dict[str, str] = {}
    # How many covered conditions use each word, counted a condition at a time as its entries are made (a set of
    # condition ids per word held 100 MB at 100,000 conditions); `spans`: each condition's own entries.
    counts = lexicon.condition_words
    spans: dict[str, tuple[int, int]] = {}
    shared: list[int] = []  # where the ambiguous terms' entries are: `_sibling_groups` reads only those
    vocabulary = kb.vocabulary
    for cond in kb.conditions.values():
        start = len(entries)
        names = [v for name in [cond.name, *cond.synonyms] for v in bracket_forms(name)]
        for name in dict.fromkeys(names):
            add(_entry(folded, cond.id, name, MatchMethod.exact))
        for term in cond.abbreviations:
            add(_term_entry(folded, cond.id, term, MatchMethod.abbreviation, cues))
        for term in cond.ambiguous_terms:
            shared.append(len(entries))
            add(_term_entry(folded, cond.id, term, MatchMethod.ambiguous, cues))
        for phrase in cond.never_match:
            add(_entry(folded, cond.id, phrase, MatchMethod.exact, blocks=True))
        for word in _words(entries, start):
            counts[word] = counts.get(word, 0) + 1
        if vocabulary is not None:
            spans[cond.id] = (start, len(entries))
    if vocabulary is not None:
        for cid, entry in vocabulary.covered.items():
            if cid not in kb.conditions:
                continue
            start = len(entries)
            for name in entry.synonyms:
                method = MatchMethod.ambiguous if name.shared_with else MatchMethod.exact
                if name.shared_with:
                    shared.append(len(entries))
                case = _needs_case(name.text)
                add(_entry(folded, cid, name.text, MatchMethod.abbreviation if case and method is MatchMethod.exact
                           else method, case, doid=name.doid))
            for subtype in entry.subtypes:
                for name in subtype.names:
                    shown = subtype.label if subtype.label in subtype.names else name  # a label not taken: as typed
                    add(_entry(folded, cid, name, MatchMethod.subtype, _needs_case(name), subtype=shown, doid=subtype.doid))
            for word in _words(entries, start) - _words(entries, *spans[cid]):
                counts[word] = counts.get(word, 0) + 1
        lexicon.broader = kinds_of(vocabulary, kb.conditions)
        lexicon.forms = kinds_of(vocabulary, kb.conditions, "narrower")
        for name in vocabulary.uncovered:  # kept compact: an AliasEntry each would slow every start
            lexicon.uncovered.setdefault(name.key.replace(" ", ""), []).append(name)
        lexicon.uncovered_forms = singular_forms(  # "restless leg syndrome", "bells palsy"
            lexicon.uncovered, {"".join(e.words) for e in entries}, rules.head)
    _sibling_groups(entries, shared)
    # The eponyms' words are words of their conditions' names already: the counts above stand.
    stop = FILLER | rules.head | rules.optional
    entries.extend(named_alone(entries, lexicon.uncovered, rules, lexicon.condition_words, stop))
    total = max(1, len(kb.conditions))
    lexicon.stop = frozenset(stop)
    lexicon.rare_weight = math.log(1 + total)
    for word, owners in counts.items():
        # Inverse document frequency over the covered conditions: a word most conditions share says little.
        lexicon.weights[word] = 0.0 if word in stop else math.log(1 + total / owners)
    return lexicon


def _sibling_groups(entries: list[AliasEntry], shared: list[int]) -> None:
    """A term shared only by conditions the data tells apart by patient group ("immune thrombocytopenia": ITP in
    adults, ITP in children) is settled by the groups their other terms name (@adult, @child), so that a curator
    need not repeat them on every such term. A term with a reading that names no group ("thrombocytopenia" is also
    alloimmune thrombocytopenia) is left as written: a child's thrombocytopenia need not be ITP."""
    groups: dict[str, set[str]] = {}
    readings: dict[tuple[str, ...], set[str]] = {}
    for index in shared:
        entry = entries[index]
        readings.setdefault(entry.words, set()).add(entry.condition_id)
        if entry.cue_groups:
            groups.setdefault(entry.condition_id, set()).update(entry.cue_groups)
    for index in shared if groups else ():
        entry = entries[index]
        if (not entry.cue_groups and len(readings[entry.words]) > 1
                and all(cid in groups for cid in readings[entry.words])):
            entries[index] = entry.but(cue_groups=frozenset(groups[entry.condition_id]))


def uncovered_entry(name) -> AliasEntry:
    """An uncovered disease's name (`bot.vocabulary.UncoveredName`) as the exact pass reads it: no condition."""
    return AliasEntry.of(None, name.name, MatchMethod.exact, bool(name.case), name.case or "", tuple(name.key.split()),
                      doid=name.doid)


def _words(entries: list[AliasEntry], start: int, end: int | None = None) -> set[str]:
    """The words of entries[start:end] that name their condition (never_match phrases do not)."""
    return {w for e in entries[start:end] if not e.blocks for w in e.words}


def _needs_case(text: str) -> bool:
    letters = "".join(ch for ch in text if ch.isalpha())
    return len(letters) <= 5 and letters.isupper()
