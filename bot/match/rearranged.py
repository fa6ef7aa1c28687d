"""How typed words compose names: another order that is still a name ("X, Y" for "Y X", "Y after X" for "post-X
Y"), a name without its little words ("cancer retinopathy"), a word coordinated with a name ("streptococcal and
staphylococcal toxic shock syndrome" names both), capitals hyphen-joined into one term ("TS-HDS" is not
Tourette syndrome), and a prefix a word or two before a name that makes it another disease ("familial benign
chronic pemphigus")."""

from __future__ import annotations

from collections.abc import Callable
from itertools import permutations

from bot.match.lexicon import FILLER, AliasEntry, Lexicon, Rules
from bot.match.result import Hit, MatchResult
from bot.models import MatchMethod
from bot.text import Token

INVERTED_AFTER_COMMA = 2  # words after the comma that may belong before the name ("granulomatosis ..., eosinophilic")
AFTER_WORDS = ("after", "following")  # "purpura after transfusion" is post-transfusion purpura


def rearranged(tokens: list[Token], text: str, exact: dict[str, tuple[AliasEntry, ...]], max_words: int,
               head: frozenset[str] = frozenset()) -> list[tuple[int, int, list[AliasEntry]]]:
    """Spans whose words, put back in a name's order, are exactly one covered name: (start, end, its entries).

    Only whole names of the data count, never a guess: "granulomatosis with polyangiitis, eosinophilic" is
    eosinophilic granulomatosis with polyangiitis, not the granulomatosis with polyangiitis it starts with."""
    canonical = [t.canonical for t in tokens]
    found = []
    for cut in range(1, len(tokens)):
        between = text[tokens[cut - 1].end: tokens[cut].start]
        if "," in between:  # "name, qualifier": the qualifier goes first
            for after in range(1, min(INVERTED_AFTER_COMMA, len(tokens) - cut) + 1):
                for before in range(1, min(max_words - after, cut) + 1):
                    if _ends_a_name_before(canonical, cut - before, cut, head):
                        continue  # "down syndrome, dancing eyes": "syndrome" is Down syndrome's
                    if any(exact.get("".join(canonical[s:cut])) for s in range(max(0, cut - max_words), cut - before)):
                        continue  # "membranous nephropathy, anti-PLA2R neg": a name typed in order keeps its words
                    key = "".join(canonical[cut: cut + after] + canonical[cut - before: cut])
                    _add(found, exact.get(key, ()), cut - before, cut + after)
    for i, word in enumerate(canonical):
        if word in AFTER_WORDS and 0 < i < len(tokens) - 1:  # "purpura after transfusion": post-transfusion purpura
            for before in range(1, min(max_words - 2, i) + 1):
                if _ends_a_name_before(canonical, i - before, i, head):
                    continue  # "Usher syndrome after covid": the head word ends the name before it
                key = "post" + canonical[i + 1] + "".join(canonical[i - before: i])
                _add(found, exact.get(key, ()), i - before, i + 2)
    return found


def _ends_a_name_before(canonical: list[str], start: int, end: int, head: frozenset[str]) -> bool:
    """Whether the words start:end are only head words after a word of a name ("Usher syndrome", "down syndrome"):
    they end that name, and are no part of one read after them."""
    return start > 0 and canonical[start - 1] not in FILLER and all(w in head for w in canonical[start:end])


REORDERED_WORDS = 3  # an uncovered name typed in another order is read at this length ("familial benign pemphigus")


