"""An antibody a question reports found ("HMGCR antibody positive"), when it names no disease, points to the
conditions whose curated `antibodies` list it: one is answered with a note, several are offered."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from bot.match.markers import ANTI, ANTIBODY_WORDS, reported_found
from bot.match.result import Hit, MatchResult
from bot.models import MatchMethod
from bot.schema import Condition
from bot.text import Token, canonical_phrase

ANTIBODY_SCORE = 90.0  # read from a test result, not a name: sure enough to answer, never as sure as a name
NEGATIVE_WORDS = frozenset({"negative", "neg", "seronegative", "ve", "absent", "undetectable", "normal"})
DENIALS = frozenset({"no", "not", "without", "non"})  # "no AQP4 antibodies"
TOWARDS = frozenset({"to", "against", "for"})  # "antibodies to type VII collagen", "positive for AChR"
NAMED_BY = frozenset({"associated", "related"})  # "MOG associated disease": a disease named by its antibody
NEGATIONS = frozenset({"no", "not", "never", "without", "nor"})
NEGATION_REACH = 2  # "never had heparin", "without added heparin"
LIST_GAPS = (["and"], ["or"], ["plus"])


class Antibodies:
    """Each curated antibody (its words joined: "gad65" for both "GAD65" and "GAD-65") and the conditions that
    list it; whether it is read only after "anti" ("anti-Yo"); for an antibody of several conditions, the words
    of each one's names but `generic` ones ("and", "disease"), which may pick it ("anti-PF4 after the vaccine")."""

    def __init__(self, conditions: Iterable[Condition], generic: frozenset[str]):
        owners: dict[str, set[str]] = {}
        name_words: dict[str, frozenset[str]] = {}
        # Per condition, the other words of each of its names that hold its antibody ("MOG-positive optic neuritis")
        self._described: dict[str, frozenset[frozenset[str]]] = {}
        self._needs_anti: set[str] = set()
        self._max_tokens = 1
        for cond in conditions:
            if not cond.antibodies:
                continue
            name_words[cond.id] = frozenset(w for _, text in cond.terms() for w in canonical_phrase(text)
                                            if w not in generic and w not in ANTIBODY_WORDS and not w.isdigit())
            keys = set()
            for antibody in cond.antibodies:
                words = canonical_phrase(antibody)
                if words[0] == ANTI:
                    words = words[1:]
                    self._needs_anti.add("".join(words))
                owners.setdefault("".join(words), set()).add(cond.id)
                keys.add("".join(words))
                self._max_tokens = max(self._max_tokens, len(words) + 1)  # "GAD65" is typed "GAD 65" too
            described = frozenset(frozenset(w for w in words if w not in keys and w not in ANTIBODY_WORDS and w != ANTI)
                                  for words in (canonical_phrase(text) for _, text in cond.terms())
                                  if not keys.isdisjoint(words))
            if described:  # only these conditions are looked at, for each match of a question
                self._described[cond.id] = described
        # "anti-GAD" for GAD65, "anti-CASPR" for CASPR2: the number is often left off; then read only after "anti"
        # (alone, "GAD" is also generalised anxiety disorder).
        stems: set[str] = set()
        for key in [k for k in owners if k[-1:].isdigit() and len(k.rstrip("0123456789")) >= 3]:
            stem = key.rstrip("0123456789")
            if stem not in owners or stem in stems:  # never a curated antibody's own key
                owners.setdefault(stem, set()).update(owners[key])
                stems.add(stem)
        self._needs_anti |= stems
        self.owners = {key: frozenset(ids) for key, ids in owners.items()}
        self.markers = frozenset(self.owners)  # each antibody's letters joined: "nmdar", "gq1b"
        self._name_words = name_words
        self._generic = generic

    def read(self, result: MatchResult, text: str, since: int = 0, told: list[tuple[int, int]] | None = None) -> None:
        """Only where nothing is answered, every reading offered is of the antibody's own words ("anti-PF4
        disorder" offered for "anti-PF4 positive") and an uncovered disease named is only a word of the antibody's
        conditions' names ("SRP positive myopathy": "anti-SRP myopathy"): a name elsewhere decides. Only antibodies
        found from token `since` on: before it the question told of another patient (bot/match/other_patient.py);
        nor one typed right before a name `told` in a role, which it is a word of ("his sister has anti-Jo1
        antisynthetase ILD": hers)."""
        if not self.owners or result.matches or result.blocked:
            return
        tokens = result.tokens
        found = [(key, start, end) for key, start, end in self._reported(tokens, text) if start >= since and not any(
            end == named and not text[tokens[end - 1].end:tokens[named].start].strip(" -") for named, _ in told or ())]
        if not found or (result.not_found and not self._only_its_kind(result, found)):
            return
        result.not_found.clear()
        result.uncovered_spans.clear()
        offered = (*result.suggestions, *result.ambiguous)
        if any(not any(s < h.end_token and h.start_token < e for _, s, e in found) for h in offered):
            return
        canon = [t.canonical for t in result.tokens]
        if any(h.entry is not None and tuple(canon[h.start_token: h.end_token]) == h.entry.words
               for h in result.ambiguous):
            return  # a curator's ambiguous term, typed whole ("anti-GQ1b antibody syndrome"): its cues decide
        result.suggestions.clear()
        result.ambiguous.clear()
        inside = {k for _, s, e in found for k in range(s, e)}
        words = {w for k, w in enumerate(canon)  # "never had heparin" is no reason to read heparin-induced
                 if k not in inside and NEGATIONS.isdisjoint(canon[max(0, k - NEGATION_REACH): k])}
        sets = [self._picked(self.owners[key], words) for key, _, _ in found]
        common = frozenset.intersection(*sets)
        if len(common) == 1:  # "LGI1 and CASPR2 positive": the one condition both point to
            sets = [common] * len(found)
        tokens = result.tokens
        for (_, start, end), ids in zip(found, sets, strict=True):
            typed = text[tokens[start].start: tokens[end - 1].end]
            for cid in sorted(ids):
                if any(h.condition_id == cid for h in (*result.matches, *result.suggestions)):
                    continue
                hit = Hit(cid, ANTIBODY_SCORE, MatchMethod.antibody, typed, start, end, because=typed)
                (result.matches if len(ids) == 1 else result.suggestions).append(hit)

    def read_described(self, result: MatchResult, text: str) -> None:
        """A condition answered by a name that, with an antibody the question reports found, is a name of that
        antibody's one condition, is that condition ("relapsing optic neuritis, mog ab 1:1000": "MOG-positive optic
        neuritis" is a name of MOGAD, whose evidence it is)."""
        canon = [t.canonical for t in result.tokens]
        named = {h.condition_id for h in result.matches}  # one named outright is its own reading ("X or MOGAD?")
        found = None
        for k, hit in enumerate(result.matches):
            inside = frozenset(canon[hit.start_token: hit.end_token])
            holders = {cid for cid, names in self._described.items() if cid not in named and inside in names}
            if not holders:
                continue
            if found is None:
                found = self._reported(result.tokens, text)
            for key, start, end in found:
                if len(self.owners[key]) == 1 and (cid := next(iter(self.owners[key]))) in holders:
                    typed = text[result.tokens[start].start: result.tokens[end - 1].end]
                    # as a sequel is told (bot/match/sequels.py): the answer says what it read, why, and what else
                    result.matches[k] = replace(hit, condition_id=cid, because=typed, note_others=(hit.condition_id,),
                                                entry=None)
                    break

    def _only_its_kind(self, result: MatchResult, found: list[tuple[str, int, int]]) -> bool:
        """Whether each uncovered disease named is written only with words of the antibody's conditions' names."""
        words = frozenset().union(*(self._name_words[cid] for key, _, _ in found for cid in self.owners[key]))
        return all({t.canonical for t in result.tokens[start:end]} - self._generic <= words
                   for start, end in result.uncovered_spans)

    def _picked(self, ids: frozenset[str], words: set[str]) -> frozenset[str]:
        """Of several conditions with this antibody, the one whose names alone share a word with the question."""
        if len(ids) == 1:
            return ids
        own = {cid: {w for w in words & self._name_words[cid]
                     if not any(w in self._name_words[o] for o in ids if o != cid)} for cid in ids}
        picked = frozenset(cid for cid, shared in own.items() if shared)
        return picked if len(picked) == 1 else ids

    def _reported(self, tokens: list[Token], text: str) -> list[tuple[str, int, int]]:
        """(key, start, end) of each curated antibody the question reports as found; in a list ("LGI1 and CASPR2
        positive", "LGI1/CASPR2 antibodies") what is said of the last is said of all."""
        # "+ve" is positive, "-ve" negative: the sign before "ve" decides
        canon = ["positive" if t.canonical == "ve" and text[t.start - 1:t.start] == "+" else t.canonical for t in tokens]
        spans: list[tuple[str, int, int, bool]] = []
        i = 0
        while i < len(tokens):
            for end in range(min(len(tokens), i + self._max_tokens), i, -1):
                key = "".join(canon[i:end])
                glued = end == i + 1 and key.startswith(ANTI) and key[len(ANTI):] in self.owners  # "antiGAD65"
                if glued:
                    key = key[len(ANTI):]
                if key in self.owners:
                    spans.append((key, i, end, self._is_reported(canon, text, tokens, i, end, key, glued)))
                    i = end - 1
                    break
            i += 1
        for k in range(len(spans) - 2, -1, -1):
            key, start, end, reported = spans[k]
            gap = canon[end: spans[k + 1][1]]
            if not reported and spans[k + 1][3] and key not in self._needs_anti and (not gap or gap in LIST_GAPS):
                spans[k] = (key, start, end, True)
        # Reported negative anywhere, it was not found: "first worried about anti-HMGCR IMNM, but HMGCR ab neg".
        negative = {key for key, start, end, _ in spans if _negated(canon, start, end)}
        return [(key, start, end) for key, start, end, reported in spans if reported and key not in negative]

    def _is_reported(self, canon: list[str], text: str, tokens: list[Token], start: int, end: int, key: str,
                     glued: bool) -> bool:
        if _negated(canon, start, end):
            return False
        anti = glued or (start > 0 and canon[start - 1] == ANTI)
        if anti or key in self._needs_anti:
            return anti and not (start > 1 and canon[start - 2] in DENIALS)  # "no anti-GAD"
        if start > 1 and canon[start - 1] in TOWARDS and canon[start - 2] in ANTIBODY_WORDS:
            return True  # "antibodies to type VII collagen", "positive for AChR"
        if end + 1 < len(canon) and canon[end] in NAMED_BY:
            return True  # "MOG associated disease", "LGI1-related encephalitis"
        return reported_found(tokens, text, end - 1)  # "X+", "X antibody positive" (no "anti" before: seen above)


def _negated(canon: list[str], start: int, end: int) -> bool:
    """Whether the antibody at start:end is reported absent: "AQP4-IgG negative" (a negative word up to three words
    on), "no AQP4 antibodies", "negative for AQP4"."""
    before = canon[max(0, start - 2): start]
    return not NEGATIVE_WORDS.isdisjoint(canon[end: end + 3]) or bool(before) and before[-1] in DENIALS or (
        before == ["negative", "for"])


def serology_before(tokens: list[Token], start: int, glued: frozenset[int]) -> int:
    """How many tokens before `start` name an antibody that qualifies the name there: "anti-GAD" (2), "AQP4" or
    "PLA2R" (1: capitals with a digit); 0 when none does."""
    if start >= 2 and tokens[start - 2].canonical == "anti" and start - 1 in glued:
        return 2
    typed = tokens[start - 1].original if start else ""
    return int(len(typed) > 2 and typed.isalnum() and typed.upper() == typed and any(map(str.isdigit, typed))
               and any(map(str.isalpha, typed)))
