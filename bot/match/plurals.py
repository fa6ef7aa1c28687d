"""Uncovered diseases' names typed with a plural word in the singular ("restless leg syndrome", "varicose vein"), or
with a possessive without its apostrophe ("bells palsy")."""

from __future__ import annotations

import re

from bot.text import canonical_word, strip_accents
from bot.vocabulary import UncoveredName

_POSSESSIVE = re.compile(r"([A-Za-z]+)['’]s\b")

MIN_LETTERS = 4  # "legs"; "gas" and "its" are no plurals
NOT_PLURAL = ("ss", "us", "is", "ys", "as")  # "abscess", "previous", "arthritis", "dialysis", "pancreas"


def looks_plural(word: str) -> bool:
    """Whether a word reads as a plural: four letters or more ending in an "s" no singular ends in ("previous",
    "abscess", "arthritis" are no plurals)."""
    return len(word) >= MIN_LETTERS and word.endswith("s") and not word.endswith(NOT_PLURAL)


def singular_forms(uncovered: dict[str, list], taken: set[str] | frozenset[str], head: frozenset[str]
                   ) -> dict[str, list]:
    """Other forms (joined words -> names) of the uncovered names of two words or more: with one plural word (four
    letters or more) in the singular, or with a possessive's "s" kept, under the same DOID and name, where no name,
    covered (`taken`) or not, has those words. Names of one word stay as they are: "bends" would make every "bend" a
    disease. Kept apart from the names: the exact pass reads them, and their words ("anomalie", from "anomalies")
    are no uncovered disease's words to the other passes."""
    added: dict[str, list] = {}
    for names in uncovered.values():
        for name in names:
            words = name.key.split()
            if len(words) < 2:
                continue
            for k, word in enumerate(words):
                if looks_plural(word) and word not in head:
                    _add(added, uncovered, taken, name, [*words[:k], singular(word), *words[k + 1:]])
            # "Bell's palsy" is keyed "bell palsy": typed without the apostrophe it is "bells palsy"
            for owner in possessive_words(name.name) if "'" in name.name or "’" in name.name else ():
                if owner in words[:-1]:
                    k = words.index(owner)
                    _add(added, uncovered, taken, name, [*words[:k], owner + "s", *words[k + 1:]])
    return added


def possessive_words(text: str, proper: bool = False) -> list[str]:
    """The words a name writes with "'s" ("Bell's palsy": "bell", "farmer's lung": "farmer"), as `canonical_word`
    gives them; `proper`: only those written as a person's name is, with a capital ("Sydenham's chorea")."""
    return [canonical_word(m.group(1)) for m in _POSSESSIVE.finditer(strip_accents(text))
            if not proper or m.group(1)[0].isupper() and len(m.group(1)) > 1]


def _add(added: dict[str, list], uncovered: dict[str, list], taken, name, form: list[str]) -> None:
    joined = "".join(form)
    if joined not in uncovered and joined not in taken:
        added.setdefault(joined, []).append(UncoveredName((" ".join(form), name.case, name.doid, name.name)))


def singular(word: str) -> str:
    """A plural's singular, by its ending: "bodies" -> "body", "legs" -> "leg"."""
    return word[:-3] + "y" if word.endswith("ies") else word[:-1]
