"""Whether what IVIG is asked for, at the end of the treatment's clause, is a term the bot cannot read, or reads
several ways: then a condition named before it is offered, not answered (used by bot/match/background.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.match.initials import first_letters
from bot.match.lexicon import FILLER
from bot.match.roles import DISEASE_WORD, RoleWords

QUALIFIERS = 3  # at most so many words before a term read several ways still make one name with it
QUALIFIERS_BEFORE = 3  # ... and before a term the bot cannot read ("steroid refractory ICI pneumonitis")
MIN_QUALIFIER = 3
MIN_INITIALS = 2  # "HF" for the heart failure told before
DETERMINERS = frozenset({"the", "her", "his", "their", "this"})
SET_APART = frozenset({"itself", "themselves"})  # "... evidence for ivig in heds itself": not the condition told

if TYPE_CHECKING:
    from collections.abc import Callable

    from bot.match.result import MatchResult


def unread_asked(result: "MatchResult", words: list[str], last: int, end: int, roles: RoleWords,
                 known: "Callable[[str], bool]", theirs: "Callable[[str, str], bool] | None" = None,
                 lowered: bool = False, text: str = "", course: frozenset[str] = frozenset(),
                 outcome: frozenset[str] = frozenset(), names: "Callable[[str], list[tuple[str, ...]]] | None" = None,
                 ending: "Callable[[tuple[str, ...]], bool] | None" = None) -> bool:
    """Whether the treatment's clause ends on what IVIG is asked for, right after "for", "in", "help" ... (and "the",
    "her" ...), as one abbreviation in capitals that is read several ways ("IVIG for PCD?") or that no name or
    question has ("IVIG in TB?"; three letters or more are a disease not found, `referred_back`), or as a word in
    lower case that ends as diseases' names do, which no name or question has ("does IVIG help dysferlinopathy?") or
    which follows a word of its own saying which kind ("ivig for ICI pneumonitis?"), or as a word only uncovered names
    have that ends such a name with the words before it ("ivig in lichen sclerosus?"), or as an abbreviation read only
    as a slip offered ("IVIG for PNES?"), or as a double name no name has ("ivig in kikuchi-fujimoto?"), or as any
    word in lower case no name or question has, right after the treatment and "for" ..., closing a question that
    more text follows ("ivig for thyroid acropachy? 58F, ...") or that "itself" sets apart ("ivig in heds itself").
    From one who types in lower case (`lowered`), an abbreviation only uncovered names have counts as typed in
    capitals ("... now pml - any role for ivig in the pml?"). An abbreviation typed in capitals may follow a word of
    what IVIG should prevent (`outcome`: "does ivig or CMV-IG prevent PTLD?"), words of course between them ("ivig
    to prevent recurrent CHI?"). Not a term that names again the condition told before (`_said_before`)."""
    k = end - 1
    if k <= last + 1 or _said_before(result, words, last, end, names):
        return False
    j = k - 1  # "IVIG in hypermobile EDS?", "... in human metapneumovirus?": a word or two saying which kind of it
    while j > last + 1 and k - j <= QUALIFIERS_BEFORE + (words[k] in roles.disease_heads) \
            and _qualifier(result, words, j) and words[j] not in outcome:  # "to prevent recurrent CHI": not "prevent"
        j -= 1
    typed = result.tokens[k].original
    if lowered and typed.islower() and len(typed) >= 3 and theirs is not None and theirs(words[k], typed.upper()) \
            and not theirs(words[k], typed) and words[k] not in roles.pointing \
            and words[k] not in roles.holder_words:  # theirs only as an abbreviation: not "the
        typed = typed.upper()  # cytopenias", nor "that" ("... ivig in that": `pointed_back`), nor "pts" (PTS)
    if len(typed) >= 3 and typed[0].islower() and typed[1:].isupper() and roles.asks_at(words, k - 1) \
            and words[k - 1] != "with":  # "ivig for hMPV?": a prefix in lower case before an abbreviation in capitals;
        typed = typed.upper()  # not a score ("a second course with high mEGOS")
    abbreviation = typed.isupper() and len(typed) >= 2
    if abbreviation and j > last + 1 and words[j] in DETERMINERS:  # "ivig in the pml?", "for the hypermobile eds";
        j -= 1  # not "for the neuropathy", which names again what was told
    # ... or an abbreviation typed in capitals right after what IVIG should prevent ("does ivig or CMV-IG prevent
    # PTLD?"; not "prevent more", though "MORE" is an uncovered name's)
    prevented = abbreviation and result.tokens[k].original.isupper() and words[j] in outcome and all(
        w in course for w in words[j + 1:k])
    if not prevented and not roles.asks_at(words, j) and (j == k - 1 or not roles.asks_at(words, k - 1)):
        return _ambiguous_phrase_asked(result, words, last, end, roles)
    disease_like = roles.ends_as_disease(result.tokens[k])
    # "IVIG in hyperhaemolysis syndrome?": after words unread; not after words of course alone ("myasthenia gravus,
    # ... evidence for refractory disease?" names again the disease told)
    headed = words[k] in roles.disease_heads and any(w not in course for w in words[j + 1:k])
    # ... or two words no name or question has, joined by a hyphen as in a double eponym ("ivig in kikuchi-fujimoto?")
    headed = headed or j == k - 2 and text[result.tokens[k - 1].end:result.tokens[k].start] == "-" and not (
        known(words[k]) or known(words[k - 1]))
    if headed and _head_said_before(result, words, j, k, last):
        return False
    # ... or a word in lower case no name or question has, right after the treatment and "for", "in" ..., closing a
    # question that more text follows ("ivig for thyroid acropachy? 58F, graves, ... pretibial myxoedema"): what
    # follows is the story
    closed = end < len(result.tokens) and "?" in text[result.tokens[k].end:result.tokens[end].start]
    # ... or, of any length, set apart from the condition told by "itself" after it ("POTS pt also has hypermobile
    # ehlers-danlos, ... ivig in heds itself")
    apart = end < len(words) and words[end] in SET_APART
    unknown = (closed or apart) and j == last + 1 and typed.islower() and (len(typed) >= DISEASE_WORD or apart) \
        and not known(words[k])
    # ... or a word only uncovered names have, ending with the words before it an uncovered disease's name ("... any
    # evidence for ivig in lichen sclerosus?": penile lichen sclerosus's last words)
    uncovered_only = theirs is not None and theirs(words[k], typed)
    named_uncovered = uncovered_only and ending is not None and any(
        ending(tuple(words[i:k + 1])) for i in range(j + 1, k))
    if not (typed.isalpha() and (abbreviation or disease_like or headed or unknown or named_uncovered)) or any(
            h.start_token <= k < h.end_token for h in result.matches):
        return False
    if any(h.start_token <= k < h.end_token for h in result.suggestions):
        return abbreviation  # read only as a slip offered ("IVIG for PNES?": PNS?): what is asked is unclear
    ambiguous = [h for h in result.ambiguous if h.start_token <= k < h.end_token]
    if ambiguous:
        return all(h.start_token == k and h.end_token == end for h in ambiguous)
    # ... or an abbreviation only uncovered names have ("IVIG for LHON?": "LHON plus disease"); not one IVIG is
    # given with ("ivig with ACTH?": a drug)
    qualified = disease_like and any(w not in roles.referring for w in words[j + 1:k])  # "ICI pneumonitis"
    # ... or a word ending so that only uncovered names have ("... prevents infections in asplenia?")
    return headed or qualified or named_uncovered or disease_like and uncovered_only or not known(words[k]) or (
        abbreviation and words[k - 1] != "with" and uncovered_only)


def _head_said_before(result: "MatchResult", words: list[str], j: int, k: int, last: int) -> bool:
    """Whether the words before the head word are all words of a condition told before the treatment ("anti-Yo
    paraneoplastic cerebellar degeneration ... is ivig worth it for the cerebellar syndrome?"): it is named again."""
    said = {w for h in result.matches if h.end_token <= last for w in words[h.start_token:h.end_token]}
    own = [w for w in words[j + 1:k] if w not in FILLER]
    return bool(own) and all(w in said for w in own)


def _qualifier(result: "MatchResult", words: list[str], j: int) -> bool:
    """Whether the word at j, typed in lower case (or in capitals: "ICI pneumonitis") and part of no reading, may say
    which kind of disease follows."""
    typed = result.tokens[j].original
    return (typed.isalpha() and (typed.islower() and len(typed) >= MIN_QUALIFIER or typed.isupper() and len(typed) > 1)
            and words[j] not in FILLER and not any(s <= j < e for s, e in result.uncovered_spans)
            and not any(h.start_token <= j < h.end_token for h in (*result.matches, *result.ambiguous, *result.suggestions)))


def _ambiguous_phrase_asked(result: "MatchResult", words: list[str], last: int, end: int, roles: RoleWords) -> bool:
    """Whether the clause ends on a term read several ways, ending as diseases' names do or in capitals, right after
    "for", "in" ... or after a few words of its own that no reading has ("IVIG in chemotherapy-induced peripheral
    neuropathy?", "... IVIG for peripheral neuropathy?", "IVIG in thrombotic APS?"): which disease is asked is
    unclear."""
    ambiguous = [h for h in result.ambiguous if h.end_token == end]
    typed = result.tokens[end - 1].original
    if not ambiguous or not (words[end - 1].endswith(roles.disease_endings) or typed.isupper() and len(typed) >= 2):
        return False
    start = min(h.start_token for h in ambiguous)
    if start - 1 <= last or any(last < h.start_token < end for h in (*result.matches, *result.suggestions)):
        return False
    asking = next((j for j in range(start - 1, max(last, start - 1 - QUALIFIERS), -1) if roles.asks_at(words, j)), None)
    return asking is not None and all(w not in FILLER and not w.isdigit() for w in words[asking + 1:start])


def _said_before(result: "MatchResult", words: list[str], last: int, end: int,
                 names: "Callable[[str], list[tuple[str, ...]]] | None" = None) -> bool:
    """Whether the term ending the clause names again a condition told before the treatment: read only as such
    conditions ("anti-MAG neuropathy ... IVIG in anti MAG?"), or in capitals spelling, in order, the first letters of
    words of such a name as told, or of all of one of its other names' words, or their last, the others typed in
    full before them (`names`: "ischaemic cardiomyopathy ... IVIG in chronic HF?", chronic heart failure's), unless
    words typed before spell them ("tourette ... developed tardive dyskinesia ... ivig in TD?"). It is asked about,
    not unread."""
    before = [h for h in result.matches if h.end_token <= last]
    if not before:
        return False
    here = [h for h in result.ambiguous if h.start_token < end <= h.end_token]
    if here:
        return {h.condition_id for h in here} <= {h.condition_id for h in before}
    typed = result.tokens[end - 1].original
    if not (typed.isalpha() and typed.isupper() and len(typed) >= MIN_INITIALS):
        return False
    letters, typed_before = typed.lower(), words[:end - 1]
    if any(letters in first_letters(words[h.start_token:h.end_token]) for h in before):
        return True
    return names is not None and not _spelt_out(letters, typed_before) and any(
        _abbreviates(letters, name, typed_before) for h in before for name in names(h.condition_id))


def _spelt_out(letters: str, typed_before: list[str]) -> bool:
    """Whether words typed before spell the letters, as their first letters ("developed tardive dyskinesia ... TD")."""
    kept = [w for w in typed_before if w.isalpha() and w not in FILLER]
    return any(first_letters(kept[i:i + len(letters)]) == letters for i in range(len(kept) - len(letters) + 1))


def _abbreviates(letters: str, name: tuple[str, ...], typed_before: list[str]) -> bool:
    """Whether `letters` are the first letters of the name's last words, the words before them typed in full right
    before the letters ("chronic HF": chronic heart failure; not "TD" alone for chronic tic disorder)."""
    kept = [w for w in name if w not in FILLER]
    return any(first_letters(kept[i:]) == letters and (not i or typed_before[-i:] == kept[:i]) for i in range(len(kept)))
