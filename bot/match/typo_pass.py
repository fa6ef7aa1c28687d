"""The matcher's last passes: typo readings of the words no earlier pass settled, with RoboDanny's margin rule, then
slips in terms too short for a typo score ("cvoid"; "CIPD" is only offered).

Two kinds of earlier readings stay open to a typo reading, but only to one that is accepted outright:
- a loose "did you mean" ("membrane pemphigoid" offered for "mucus membrane pemphigoid"), which a clear typo
  reading of the same, more or fewer of its words replaces ("fibromylagia with small fibre features");
- an uncovered disease's name inside a longer misspelt covered name ("congenital heart" in "congenital heart
  blok"), which only a strictly longer reading may take.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from rapidfuzz.distance import OSA

from bot.match import slips
from bot.match.fuzzy import ACCEPT_SCORE, MARGIN, SHORT_WORD, SUGGEST_SCORE, Scored
from bot.match.lexicon import FILLER, AliasEntry
from bot.match.phonetic import sound_key
from bot.match.resolve import LATE_CUE_SCORE
from bot.match.result import Hit, MatchResult, runs
from bot.models import MatchMethod
from bot.phrases import contains_phrase
from bot.text import plural_capitals

if TYPE_CHECKING:
    from bot.match.matcher import Matcher


def typo_pass(matcher: "Matcher", result: MatchResult, taken: list[bool], near: dict[str, frozenset[int]],
              barrelled: list[bool]) -> None:
    """`barrelled`: per word, whether it is half of another disease's double name (`barrelled_words`)."""
    tokens = result.tokens
    inside_ambiguous = [False] * len(tokens)
    for hit in result.ambiguous:
        inside_ambiguous[hit.start_token:hit.end_token] = [True] * (hit.end_token - hit.start_token)
    terms = [(h.start_token, h.end_token) for h in result.ambiguous] if result.matches else []
    words = [t.canonical for t in tokens] if terms else []  # read only beside such a term
    # (start, end, may the window be exactly these words)
    soft = [(s, e, True) for s, e in result.tentative] + [(s, e, False) for s, e in result.uncovered_spans]
    open_ = list(taken)
    for s, e, _ in soft:
        open_[s:e] = [False] * (e - s)
    # A word such as "non" or "post" right before a window makes it another disease ("non-streptococcal toxic shock
    # syndrom" is no misspelt streptococcal toxic shock syndrome): such a window is read only with that word in it.
    turning = matcher.rules.turning
    # Per word, once: filler, and filler or a number (a window of nothing else reads nothing); after a turning word.
    filler = [t.canonical in FILLER for t in tokens]
    blank = [f or t.canonical.isdigit() for f, t in zip(filler, tokens)]
    turned = [i > 0 and tokens[i - 1].canonical in turning for i in range(len(tokens))]
    score_window = matcher.fuzzy.score_window
    scored: list[Scored] = []
    for run_start, run_end in runs(open_):
        for n in range(1, min(matcher._max_words + 1, run_end - run_start) + 1):
            for i in range(run_start, run_end - n + 1):
                end = i + n
                # a window is trimmed to meaningful words at both ends, and not read right after a turning word
                if filler[i] or filler[end - 1] or turned[i] or i and barrelled[i - 1] or barrelled[end - 1]:
                    continue
                if soft and not _fits_soft(i, end, soft):
                    continue
                if all(blank[i:end]):
                    continue
                if all(inside_ambiguous[i:end]):
                    continue  # an ambiguous term already stands here; a fuzzy guess would not help
                if terms and matcher.cues.group_around(words, i, end, terms, FILLER):
                    continue  # beside a condition named outright, as in the loose pass ("... sepsis in a newborn")
                scored.extend(score_window(tokens[i:end], i, end, near))
    _decide(result, scored, open_, soft, matcher.lexicon.uncovered, matcher.blocked_names)


SHORT_TYPO_LETTERS = range(4, 9)  # typed words this long may be one slip from a short term
EPONYM_TYPO_LETTERS = 7  # an eponym alone this long may be read through one slip too ("alzhiemer", "rasmusen")
SLIP_OF_NAMED = 5  # letters of an uncovered name's word a typed word may be a slip of
PLURAL_SLIP_LETTERS = 6  # a term this long may be read through one slip and a plural "s" ("bechets")


