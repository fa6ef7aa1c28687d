"""One name of one condition as the matcher reads it (`AliasEntry`), its rarely set fields kept in a tuple apart."""

from __future__ import annotations

from collections.abc import Iterable
from operator import attrgetter
from typing import NamedTuple

from bot.models import MatchMethod


class Extras(NamedTuple):
    """The fields most names leave at their defaults: every such name shares one tuple of them (`PLAIN`), which at
    100,000 conditions is 30 MB less than ten more fields in each of half a million entries."""

    other_meanings: tuple[str, ...] = ()
    blocks: bool = False  # a never_match phrase: claims its words, answers nothing
    cues: tuple[tuple[str, ...], ...] = ()
    cue_groups: frozenset[str] = frozenset()
    other_cues: tuple[tuple[str, ...], ...] = ()  # phrases that pick an uncovered meaning of an ambiguous term
    other_groups: frozenset[str] = frozenset()  # ... and cue groups, by their words or an age ("5 day old": newborn)
    other_not_a_disease: bool = False  # ... which is no disease: the term is set aside, not named as not found
    answer_with_note: bool = False
    answer_alone: bool = False
    setting: bool = False  # "kidney transplant": beside a condition answered, where the patient is, not offered
    eponym: bool = False  # a name's one informative word, read alone ("susac")
    subtype: str | None = None  # for a subtype: its name ("ocular myasthenia gravis")
    doid: str | None = None


PLAIN = Extras()


def _extra(name: str) -> property:
    return property(attrgetter(f"extras.{name}"), doc=f"`Extras.{name}`")


class AliasEntry(NamedTuple):
    """One name of one condition as the matcher reads it. A named tuple, not a frozen dataclass: there are five
    per condition, and a frozen dataclass took ten times as long to make (1.7 s of the build at 100,000). Make one
    with `of`, which files the rare fields apart."""

    condition_id: str | None  # None: a disease the base does not cover (a Disease Ontology name)
    text: str
    method: MatchMethod  # exact (name, synonym), abbreviation, ambiguous, subtype; uncovered names use exact
    match_case: bool
    case_text: str  # letters and digits as cased ("MISC") where case decides (a term in capitals), else ""
    words: tuple[str, ...]
    extras: Extras = PLAIN

    other_meanings = _extra("other_meanings")
    blocks = _extra("blocks")
    cues = _extra("cues")
    cue_groups = _extra("cue_groups")
    other_cues = _extra("other_cues")
    other_groups = _extra("other_groups")
    other_not_a_disease = _extra("other_not_a_disease")
    answer_with_note = _extra("answer_with_note")
    answer_alone = _extra("answer_alone")
    setting = _extra("setting")
    eponym = _extra("eponym")
    subtype = _extra("subtype")
    doid = _extra("doid")

    @classmethod
    def of(cls, condition_id: str | None, text: str, method: MatchMethod, match_case: bool, case_text: str,
           words: tuple[str, ...], **extras) -> AliasEntry:
        found = Extras(**extras) if extras else PLAIN
        return cls(condition_id, text, method, match_case, case_text, words, PLAIN if found == PLAIN else found)

    def but(self, **changes) -> AliasEntry:
        """This entry with some fields changed, rare ones too (`_replace` knows only the first six)."""
        own = {k: changes.pop(k) for k in self._fields if k in changes}
        extras = self.extras._replace(**changes) if changes else self.extras
        return self._replace(**own, extras=PLAIN if extras == PLAIN else extras)

    @property
    def uncovered(self) -> bool:
        return self.condition_id is None and not self.blocks


class NameTable(dict):
    """Names by their words run together -> the entries of that name, read as tuples. A name of one entry (nearly
    every name) holds it bare, not in a tuple of one: 23 MB at 100,000 conditions. `dict`'s own `items` and
    `values` give what is held (pickling uses them); `names` gives tuples."""

    __slots__ = ()

    def add(self, key: str, entry: AliasEntry) -> None:
        found = dict.get(self, key)
        self[key] = entry if found is None else (*_as_tuple(found), entry)

    def get(self, key: str, default: tuple = ()) -> tuple[AliasEntry, ...]:  # type: ignore[override]
        found = dict.get(self, key)
        return default if found is None else (found,) if found.__class__ is AliasEntry else found

    def __getitem__(self, key: str) -> tuple[AliasEntry, ...]:
        return _as_tuple(dict.__getitem__(self, key))

    def names(self):
        """(key, entries) for every name."""
        return ((key, _as_tuple(found)) for key, found in dict.items(self))


def _as_tuple(found: AliasEntry | tuple[AliasEntry, ...]) -> tuple[AliasEntry, ...]:
    return (found,) if found.__class__ is AliasEntry else found


def cue_phrases(entries: Iterable[AliasEntry]) -> dict[str, frozenset[tuple[str, ...]]]:
    """Each covered condition's cue phrases over all its terms: what a question may say of it ("EGPA ... asthma")."""
    found: dict[str, set[tuple[str, ...]]] = {}
    for entry in entries:
        if entry.condition_id is not None and entry.cues:
            found.setdefault(entry.condition_id, set()).update(entry.cues)
    return {cid: frozenset(phrases) for cid, phrases in found.items()}
