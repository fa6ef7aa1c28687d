"""What a message refers back to: a disease it named, asked about by abbreviation or word, or one it opens with."""

from __future__ import annotations

from os.path import commonprefix
from typing import TYPE_CHECKING

from bot.phrases import contains_phrase
from bot.text import capitalised

if TYPE_CHECKING:
    from collections.abc import Callable

    from bot.match.result import MatchResult
    from bot.match.roles import RoleWords
    from bot.text import Token

ARTICLES = frozenset({"a", "an", "the"})
ASKING_OF = frozenset({"in", "for", "of", "with"})  # "NNT in kawasaki": a measure of the condition named next
MIN_CLIPPED = 4  # letters: an unknown word this long may be the start of a longer unknown word typed before it
TYPE_WORDS = frozenset({"type", "types", "i", "ii", "iii", "iv", "v", "a", "b", "c"})  # "... angioedema type I"


def keep_switched(result: "MatchResult", roles: RoleWords, theirs: "Callable[[str, str], bool] | None" = None,
                  known: "Callable[[str], bool] | None" = None,
                  names_a_study: "Callable[[int], bool]" = lambda end: False) -> None:
    """A message opening "what about", "how about" or "and" (then maybe "for", "in" ...) asks about the disease it names
    next: when that is one the bot does not cover, a covered condition named further on is background ("what about
    the oral thrush he got from the steroids for his pemphigus, any use for IVIG there?", "and for the hidradenitis
    she had before the pemphigoid?"), unless joined to it by "and", "or" or a comma.
    One word may stand before that name ("what about oral lichen planus in a pemphigus patient?"), and an abbreviation
    in capitals that only uncovered names have, or that no name or question has, names such a disease too ("and HELLP
    in a pregnant woman with ITP?", "what about NAION in the other eye, a year after her optic neuritis?", "what about
    hEDS, most of our POTS kids have it"; not "and MRI in CIDP?")."""
    tokens = result.tokens
    if not tokens or not (result.matches or result.ambiguous or result.suggestions) or not any(
            p[0] == tokens[0].canonical for p in roles.switching):  # most messages: nothing to look at
        return
    words = [t.canonical for t in tokens]
    opening = next((p for p in roles.switching if tuple(words[:len(p)]) == p), None)
    if opening is None:
        return
    k = len(opening)
    if k < len(words) and words[k] in roles.asking:  # "and for the hidradenitis she had before the pemphigoid?"
        k += 1
    while k < len(words) and (words[k] in ARTICLES or words[k] in roles.referring):
        k += 1
    first = next(((s, e) for s, e in result.uncovered_named if s in (k, k + 1)), None)
    typed = tokens[k].original if k < len(tokens) else ""
    # ... one small letter may open it ("what about hEDS, most of our POTS kids have it": hypermobile EDS)
    capitals = typed.isupper() or len(typed) > 3 and typed[0].islower() and typed[1:].isupper()
    if first is None and len(typed) >= 3 and typed.isalpha() and capitals \
            and (theirs is not None and theirs(words[k], typed) or known is not None and not known(words[k])
                 and words[k] not in roles.not_history_after and not _said_of_a_condition(result, words, k)
                 and not names_a_study(k + 1)) \
            and not any(h.start_token == k for h in (*result.matches, *result.ambiguous)):
        first = (k, k + 1)
        result.not_found.append(typed)
        result.uncovered_spans.append(first)
    if first is None:
        return

    def joined(hit) -> bool:  # "what about psoriasis and GBS?": both asked
        return all(w in roles.coordinating or w in ARTICLES for w in words[first[1]:hit.start_token])

    for found in (result.matches, result.ambiguous, result.suggestions):
        found[:] = [h for h in found if h.start_token < first[1] or joined(h)]


def _said_of_a_condition(result: "MatchResult", words: list[str], k: int) -> bool:
    """Whether the word at k is followed by "in", "for" ... and a condition's name, as a measure or a test of it is
    ("and NNT in kawasaki?")."""
    return k + 1 < len(words) and words[k + 1] in ASKING_OF and any(
        h.start_token in (k + 2, k + 3) for h in (*result.matches, *result.ambiguous))