def short_word_typos(matcher: "Matcher", result: MatchResult, taken: list[bool], barrelled: list[bool]) -> None:
    """A word no pass read, one slip from a one-word covered term too short for `typo_pass` to score: two letters
    swapped ("cvoid" is COVID), or, in a word of five letters or more that the data writes as a word and not as an
    abbreviation, one letter wrong, added or left out ("lupis" is lupus), or in one of four, a letter left out
    inside a five-letter term so written ("covd"). Nothing is read when the first letter differs, unless the two
    sound alike ("kovid" is covid), when the word is a word of any name or of the question words, or when an
    uncovered disease's one-word name or a second covered term is as near. A longer word is read so as an eponym
    alone, or through a plural "s" (below). A one-word offer of the typo pass that is such a swap is answered too
    (`_swap_offered`): "bechet's" is Behçet's."""
    _swap_offered(matcher, result, taken)
    busy = list(taken)
    for hit in (*result.matches, *result.ambiguous, *result.suggestions):  # the typo pass's readings too
        busy[hit.start_token:hit.end_token] = [True] * (hit.end_token - hit.start_token)
    for s, e in result.uncovered_spans:
        busy[s:e] = [True] * (e - s)
    for k, joined in enumerate(barrelled):
        if joined:
            busy[k:k + 2] = [True, True]
    for i, token in enumerate(result.tokens):
        word, typed = token.canonical, token.original.lower()
        if typed != word and token.original.isupper() and typed.isalpha() and not matcher.is_known(word) and any(
                slips.swapped(typed, t) for t in _slipped_into(matcher, typed)):
            word = typed  # "AEID" folds to "eid" as "haem" to "hem"; in capitals, AIED with two letters swapped
        if busy[i] or len(word) < SHORT_TYPO_LETTERS[0] or not word.isalpha() or matcher.is_known(word):
            continue
        if i and result.tokens[i - 1].canonical in matcher.rules.turning:
            continue  # "pseudo myastenia": another disease
        terms = _slipped_into(matcher, word)
        if len(word) not in SHORT_TYPO_LETTERS:  # the typo pass has read or refused a longer word, but an eponym
            terms = [t for t in terms if all(e.eponym for e in matcher.one_word_entries(t))]
        # ... and a one-word name its plural or possessive "s" leaves too far from the slipped word ("bechets",
        # "altzheimers"): not a plural one slip from an uncovered disease's name as typed, nor a short term's.
        if not terms and word.endswith("s") and len(word) > SHORT_TYPO_LETTERS[0] + 1 and not (
                matcher.uncovered_words.one_slip_from_a_name(word)):
            word = word[:-1]
            terms = [t for t in _slipped_into(matcher, word) if len(t) >= PLURAL_SLIP_LETTERS]
        # "chrons": a term as heard; "alzhymers": an eponym a sound off (words as long as the typo pass hears)
        if not terms and len(word) >= SHORT_WORD:
            terms = matcher.heard_terms(word)
        swaps = [t for t in terms if len(t) == len(word) and sorted(t) == sorted(word)]
        if plural_capitals(token.original):  # "PACs": the lower-case "s" is a plural's, not a slipped letter
            swaps = [t for t in swaps if t[-1] == word[-1]]
        terms = swaps or terms  # the commonest slip: "cvoid" is COVID, not CVID with a letter added
        entry = _read_as(matcher, word, terms, bool(swaps))
        if entry is None:
            _offer_abbreviation(matcher, result, token, i, terms, taken)
            continue
        hit = read_slip(entry, i, i + 1)
        if entry.method is MatchMethod.ambiguous:
            result.ambiguous.append(replace(hit, method=MatchMethod.ambiguous))
            result.clear_terms.append((i, i + 1))  # settled as the term typed right would be ("lupis": lupus)
        else:
            result.matches.append(hit)
        taken[i] = True


def read_slip(entry: AliasEntry, start: int, end: int) -> Hit:
    """A slip read as the covered term it stands for, scored as a late reading that its cue words may settle when
    the term has several readings."""
    return Hit(entry.condition_id, LATE_CUE_SCORE, MatchMethod.fuzzy, entry.text, start, end, entry.other_meanings,
               entry=entry, subtype=entry.subtype)


def _swap_offered(matcher: "Matcher", result: MatchResult, taken: list[bool]) -> None:
    """A one-word term the typo pass only offered, its word two letters swapped from it ("bechet": a score of 83, as
    the swap costs two of the score's edits), with no other offer for that word: answered as `_read_as` allows."""
    for hit in [h for h in result.suggestions if h.end_token - h.start_token == 1]:
        word = result.tokens[hit.start_token].canonical
        if any(h.start_token == hit.start_token and h.condition_id != hit.condition_id for h in result.suggestions):
            continue
        swaps = [t for t in _slipped_into(matcher, word) if slips.swapped(word, t)]
        entry = _read_as(matcher, word, swaps, True) if swaps else None
        if entry is None or entry.condition_id != hit.condition_id or entry.method is MatchMethod.ambiguous:
            continue
        result.suggestions.remove(hit)
        result.matches.append(read_slip(entry, hit.start_token, hit.end_token))
        taken[hit.start_token] = True


