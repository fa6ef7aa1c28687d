"""A question that turns to another patient ("we used ivig in our anti-Jo1 ILD lady last year. different pt now: ...
ivig for AE-IPF?") asks nothing about the conditions told before the turn: they were the other patient's."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.match.roles import CLAUSE_END, RoleWords

if TYPE_CHECKING:
    from bot.match.result import MatchResult


def turn_to_another_patient(result: "MatchResult", text: str, roles: RoleWords) -> int:
    """The token at which the last clause opening on words that bring in another patient ("different pt", "new
    case", "now another family", "totally different case") begins; 0 where none does. Not such words inside a
    clause ("IVIG in a different patient with CIDP")."""
    tokens = result.tokens
    words = [t.canonical for t in tokens]
    if roles.other_patient_firsts.isdisjoint(words):
        return 0
    turns = [k for k in range(1, len(words)) if any(tuple(words[k:k + len(p)]) == p for p in roles.other_patient)]
    lead = roles.present | roles.other_patient_lead  # "now another family", "totally different case"
    opens = [k - 1 if k > 1 and words[k - 1] in lead else k for k in turns]
    return max((k for k in opens if CLAUSE_END.search(text, tokens[k - 1].end, tokens[k].start)), default=0)


def drop_another_patients(result: "MatchResult", text: str, roles: RoleWords) -> int:
    """Conditions named before the turn to another patient are neither answered nor offered, nor are uncovered
    diseases named there told as not found; the turn (0: none)."""
    turn = turn_to_another_patient(result, text, roles)
    if turn:
        for found in (result.matches, result.ambiguous, result.suggestions):
            found[:] = [h for h in found if h.start_token >= turn]
        for start in [start for start, _ in result.uncovered_spans if start < turn]:
            result.forget_uncovered(start)
    return turn