def reordered_uncovered(canonical: list[str], exact: dict[str, tuple[AliasEntry, ...]], uncovered: dict,
                        make: Callable) -> list[tuple[int, int, list[AliasEntry]]]:
    """Spans of three words, none of them filler, that are an uncovered disease's name or a near miss the curator
    blocked in another order ("familial benign pemphigus" is Hailey-Hailey disease's "benign familial pemphigus"):
    they claim their words before the covered name inside them ("pemphigus") is read. `make` turns an uncovered
    name into the exact pass's entry."""
    found = []
    for i in range(len(canonical) - REORDERED_WORDS + 1):
        words = canonical[i: i + REORDERED_WORDS]
        if any(w in FILLER for w in words) or "".join(words) in exact:
            continue
        keys = ["".join(order) for order in permutations(words)]
        if any(e.condition_id is not None and not e.blocks for key in keys for e in exact.get(key, ())):
            continue  # in another order a covered name: its readings decide ("thrombocytopenia heparin induced")
        for key in keys:
            entries = [make(name) for name in uncovered.get(key, ())] + [
                e for e in exact.get(key, ()) if e.blocks]
            if entries:
                found.append((i, i + REORDERED_WORDS, entries))
                break
    return found


INITIALLED_LETTERS = range(2, 5)  # "EB simplex": capitals standing for a name's first words, then its last word


def initialled_uncovered(tokens: list[Token], canonical: list[str], index: Callable[[], dict], words: set[str],
                         head: frozenset[str], make: Callable, exact: dict) -> list[tuple[int, int, list[AliasEntry]]]:
    """Two words, capitals standing for the first words of one uncovered disease's name and that name's last word
    typed out, lower case ("EB simplex": epidermolysis bullosa simplex; "CNS vasculitis"), or the name's first word
    typed out and capitals standing for the rest ("dystrophic EB": dystrophic epidermolysis bullosa): they claim
    their words, as the name typed in full would. Not when the typed-out word is a head word ("CV disease" is mostly
    cardiovascular) or filler, nor when the initials stand for several diseases, nor when the capitals are a covered
    term of their own (`exact`: "chronic ITP" is still ITP)."""
    found = []
    for i in range(len(tokens) - 1):
        # (the capitals' token, the typed-out word's token, the key): "EB simplex", then "dystrophic EB"
        for capitals, out, key in ((i, i + 1, (canonical[i], canonical[i + 1])),
                                   (i + 1, i, (canonical[i], canonical[i + 1], "rest"))):
            typed, word = tokens[capitals].original, canonical[out]
            if (len(typed) not in INITIALLED_LETTERS or not typed.isalpha() or not typed.isupper() or word not in words
                    or word in head or word in FILLER or not tokens[out].original.islower()):
                continue
            if capitals > out and any(e.condition_id is not None for e in exact.get(canonical[capitals], ())):
                continue
            names = index().get(key, ())
            if names and len({n.doid for n in names}) == 1:
                found.append((i, i + 2, [make(n) for n in names]))
    return found


def _add(found: list, entries, start: int, end: int) -> None:
    covered = [e for e in entries if e.condition_id is not None and not e.blocks and not e.match_case
               and e.method is not MatchMethod.ambiguous]
    if covered:
        found.append((start, end, covered))


def hyphen_joined(tokens: list[Token], text: str, start: int, end: int, names: Callable[[str], bool]) -> bool:
    """Whether the window is joined by a hyphen to capitals that name nothing ("TS" in "TS-HDS"): one term, not the
    abbreviation. Joined to another name it is itself ("GBS-CIDP overlap")."""
    def joined(left: int, right: int) -> bool:
        if left < 0 or right >= len(tokens) or text[tokens[left].end: tokens[right].start] != "-":
            return False
        other = tokens[left if left < start else right]
        return len(other.original) >= 2 and other.original.isupper() and not names(other.canonical)
    return joined(end - 1, end) or joined(start - 1, start)


