"""An abbreviation typed in capitals that spells the initials of a covered condition's name ("AHA": autoimmune
haemolytic anaemia) offers that condition too, beside the readings the data declares. Never answered: the data does
not say the abbreviation stands for it; the user picks."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from bot.match.lexicon import FILLER, AliasEntry
from bot.match.result import Hit, MatchResult
from bot.models import MatchMethod

MIN_LETTERS, MAX_LETTERS = 3, 6  # "ITP" to "FNAITP"; two letters spell too many things
MAX_OFFERED = 2  # initials shared by more conditions say nothing
OFFER_SCORE = 80.0


class Initials:
    """Covered conditions by the initials of their names and synonyms, little words left out ("haemolytic disease
    of the fetus and newborn": HDFN)."""

    def __init__(self, entries: Iterable[AliasEntry], uncovered: dict[str, list]):
        by_initials: dict[str, dict[str, AliasEntry] | None] = {}  # None: spelt by too many conditions
        for entry in entries:
            if entry.condition_id is None or entry.method is not MatchMethod.exact or entry.blocks or entry.eponym:
                continue
            spelt = _initials(entry.words)  # first: most names spell nothing, and this is the cheaper test
            if spelt is None or any(len(w) > 1 and w.isupper() for w in entry.text.split()):
                continue  # "postpartum MS relapse" holds an abbreviation: "PMR" spells no name of it
            owners = by_initials.setdefault(spelt, {})
            if owners is not None:  # at 100,000 generated conditions most initials are everyone's: given up early
                owners.setdefault(entry.condition_id, entry)
                if len(owners) > MAX_OFFERED:
                    by_initials[spelt] = None
        self._by_initials = {k: v for k, v in by_initials.items() if v is not None}
        # Initials an uncovered disease's name spells too ("DLE": discoid lupus erythematosus), when the offers are
        # needed at all: an abbreviation no reading declares is then not offered.
        self._uncovered = {spelt for names in uncovered.values() for n in names
                           if (spelt := _initials(n.key.split())) in self._by_initials} if self._by_initials else set()

    def offer(self, result: MatchResult, taken: list[bool], known: Callable[[str], bool]) -> None:
        """Offer the conditions a word in capitals spells the initials of, when no reading answers it: beside the
        readings asked about there ("AHA": acquired haemophilia, declared; autoimmune haemolytic anaemia, spelt),
        or alone when nothing read it and it is no word of a name or question."""
        if result.all_caps or not self._by_initials:
            return
        for i, token in enumerate(result.tokens):
            letters = token.original
            if not (MIN_LETTERS <= len(letters) <= MAX_LETTERS and letters.isalpha() and letters.isupper()) or taken[i]:
                continue
            spelt = self._by_initials.get(token.canonical)
            if not spelt:
                continue
            here = [h for h in (*result.ambiguous, *result.suggestions) if h.start_token <= i < h.end_token]
            if here and any(h.end_token - h.start_token != 1 for h in here):
                continue  # part of a longer reading
            if not here and (known(token.canonical) or token.canonical in self._uncovered
                             or any(s <= i < e for s, e in result.uncovered_named)):
                continue
            offered = {h.condition_id for h in here}
            # Asked about beside a declared reading, as it is; else offered ("did you mean").
            asked = any(h.method is MatchMethod.ambiguous for h in here)
            for cid, entry in spelt.items():
                if cid not in offered:
                    hit = Hit(cid, OFFER_SCORE, MatchMethod.ambiguous if asked else MatchMethod.fuzzy, entry.text, i,
                              i + 1, entry=entry)
                    (result.ambiguous if asked else result.suggestions).append(hit)


def _initials(words) -> str | None:
    """The first letters of a name's words, little words left out, for names of three to six such words."""
    kept = [w for w in words if w not in FILLER]
    if MIN_LETTERS <= len(kept) <= MAX_LETTERS and all(w[:1].isalpha() for w in kept):
        return first_letters(kept)
    return None


def first_letters(words) -> str:
    """The first letters of words, little words left out: "chronic heart failure" spells "chf"."""
    return "".join(w[0] for w in words if w and w not in FILLER)