def drop_defined(result: "MatchResult") -> None:
    """An abbreviation typed in capitals that spells an uncovered disease named before it in the message is that
    disease, whatever the data reads it as ("Now diagnosed with paroxysmal nocturnal haemoglobinuria. Does IVIG have
    any role in PNH?": PNH is not neuromyotonia's peripheral nerve hyperexcitability here). A term the data answers
    outright gives way only to a name whose words' first letters it is ("trigeminal neuralgia ... so TEN": TEN)."""
    named = result.uncovered_named
    tokens = result.tokens
    if not named or not any(tokens[h.start_token].original.isupper() for found in (
            result.matches, result.ambiguous, result.suggestions) for h in found):
        return
    words = [t.canonical for t in tokens]

    def defined(hit, strict: bool) -> bool:
        typed = tokens[hit.start_token].original
        if hit.end_token - hit.start_token != 1 or not typed.isupper() or not typed.isalpha():
            return False
        short = typed.lower()
        return any(e <= hit.start_token and (short == "".join(w[0] for w in words[s:e]) if strict else (
            spells(words[hit.start_token], words[s:e]) or spells(short, words[s:e]))) for s, e in named)

    for found, strict in ((result.matches, True), (result.ambiguous, False), (result.suggestions, False)):
        found[:] = [h for h in found if not defined(h, strict)]


