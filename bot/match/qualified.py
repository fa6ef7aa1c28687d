"""A broad term after a word no covered name explains is another disease: "gestational thrombocytopenia"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.match.lexicon import FILLER
from bot.match.result import MatchResult
from bot.text import canonical_phrase

if TYPE_CHECKING:
    from bot.match.matcher import Matcher

BROAD = 3  # a one-word term read as this many covered conditions or more is a broad term ("neuropathy")
MIN_LETTERS = 4  # shorter words ("a", "of", "pt") qualify nothing


def qualified_broad_terms(matcher: "Matcher", result: MatchResult, taken: list[bool], text: str,
                          early: bool = False) -> None:
    """Read "<qualifier> <broad term>" as a disease the base does not cover, not as "which of these did you mean":
    none of the five thrombocytopenias the base covers is gestational. The qualifier is an uncovered disease's name
    ("leprosy neuropathy") or a word that says which disease, not how it runs; "severe thrombocytopenia", "chronic
    neuropathy" and "thrombocytopenia in a newborn" still ask. `early`, before cues may settle the term, reads only an
    uncovered name already read before it, or a word that uncovered names alone have ("amyloid neuropathy" beside an
    IgM paraprotein); any other word may still be a typo of a covered name's ("vasculitc neuropathy")."""
    tokens = result.tokens
    owners: dict[tuple[int, int], set[str]] = {}
    for hit in result.ambiguous:
        owners.setdefault((hit.start_token, hit.end_token), set()).add(hit.condition_id)
    for (start, end), ids in owners.items():
        if end - start != 1 or len(ids) < BROAD or start == 0:
            continue
        uncovered = next((k for k, span in enumerate(result.uncovered_spans) if span[1] == start), None)
        if uncovered is not None:
            first = result.uncovered_spans[uncovered][0]
        elif not taken[start - 1] and _unexplained(matcher, tokens[start - 1].canonical, ids, result, start) and (
                not early or matcher.uncovered_words.theirs(tokens[start - 1].canonical, tokens[start - 1].original)):
            first = start - 1
        else:
            continue
        if any(h.start_token < start and h.end_token > first for h in result.matches + result.suggestions):
            continue
        phrase = text[tokens[first].start: tokens[start].end]
        if uncovered is not None:
            del result.not_found[uncovered], result.uncovered_spans[uncovered]
        result.ambiguous[:] = [h for h in result.ambiguous if (h.start_token, h.end_token) != (start, end)]
        result.not_found.append(phrase)
        result.uncovered_spans.append((first, end))
        taken[first:end] = [True] * (end - first)


def _unexplained(matcher: "Matcher", word: str, ids: set[str], result: MatchResult, start: int) -> bool:
    """No word a question uses plainly, no word of a disease's course ("severe", "sensory": `course_words` of
    intents/matching.yaml), and none the candidates' own names or cue words use ("newborn" is a cue of neonatal
    alloimmune thrombocytopenia)."""
    rules = matcher.rules
    if (not word.isalpha() or len(word) < MIN_LETTERS or word in FILLER or word in rules.medical
            or word in rules.course or word in rules.head or word in rules.optional or word in rules.negations
            or word in rules.prefixes):
        return False
    conditions = matcher.kb.conditions
    if any(word in canonical_phrase(text) for cid in ids for _, text in conditions[cid].terms()):
        return False
    groups = matcher.cues.group_sets
    for hit in result.ambiguous:
        entry = hit.entry
        if hit.start_token == start and entry is not None and (
                any(word in cue for cue in entry.cues)
                or any((word,) in groups.get(group, ()) for group in entry.cue_groups)):
            return False
    return True
