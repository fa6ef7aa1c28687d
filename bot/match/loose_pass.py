"""The loose pass: names read in any order, without a head word, with a word more or fewer, on the words left."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from bot.match.cues import age_tokens
from bot.match.lexicon import FILLER
from bot.match.loose import TYPO_COST, reads_only_how, run_readings, sole_reading
from bot.match.result import Hit
from bot.models import MatchMethod

if TYPE_CHECKING:
    from bot.match.entry import AliasEntry
    from bot.match.loose import Reading
    from bot.match.matcher import Matcher
    from bot.match.result import MatchResult
    from bot.text import Token


def treatment_spans(tokens: list["Token"], names: frozenset[tuple[str, ...]]) -> list[tuple[int, int]]:
    """Where the treatment is named in words that name no disease ("immune globulin")."""
    words = [t.canonical for t in tokens]  # a slice only where a name's first word is typed: most questions have none
    return [(k, k + len(name)) for k, word in enumerate(words) for name in names
            if word == name[0] and tuple(words[k:k + len(name)]) == name]


def loose_pass(matcher: "Matcher", result: "MatchResult", taken: list[bool], text: str) -> None:
    """Loose readings on the words left; an uncovered name's words stay open to a longer covered reading that
    contains it ("myositis" in "myositis, inclusion body"), never to one inside or across it."""
    tokens = result.tokens
    thresholds = matcher.rules.thresholds
    spans = result.uncovered_spans
    hard = list(taken)
    for start, end in spans:
        hard[start:end] = [False] * (end - start)
    ages = age_tokens(tokens, text)
    readable = [used or k in ages for k, used in enumerate(hard)]  # "13 yo" is no name's "13"
    for start, end in treatment_spans(tokens, matcher.rules.roles.treatment_names):
        readable[start:end] = [True] * (end - start)  # "botulism immune globulin in adults": no immune thrombocytopenia
    readings = matcher.loose.without_outread(run_readings(matcher, tokens, readable, text, spans), tokens)
    # Acceptable readings first, the one reading the most of the question first among them: "ophthalmopathy,
    # graves" is Graves ophthalmopathy, not the "Graves disease" inside it.
    # Exact ties go to the longer span, then to the name listed first: never to set order, which changes with
    # Python's per-run string hashing ("post-COID syndrome" read as "post-COID" in some runs).
    readings.sort(key=lambda r: (r.score < thresholds.loose_accept, -r.weight, -r.score, r.start,
                                 r.start - r.end, r.entry_index))
    released: set[tuple[int, int]] = set()
    asked = [(h.start_token, h.end_token) for h in result.ambiguous]
    words = [t.canonical for t in tokens] if asked else []  # read only beside a term asked back
    floor = min(thresholds.loose_suggest, thresholds.loose_sole_accept)  # a sole reading may be answered below
    # what would be offered. After "pseudo", "non" ... it is another disease ("pseudo myastenia gravis").
    turning = matcher.rules.turning
    for best in readings:
        if any(hard[best.start:best.end]) or best.score < floor or (
                best.start and tokens[best.start - 1].canonical in turning):
            continue
        if any(s <= best.start and best.end <= e for s, e in asked):
            continue  # an ambiguous term stands on exactly these words: it asks; a loose guess would not help
        if result.matches and matcher.cues.group_around(words, best.start, best.end, asked, FILLER):
            # The term and who the patient is ("echovirus 11 sepsis in a newborn"): beside a condition named outright
            # the patient's group settles no reading (`settle_ambiguous`), nor does it read the term loosely.
            continue
        touched = [(s, e) for s, e in spans if s < best.end and best.start < e]
        if touched and (not all(best.start <= s and e <= best.end and e - s < best.end - best.start for s, e in touched)
                        or best.score < thresholds.loose_accept and not (  # "alloimmune liver disease": GALD's
                            best.condition_id and sole_reading(matcher, best, tokens, text))):
            continue
        # A rival reading only words of how a disease runs is none ("late-onset still's": no late-onset sepsis)
        rivals = [r for r in readings if r.condition_id != best.condition_id
                  and r.start < best.end and best.start < r.end
                  and not (best.start <= r.start and r.end <= best.end and r.weight < best.weight)
                  and not (r.condition_id is not None and reads_only_how(matcher, r, tokens, offered=True))]
        runner_up = max((r.score for r in rivals), default=0.0)
        entry = matcher.loose.entry(best.entry_index)
        hit = Hit(best.condition_id, round(best.score * 100, 1), MatchMethod.fuzzy, entry.text, best.start,
                  best.end, entry.other_meanings, entry=entry, subtype=entry.subtype)
        clear = best.score - runner_up >= thresholds.loose_margin
        if best.condition_id is None:  # an uncovered disease, in other words or order
            if best.score >= thresholds.loose_accept and clear:
                result.not_found.append(" ".join(t.original for t in tokens[best.start:best.end]))
                result.uncovered_spans.append((best.start, best.end))
                hard[best.start:best.end] = [True] * (best.end - best.start)
            continue
        if entry.method is MatchMethod.ambiguous:
            if best.score >= thresholds.loose_suggest and not reads_only_course(matcher, best, tokens):
                # every word of the term, one typo fixed: settled as typed right would be ("west nyle virus")
                if best.score >= 1 - TYPO_COST and clear and best.end - best.start == len(entry.words):
                    result.clear_terms.append((best.start, best.end))
                result.ambiguous.extend(replace(hit, condition_id=cid, method=MatchMethod.ambiguous, entry=shared)
                                        for cid, shared in term_sharers(matcher, best, readings))
        elif heads_another(matcher, best, tokens):  # "post covid inflammatory syndrome": offered at most
            if best.score >= thresholds.loose_suggest and not touched and not names_read_next(best, readings):
                result.suggestions.append(hit)
                result.tentative.append((best.start, best.end))
        elif best.score >= thresholds.loose_accept and clear:
            result.matches.append(hit)
            released.update(touched)
        elif not rivals and sole_reading(matcher, best, tokens, text) and past_asked(matcher, best, tokens, asked):
            result.matches.append(hit)
            released.update(touched)
        elif touched or best.score < thresholds.loose_suggest or reads_only_how(matcher, best, tokens, offered=True):
            continue
        else:
            result.suggestions.append(hit)
            result.tentative.append((best.start, best.end))
            for rival in rivals:
                if rival.condition_id is not None and best.score - rival.score < thresholds.loose_margin and all(
                        s.condition_id != rival.condition_id for s in result.suggestions):
                    other = matcher.loose.entry(rival.entry_index)
                    result.suggestions.append(Hit(rival.condition_id, round(rival.score * 100, 1),
                                                  MatchMethod.fuzzy, other.text, rival.start, rival.end,
                                                  entry=other))
        hard[best.start:best.end] = [True] * (best.end - best.start)
    if released:  # those uncovered names were words of a covered name
        kept = [i for i, span in enumerate(result.uncovered_spans) if span not in released]
        result.not_found[:] = [result.not_found[i] for i in kept]
        result.uncovered_spans[:] = [result.uncovered_spans[i] for i in kept]
    for start, end in result.uncovered_spans:
        hard[start:end] = [True] * (end - start)
    taken[:] = hard


def past_asked(matcher: "Matcher", reading: "Reading", tokens: "list[Token]", asked: list[tuple[int, int]]) -> bool:
    """Whether a sole reading may stand over the terms asked back about on its words: none is there, or each lies
    inside it and the one word it misses says only how ("heparin thrombocytopenia" reads past "thrombocytopenia";
    "atopic asthma" is no atopic dermatitis with asthma). A term across its edge asks instead."""
    inside = [(s, e) for s, e in asked if s < reading.end and reading.start < e]
    if not inside:
        return True
    if not all(reading.start <= s and e <= reading.end and e - s < reading.end - reading.start for s, e in inside):
        return False
    typed = {t.canonical for t in tokens[reading.start:reading.end]}
    return matcher.loose.profile(reading.entry_index).informative - typed <= matcher.rules.course


def reads_only_course(matcher: "Matcher", reading: "Reading", tokens: "list[Token]") -> bool:
    """Whether every word a reading of a term spans says how a disease runs, not which: "newly diagnosed" (of "newly
    diagnosed ITP") before "type 1 diabetes" offers no ITP. The words typed, not the name's: "resp" reads "respiratory"."""
    return all(t.canonical in matcher.rules.course or t.canonical in FILLER for t in tokens[reading.start:reading.end])


def heads_another(matcher: "Matcher", reading: "Reading", tokens: "list[Token]") -> bool:
    """Whether a reading that leaves out its name's head word is followed by another head word: then its words name
    another disease ("post covid inflammatory syndrome" is not the post-COVID condition), and it is only offered."""
    entry = matcher.loose.entry(reading.entry_index)
    head = matcher.rules.head
    typed = {t.canonical for t in tokens[reading.start:reading.end]}
    if not any(w in head and w not in typed for w in entry.words):
        return False
    # "the Miller Fisher form", "type": a form of another condition, named by its own name, not another disease
    forms = matcher.rules.roles.form_words
    return any(t.canonical in head and t.canonical not in forms for t in tokens[reading.end: reading.end + 3])


def names_read_next(reading: "Reading", readings: "list[Reading]") -> bool:
    """Whether a reading of another condition starts right after this one: the disease its words qualify, read
    ("post-covid multisystem inflammatory syndrome": MIS-C, not also "did you mean the post-COVID condition?")."""
    return any(r.start == reading.end and r.condition_id not in (None, reading.condition_id) for r in readings)


def term_sharers(matcher: "Matcher", best: "Reading", readings: "list[Reading]") -> "list[tuple[str, AliasEntry]]":
    """The conditions, with their entries, of an ambiguous term the curator gave to several ("anti-GQ1b antibody
    syndrome" of Bickerstaff's and of Miller Fisher's), read on the same words as the best reading: each is offered."""
    entry = matcher.loose.entry(best.entry_index)
    out = [(best.condition_id, entry)]
    for r in readings:
        if r.condition_id not in (None, best.condition_id) and (r.start, r.end, r.score) == (best.start, best.end,
                                                                                              best.score):
            other = matcher.loose.entry(r.entry_index)
            if other.method is MatchMethod.ambiguous and other.words == entry.words:
                out.append((r.condition_id, other))
    return out