def referred_back(result: "MatchResult", words: list[str], last: int, end: int, roles: RoleWords,
                  theirs: "Callable[[str, str], bool]", known: "Callable[[str], bool] | None" = None,
                  lower_case: "Callable[[list[Token]], bool] | None" = None, course: frozenset[str] = frozenset()
                  ) -> list[tuple[int, int]]:
    """The uncovered disease a word after the treatment (`last`, its clause ending at `end`) refers back to, as a
    span, or none: its abbreviation ("... paroxysmal nocturnal haemoglobinuria. Does IVIG have any role in PNH?",
    "EoE"), the start of one of its words ("pulmonary sarcoidosis. IVIG for sarcoid?"), or one of its words that
    no covered name has (`theirs`: "... new-onset Parkinson's disease. IVIG in Parkinson's?"). A word of that kind
    names an uncovered disease by itself, added as not found, when written with a capital, as an eponym is ("Is
    IVIG used in Goodpasture?"), or after "the", "her" ... and typed before it too ("now has PML ... would IVIG do
    anything for the PML?"); so does, there, a word no name or question uses (`known`) ending the clause ("now
    chronic norovirus diarrhoea ... would immunoglobulin help the norovirus?"). In a message typed in lower case
    (`lower_case(tokens)`) an abbreviation is any such unknown word of two to five letters ("primary biliary cholangitis.
    does ivig do anything for pbc?"); a plural or a possessive without its apostrophe is the word ("parkinson's
    ... ivig slows the parkinsons?")."""
    tokens = result.tokens
    referring = roles.referring
    in_lower_case: list[bool] = []  # worked out on first need: most questions never ask

    def typed_in_lower_case() -> bool:
        if not in_lower_case:
            in_lower_case.append(lower_case is not None and lower_case(tokens))
        return in_lower_case[0]

    first_in_capitals: list[dict[str, int]] = []  # each word typed in capitals, at its first such token; on first need

    def in_capitals_before(word: str, stop: int) -> bool:  # typed in two capitals or more before token `stop`
        if not first_in_capitals:
            first: dict[str, int] = {}
            for k, t in enumerate(tokens):
                if capitalised(t):
                    first.setdefault(t.canonical, k)
            first_in_capitals.append(first)
        return first_in_capitals[0].get(word, stop) < stop

    earlier = [(s, e) for s, e in result.uncovered_named if e <= last]
    for k in range(last + 1, end):
        typed, word = tokens[k].original, words[k]
        if any(s <= k < e for s, e in result.uncovered_named) or word in roles.findings:
            continue
        # An abbreviation has two capitals or more ("EoE"); as typed as well: "HAE" folds to "he", as "haem" to "hem".
        # ... or typed in lower case where the message has it in capitals elsewhere ("ivig for hmpv? ... hMPV LRTI")
        capitalised_elsewhere = _letters(typed) and 3 <= len(typed) <= 5 and in_capitals_before(word, len(tokens))
        abbreviation = _letters(typed) and (sum(map(str.isupper, typed)) > 1 or 2 <= len(typed) <= 5
                                            and known is not None and not known(word) and typed_in_lower_case()) \
            or capitalised_elsewhere
        only_theirs = len(word) >= 5 and theirs(word, typed)
        single = word[:-1] if len(word) > 5 and word.endswith("s") else word  # "the parkinsons"
        for s, e in earlier:
            name = words[s:e]
            # with the word before the name too: "hypermobile Ehlers-Danlos ... hEDS"
            longer = words[s - 1:e] if s > 0 and len(words[s - 1]) > 3 else name  # a modifier, not "has", "the"
            typeless = _without_type(name)  # "hereditary angioedema type I ... the daughter's HAE"
            if abbreviation and any(spells(short, form) for short in (word, typed.lower())
                                    for form in (name, longer, typeless)) \
                    or len(word) >= 5 and any(
                    (w.startswith(word) and (len(word) >= 0.6 * len(w) or known is not None and not known(word))
                     or w == single or _same_stem(word, w))
                    and (w != word or only_theirs) for w in name):
                return [(s, e)]
        seen = next((w for w in (word, single) if w in words[:last] or w + "s" in words[:last]), None)  # "raynauds"
        at_end = k == end - 1
        # The word pointing at it, past words of how a disease runs ("for chronic norovirus"); before an abbreviation
        # in capitals, past any two longer words ("in disseminated neonatal HSV").
        pointer, passed = k - 1, 0
        while pointer > last + 1 and (words[pointer] in course or abbreviation and typed.isupper() and passed < 2
                                      and len(words[pointer]) > 3 and words[pointer] not in roles.asking):
            pointer, passed = pointer - 1, passed + 1
        asking, referred = roles.asks_at(words, pointer), words[pointer] in referring
        after_asking = roles.asks_at(words, k - 1) or (  # "IVIG for his PSC?"
            words[k - 1] in referring and k - 2 > last and roles.asks_at(words, k - 2)) or (  # "in new T1D?"
            pointer < k - 1 and all(w in course for w in words[pointer + 1:k]) and roles.asks_at(words, pointer))
        # two letters typed in capitals are a word too, asked for ("pulmonary TB ... any use for the TB?"; not "... to
        # improve the EF?")
        unknown = known is not None and _letters(word) and not known(word) and (
            len(word) >= 3 or typed.isupper() and after_asking)
        clipped = seen is None and unknown and len(word) >= MIN_CLIPPED
        if clipped:  # "... positive for cryptosporidium ... the crypto?"
            seen = next((w for w in words[:last] if len(w) > len(word) + 1 and w.startswith(word)
                         and (not known(w) or theirs(w, w))), None)
        if seen is not None and _given_for(result, words, seen, last, referring):
            seen = None  # "oral pred for steroid dependent asthma ... could ivig let us cut the pred": a drug
        # Typed before the treatment too, right after "for", "in", "help" ...: a word only uncovered names have ("admitted
        # with dengue ... IVIG in dengue itself?"), an abbreviation no covered name has ("... now has PTLD. is ivig part
        # of PTLD treatment?"; not "... before CABG?") or an unknown word ending the question ("... for chronic
        # norovirus?"); after "the", "her": a word only uncovered names have, or an unknown one ending the question,
        # typed before ("the PML", "the norovirus?").
        # Typed once: an abbreviation in capitals that no name, cue or question word has, right after "for", "in"
        # ... (and "his", "the" ...), ending its clause ("... eos/hpf on oesophageal biopsy despite a PPI. Any data on
        # IVIG for EoE?", "Crohn's colitis ... IVIG for his PSC?").
        capitals = abbreviation and (sum(map(str.isupper, typed)) > 1 or capitalised_elsewhere) and len(typed) >= 3
        if capitals and unknown and at_end and after_asking and not any(
                h.start_token <= k < h.end_token for h in (*result.suggestions, *result.ambiguous)):
            # ... unless it spells a covered condition the message names in full ("Any data for IVIG in PTM? ...
            # nodular pretibial myxedema"): that condition is asked.
            spelt = next(((h.start_token, h.end_token) for h in result.matches if h.end_token - h.start_token > 1
                          and spells(word, words[h.start_token:h.end_token])), None)
            if spelt is not None:
                return [spelt]
            result.not_found.append(typed)
            result.uncovered_spans.append((k, k + 1))
            return [(k, k + 1)]
        if only_theirs and typed[0].isupper() and not abbreviation or seen is not None and (
                asking and (theirs(seen, typed) or unknown and (at_end and (
                    len(word) >= 5 or clipped or in_capitals_before(word, last)) or abbreviation and typed.isupper()))
                or referred and (theirs(seen, typed) or at_end and unknown)):
            result.not_found.append(typed)
            result.uncovered_spans.append((k, k + 1))
            return [(k, k + 1)]
    return []


