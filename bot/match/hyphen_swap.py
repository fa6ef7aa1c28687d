"""Two short words joined by a hyphen or a slash that spell a covered abbreviation with two letters swapped."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.match.typo_pass import read_slip
from bot.models import MatchMethod

if TYPE_CHECKING:
    from bot.match.matcher import Matcher
    from bot.match.result import MatchResult

MAX_LETTERS = 6  # an abbreviation's letters at most, both words together
JOINERS = ("-", "/")  # as "MIS-C" and "ME/CFS" are written


def hyphen_swaps(matcher: "Matcher", result: "MatchResult", taken: list[bool], text: str) -> None:
    """Two words no pass read, joined by a hyphen or a slash, whose letters with two side by side typed the other way
    round spell one covered condition's joined abbreviation ("MSI-C", "msi-c" for MIS-C; "me/csf" for ME/CFS), as
    "cvoid" spells COVID: read as that term. Not when the words as typed spell a term themselves (an uncovered
    disease's name is taken by then), nor when the swap spells a term of several conditions or one read several
    ways."""
    if not any(joiner in text for joiner in JOINERS):
        return
    tokens = result.tokens
    for k in range(len(tokens) - 1):
        first, second = tokens[k].canonical, tokens[k + 1].canonical
        joined = first + second
        if taken[k] or taken[k + 1] or text[tokens[k].end:tokens[k + 1].start] not in JOINERS \
                or len(joined) > MAX_LETTERS or not joined.isalpha() or matcher.exact_entries(joined):
            continue
        spelt = {e.condition_id: e for p in range(len(joined) - 1) if joined[p] != joined[p + 1]
                 for e in matcher.exact_entries(joined[:p] + joined[p + 1] + joined[p] + joined[p + 2:])}
        if len(spelt) != 1 or None in spelt:
            continue
        (entry,) = spelt.values()
        if entry.method is MatchMethod.ambiguous:
            continue
        result.matches.append(read_slip(entry, k, k + 2))  # as a one-word swap is read
        taken[k:k + 2] = [True, True]
