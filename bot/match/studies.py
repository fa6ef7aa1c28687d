"""Names of studies and bodies typed in capitals ("the EAN/PNS guideline", "the AHA statement", "the GAP trial"):
not diseases, whatever condition the letters would abbreviate."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.match.roles import YEAR
from bot.text import capitalised

if TYPE_CHECKING:
    from bot.match.result import MatchResult

# A word in capitals names a study or a body when one of these follows it within two words ("the GAP trial", "AAN
# guideline"); elsewhere it may name a disease ("patients with CLL or NHL").
STUDY_WORDS = frozenset({"trial", "trials", "study", "studies", "guideline", "guidelines", "criteria", "statement",
                         "review", "registry", "cohort", "consensus", "programme", "program"})



def names_a_study(tokens: list, end: int, text: str) -> bool:
    """Whether the words up to `end` are followed by a word such as "guideline", "trial" or "statement", with only
    other words in capitals and spaces or slashes between ("the AHA statement", "the EAN/PNS guideline"; never across
    punctuation: "VAP - any trial")."""
    k = end
    while k < len(tokens) and capitalised(tokens[k]):
        k += 1
    return (k < len(tokens) and tokens[k].canonical in STUDY_WORDS
            and not any(text[tokens[j - 1].end: tokens[j].start].strip(" /") for j in range(end, k + 1)))


def drop_study_names(result: "MatchResult", text: str) -> None:
    """A term asked back about or offered, typed in capitals right before a word such as "guideline" or "trial",
    names a body or a study, not a disease ("the EAN/PNS guideline", "the AHA statement"); names read outright stay,
    unless joined by a slash to initials no reading took, before a year or such a word ("meets EAN/PNS 2021 for
    typical CIDP"): two bodies' guideline."""
    tokens = result.tokens
    for offered in (result.ambiguous, result.suggestions):
        offered[:] = [h for h in offered if not (
            all(map(capitalised, tokens[h.start_token:h.end_token]))
            and names_a_study(tokens, h.end_token, text))]
    if result.matches:
        read = {k for h in (*result.matches, *result.ambiguous, *result.suggestions)
                for k in range(h.start_token, h.end_token)}
        result.matches[:] = [h for h in result.matches if not _joined_bodies(tokens, h.start_token, h.end_token, text,
                                                                              read)]


def _joined_bodies(tokens: list, start: int, end: int, text: str, read: set[int]) -> bool:
    """Whether the one word in capitals at start:end is slash-joined to initials no reading took, the pair followed
    by a year or a word such as "guideline" ("EAN/PNS 2021", "AAN/AANEM guideline")."""
    if end - start != 1 or not capitalised(tokens[start]):
        return False
    if start and text[tokens[start - 1].end: tokens[start].start] == "/":
        partner = start - 1
    elif end < len(tokens) and text[tokens[start].end: tokens[end].start] == "/":
        partner = end
    else:
        return False
    if partner in read or not capitalised(tokens[partner]):
        return False
    after = max(partner, start) + 1
    return after < len(tokens) and (YEAR.fullmatch(tokens[after].canonical) is not None
                                    or tokens[after].canonical in STUDY_WORDS)
