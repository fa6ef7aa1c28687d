"""Find the knowledge base's conditions inside free text, with explicit outcomes and the reason for each.

Order of decisions:
1. exact hits of names, synonyms, abbreviations (whole words, case rule) and ambiguous terms, longest first;
   `never_match` phrases claim their words too, so a near-miss cannot be read as a covered condition;
2. on the words left over, fuzzy matching of names and synonyms against word windows of the same length
   (one word more or less, compared without spaces, for "Guillain Barre" / "GuillainBarre"), scored with
   rapidfuzz's `fuzz.ratio` and guarded word by word;
3. the margin rule: a fuzzy hit is accepted only at or above ACCEPT_SCORE and clearly ahead of the best
   window for any other condition; otherwise, from SUGGEST_SCORE, it becomes a "did you mean" suggestion;
4. anything else is not found.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA, Levenshtein

from bot.knowledge import KnowledgeBase
from bot.models import MatchMethod
from bot.text import Token, canonical_phrase, case_key, tokenize

SCORER = fuzz.ratio  # normalised Indel similarity, 0-100; scores whole windows, not substrings
ACCEPT_SCORE = 88.0
SUGGEST_SCORE = 80.0
MARGIN = 6.0  # points the best condition must lead the runner-up by
WORD_SCORE = 60.0  # every word of a multi-word window must resemble its counterpart this much
JOINED_ACCEPT_SCORE = 92.0  # windows of another word count are compared without spaces and need more
MIN_FUZZY_CHARS = 6  # shorter names are matched exactly only: "lupus" vs "lupin" is not a typo
EDITS_PER_CHAR = 0.2  # and a typo is at most one edit per five letters: "dermatitis" is not "dermatomyositis"
WORD_EDITS_PER_CHAR = 0.25  # per word of a multi-word window (swapped letters count as one edit)
_NUMERALS = frozenset({"i", "ii", "iii", "iv", "v", "vi"})
MAX_TOKENS = 400
SHORT_ABBREVIATION = 2  # in an all-capitals message, abbreviations this short ask instead of answering

# Grammatical words (and the drug's own name): a fuzzy window neither starts nor ends with one.
_FILLER = frozenset(
    "a an and are as at be by can could did do does for from has have help how i in is it its me my of on or "
    "should the there this to use used using was what when where which who why will with would you ivig".split()
)


@dataclass(frozen=True)
class AliasEntry:
    condition_id: str
    text: str
    method: MatchMethod  # exact (name/synonym), abbreviation or ambiguous
    match_case: bool
    case_text: str
    words: tuple[str, ...]
    other_meanings: tuple[str, ...] = ()
    blocks: bool = False  # a never_match phrase: claims its words, answers nothing


@dataclass(frozen=True)
class Hit:
    condition_id: str
    score: float  # 0-100
    method: MatchMethod
    alias: str
    start_token: int
    end_token: int  # exclusive
    other_meanings: tuple[str, ...] = ()
    matched_text: str = ""  # the words of the question, as typed


@dataclass
class MatchResult:
    tokens: list[Token]
    matches: list[Hit] = field(default_factory=list)  # answered
    ambiguous: list[Hit] = field(default_factory=list)  # ambiguous terms: ask
    suggestions: list[Hit] = field(default_factory=list)  # fuzzy, not sure: ask
    blocked: list[tuple[str, str]] = field(default_factory=list)  # (words, condition id) near-misses seen
    all_caps: bool = False


class Matcher:
    def __init__(self, kb: KnowledgeBase):
        self.kb = kb
        self._exact: dict[str, list[AliasEntry]] = defaultdict(list)  # key: canonical words joined, no spaces
        self._fuzzy_by_words: dict[int, list[AliasEntry]] = defaultdict(list)  # grouped only to size the windows
        self._max_words = 1
        for cond in kb.conditions.values():
            names = [variant for name in [cond.name, *cond.synonyms] for variant in _with_and_without_brackets(name)]
            entries = [self._entry(cond.id, name, MatchMethod.exact, False) for name in dict.fromkeys(names)]
            entries += [self._entry(cond.id, t.text, MatchMethod.abbreviation, t.match_case) for t in cond.abbreviations]
            entries += [
                self._entry(cond.id, t.text, MatchMethod.ambiguous, t.match_case, tuple(t.other_meanings))
                for t in cond.ambiguous_terms
            ]
            entries += [self._entry(cond.id, s, MatchMethod.exact, False, blocks=True) for s in cond.never_match]
            for entry in entries:
                if not entry.words:
                    continue
                self._exact["".join(entry.words)].append(entry)
                self._max_words = max(self._max_words, len(entry.words))
                fuzzy_ok = entry.method in (MatchMethod.exact, MatchMethod.ambiguous) and not entry.match_case
                if fuzzy_ok and not entry.blocks and len("".join(entry.words)) >= MIN_FUZZY_CHARS:
                    self._fuzzy_by_words[len(entry.words)].append(entry)
        self._fuzzy_entries = [e for es in self._fuzzy_by_words.values() for e in es]
        self._shortlist = Shortlist([e.words for e in self._fuzzy_entries])

    @staticmethod
    def _entry(cid, text, method, match_case, other=(), blocks=False) -> AliasEntry:
        return AliasEntry(cid, text, method, match_case, case_key(text), canonical_phrase(text), other, blocks)

    # --- public -----------------------------------------------------------------------------------

    def find(self, text: str) -> MatchResult:
        tokens = tokenize(text)[:MAX_TOKENS]
        words = [t for t in tokens if t.original.isalpha()]
        all_caps = len(words) > 1 and not any(ch.islower() for t in words for ch in t.original)
        result = MatchResult(tokens=tokens, all_caps=all_caps)
        taken = [False] * len(tokens)
        near: dict[str, frozenset[int]] = {}  # per distinct word: aliases with a word within two edits of it
        self._exact_pass(result, taken)
        self._longer_readings(result, taken, near)
        self._fuzzy_pass(result, taken, near)
        self._drop_ambiguous_inside_answers(result)
        for hits in (result.matches, result.ambiguous, result.suggestions):
            hits[:] = [replace(h, matched_text=text[tokens[h.start_token].start : tokens[h.end_token - 1].end])
                       for h in hits]
        return result

    def names_like(self, prefix: str, limit: int = 25) -> list[tuple[str, str]]:
        """(condition id, display text) pairs for autocomplete: prefix and fuzzy matches on names and synonyms."""
        words = " ".join(canonical_phrase(prefix))
        out: list[tuple[str, str]] = []
        seen: set[str] = set()
        if not words:
            return [(c.id, c.name) for c in sorted(self.kb.conditions.values(), key=lambda c: c.name)][:limit]
        for entries in self._exact.values():
            for e in entries:
                if e.method is MatchMethod.exact and not e.blocks and " ".join(e.words).startswith(words):
                    if e.condition_id not in seen:
                        seen.add(e.condition_id)
                        out.append((e.condition_id, self.kb.conditions[e.condition_id].name))
        choices = {cid: cond.name for cid, cond in self.kb.conditions.items() if cid not in seen}
        for name, _score, cid in process.extract(prefix, choices, scorer=fuzz.WRatio, limit=limit, score_cutoff=60):
            out.append((cid, name))
        return sorted(out[:limit], key=lambda pair: pair[1].lower())

    # --- passes -----------------------------------------------------------------------------------

    def _exact_pass(self, result: MatchResult, taken: list[bool]) -> None:
        tokens = result.tokens
        candidates: list[tuple[int, int, list[AliasEntry]]] = []
        for n in range(min(self._max_words + 1, len(tokens)), 0, -1):
            for i in range(len(tokens) - n + 1):
                entries = self._exact.get("".join(t.canonical for t in tokens[i : i + n]))
                if not entries:
                    continue
                window_case = "".join(t.original for t in tokens[i : i + n])
                fitting = [e for e in entries if not e.match_case or e.case_text == window_case]
                if any(e.match_case for e in fitting) and i > 0 and tokens[i - 1].canonical.isdigit():
                    fitting = [e for e in fitting if not e.match_case]  # "400 MG" is a dose, not a disease
                if fitting:
                    candidates.append((i, i + n, fitting))
        # Longest span first; at equal length, earlier first.
        candidates.sort(key=lambda c: (-(c[1] - c[0]), -sum(len(t.canonical) for t in tokens[c[0] : c[1]]), c[0]))
        ambiguous_taken = [False] * len(tokens)
        for start, end, entries in candidates:
            if any(taken[start:end]) or any(ambiguous_taken[start:end]):
                continue
            if all(e.blocks for e in entries):
                for k in range(start, end):
                    taken[k] = True
                words = " ".join(t.original for t in tokens[start:end])
                result.blocked.extend((words, e.condition_id) for e in entries)
                continue
            entries = [e for e in entries if not e.blocks]
            owners = {e.condition_id for e in entries}
            ambiguous = len(owners) > 1 or any(e.method is MatchMethod.ambiguous for e in entries)
            if result.all_caps and any(e.match_case and len(e.case_text) <= SHORT_ABBREVIATION for e in entries):
                ambiguous = True  # an all-capitals message cannot tell "MG" from "mg"
            # A confident hit claims its words; an ambiguous one leaves them to a longer fuzzy reading
            # ("chronic inflamatory demyelinating polyneuropathy" must not stop at "polyneuropathy").
            for k in range(start, end):
                (ambiguous_taken if ambiguous else taken)[k] = True
            for cid in sorted(owners):
                entry = next(e for e in entries if e.condition_id == cid)
                hit = Hit(cid, 100.0, entry.method if not ambiguous else MatchMethod.ambiguous, entry.text,
                          start, end, entry.other_meanings)
                (result.ambiguous if ambiguous else result.matches).append(hit)

    def _drop_ambiguous_inside_answers(self, result: MatchResult) -> None:
        answered = [(h.start_token, h.end_token) for h in result.matches + result.suggestions
                    if h.method is not MatchMethod.ambiguous]
        result.ambiguous[:] = [
            h for h in result.ambiguous
            if not any(s <= h.start_token and h.end_token <= e for s, e in answered)
        ]

    def _longer_readings(self, result: MatchResult, taken: list[bool], near: dict[str, frozenset[int]]) -> None:
        """Let a misspelt longer name beat the exact shorter name inside it.

        "eosinophillic granulomatosis with polyangiitis" holds the exact synonym "granulomatosis with
        polyangiitis" of another condition; the four words together are a clear typo of EGPA's name.
        """
        tokens = result.tokens
        for position, hit in enumerate(list(result.matches)):
            best: Hit | None = None
            for start in range(hit.start_token, max(-1, hit.end_token - self._max_words - 1), -1):
                if start < hit.start_token and taken[start]:
                    break
                for end in range(hit.end_token, min(len(tokens), start + self._max_words + 1) + 1):
                    if end > hit.end_token and taken[end - 1]:
                        break
                    if (start, end) == (hit.start_token, hit.end_token):
                        continue
                    window = tokens[start:end]
                    if window[0].canonical in _FILLER or window[-1].canonical in _FILLER:
                        continue
                    for candidate in self._score_window(window, start, end, near):
                        if candidate.method is not MatchMethod.ambiguous and (best is None or candidate.score > best.score):
                            best = candidate
            if best is None or best.condition_id == hit.condition_id or best.score < ACCEPT_SCORE:
                continue
            result.matches[position] = Hit(best.condition_id, best.score, MatchMethod.fuzzy, best.alias,
                                           best.start_token, best.end_token)
            for k in range(best.start_token, best.end_token):
                taken[k] = True

    def _fuzzy_pass(self, result: MatchResult, taken: list[bool], near: dict[str, frozenset[int]]) -> None:
        tokens = result.tokens
        inside_ambiguous = [False] * len(tokens)
        for hit in result.ambiguous:
            for k in range(hit.start_token, hit.end_token):
                inside_ambiguous[k] = True
        scored: list[Hit] = []
        for run_start, run_end in _runs(taken):
            for n in range(1, min(self._max_words + 1, run_end - run_start) + 1):
                for i in range(run_start, run_end - n + 1):
                    window = tokens[i : i + n]
                    if all(t.canonical in _FILLER or t.canonical.isdigit() for t in window):
                        continue
                    if window[0].canonical in _FILLER or window[-1].canonical in _FILLER:
                        continue  # a window is trimmed to meaningful words at both ends
                    if all(inside_ambiguous[i : i + n]):
                        continue  # an ambiguous term already stands here; a fuzzy guess would not help
                    scored.extend(self._score_window(window, i, i + n, near))
        self._decide(result, scored, taken)

    def _score_window(self, window: list[Token], start: int, end: int, near: dict[str, frozenset[int]]) -> list[Hit]:
        """Score the shortlisted aliases against one window: same word count spaced, one more or less joined."""
        words = [t.canonical for t in window]
        spaced, joined = " ".join(words), "".join(words)
        candidates: set[int] = set(self._shortlist.near(joined))
        for word in words:
            if word not in _FILLER:
                if word not in near:
                    near[word] = self._shortlist.near(word)
                candidates |= near[word]
        hits: list[Hit] = []
        for index in candidates:
            entry = self._fuzzy_entries[index]
            if len(entry.words) == len(words):
                alias = " ".join(entry.words)
                score = SCORER(spaced, alias, score_cutoff=SUGGEST_SCORE)
                if not score or not _few_edits(spaced, alias):
                    continue
                if len(words) > 1 and not all(_word_is_typo_of(a, b) for a, b in zip(words, entry.words)):
                    continue
            elif abs(len(entry.words) - len(words)) == 1 and len(joined) >= MIN_FUZZY_CHARS:
                alias = "".join(entry.words)
                score = SCORER(joined, alias, score_cutoff=JOINED_ACCEPT_SCORE)
                if not score or not _few_edits(joined, alias):
                    continue
            else:
                continue
            hits.append(Hit(entry.condition_id, score, entry.method, entry.text, start, end, entry.other_meanings))
        return hits

    def _decide(self, result: MatchResult, scored: list[Hit], taken: list[bool]) -> None:
        scored.sort(key=lambda h: (-h.score, -(h.end_token - h.start_token), h.start_token))
        for best in scored:
            if any(taken[best.start_token : best.end_token]):
                continue
            rivals = [  # a shorter reading inside the best one ("pemphigoid" in "bullous pemphigiod") is no rival
                h for h in scored
                if h.condition_id != best.condition_id
                and h.start_token < best.end_token and best.start_token < h.end_token
                and not _strictly_inside(h, best)
            ]
            runner_up = max((h.score for h in rivals), default=0.0)
            for k in range(best.start_token, best.end_token):
                taken[k] = True
            clear = best.score - runner_up >= MARGIN
            if best.method is MatchMethod.ambiguous:
                result.ambiguous.append(best)
            elif best.score >= ACCEPT_SCORE and clear:
                result.matches.append(Hit(best.condition_id, best.score, MatchMethod.fuzzy, best.alias,
                                          best.start_token, best.end_token))
            else:
                result.suggestions.append(best)
                seen = {best.condition_id}
                for rival in sorted(rivals, key=lambda h: -h.score):
                    if rival.condition_id not in seen and best.score - rival.score < MARGIN:
                        seen.add(rival.condition_id)
                        result.suggestions.append(rival)


class Shortlist:
    """An index that finds, without scanning every alias, the aliases a typed word could be a typo of.

    Two words within two edits of each other share a form with at most one letter deleted (the idea behind
    SymSpell), so each alias word is filed under itself and its one-letter deletions. A multi-word alias is also
    filed, as it is, under its words run together, for "postpolio syndrome" or "covid19". A word shared by very
    many aliases ("syndrome") shortlists nothing on its own.
    """

    MAX_EDITS = 2
    MAX_SHARED = 2000  # aliases per word above which a word is too common to shortlist on
    MIN_CHARS = 4  # shorter words are looked up as they are, without deletions

    def __init__(self, aliases: list[tuple[str, ...]]):
        by_word: dict[str, list[int]] = defaultdict(list)
        by_joined: dict[str, list[int]] = defaultdict(list)
        for index, words in enumerate(aliases):
            for word in set(words):
                by_word[word].append(index)
            if len(words) > 1:
                by_joined["".join(words)].append(index)
        # Tuples, not sets: most keys hold one or two items, and at 100,000 conditions there are millions of keys.
        self._by_word = {w: tuple(ids) for w, ids in by_word.items() if len(ids) <= self.MAX_SHARED}
        self._by_joined = {w: tuple(ids) for w, ids in by_joined.items()}
        by_deletion: dict[str, list[str]] = defaultdict(list)
        for word in self._by_word:
            for form in self._deletions(word):
                by_deletion[form].append(word)
        self._by_deletion = {form: tuple(words) for form, words in by_deletion.items()}

    def _deletions(self, word: str) -> set[str]:
        if len(word) < self.MIN_CHARS:
            return {word}
        return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}

    def near(self, word: str) -> frozenset[int]:
        """Indices of the aliases with a word within MAX_EDITS of `word`, or whose words run together are `word`."""
        found: set[int] = set(self._by_joined.get(word, ()))
        for form in self._deletions(word):
            for candidate in self._by_deletion.get(form, ()):
                if Levenshtein.distance(word, candidate, score_cutoff=self.MAX_EDITS) <= self.MAX_EDITS:
                    found.update(self._by_word[candidate])
        return frozenset(found)


def _with_and_without_brackets(name: str) -> list[str]:
    """A name and, when it has a bracketed qualifier, the name without it: "X (routine prophylaxis)" -> "X"."""
    bare = " ".join(re.sub(r"\([^)]*\)", " ", name).split())
    return [name, bare] if bare and bare != name else [name]


def _word_is_typo_of(typed: str, word: str) -> bool:
    """Each word of a multi-word window must itself pass for a typo of its counterpart, so one long exact word
    cannot lend its edit budget to a different word ("paraneoplastic salpingoitis" is not "... spinocolitis")."""
    if typed == word:
        return True
    if typed.isdigit() or word.isdigit() or typed in _NUMERALS or word in _NUMERALS:
        return False  # "type 1" is not "type 2"
    budget = max(1, round(len(word) * WORD_EDITS_PER_CHAR))  # swaps count once: "gillian" is "guillain"
    return SCORER(typed, word) >= WORD_SCORE and OSA.distance(typed, word, score_cutoff=budget) <= budget


def _strictly_inside(inner: Hit, outer: Hit) -> bool:
    return (outer.start_token <= inner.start_token and inner.end_token <= outer.end_token
            and inner.end_token - inner.start_token < outer.end_token - outer.start_token)


def _few_edits(typed: str, alias: str) -> bool:
    return Levenshtein.distance(typed, alias) <= max(1, round(len(alias) * EDITS_PER_CHAR))


def _runs(taken: list[bool]) -> list[tuple[int, int]]:
    runs, start = [], None
    for i, used in enumerate(taken + [True]):
        if not used and start is None:
            start = i
        elif used and start is not None:
            runs.append((start, i))
            start = None
    return runs
