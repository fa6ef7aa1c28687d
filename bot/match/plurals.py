"""Uncovered diseases' names typed with a plural word in the singular ("restless leg syndrome", "varicose vein")."""

from __future__ import annotations

from bot.vocabulary import UncoveredName

MIN_LETTERS = 4  # "legs"; "gas" and "its" are no plurals
NOT_PLURAL = ("ss", "us", "is", "ys")  # "abscess", "tetanus", "arthritis", "dialysis"


def singular_forms(uncovered: dict[str, list], taken: set[str] | frozenset[str], head: frozenset[str]) -> None:
    """Add to `uncovered` (joined words -> names) each name of two words or more with one plural word (four letters or
    more) in the singular, under the same DOID and name, where no name, covered (`taken`) or not, has those words.
    Names of one word stay as they are: "bends" would make every "bend" a disease."""
    added: dict[str, list] = {}
    for names in uncovered.values():
        for name in names:
            words = name.key.split()
            if len(words) < 2:
                continue
            for k, word in enumerate(words):
                if len(word) >= MIN_LETTERS and word.endswith("s") and not word.endswith(NOT_PLURAL) \
                        and word not in head:
                    form = [*words[:k], singular(word), *words[k + 1:]]
                    joined = "".join(form)
                    if joined not in uncovered and joined not in taken:
                        added.setdefault(joined, []).append(
                            UncoveredName((" ".join(form), name.case, name.doid, name.name)))
    uncovered.update(added)


def singular(word: str) -> str:
    """A plural's singular, by its ending: "bodies" -> "body", "legs" -> "leg"."""
    return word[:-3] + "y" if word.endswith("ies") else word[:-1]