def _slipped_into(matcher: "Matcher", word: str) -> list[str]:
    """The one-word terms one slip from `word` that keep its first letter or its sound."""
    return [t for t in matcher.one_slip_terms(word) if t[0] == word[0] or sound_key(t) == sound_key(word)]


def _read_as(matcher: "Matcher", word: str, terms: list[str], swapped: bool) -> AliasEntry | None:
    """The one covered term a slipped word may be answered as, or None: one term only, no uncovered name as near,
    one condition, and, unless two letters were swapped, a word of five letters or more written as a word, or of
    four with a letter left out inside (`slips.left_out_inside`)."""
    if len(terms) != 1:
        return None
    # "covd": a letter left out of a five-letter term beats an uncovered name with a letter wrong ("copd", "cold");
    # so do two letters swapped ("civd" is CVID, not CAVD), but not a name the same letters spell too, nor one with
    # the wrong letter on a key beside the typed one ("cipd" may be COPD as much as CIDP)
    left_out = not swapped and slips.left_out_inside(word, terms[0])
    if any(not (left_out or swapped) or len(name) != len(word) and not swapped or sorted(name) == sorted(word)
           or swapped and slips.next_key_for(word, name) for name in matcher.uncovered_words.one_slip_names(word)):
        return None
    entries = matcher.one_word_entries(terms[0])
    if len({e.condition_id for e in entries}) != 1:
        return None
    if not swapped and (len(terms[0]) < 5 or len(word) < 5 and not left_out or any(e.match_case for e in entries)):
        return None
    return entries[0]


MAX_OFFERED = 3  # conditions a slip in an abbreviation may offer; more says nothing


def _offer_abbreviation(matcher: "Matcher", result: MatchResult, token, at: int, terms: list[str],
                        taken: list[bool]) -> None:
    """A word typed in capitals as an abbreviation ("CIPD", "LEMMS"), one slip from covered terms but too short, or
    too near another term, to be read as one: offered ("did you mean"), not answered, unless it is one condition's
    alone and a cue word of that condition's shared terms is in the question too ("VIIT after ChAdOx1, anti-PF4
    positive, CVST": VITT, as its cues settle "TTS"). Not in a message all in capitals, where every word looks like
    an abbreviation. Typed in lower case, a word of four letters or more is offered only for two letters swapped, one
    typed twice ("pandass") or a doubled letter typed on its neighbour ("viit"), and never when an uncovered
    disease's name is as near: lower-case words are more often words; it is answered, as in capitals, with a cue."""
    letters = "".join(ch for ch in token.original if ch.isalpha())
    word = token.canonical
    if letters.islower() and len(letters) >= 4 and not matcher.uncovered_words.one_slip_from_a_name(word):
        terms = [t for t in terms if slips.swapped(word, t) or slips.doubled(word, t) or slips.doubling_moved(word, t)]
    elif result.all_caps or len(letters) < 3 or not letters.isupper():
        return
    else:  # letters swapped, doubled or left out; one letter for another is too often another ("MRSA"), but for a
        # doubled letter typed on its neighbour ("STTS")
        terms = [t for t in terms if len(t) != len(word) or sorted(t) == sorted(word) or slips.doubling_moved(word, t)]
    offered = {e.condition_id: e for t in terms for e in matcher.one_word_entries(t)}
    if not offered or len(offered) > MAX_OFFERED:
        return
    alone = next(iter(offered)) if len(offered) == 1 else None  # in capitals, or in lower case at four letters or more
    if alone and _cued(matcher, result, at, alone):
        result.matches.append(read_slip(offered[alone], at, at + 1))
        taken[at] = True
        return
    for entry in offered.values():
        result.suggestions.append(Hit(entry.condition_id, SUGGEST_SCORE, MatchMethod.fuzzy, entry.text, at, at + 1,
                                      entry.other_meanings, entry=entry, subtype=entry.subtype))


def _cued(matcher: "Matcher", result: MatchResult, at: int, condition_id: str) -> bool:
    """Whether a cue word of one of the condition's shared terms is in the question, outside the word at `at`."""
    condition = matcher.kb.conditions.get(condition_id)
    if condition is None:
        return False
    words = tuple(t.canonical for k, t in enumerate(result.tokens) if k != at)
    cues = matcher.cues.expand([c for term in condition.ambiguous_terms for c in term.cues])
    return any(contains_phrase(words, p) for p in cues)


