"""The last reading: an adjective left over by every other one stands for a one-word name ("autistic": autism)."""

from __future__ import annotations

from itertools import chain
from typing import TYPE_CHECKING

from bot.match.result import Hit, MatchResult
from bot.models import MatchMethod

if TYPE_CHECKING:
    from bot.match.matcher import Matcher


def adjective_pass(matcher: "Matcher", result: MatchResult, taken: list[bool]) -> None:
    """Read each untaken adjective as the one-word covered names its noun forms are (`adjective_endings` in
    intents/matching.yaml), never as part of a longer name. It runs last, so a misspelt longer name around it
    ("lambert-eaton myasthenic syndrom") is read first; and an adjective right beside another reading is a word of
    that name ("lambert eaton myasthenic" is one condition), so it is left alone."""
    exact = matcher._exact
    read: list[tuple[int, int]] | None = None  # the spans of every reading, once a word needs them
    for k, token in enumerate(result.tokens):
        word = token.canonical
        # Every ending in the data ends in "c": one cheap test leaves most words at once.
        if taken[k] or word[-1:] != "c" or word in exact:
            continue
        if k and result.tokens[k - 1].canonical in matcher.rules.turning:
            continue  # "psychogenic non-epileptic seizures": not epilepsy
        if read is None:
            read = [(h.start_token, h.end_token) for h in chain(result.matches, result.ambiguous, result.suggestions)]
            read += result.uncovered_spans
        if any(s - 1 <= k <= e for s, e in read):
            continue
        entries = [e for noun in matcher.rules.noun_forms(word) for e in exact.get(noun, ())
                   if e.condition_id is not None and len(e.words) == 1 and not e.blocks and not e.match_case]
        owners = {e.condition_id: e for e in entries}
        if not owners:
            continue
        ambiguous = len(owners) > 1 or any(e.method is MatchMethod.ambiguous for e in entries)
        for cid, entry in owners.items():
            hit = Hit(cid, 100.0, MatchMethod.ambiguous if ambiguous else entry.method, entry.text, k, k + 1,
                      entry.other_meanings, entry=entry, subtype=entry.subtype)
            (result.ambiguous if ambiguous else result.matches).append(hit)
        taken[k] = not ambiguous  # an ambiguous reading leaves its word to the cues, as the exact pass does
