"""Abbreviations a message states as a diagnosis ("so PML.", "looks like DRESS"): diseases the bot does not cover."""

from __future__ import annotations

import re
from dataclasses import replace
from types import MappingProxyType
from typing import TYPE_CHECKING

from bot.match.roles import ASIDE, CLAUSE_END, SENTENCE_END, sentence_stops
from bot.models import MatchMethod

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from bot.match.result import MatchResult
    from bot.match.roles import RoleWords

STATED = re.compile(r"\s[-–—]\s*$|—\s*$")  # "pneumatosis on AXR - NEC.": after a spaced dash, as after "so"
DASH = re.compile(r"\s[-–]|—")  # the cheap test before `STATED`: any dash it may match
SENTENCE_STOPS = frozenset({".", "!", ";"})  # "... RegiSCAR 7. DRESS.": a sentence of one abbreviation ends so
MIN_LETTERS = 3  # "so MG." is covered anyway; two capitals alone are too often something else


def named_as_diagnosis(result: "MatchResult", text: str, roles: "RoleWords",
                       covered_word: "Callable[[str], bool]", known: "Callable[[str], bool]") -> int | None:
    """An abbreviation in capitals (three letters or more, two capitals or more, maybe after one small letter: "aHUS")
    that no covered name and no question word has, right after words that state a diagnosis (`roles.diagnosing`:
    "so", "looks like", "consistent with") and ending its clause, or typed as a sentence of its own and naming no test
    ("RegiSCAR 7. DRESS."; not "MRI."), is a disease not found: "JC virus in the CSF, so PML. Would more IVIG do
    anything for that?", "had SJS in 2017 ... looks like DRESS (RegiSCAR 6). Would IVIG help?". Read before the
    roles, so that the conditions told beside it are background to it. Returns where the last one starts, if any
    (`offer_told_before`)."""
    tokens = result.tokens
    words = [t.canonical for t in tokens]
    ends = roles.diagnosing_ends
    # Most messages have no such word right after "so", "like", "with" ... or a spaced dash: nothing to look at then.
    dashed = DASH.search(text) is not None
    if not any(k and (words[k - 1] in ends or dashed and STATED.search(text, tokens[k - 1].end, t.start)
                      or SENTENCE_END.search(text, tokens[k - 1].end, t.start))
               and len(t.original) >= MIN_LETTERS and _opens_in_capitals(t.original) for k, t in enumerate(tokens)):
        return None
    busy = _read_tokens(result)
    last = None
    for k, token in enumerate(tokens):
        typed = token.original
        if (busy[k] or len(typed) < MIN_LETTERS or not typed.isalpha() or sum(map(str.isupper, typed)) < 2
                or not _opens_in_capitals(typed) or covered_word(words[k])):
            continue
        alone = k and SENTENCE_END.search(text, tokens[k - 1].end, token.start) and (
            k + 1 == len(tokens) and text[token.end:].strip() in SENTENCE_STOPS
            or k + 1 < len(tokens) and SENTENCE_END.search(text, token.end, tokens[k + 1].start))
        if not (_after_phrase(words, k, roles.diagnosing)
                or k and STATED.search(text, tokens[k - 1].end, token.start) and known(words[k])
                or alone and words[k] not in roles.not_history_after):
            continue  # after a dash, only a word of an uncovered disease's name ("- NEC."; not "- MRI.")
        if k + 1 < len(tokens) and not (CLAUSE_END.search(text, token.end, tokens[k + 1].start)
                                        or ASIDE.match(text, token.end)):
            continue  # "so MRI was repeated": the clause goes on, and the word is its subject
        result.not_found.append(typed)
        result.uncovered_spans.append((k, k + 1))
        last = k
    return last


def _opens_in_capitals(typed: str) -> bool:
    """Written as abbreviations start: a capital, or one small letter before capitals ("aHUS", "iTTP": a qualifier)."""
    return typed[0].isupper() or typed[1:3].isupper() and len(typed) > MIN_LETTERS


def _read_tokens(result: "MatchResult") -> list[bool]:
    """Per token, whether a reading (answered, offered, or of a disease not covered) has it."""
    busy = [False] * len(result.tokens)
    for start, end in (*((h.start_token, h.end_token) for h in (*result.matches, *result.ambiguous,
                                                                 *result.suggestions)), *result.uncovered_named):
        busy[start:end] = [True] * (end - start)
    return busy