def barrelled_words(matcher: "Matcher", tokens, text: str) -> list[bool]:
    """Per word k, whether a hyphen joins it to word k + 1 and one of the two is a word no covered name or question
    uses: halves of another disease's double name ("Pyle-Coohn syndrome", "Melnick-Faser"), where no typo reading
    of a covered eponym ("Crohn", "Fisher") may start or end."""
    if "-" not in text:  # most questions: nothing joined
        return [False] * len(tokens)
    return [k + 1 < len(tokens) and text[tokens[k].end: tokens[k + 1].start] == "-"
            and (_foreign(matcher, tokens[k].canonical) or _foreign(matcher, tokens[k + 1].canonical))
            for k in range(len(tokens))]


def _foreign(matcher: "Matcher", word: str) -> bool:
    """A word of letters that no covered name, cue or question uses."""
    return (word.isalpha() and len(word) >= 3 and word not in matcher.lexicon.condition_words and word not in FILLER
            and word not in matcher.plain_words and word not in matcher.rules.course)


def _fits_soft(start: int, end: int, soft: list[tuple[int, int, bool]]) -> bool:
    """A window either keeps clear of every open earlier reading or holds it whole (strictly, for an uncovered
    name), or lies within a loose offer: a clear typo of part of it replaces it as a clear reading of all of it does
    ("fibromylagia with small fibre features": fibromyalgia, not a "did you mean" of "fibromyalgia with small fibre
    neuropathy")."""
    for s, e, same_ok in soft:
        if s < end and start < e:
            if not (start <= s and e <= end) and not (same_ok and s <= start and end <= e):
                return False
            if not same_ok and (start, end) == (s, e):
                return False
    return True


def _touches(hit: Scored, spans) -> list[tuple[int, int]]:
    return [(s, e) for s, e, *_ in spans if s < hit.end and hit.start < e]


def _in_uncovered_name(result: MatchResult, best: Scored, names: tuple[dict, ...],
                       taken: list[bool]) -> tuple[int, int] | None:
    """The span of an uncovered disease's name, or of a name the curator blocks, that a typo reading, corrected, is
    part of with a word or two beside it ("transient tic diosrder": 'tic disorder' is a covered name, "transient tic
    disorder" another disease; "urticarial vasculits" is no vasculitis on the list)."""
    words = [t.canonical for t in result.tokens]
    name = best.entry.words
    if len(name) != best.end - best.start:
        return None
    words[best.start:best.end] = name
    for left in range(3):
        for right in range(3 - left):
            start, end = best.start - left, best.end + right
            if (left or right) and start >= 0 and end <= len(words) and not any(taken[start:best.start] + taken[best.end:end]):
                if any("".join(words[start:end]) in found for found in names):
                    return start, end
    return None


