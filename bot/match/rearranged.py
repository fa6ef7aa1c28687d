"""How typed words compose names: another order that is still a name ("X, Y" for "Y X", "Y after X" for "post-X
Y"), a word coordinated with a name ("streptococcal and staphylococcal toxic shock syndrome" names both), and
capitals hyphen-joined into one term ("TS-HDS" is not Tourette syndrome)."""

from __future__ import annotations

from collections.abc import Callable

from bot.match.lexicon import AliasEntry
from bot.match.result import Hit, MatchResult
from bot.models import MatchMethod
from bot.text import Token

INVERTED_AFTER_COMMA = 2  # words after the comma that may belong before the name ("granulomatosis ..., eosinophilic")
AFTER_WORDS = ("after", "following")  # "purpura after transfusion" is post-transfusion purpura


def rearranged(tokens: list[Token], text: str, exact: dict[str, tuple[AliasEntry, ...]], max_words: int
               ) -> list[tuple[int, int, list[AliasEntry]]]:
    """Spans whose words, put back in a name's order, are exactly one covered name: (start, end, its entries).

    Only whole names of the data count, never a guess: "granulomatosis with polyangiitis, eosinophilic" is
    eosinophilic granulomatosis with polyangiitis, not the granulomatosis with polyangiitis it starts with."""
    canonical = [t.canonical for t in tokens]
    found = []
    for cut in range(1, len(tokens)):
        between = text[tokens[cut - 1].end: tokens[cut].start]
        if "," in between:  # "name, qualifier": the qualifier goes first
            for after in range(1, min(INVERTED_AFTER_COMMA, len(tokens) - cut) + 1):
                for before in range(1, min(max_words - after, cut) + 1):
                    key = "".join(canonical[cut: cut + after] + canonical[cut - before: cut])
                    _add(found, exact.get(key, ()), cut - before, cut + after)
    for i, word in enumerate(canonical):
        if word in AFTER_WORDS and 0 < i < len(tokens) - 1:  # "purpura after transfusion": post-transfusion purpura
            for before in range(1, min(max_words - 2, i) + 1):
                key = "post" + canonical[i + 1] + "".join(canonical[i - before: i])
                _add(found, exact.get(key, ()), i - before, i + 2)
    return found


def _add(found: list, entries, start: int, end: int) -> None:
    covered = [e for e in entries if e.condition_id is not None and not e.blocks and not e.match_case
               and e.method is not MatchMethod.ambiguous]
    if covered:
        found.append((start, end, covered))


def hyphen_joined(tokens: list[Token], text: str, start: int, end: int, names: Callable[[str], bool]) -> bool:
    """Whether the window is joined by a hyphen to capitals that name nothing ("TS" in "TS-HDS"): one term, not the
    abbreviation. Joined to another name it is itself ("GBS-CIDP overlap")."""
    def joined(left: int, right: int) -> bool:
        if left < 0 or right >= len(tokens) or text[tokens[left].end: tokens[right].start] != "-":
            return False
        other = tokens[left if left < start else right]
        return len(other.original) >= 2 and other.original.isupper() and not names(other.canonical)
    return joined(end - 1, end) or joined(start - 1, start)


def coordinated(exact: dict[str, tuple[AliasEntry, ...]], result: MatchResult, taken: list[bool]) -> None:
    """"streptococcal and staphylococcal toxic shock syndrome": the word before "and" takes the place of the first
    word(s) of the name after it, when that makes the exact name of another covered condition."""
    tokens = result.tokens
    for hit in list(result.matches):
        start, entry = hit.start_token, hit.entry
        if (entry is None or start < 2 or len(entry.words) < 2 or taken[start - 2]
                or tokens[start - 1].canonical not in ("and", "or")):
            continue
        for k in range(1, len(entry.words)):  # "bullous and mucous membrane pemphigoid": bullous pemphigoid
            joined = tokens[start - 2].canonical + "".join(entry.words[k:])
            other = next((e for e in exact.get(joined, ()) if e.condition_id not in (None, hit.condition_id)
                          and not e.blocks and not e.match_case and e.method is not MatchMethod.ambiguous), None)
            if other is not None:
                result.matches.append(Hit(other.condition_id, 100.0, other.method, other.text, start - 2, start - 1,
                                          entry=other, subtype=other.subtype))
                taken[start - 2] = True
                break