def _given_for(result: "MatchResult", words: list[str], word: str, last: int, referring: frozenset[str]) -> bool:
    """Whether the word, typed before the treatment, comes right before "for" and a condition answered ("years of
    oral pred for steroid dependent asthma"): it is what that condition is treated with, not a disease."""
    starts = {h.start_token for h in result.matches}
    return any(words[i] in (word, word + "s") and words[i + 1] == "for" and (
        i + 2 in starts or words[i + 2] in referring and i + 3 in starts) for i in range(min(last, len(words) - 2)))


def _without_type(name: list[str]) -> list[str]:
    """A name less the type that ends it ("hereditary angioedema type I"), which its abbreviation leaves out."""
    end = len(name)
    while end > 1 and (name[end - 1] in TYPE_WORDS or name[end - 1].isdigit()):
        end -= 1
    return name[:end]


def _letters(typed: str) -> bool:
    """A word of letters, or of letters with digits after the first ("T1D", "HHV8"): a word an abbreviation may be."""
    return typed.isalnum() and typed[0].isalpha()


def _same_stem(word: str, name_word: str) -> bool:
    """Whether a word shares most of its letters' start with a word of a disease's name: the organism for its
    infection ("aspergillus" for "aspergillosis"), at seven letters or more in common."""
    common = len(commonprefix((word, name_word)))
    return common >= 7 and common >= 0.7 * min(len(word), len(name_word))


def pointed_back(result: "MatchResult", words: list[str], last: int, end: int, roles: RoleWords,
                 unread: "Callable[[int], bool] | None" = None) -> list[tuple[int, int]]:
    """The uncovered disease a word pointing back after the treatment (`last`, its sentence ending at `end`) asks
    about, as a span, or none: "that" right after "for", "with", "help" ..., or "there" ending the sentence, point at
    the disease named last before the treatment ("... her daughter was just diagnosed with type 1 diabetes. Could
    IVIG help with that?", "... any evidence there?"); when that is a covered condition, it is asked about already.
    "it" after such a word too ("Does IVIG have a role in it?"). "this" is left out: "anyone tried IVIG for this?" is
    about the message's topic, not what it named last. A word no reading has that names a disease as diseases'
    names end (`unread`) counts as one named: "... - post-varicella arteriopathy. is IVIG used for that?"."""
    if not any(words[k] in roles.pointing and (roles.asks_at(words, k - 1) or words[k] == "there" and k == end - 1)
               and not _the_treatment(words, last, k) for k in range(last + 1, end)):
        return []
    named = [(e, s, True) for s, e in result.uncovered_named if e <= last]
    named += [(k + 1, k, True) for k in range(last) if unread is not None and unread(k)]
    named += [(h.end_token, h.start_token, False) for h in (*result.matches, *result.ambiguous, *result.suggestions)
              if h.end_token <= last]
    if not named:
        return []
    e, s, uncovered = max(named)
    # Joined to a covered condition named right before it, it is that condition's story too: "critical illness
    # polyneuropathy plus myopathy. Does early IVIG prevent or treat it?"
    if uncovered and any(not was_uncovered and all(w in roles.coordinating for w in words[end_:s]) and end_ < s
                         for end_, _, was_uncovered in named):
        return []
    # A feature of a condition read by a cue among its words: "CAR w small cell lung ca, anti-recoverin +, progressive
    # vision loss ... ivig - any evidence for it?" asks about the retinopathy, not the vision loss; not a disease
    # named so ("... post-streptococcal glomerulonephritis. Does IVIG have a role for that?").
    if uncovered and not words[e - 1].endswith(roles.disease_endings) and any(
            h.because and h.entry is not None and any(contains_phrase(tuple(words[s:e]), c) for c in h.entry.cues)
            for h in result.matches):
        return []
    return [(s, e)] if uncovered else []


EVIDENCE_WORDS = frozenset({"evidence", "data", "trial", "trials", "rct", "rcts", "study", "studies", "literature"})
EVIDENCE_REACH = 4  # words between the evidence word and "for it": "what evidence is there for it?"