TENTATIVE = frozenset({"like", "likely", "probable", "suspected"})  # the last words of `diagnosing`'s guesses
ARROW = re.compile(r"\s*(?:->|=>|→|=)\s*$")  # "biopsy dystrophic -> dysferlinopathy": what the work-up concluded
ARROW_MARK = re.compile(r"->|=>|→|=")
ARROW_WORDS = 4  # how many words after an arrow may name the conclusion, up to its clause's end


def arrows(tokens: list, text: str) -> list[int]:
    """The tokens an arrow ("->", "=>", "→", "=") comes right before: each opens what a work-up concluded."""
    return [k for k in range(1, len(tokens)) if ARROW.search(text, tokens[k - 1].end, tokens[k].start)]


def named_before_cause(result: "MatchResult", roles: "RoleWords", covered_word: "Callable[[str], bool]",
                       known: "Callable[[str], bool]") -> None:
    """An abbreviation in capitals (three letters or more) that no name and no question word has, right before words
    telling a cause (`trigger_before`: "after", "secondary to") and a covered condition named right after them, is a
    disease not found, and that condition its cause, background to it: "EBV PTLD after allo sct - ivig?" asks about
    the lymphoproliferative disorder, not routine IVIG after the transplant."""
    if not result.matches:
        return
    tokens = result.tokens
    words = [t.canonical for t in tokens]
    busy = _read_tokens(result)
    for hit in result.matches:
        for phrase in roles.triggers:
            k = hit.start_token - len(phrase) - 1  # where the abbreviation would be
            if k < 0 or tuple(words[k + 1:hit.start_token]) != phrase or busy[k] or any(busy[k + 1:hit.start_token]):
                continue
            typed = tokens[k].original
            if typed.isalpha() and len(typed) >= MIN_LETTERS and typed.isupper() and not known(words[k]) \
                    and not covered_word(words[k]):
                result.not_found.append(typed)
                result.uncovered_spans.append((k, k + 1))
                busy[k] = True


def named_after_arrow(result: "MatchResult", text: str, roles: "RoleWords",
                      covered_word: "Callable[[str], bool]", head: frozenset[str] = frozenset(),
                      uncovered: "Mapping[str, object]" = MappingProxyType({})) -> int | None:
    """Words after an arrow, up to their clause's end, that no reading has taken and that hold a word ending as
    diseases' names do ("-opathy", "-itis") or an abbreviation in capitals that no covered name has and that names no
    test or treatment (`roles.not_history_after`: "-> MRI" concludes nothing), or that end in a head word (`head`:
    "-> hyperhaemolysis syndrome") or end with two words or more of an uncovered name less its head word (`uncovered`,
    keyed by the name's words joined: "-> Hailey-Hailey."), or that are two words joined by a hyphen, neither of a
    covered name ("-> parsonage-turner.": a double eponym), are the disease the work-up concluded, and the bot does
    not cover it: "low C3, MPGN pattern -> C3 glomerulopathy. IVIG?". The conditions told before it are background to
    it. An uncovered disease read there already concludes too. Returns where the last conclusion starts, if any
    (`offer_told_before`)."""
    if not ARROW_MARK.search(text):  # most messages have no arrow: one search says so
        return None
    tokens = result.tokens
    busy = _read_tokens(result)
    last = None
    for k in arrows(tokens, text):
        end = k + 1
        while end < len(tokens) and end - k < ARROW_WORDS and not CLAUSE_END.search(text, tokens[end - 1].end,
                                                                                  tokens[end].start):
            end += 1
        if any(busy[k:end]):
            hits = [h for h in (*result.matches, *result.ambiguous, *result.suggestions) if k <= h.start_token < end]
            concluded = any(k <= s < end for s, _ in result.uncovered_named) and (
                not hits or _read_as_one_name(result, hits, k, end, head, text))
        else:
            span = tokens[k:end]
            concluded = any(
                roles.ends_as_disease(t)  # or capitals: "-> intestinal TB" too
                or t.original.isalpha() and sum(map(str.isupper, t.original)) >= 2
                and not covered_word(t.canonical) and t.canonical not in roles.not_history_after for t in span) or (
                len(span) > 1 and span[-1].canonical in head) or any(
                "".join(t.canonical for t in span[i:]) + word in uncovered for i in range(len(span) - 1) for word in head
            ) or len(span) == 2 and text[span[0].end:span[1].start] == "-" and all(  # a double eponym: "-> parsonage-turner."
                t.original.isalpha() and not covered_word(t.canonical) for t in span)
            if concluded:
                result.not_found.append(text[span[0].start:span[-1].end])
                result.uncovered_spans.append((k, end))
        if concluded:
            last = k
    return last


