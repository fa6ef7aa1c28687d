"""The exact pass: names typed as they are, longest first, covered and uncovered, each claiming its words."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.match.cues import age_tokens
from bot.match.lexicon import FILLER, AliasEntry, uncovered_entry
from bot.match.rearranged import (hyphen_joined, hyphenated, initialled_uncovered, prefixed_from_afar, prefixed_here,
                                  rearranged, reordered_uncovered)
from bot.match.resolve import cued_outside
from bot.match.result import Hit, MatchResult
from bot.models import MatchMethod
from bot.text import plural_capitals

if TYPE_CHECKING:
    from bot.match.matcher import Matcher

SHORT_ABBREVIATION = 2  # in an all-capitals message, abbreviations this short ask instead of answering
JOINED_LETTERS = 3  # a word hyphen-joined before an uncovered name is named with it from this long
PLURAL_LETTERS = 4  # a word longer than this ending in "s" may be the plural of an uncovered disease's one-word name


def exact_pass(matcher: "Matcher", result: MatchResult, taken: list[bool], text: str) -> None:
    """Exact names, longest first: an uncovered name claims its words, an ambiguous one leaves them to longer ones."""
    tokens, rules, exact = result.tokens, matcher.rules, matcher._exact
    candidates: list[tuple[int, int, list[AliasEntry]]] = []
    prefixed: list[tuple[int, int, list[AliasEntry]]] = []
    uncovered, forms = matcher.lexicon.uncovered, matcher.lexicon.uncovered_forms
    canonical = [t.canonical for t in tokens]
    all_lower = rules.typed_in_lower_case(tokens)
    longest = max(matcher._max_words, matcher._max_uncovered_words)
    for i, end, joined in matcher._windows.spans(canonical, longest, age_tokens(tokens, text)):
        n = end - i
        entries = exact.get(joined, ())
        if joined in uncovered or joined in forms:
            entries = [*entries, *[uncovered_entry(name) for name in uncovered.get(joined) or forms[joined]]]
        if not entries and n > 1:
            continue
        window_case = "".join(t.original for t in tokens[i: i + n])
        if not entries and n == 1 and plural_capitals(window_case):  # "RRTIs": more than one RRTI
            window_case = window_case[:-1]
            entries = [e for e in exact.get(joined[:-1], ()) if e.case_text == window_case]
        elif not entries and n == 1 and len(joined) > PLURAL_LETTERS and joined[-1] == "s" and (
                joined[:-1] in uncovered and not matcher.is_known(joined)):  # "migraines": an uncovered disease
            entries = [uncovered_entry(name) for name in uncovered[joined[:-1]]]
        if not entries:
            continue
        fitting = [e for e in entries if not e.match_case or e.case_text == window_case
                   # an uncovered abbreviation the message types in capitals too: "PML ... in pml?"
                   or e.condition_id is None and len(e.case_text) >= rules.lower_case.min_letters
                   and any(t.original == e.case_text for t in tokens)
                   or (all_lower and rules.lower_case_fits(e, window_case, cued_outside(e, canonical, i, n),
                                                           tuple(canonical[i:i + n]) if n > 1 else (), canonical))
                   or not all_lower and rules.lower_case_beside(e, window_case, canonical,
                                                                tuple(canonical[i:i + n]) if n > 1 else ())]
        if n == 1 and any(e.eponym for e in fitting) and (hyphenated(tokens, text, i) or i + 1 < len(
                tokens) and not text[tokens[i].end: tokens[i + 1].start].strip()  # a dash ends the name
                and (after := canonical[i + 1]) in matcher._uncovered_words and after not in rules.head
                and after not in FILLER and after not in rules.course and len(after) > 3):
            # "Howell-Evans", "Rasmussen aneurysm" are other names ("Susac in adults", "Susac - any evidence?" not)
            fitting = [e for e in fitting if not e.eponym]
        if any(e.match_case for e in fitting) and (
                i > 0 and joined in rules.units and tokens[i - 1].canonical.isdigit()
                and not text[tokens[i - 1].end:tokens[i].start].strip()
                or hyphen_joined(tokens, text, i, i + n, matcher.names_alone)):
            # "400 MG" is a dose, "4 PM" a time ("ivig 4 GBS", "day 3 - FIRES" no); "TS-HDS" is one term
            fitting = [e for e in fitting if not e.match_case]
        covered = [e for e in fitting if e.condition_id is not None]
        # A covered reading wins over an uncovered one of the same words; a blocked one shares them (below)
        if covered and not (len(covered) < len(fitting) and all(e.blocks for e in covered)):
            fitting = covered
        if covered and prefixed_here(tokens, text, i, i + n, rules) and not all(e.blocks for e in covered):
            prefixed.append((i, i + n, covered))  # "post-COVID": not COVID-19; offered at most
            continue
        if covered and prefixed_from_afar(tokens, text, i, rules.distant_prefixes):
            continue  # "familial benign chronic pemphigus": another disease, not pemphigus
        if fitting:
            candidates.append((i, i + n, fitting))
    candidates.extend(rearranged(tokens, text, exact, matcher._max_words, rules.head))  # "Y X"
    candidates.extend(reordered_uncovered(canonical, exact, uncovered, uncovered_entry))
    candidates.extend(initialled_uncovered(tokens, canonical, matcher.uncovered_words.initialled,  # "dystrophic EB"
                                           matcher._uncovered_words, rules.head, uncovered_entry, exact))
    # Longest span first; at equal length, more letters, then earlier.
    candidates.sort(key=lambda c: (-(c[1] - c[0]), -sum(len(t.canonical) for t in tokens[c[0]: c[1]]), c[0]))
    ambiguous_taken = [False] * len(tokens)
    for start, end, entries in candidates:
        if any(taken[start:end]) or any(ambiguous_taken[start:end]):
            continue
        words = text[tokens[start].start: tokens[end - 1].end]
        if all(e.condition_id is None or e.blocks for e in entries):
            taken[start:end] = [True] * (end - start)
            if blocks := [e for e in entries if e.condition_id is not None]:
                result.blocked.extend((words, e.condition_id) for e in blocks)
                result.blocked_spans.append((start, end))
            if len(blocks) < len(entries):
                # An uncovered name claims its words from typo readings, but a longer covered reading around it
                # ("myositis, inclusion body", "polly myositis") may still take them: the loose and typo passes.
                shown = _joined_before(tokens, text, taken, start)  # "parsonage-turner syndrome": not Turner's
                result.not_found.append(text[tokens[shown].start: tokens[end - 1].end] if shown < start else words)
                result.uncovered_spans.append((start, end))
            continue
        entries = [e for e in entries if not e.blocks and e.condition_id is not None]
        owners = sorted({e.condition_id for e in entries})
        ambiguous = len(owners) > 1 or any(e.method is MatchMethod.ambiguous for e in entries)
        if result.all_caps and any(e.match_case and len(e.case_text) <= SHORT_ABBREVIATION for e in entries):
            ambiguous = True  # an all-capitals message cannot tell "MG" from "mg"
        # A confident hit claims its words; an ambiguous one leaves them to a longer reading
        # ("chronic inflamatory demyelinating polyneuropathy" must not stop at "polyneuropathy").
        for k in range(start, end):
            (ambiguous_taken if ambiguous else taken)[k] = True
        if ambiguous:  # asked about, a condition's own ambiguous term carries its cues and note
            entries = sorted(entries, key=lambda e: e.method is not MatchMethod.ambiguous)
        for cid in owners:
            entry = next(e for e in entries if e.condition_id == cid)
            method = MatchMethod.ambiguous if ambiguous else entry.method
            hit = Hit(cid, 100.0, method, entry.text, start, end, entry.other_meanings, entry=entry,
                      subtype=entry.subtype)
            (result.ambiguous if ambiguous else result.matches).append(hit)
    result.prefixed = prefixed


def _joined_before(tokens: list, text: str, taken: list[bool], start: int) -> int:
    """Where the words hyphen-joined right before the name at `start`, each read as nothing, begin: named with it as
    typed ("parsonage-turner syndrome" is no Turner syndrome, "IVIG for parsonage-turner syndrome" asks about neither
    one the bot covers)."""
    while start and text[tokens[start - 1].end:tokens[start].start] == "-" and not taken[start - 1] \
            and tokens[start - 1].original.isalpha() and len(tokens[start - 1].original) >= JOINED_LETTERS:
        start -= 1
    return start