def _the_treatment(words: list[str], last: int, k: int) -> bool:
    """Whether "it" at k, right after "for" and an evidence word before that, is the treatment the evidence is for
    ("parents ask about ivig instead of gcsf - what evidence is there for it?"), not a disease named before it."""
    return words[k] == "it" and words[k - 1] == "for" and not EVIDENCE_WORDS.isdisjoint(
        words[max(last, k - 1 - EVIDENCE_REACH):k - 1])


def spells(short: str, name: list[str]) -> bool:
    """Whether an abbreviation spells the end of a name, each of those words giving it its first letter and maybe more
    of its letters in order (after Schwartz and Hearst, 2003): "hae" is hereditary angioedema, "opmd"
    oculopharyngeal muscular dystrophy, "rp" (X-linked) retinitis pigmentosa; "ra" is no retinitis pigmentosa."""

    def fits(i: int, w: int) -> bool:  # short[i:] spells name[w:]
        if w == len(name):
            return i == len(short)
        word = name[w]
        if i == len(short) or short[i] != word[0]:
            return False
        i, at = i + 1, 1
        while True:
            if fits(i, w + 1):
                return True
            if i == len(short) or (at := word.find(short[i], at) + 1) == 0:
                return False
            i += 1

    return any(fits(0, start) for start in range(len(name)) if len(name) - start <= len(short))


def drop_previous(result: "MatchResult", previous: "list[str] | tuple[str, ...]", roles: RoleWords,
                  known: "Callable[[str], bool] | None" = None,
                  theirs: "Callable[[str, str], bool] | None" = None, joining: frozenset[str] = frozenset()) -> None:
    """After an answer, a message naming the condition just answered beside another disease, covered or not, asks
    about the other one: the answered condition is the patient's background ("what if the lupus patient develops
    TTP?", "her NMOSD has been quiet, but now she has AChR positive myasthenia"), unless joined to it by "and",
    "or" ("what about GBS and CIDP?") or followed by it after a joining word of matching.yaml (`joining`: "and in
    CIDP with diabetes?", "CIDP following a covid infection?"). An abbreviation in capitals, unknown or of uncovered
    names only, right after an onset word ("now has NEC") or one lower-case word after it ("later gets atypical HUS"),
    is such a disease too, and is named as not found."""
    mine = set(previous)
    found = (*result.matches, *result.ambiguous, *result.suggestions)
    again = [h for h in found if h.condition_id in mine]
    if not again:
        return
    tokens = result.tokens

    def after_onset(k: int) -> bool:  # "now has NEC", or one lower-case word between: "gets atypical HUS"
        return tokens[k - 1].canonical in roles.onset or k > 1 and tokens[k - 2].canonical in roles.onset and (
            tokens[k - 1].original.isalpha() and tokens[k - 1].original.islower())

    def new_abbreviation(typed: str, word: str) -> bool:  # in capitals, unknown or of uncovered names only
        return len(typed) >= 3 and typed.isalpha() and typed.isupper() and (
            known is not None and not known(word) or theirs is not None and theirs(word, typed))

    onset = [(k, k + 1) for k in range(1, len(tokens)) if after_onset(k)
             and new_abbreviation(tokens[k].original, tokens[k].canonical)
             and not any(h.start_token <= k < h.end_token for h in found)]
    others = [(h.start_token, h.end_token) for h in found if h.condition_id not in mine] + list(result.uncovered_named)
    others += onset
    others = [(s, e) for s, e in others if not any(h.start_token <= s and e <= h.end_token for h in again)]
    if not others:
        return
    words = [t.canonical for t in tokens]

    def joined(hit) -> bool:  # "GBS and CIDP": both asked; "CIDP with diabetes": the answered one, in its setting
        return any(0 <= gap <= 2 and any(w in roles.coordinating or lo == hit.end_token and w in joining
                                         for w in words[lo:hi])
                   for s, e in others
                   for lo, hi, gap in ((hit.end_token, s, s - hit.end_token), (e, hit.start_token, hit.start_token - e)))

    if any(joined(h) for h in again):
        return
    for hits in (result.matches, result.ambiguous, result.suggestions):
        hits[:] = [h for h in hits if h.condition_id not in mine]
    for s, e in onset:
        result.not_found.append(tokens[s].original)
        result.uncovered_spans.append((s, e))