def _read_as_one_name(result: "MatchResult", hits: list, k: int, end: int, head: frozenset[str], text: str) -> bool:
    """When the covered terms read after an arrow all stand right before an uncovered name that ends the conclusion,
    maybe with its head word ("-> lupus anticoagulant hypoprothrombinaemia syndrome."), they are words of one longer
    name the bot does not cover: reads that whole name as the disease not found, drops the terms, and returns True."""
    start, stop = max(((s, e) for s, e in result.uncovered_spans if k <= s < end), default=(None, None))
    words = [t.canonical for t in result.tokens[stop or 0:end]]
    if start is None or any(h.end_token != start for h in hits) or any(w not in head for w in words):
        return False
    first = min(h.start_token for h in hits)
    result.forget_uncovered(start)
    last = max(end, stop)  # the name may run on past the words an arrow's conclusion is looked for in
    result.not_found.append(text[result.tokens[first].start:result.tokens[last - 1].end])
    result.uncovered_spans.append((first, last))
    for found in (result.matches, result.ambiguous, result.suggestions):
        found[:] = [h for h in found if h not in hits]
    return True


def stated_diagnosis(result: "MatchResult", text: str, roles: "RoleWords") -> int | None:
    """Where the last disease the bot does not cover, stated as the diagnosis right after `roles.diagnosing` but for
    its guesses (`TENTATIVE`: "looks like pharyngitis" may be one of several) and ending its clause ("so sporadic
    CJD.", "diagnosed with congenital myasthenic syndrome,"), starts, if any: a conclusion, as after an arrow. Not
    one the clause goes on about ("so diabetic autonomic neuropathy was the first thought")."""
    tokens = result.tokens
    words = [t.canonical for t in tokens]
    stating = [p for p in roles.diagnosing if p[-1] not in TENTATIVE]
    starts = [s for s, e in result.uncovered_named if _after_phrase(words, s, stating)
              and (e == len(tokens) or CLAUSE_END.search(text, tokens[e - 1].end, tokens[e].start))]
    return max(starts, default=None)


def _after_phrase(words: list[str], k: int, phrases: "Iterable[tuple[str, ...]]") -> bool:
    """Whether one of the phrases ends right before the word at k ("so PML", "diagnosed with CMS")."""
    return any(k >= len(p) and tuple(words[k - len(p):k]) == p for p in phrases)


def offer_told_before(result: "MatchResult", text: str, roles: "RoleWords", *conclusions: int | None) -> None:
    """A condition still answered after the roles but told before a work-up's last conclusion that the bot does not
    cover (where `named_as_diagnosis`, `named_after_arrow` and `stated_diagnosis` found one, if they did) is what the
    work-up started from: offered, not answered ("posterior uveitis treated as non-infectious ... PCR toxo + ->
    ocular toxoplasmosis. would ivig have any role"). A term read several ways told before it is a finding of the
    work-up, not a question: it is not asked back ("thrombocytopenia + AKI ... -> iTTP"); nor is a name queried with
    "?" and contradicted in its sentence ("?susac (...) but fluorescein angio normal ... -> CADASIL"): ruled out."""
    concluded = max((k for k in conclusions if k is not None), default=None)
    if concluded is None:
        return
    tokens = result.tokens
    stops = (*sentence_stops(tokens, text, roles), len(tokens))

    def queried_then_contradicted(hit) -> bool:
        at = tokens[hit.start_token].start  # "?" typed right against the name, itself after a space, "(" or ","
        if at == 0 or text[at - 1] != "?" or at > 1 and not text[at - 2].isspace() and text[at - 2] not in "(,":
            return False
        stop = min(k for k in stops if k >= hit.end_token)
        return not roles.contrasting.isdisjoint(t.canonical for t in tokens[hit.end_token:min(stop, concluded)])

    offered = {h.condition_id for h in result.suggestions}
    result.suggestions.extend(replace(h, method=MatchMethod.fuzzy) for h in result.matches
                              if h.end_token <= concluded and h.condition_id not in offered
                              and not queried_then_contradicted(h))
    result.matches[:] = [h for h in result.matches if h.end_token > concluded]
    result.ambiguous[:] = [h for h in result.ambiguous if h.end_token > concluded]