def coordinated(exact: dict[str, tuple[AliasEntry, ...]], result: MatchResult, taken: list[bool]) -> None:
    """"streptococcal and staphylococcal toxic shock syndrome": the word before "and" takes the place of the first
    word(s) of the name after it, when that makes the exact name of another covered condition."""
    tokens = result.tokens
    for hit in list(result.matches):
        start, entry = hit.start_token, hit.entry
        if (entry is None or start < 2 or len(entry.words) < 2 or taken[start - 2]
                or tokens[start - 1].canonical not in ("and", "or")):
            continue
        for k in range(1, len(entry.words)):  # "bullous and mucous membrane pemphigoid": bullous pemphigoid
            joined = tokens[start - 2].canonical + "".join(entry.words[k:])
            other = next((e for e in exact.get(joined, ()) if e.condition_id not in (None, hit.condition_id)
                          and not e.blocks and not e.match_case and e.method is not MatchMethod.ambiguous), None)
            if other is not None:
                result.matches.append(Hit(other.condition_id, 100.0, other.method, other.text, start - 2, start - 1,
                                          entry=other, subtype=other.subtype))
                taken[start - 2] = True
                break


def without_little_words(lexicon: Lexicon, exact: dict[str, tuple[AliasEntry, ...]], optional: frozenset[str]
                         ) -> dict[str, tuple[AliasEntry, ...]]:
    """Exact keys for covered names typed without their little words: "cancer retinopathy" (cancer-associated
    retinopathy), "haemolytic disease newborn". Not without "and" or "with", which may join two conditions ("AIHA
    with ITP"), and never where the words left are another name, covered or not (`exact`, the uncovered names)."""
    little = optional - {"and", "with"}
    found: dict[str, list[AliasEntry]] = {}
    for entry in lexicon.entries:
        if entry.condition_id is None or entry.blocks or entry.match_case or entry.method is MatchMethod.ambiguous:
            continue
        kept = [w for w in entry.words if w not in little]
        if 2 <= len(kept) < len(entry.words):
            found.setdefault("".join(kept), []).append(entry)
    return {key: (entries[0],) for key, entries in found.items()
            if key not in exact and key not in lexicon.uncovered and len({e.condition_id for e in entries}) == 1}


DISTANT_PREFIX_WORDS = 2  # describing words that may stand between a distant prefix and the name it turns


def prefixed_from_afar(tokens: list[Token], text: str, start: int, distant_prefixes: frozenset[str]) -> bool:
    """Whether one of `distant_prefixes` stands a word or two before the name at `start`, in the same phrase, with
    words no filler between ("familial benign chronic pemphigus"; not "familial, and now pemphigus")."""
    for k in range(start - 1, max(start - DISTANT_PREFIX_WORDS - 2, -1), -1):
        if text[tokens[k].end: tokens[k + 1].start].strip(" -"):
            return False  # a comma, a bracket, a stop: another phrase
        word = tokens[k].canonical
        if word in distant_prefixes:
            return True
        if word in FILLER or not word.isalpha() or tokens[k].original.isupper():
            return False  # "hereditary ATTR amyloid neuropathy": an abbreviation names a disease of its own
    return False


def prefixed_here(tokens: list[Token], text: str, start: int, end: int, rules: Rules) -> bool:
    """Whether a prefix right before the name at start:end makes it another disease ("post-COVID"). Not one that only
    says when: a timing prefix before a procedure's name, with no word of another disease before it ("IVIG post
    allo-SCT": after the transplant; but "TA-TMA post allo-SCT" is thrombotic microangiopathy after it), nor one
    that opens the message or a phrase ("post allo SCT, routine ivig?", "AML, post allo SCT")."""
    if start == 0 or (prefix := tokens[start - 1].canonical) not in rules.prefixes:
        return False
    timing, procedures = rules.timing
    if not (prefix in timing and tokens[end - 1].canonical in procedures):
        return True
    if start == 1 or text[tokens[start - 2].end:tokens[start - 1].start].strip(" -"):
        return False  # nothing, or a comma, a stop or a bracket, before the prefix: no disease it follows
    before = tokens[start - 2].canonical
    return not (before in FILLER or before in rules.treatment or before in rules.medical)


def hyphenated(tokens: list[Token], text: str, i: int) -> bool:
    """Whether word `i` is joined by a hyphen to the word before or after it ("Howell-Evans")."""
    return (i > 0 and text[tokens[i - 1].end: tokens[i].start] == "-"
            or i + 1 < len(tokens) and text[tokens[i].end: tokens[i + 1].start] == "-")