def _decide(result: MatchResult, scored: list[Scored], taken: list[bool], soft: list[tuple[int, int, bool]],
            uncovered: dict, blocked: dict) -> None:
    # Accepted readings first, the one reading the most words first among them (as in the loose pass): the whole of
    # "primary immuno defishiency", not the "immunodeficiency" its last two words sound like.
    scored.sort(key=lambda h: (h.score < ACCEPT_SCORE, -(h.end - h.start), -h.score, h.start))
    for best in scored:
        if any(taken[best.start: best.end]):
            continue
        rivals = [  # a shorter reading inside the best one ("pemphigoid" in "bullous pemphigiod") is no rival
            h for h in scored
            if h.entry.condition_id != best.entry.condition_id
            and h.start < best.end and best.start < h.end and not _strictly_inside(h, best)
        ]
        entry = best.entry
        # A term the data marks ambiguous, shared word for word by other conditions, is one reading, not rivals
        # ("ACNA vasculitis": ANCA vasculitis, which its conditions' cues and notes settle as the exact term's are).
        shared = [h for h in rivals if entry.method is MatchMethod.ambiguous and h.entry.method is MatchMethod.ambiguous
                  and h.entry.words == entry.words and (h.start, h.end) == (best.start, best.end)]
        runner_up = max((h.score for h in rivals if h not in shared), default=0.0)
        clear = best.score - runner_up >= MARGIN
        over = _touches(best, soft)
        if over:  # an earlier reading stands unless this one is a clear answer of a covered condition, or a clear term
            if entry.condition_id is None or not (best.score >= ACCEPT_SCORE and clear):
                continue
            # ... that reads a word of each uncovered name in it as typed: "rubella exposure" is no misspelt
            # "rubeola exposure"; "allergic granulomatous angiitis" keeps "angiitis" of "granulomatous angiitis";
            # "polly myositis" keeps the letters of "myositis" in "polymyositis".
            if any(not same_ok and s < best.end and best.start < e
                   and not _keeps_typed(result.tokens[s:e], entry.words) for s, e, same_ok in soft):
                continue
            _withdraw(result, best)
        taken[best.start:best.end] = [True] * (best.end - best.start)
        inside = _in_uncovered_name(result, best, (uncovered, blocked), taken) if entry.condition_id else None
        if inside is not None:  # corrected, the words are an uncovered disease's name: never its covered part
            taken[inside[0]:inside[1]] = [True] * (inside[1] - inside[0])
            result.not_found.append(" ".join(t.original for t in result.tokens[inside[0]:inside[1]]))
            result.uncovered_spans.append(inside)
            continue
        if entry.condition_id is not None and _slip_of_named(result, best):  # "... rubella ... applies to rubela"
            result.not_found.append(result.tokens[best.start].original)
            result.uncovered_spans.append((best.start, best.end))
            continue
        if entry.condition_id is None:  # a misspelt uncovered disease
            if best.score >= ACCEPT_SCORE and clear:
                result.not_found.append(" ".join(t.original for t in result.tokens[best.start:best.end]))
                result.uncovered_spans.append((best.start, best.end))
            continue
        hit = Hit(entry.condition_id, best.score, MatchMethod.fuzzy, entry.text, best.start, best.end,
                  entry.other_meanings, entry=entry, subtype=entry.subtype)
        if entry.method is MatchMethod.ambiguous:
            if over:  # the terms read inside it give way ("vasculitis" in "ACNA vasculitis")
                result.ambiguous[:] = [h for h in result.ambiguous if not _inside_hit(h, best)]
            if best.score >= ACCEPT_SCORE and clear:  # settled as the term typed right would be
                result.clear_terms.append((best.start, best.end))
            result.ambiguous.append(replace(hit, method=MatchMethod.ambiguous))
            result.ambiguous.extend(Hit(h.entry.condition_id, h.score, MatchMethod.ambiguous, h.entry.text, h.start, h.end,
                                        h.entry.other_meanings, entry=h.entry, subtype=h.entry.subtype) for h in shared)
        elif best.score >= ACCEPT_SCORE and clear:
            result.matches.append(hit)
        elif best.score >= SUGGEST_SCORE:
            result.suggestions.append(hit)
            seen = {entry.condition_id}
            for rival in sorted(rivals, key=lambda h: -h.score):
                cid = rival.entry.condition_id
                if cid is not None and cid not in seen and best.score - rival.score < MARGIN:
                    seen.add(cid)
                    result.suggestions.append(Hit(cid, rival.score, MatchMethod.fuzzy, rival.entry.text,
                                                  rival.start, rival.end, entry=rival.entry))


def _slip_of_named(result: MatchResult, best: Scored) -> bool:
    """A one-word window one slip from a word of an uncovered disease the question names as typed: its misspelling,
    however near a covered name ("exposed to rubella ... same for rubela?" is no misspelt "rubeola")."""
    if best.end - best.start != 1 or not result.uncovered_spans:
        return False
    typed = result.tokens[best.start].canonical
    named = {t.canonical for s, e in result.uncovered_spans for t in result.tokens[s:e]}
    return any(len(word) >= SLIP_OF_NAMED and word != typed and OSA.distance(typed, word, score_cutoff=1) <= 1
               for word in named)


def _withdraw(result: MatchResult, best: Scored) -> None:
    """A clear typo reading replaces the loose offers and uncovered names within its words."""
    result.suggestions[:] = [h for h in result.suggestions
                             if not (h.start_token < best.end and best.start < h.end_token)]
    kept = [i for i, (s, e) in enumerate(result.uncovered_spans) if not (s < best.end and best.start < e)]
    result.not_found[:] = [result.not_found[i] for i in kept]
    result.uncovered_spans[:] = [result.uncovered_spans[i] for i in kept]


def _keeps_typed(span: list, name: tuple[str, ...]) -> bool:
    """Whether a covered name read over an uncovered one keeps a word of it as typed, or all its letters in a row."""
    typed = [t.canonical for t in span]
    return not set(typed).isdisjoint(name) or "".join(typed) in "".join(name)


def _strictly_inside(inner: Scored, outer: Scored) -> bool:
    return outer.start <= inner.start and inner.end <= outer.end and inner.end - inner.start < outer.end - outer.start


def _inside_hit(hit: Hit, outer: Scored) -> bool:
    return outer.start <= hit.start_token and hit.end_token <= outer.end
