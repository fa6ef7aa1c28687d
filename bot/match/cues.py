"""Cue words as data (intents/cues.yaml): the words and ages around an ambiguous term that settle its meaning."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import Field

from bot.knowledge import DataError, is_present, parse_model
from bot.paths import intents_dir
from bot.phrases import contains_phrase, lengths_of
from bot.schema import CUE_GROUP_PREFIX, StrictModel
from bot.text import canonical_phrase, canonical_word

CUES_FILE = "cues.yaml"
LONG = "long"  # the cue group a duration in years falls in
SWAP_LETTERS = 8  # a cue word this long is still read with two neighbouring letters swapped ("paediatirc")
_AGE = re.compile(r"\b(\d{1,3})\s*-?\s*(y(?:ea)?rs?|yo|y/o|months?|mo|weeks?|wk|days?|d)\b(\s*-?\s*old)?|"
                  r"\baged?\s+(\d{1,3})\b|"
                  # an age given alone, as in a reply to "adults or children?": "she's 5", "he is 70.", "pt is 4",
                  # "shes 72" (the apostrophe left out)
                  r"\b(?:(?:she|he|pt|patient|child|kid|son|daughter|boy|girl)\s*(?:['’]s|\s+is)|shes|hes)\s+(\d{1,3})"
                  r"(?=\s*(?:[.,;!?)]|$))", re.IGNORECASE)
_DIGIT = re.compile(r"\d")  # every pattern below needs one
# Age and sex as case notes write them: "41M", "38F" (in capitals inside a message: "5m" may be metres or months).
_AGE_SEX = re.compile(r"\b(\d{1,3})\s?[MF]\b")
_AGE_SEX_TYPED = re.compile(_AGE_SEX.pattern, re.IGNORECASE)  # "74m, 3 yrs ...": an age told before years
# In lower case too where it opens the message, as a case note opens ("67m with copd ..."); not months ("18mo",
# "18m old").
_AGE_SEX_OPENING = re.compile(r"^\W*(\d{1,3})\s?[mf]\b(?!\s*-?\s*old\b)", re.IGNORECASE)
# A number after one of these is a subtype or a grade ("glycogen storage disease type 9d", "stage 3 d"), never an age.
_LABEL_BEFORE = re.compile(r"\b(?:type|types|grade|stage|class|level|phase|factor|chromosome|trisomy)\s*-?\s*$",
                           re.IGNORECASE)
# A number of days, weeks or months not followed by "old" is an age only after none of these ("for 5 days", "despite
# 6 mo ART").
_DURATION_BEFORE = re.compile(r"\b(?:for|over|after|since|within|past|last|x|every|per|lasting|about|despite)\s*$",
                              re.IGNORECASE)
# ... nor before one of these ("9 days after 2 units of red cells", "3 weeks ago", "5 days of fever", "a 3 week
# history of bruising", "2 weeks on steroids", "10 days in ICU"): a time.
_DURATION_AFTER = re.compile(r"\s*-?\s*(?:after|ago|post|later|before|into|of(?!\s+age)|history|hx|on|in|icu|itu|hdu|stay|course|"
                             r"admission|admitted|intubated|ventilated)\b", re.IGNORECASE)
# ... nor a plural written out after "in" ("3 pneumonias in 18 months"): how long, where "in 9 mo" may be an age.
_DURATION_IN = re.compile(r"\bin\s*$", re.IGNORECASE)
_WRITTEN_OUT = frozenset({"days", "weeks", "months", "years"})


class Ages(StrictModel):
    child_below: int = Field(default=18, ge=1, le=30)
    newborn_below_days: int = Field(default=28, ge=1, le=365)


class CuesFile(StrictModel):
    schema_version: Literal[1]
    groups: dict[str, list[str]] = Field(default_factory=dict)
    relations: list[str] = Field(default_factory=list)
    ages: Ages = Field(default_factory=Ages)


@dataclass(frozen=True)
class Cues:
    groups: dict[str, tuple[tuple[str, ...], ...]]
    ages: Ages
    # Words of the child group that name a relation ("daughter"): beside an adult's age, someone else.
    relations: frozenset[tuple[str, ...]] = frozenset()
    # Derived once: each group's phrases as a set, and every phrase length (see bot.phrases).
    group_sets: dict[str, frozenset[tuple[str, ...]]] = field(init=False, repr=False, compare=False)
    group_lengths: tuple[int, ...] = field(init=False, repr=False, compare=False)
    # Every word of every group: words a question uses besides names ("children", "pregnant").
    words: frozenset[str] = field(init=False, repr=False, compare=False)
    # A cue word this long typed with two neighbouring letters swapped or a letter inside left out, and the word.
    swapped: dict[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "group_sets", {name: frozenset(ps) for name, ps in self.groups.items()})
        object.__setattr__(self, "group_lengths", lengths_of(p for ps in self.groups.values() for p in ps))
        object.__setattr__(self, "words", frozenset(w for ps in self.groups.values() for p in ps for w in p))
        swapped: dict[str, str] = {}
        for word in self.words:
            if len(word) >= SWAP_LETTERS:
                for k in range(1, len(word) - 1):  # not the first letter, which a typist rarely swaps
                    if word[k] != word[k + 1]:
                        swapped.setdefault(word[:k] + word[k + 1] + word[k] + word[k + 2:], word)
                    swapped.setdefault(word[:k] + word[k + 1:], word)  # ... or a letter inside left out ("neonatl")
        object.__setattr__(self, "swapped", {typo: word for typo, word in swapped.items() if typo not in self.words})

    def unswapped(self, words: tuple[str, ...]) -> tuple[str, ...]:
        """The words with a cue word typed with two letters swapped or one left out put right ("paediatirc",
        "neonatl")."""
        swapped = self.swapped
        return tuple(swapped.get(w, w) for w in words) if swapped and not swapped.keys().isdisjoint(words) else words

    def group_around(self, words: list[str], start: int, end: int, terms: list[tuple[int, int]],
                     filler: frozenset[str]) -> bool:
        """Whether the words start:end hold one of the ambiguous `terms` and, besides it, only cue words and filler
        ("sepsis in a newborn"): read as one name, they would settle the term by who the patient is."""
        return any(start <= s and e <= end and all(w in filler or w in self.words for w in (*words[start:s], *words[e:end]))
                   for s, e in terms)

    def expand(self, cues: list[str]) -> tuple[tuple[str, ...], ...]:
        """A term's cues as canonical phrases, groups ("@child") replaced by their phrases; a phrase ending in a word
        (four letters or more) also in its plural ("tampon": "tampons"; "fistula": "fistulae"), which questions write as
        often."""
        out: list[tuple[str, ...]] = []
        for cue in cues:
            if cue.startswith(CUE_GROUP_PREFIX):
                out.extend(self.groups.get(cue[1:], ()))
            elif phrase := canonical_phrase(cue):
                out.append(phrase)
                last = phrase[-1]
                if len(last) >= 4 and last.isalpha() and not last.endswith("s"):
                    out.append((*phrase[:-1], last + "s"))
                    if last.endswith("a"):  # ... or in its Latin plural ("fistula": "fistulae", read "fistule")
                        out.append((*phrase[:-1], canonical_word(last + "e")))
        return tuple(dict.fromkeys(out))

    def _pregnancy(self, text: str) -> bool:
        """Whether the question speaks of a pregnancy (the "pregnancy" cue group)."""
        words = canonical_phrase(text)
        return any(contains_phrase(words, p) for p in self.groups.get("pregnancy", ()))

    def age_groups(self, text: str) -> set[str]:
        """The cue groups the ages in a question fall in: "6yo" -> child; "80 year old", "41M" -> adult."""
        found: set[str] = set()
        if not _DIGIT.search(text):
            return found  # every age has a number: most questions have none, and the patterns cost to run
        ages = list(_AGE.finditer(text))
        told = _told_age(text, ages)
        for match in ages:
            number = int(next(g for g in (match.group(1), match.group(4), match.group(5)) if g))
            unit = (match.group(2) or "y").lower()
            if match.group(2) and not match.group(3) and unit not in ("yo", "y/o") and (
                    _DURATION_BEFORE.search(text, 0, match.start()) or _DURATION_AFTER.match(text, match.end())
                    or unit in _WRITTEN_OUT and _DURATION_IN.search(text, 0, match.start())
                    or unit.startswith(("y", "mo")) and told is not None and told < match.start()):
                if unit.startswith("y") and number and LONG in self.groups:
                    found.add(LONG)  # "dilated cardiomyopathy for 7 years": a long course
                continue  # "IVIG for 5 days", "9 days after the transfusion": a course or a time, not an age
            if match.group(1) and _LABEL_BEFORE.search(text, 0, match.start()):
                continue
            if unit.startswith("w") and not match.group(3) and self._pregnancy(text):
                continue  # "ITP, pregnant at 36 weeks": how far the pregnancy is, not a baby's age
            if unit.startswith(("y",)):
                found.add("child" if number < self.ages.child_below else "adult")
                if number == 0:
                    found.add("newborn")
            else:
                days = number * (30 if unit.startswith("mo") else 7 if unit.startswith("w") else 1)
                found.add("child")
                if days < self.ages.newborn_below_days:
                    found.add("newborn")
        for match in (*_AGE_SEX.finditer(text), *_AGE_SEX_OPENING.finditer(text)):
            found.add("child" if int(match.group(1)) < self.ages.child_below else "adult")
        return found


def _told_age(text: str, ages: list[re.Match]) -> int | None:
    """Where the first age told as one starts ("74yo", "41M", "6 year old"), of the `_AGE` matches in `text`, if
    any: years or months after it without "old" are a course ("74m, 3 yrs amnestic decline", "38M ... 3 pneumonias
    in 18mo"), as a patient has one age."""
    starts = [m.start() for m in ages if m.group(3) or (m.group(2) or "").lower() in ("yo", "y/o")]
    starts += [m.start() for m in _AGE_SEX_TYPED.finditer(text)]
    return min(starts, default=None)


def age_tokens(tokens: list, text: str) -> set[int]:
    """The tokens of an age or a duration ("13 yo", "aged 70", "41M", "for 5 days"): words of no name ("schizophrenia
    13" is an uncovered name, but not in "schitzophrenia in a 13 yo"). Not after a label ("type 9d")."""
    if not _DIGIT.search(text):
        return set()
    spans = [(m.start(), m.end()) for m in _AGE.finditer(text)
             if not (m.group(1) and _LABEL_BEFORE.search(text, 0, m.start()))]
    spans += [(m.start(), m.end()) for m in _AGE_SEX.finditer(text)]
    return {k for k, t in enumerate(tokens) if any(s <= t.start < e for s, e in spans)}


def load_cues(directory: Path | None = None) -> Cues:
    path = (Path(directory) if directory else intents_dir()) / CUES_FILE
    problems: list[str] = []
    if not is_present(path):  # optional; but a FIFO or a broken link is reported, not read as "no cues"
        return Cues({}, Ages())
    parsed = parse_model(CuesFile, path, problems)
    if parsed is None:
        raise DataError(problems)
    groups = {name: tuple(canonical_phrase(p) for p in phrases if canonical_phrase(p))
              for name, phrases in parsed.groups.items()}
    relations = frozenset(canonical_phrase(p) for p in parsed.relations if canonical_phrase(p))
    return Cues(groups, parsed.ages, relations)


NO_GROUPS: frozenset[str] = frozenset()  # one for every term without cue groups (an empty frozenset is 216 bytes)


def groups_named(cues: list[str] | tuple[str, ...]) -> frozenset[str]:
    """The cue groups a term's cue list names ("@child" names "child")."""
    return frozenset(c[1:] for c in cues if c.startswith(CUE_GROUP_PREFIX)) or NO_GROUPS


def check_cue_groups(kb, cues: Cues) -> list[str]:
    """Every "@group" a condition's cues (or other_cues) name must exist in cues.yaml."""
    problems = []
    for cond in kb.conditions.values():
        for field_name in ("abbreviations", "ambiguous_terms"):
            for index, term in enumerate(getattr(cond, field_name)):
                for cue_field in ("cues", "other_cues"):
                    problems += [f"{kb.files.get(cond.id, cond.id)}: {field_name}[{index}].{cue_field}: no cue group "
                                 f"{cue!r} in intents/{CUES_FILE} (groups: {', '.join(sorted(cues.groups))})"
                                 for cue in getattr(term, cue_field)
                                 if cue.startswith(CUE_GROUP_PREFIX) and cue[1:] not in cues.groups]
    return problems
