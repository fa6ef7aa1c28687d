"""Loose readings: a name in any word order, without its head word, with one word more or (if long) one less.

"ophthalmopathy, graves", "myositis, inclusion body", "stiff person", "purpura after transfusion" and
"opsoclonous myoclonus" (after typo correction) all name a covered condition, though no window of the question
equals one of its names. Each name's words are weighted by how informative they are (inverse frequency over the
covered conditions; head words such as "syndrome" weigh nothing), and a reading carries the share of the name's
weight its words cover. A generic word never carries a match, a negation ("non", "anti") never goes missing, and
the best reading must clearly beat the best other condition's.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from bot.match.lexicon import FILLER, RECURRENT, AliasEntry, Lexicon, Rules
from bot.match.resolve import context_groups
from bot.match.result import runs
from bot.match.roles import SENTENCE_END
from bot.models import MatchMethod
from bot.text import Token, tokenize

if TYPE_CHECKING:
    from bot.match.matcher import Matcher

MAX_ANCHOR_ALIASES = 500  # a word in more names than this starts no reading on its own (it still counts in one)
# Little words inside a reading beyond its extra one: "worth it for the cerebellar syndrome" is no Worth syndrome.
MAX_LITTLE_INSIDE = 2


@dataclass(frozen=True)
class Reading:
    entry_index: int  # in LooseIndex.entries
    condition_id: str | None  # None: an uncovered disease
    score: float  # 0-1: the share of the name's information this reading carries, less penalties
    start: int
    end: int  # exclusive
    weight: float = 0.0  # the information of the question's words it reads: a longer reading beats one inside it


@dataclass(frozen=True, slots=True)
class NameProfile:
    """What a reading needs of one name, worked out once: a question checks about 60 candidate names, and most
    fail the word-count rule below, which these sets decide in C instead of per word in Python."""

    words: tuple[str, ...]  # its distinct words other than filler, in order
    word_set: frozenset[str]
    weights: dict[str, float]
    total: float  # summed in `words` order, as a reading's share is computed: identical floats, identical ties
    informative: frozenset[str]  # its words of positive weight
    negations: frozenset[str]  # its negation words: a reading must contain them all
    need: int  # informative words a reading must contain: all, or all but one when the name has three or more

    @classmethod
    def of(cls, entry: AliasEntry, lexicon: Lexicon, negations: frozenset[str]) -> NameProfile:
        words = tuple(w for w in dict.fromkeys(entry.words) if w not in FILLER)
        weights = {w: lexicon.weight(w) for w in words}
        informative = frozenset(w for w in words if weights[w] > 0)
        need = len(informative) - 1 if len(informative) >= 3 else len(informative)
        return cls(words, frozenset(words), weights, sum(weights[w] for w in words), informative,
                   frozenset(words) & negations, need)

    def may_read(self, question: set[str] | frozenset[str]) -> bool:
        """False exactly when `LooseIndex._read` would refuse this name for these question words, whatever their
        order: nothing to weigh, a negation missing, too many informative words missing, or fewer than two words."""
        return (self.total > 0 and self.negations <= question and len(self.informative & question) >= self.need
                and len(self.word_set & question) >= 2)


class LooseIndex:
    """Multi-word names by word, for the words that can anchor a reading: covered names at once, uncovered
    diseases' names (rivals: "myasthenic congenital syndrom" is an uncovered disease) on first need."""

    def __init__(self, lexicon: Lexicon, rules: Rules):
        self.lexicon = lexicon
        self.rules = rules
        self.entries: list[AliasEntry] = [e for e in lexicon.entries if self._usable(e)]
        # Each name's profile is worked out when a question first makes it a candidate: at 100,000 conditions
        # most names are never one, and profiling them all would double the build.
        self.profiles: list[NameProfile | None] = [None] * len(self.entries)
        self._covered = len(self.entries)
        self.by_word = self._index(self.entries, 0)
        self.others = self._others(self.entries, 0, self.by_word)
        self._rivals: dict[str, tuple[int, ...]] | None = None
        self._rival_others: dict[str, frozenset[int]] = {}
        self._lock = threading.Lock()

    @staticmethod
    def _usable(entry: AliasEntry) -> bool:
        # Not a name with its bracketed qualifier ("Narcolepsy (IVIG near onset)"): the words of the qualifier
        # would carry a reading alone ("given near onset"); the name without it is an entry of its own.
        return (entry.condition_id is not None and not entry.blocks and not entry.match_case
                and len(entry.words) > 1 and entry.method is not MatchMethod.abbreviation and "(" not in entry.text)

    def profile(self, index: int) -> NameProfile:
        """What a reading needs of the name at `index` (worked out now if no question has needed it yet)."""
        return self.profiles[index] or self._profile(self.profiles, index)

    def _profile(self, profiles: list[NameProfile | None], index: int) -> NameProfile:
        # Idempotent: two threads profiling one name store equal values, so no lock is needed.
        name = profiles[index] = NameProfile.of(self.entries[index], self.lexicon, self.rules.negations)
        return name

    def _index(self, entries: list[AliasEntry], offset: int) -> dict[str, tuple[int, ...]]:
        by_word: dict[str, list[int]] = defaultdict(list)
        anchors: dict[str, bool] = {}  # word -> whether it weighs anything, looked up once per distinct word
        for index, entry in enumerate(entries, offset):
            for word in set(entry.words):
                anchor = anchors.get(word)
                if anchor is None:
                    anchor = anchors[word] = self.lexicon.weight(word) > 0
                if anchor:
                    by_word[word].append(index)
        return {w: tuple(ids) for w, ids in by_word.items() if len(ids) <= MAX_ANCHOR_ALIASES}

    def _others(self, entries: list[AliasEntry], offset: int,
                anchors: dict[str, tuple[int, ...]]) -> dict[str, frozenset[int]]:
        """Every name by each of its words that is not an anchor (weighing nothing, or too common), filler aside:
        with the anchors, every way a name can share a second word with a question (see `readings`)."""
        others: dict[str, set[int]] = defaultdict(set)
        for index, entry in enumerate(entries, offset):
            for word in entry.words:
                if word not in anchors and word not in FILLER:
                    others[word].add(index)
        return {w: frozenset(ids) for w, ids in others.items()}

    def _uncovered_index(self) -> dict[str, tuple[int, ...]]:
        if self._rivals is None:
            with self._lock:
                if self._rivals is None:
                    rivals = self.lexicon.uncovered_entries()
                    index = self._index(rivals, len(self.entries))
                    self._rival_others = self._others(rivals, len(self.entries), index)
                    # New lists, entries first: a reader holding the old ones is not disturbed, and no reader
                    # finds a profile slot without its entry.
                    self.entries = self.entries + rivals
                    self.profiles = self.profiles + [None] * len(rivals)
                    self._rivals = index
        return self._rivals

    def uncovered_with(self, word: str, words: tuple[str, ...]) -> bool:
        """Whether an uncovered disease's name has `word` and every one of `words` ("discoid" and "lupus")."""
        found = self._uncovered_index().get(word, ())  # first: building it extends the profiles
        profiles = self.profiles
        return any(set(words) <= (profiles[i] or self._profile(profiles, i)).word_set for i in found)

    def __getstate__(self) -> dict:  # cached between runs (bot.startup): the lock is rebuilt, the rivals on demand
        state = dict(self.__dict__)
        state.update(_lock=None, _rivals=None, _rival_others={}, entries=self.entries[:self._covered],
                     profiles=self.profiles[:self._covered])
        return state

    def __setstate__(self, state: dict) -> None:
        self.__dict__.update(state)
        self._lock = threading.Lock()

    def entry(self, index: int) -> AliasEntry:
        return self.entries[index]

    def readings(self, words: list[str], offset: int) -> list[Reading]:
        """Every acceptable reading inside one run of unclaimed words (`offset`: the run's first token)."""
        informative = {w for w in words if self.lexicon.weight(w) > 0}
        if not informative:
            return []
        rivals = self._uncovered_index()
        rival_others = self._rival_others
        profiles = self.profiles
        # Built as before (the same additions in the same order, so the same set) and walked in its own order:
        # equal readings keep the order they were found in. A name needs two of the question's words; one found
        # under two anchors has them, one found under a single anchor needs another word, which can only be one
        # of its non-anchor words (`_others`). Only those names are checked one by one, in C first.
        candidates: set[int] = set()
        two: set[int] = set()
        for word in informative:
            for found_under in (self.by_word.get(word, ()), rivals.get(word, ())):
                if found_under:
                    two.update(candidates.intersection(found_under))
                    candidates.update(found_under)
        for word in set(words) - FILLER:
            for others in (self.others.get(word), rival_others.get(word)):
                if others:
                    two.update(candidates.intersection(others))
        typed = set(words)
        positions: dict[str, list[int]] | None = None  # each word's places in the run, found once for all names
        found = []
        for index in filter(two.__contains__, candidates):
            name = profiles[index] or self._profile(profiles, index)
            # name.may_read(typed), inlined: it is called for every candidate, and most fail it.
            if (len(name.word_set & typed) < 2 or len(name.informative & typed) < name.need
                    or not name.negations <= typed or name.total <= 0):
                continue
            if positions is None:
                positions = defaultdict(list)
                for at, word in enumerate(words):
                    positions[word].append(at)
            reading = self._read(index, words, offset, positions)
            if reading is not None:
                found.append(reading)
        return found

    def without_outread(self, readings: list[Reading], tokens: list[Token]) -> list[Reading]:
        """Less the uncovered readings that leave a word inside them unread which a covered reading of the same words
        reads, along with more of the question: in "autoimmune ear disease" the "ear" is autoimmune inner ear
        disease's, not a word slipped into "autoimmune disease"."""
        covered = [r for r in readings if r.condition_id is not None]
        if not covered or len(covered) == len(readings):
            return readings

        def spanned(r: Reading) -> set[str]:
            return {t.canonical for t in tokens[r.start:r.end]}

        kept = []
        for reading in readings:
            if reading.condition_id is None:
                unread = spanned(reading) - self.profile(reading.entry_index).word_set - FILLER
                if unread and any(r.start <= reading.start and reading.end <= r.end and r.weight > reading.weight
                                  and unread <= self.profile(r.entry_index).word_set
                                  and not self.setting_only(r.entry_index, spanned(r)) for r in covered):
                    continue
            kept.append(reading)
        return kept

    def setting_only(self, index: int, typed: set[str]) -> bool:
        """Whether the typed words read none of the name's words before its first joining word ("with",
        "associated"): then they name its setting, not the disease ("autoimmune thyroid disease" is no
        encephalopathy associated with autoimmune thyroid disease)."""
        words = self.entries[index].words
        joined_at = next((k for k, w in enumerate(words) if w in self.rules.joining), 0)
        return joined_at > 0 and not any(w in typed for w in words[:joined_at])

    def _read(self, index: int, words: list[str], offset: int,
              positions: dict[str, list[int]] | None = None) -> Reading | None:
        """The best reading of one name in the run, or None; `positions` (word -> places in `words`) may be given."""
        entry: AliasEntry = self.entries[index]
        name = self.profile(index)
        name_words, weight = name.words, name.weights
        if name.total <= 0:
            return None
        if positions is None:
            positions = defaultdict(list)
            for at, word in enumerate(words):
                positions[word].append(at)
        present = [w for w in name_words if w in positions]
        if any(w not in positions for w in name.negations):
            return None  # "streptococcal toxic shock" is not "non-streptococcal toxic shock"
        missing = len(name.informative) - sum(1 for w in name.informative if w in positions)
        if missing > 1 or (missing and len(name.informative) < 3) or len(present) < 2:
            return None  # one word alone is never a loose reading ("still" is not Still disease)
        anchor = max(present, key=weight.__getitem__)
        covered = sum(weight[w] for w in present)
        negations, max_extra = self.rules.negations, self.rules.thresholds.max_extra_words
        best: Reading | None = None
        ranked = present.index(anchor)
        for at in positions[anchor]:
            # Each word at its place nearest the anchor's, on the name's side of it at equal distance: "2.6, SARS-CoV-2
            # serology" reads the "2" after "cov", not the one before "sars".
            chosen = [found[0] if len(found := positions[w]) == 1 else min(
                found, key=lambda p, later=k > ranked: (abs(p - at), (p > at) != later)) for k, w in enumerate(present)]
            start, end = min(chosen), max(chosen) + 1
            inside = words[start:end]
            extra = [w for w in inside if w not in FILLER and w not in name.word_set]
            if len(extra) > max_extra or len(inside) - len(present) - len(extra) > MAX_LITTLE_INSIDE and sum(
                    w in FILLER and w not in entry.words for w in inside) > MAX_LITTLE_INSIDE:  # not the name's own
                continue
            if any(w in negations and w not in name.word_set for w in inside):
                continue
            reordered = chosen != sorted(chosen)
            if reordered and len(name.informative) < 2:
                continue  # one word carries the name: only in its order ("disease, platelets still" is no Still's)
            score = covered / name.total - 0.05 * len(extra) - (0.03 if reordered else 0.0)
            if best is None or score > best.score:
                best = Reading(index, entry.condition_id, score, offset + start, offset + end, covered)
        return best


TYPO_COST = 0.03  # a loose reading's score, per word it reads only after correcting a typo or completing a word


def run_readings(matcher: "Matcher", tokens: list[Token], taken: list[bool], text: str = "",
                 spans: list[tuple[int, int]] = ()) -> list[Reading]:
    """The loose readings of every run of words not taken, within a sentence of `text` (no name runs on past a stop:
    "... pulmonary aspergillosis. Would IVIG help the aspergillus?" is no "pulmonary aspergillus disease"): as typed
    (an uncovered name's own words), with typos fixed, and with words cut short completed ("autoimmune enceph"), a
    little less sure per word changed; and as typed beside an uncovered name in it (`spans`: "down syndrome, dancing eyes")."""
    readings: list[Reading] = []
    stops = [k for k in range(1, len(tokens)) if SENTENCE_END.search(text, tokens[k - 1].end, tokens[k].start)
             and len(tokens[k - 1].original) > 2]  # not the stop of "C. difficile", "St. Louis"
    for run_start, run_end in runs(taken, stops):
        typed = [t.canonical for t in tokens[run_start:run_end]]
        corrected = [matcher.corrected(w) for w in typed]
        found = {(r.entry_index, r.start): r for r in matcher.loose.readings(typed, run_start)}
        variants = [corrected] if corrected != typed else []
        # "3 miscarriages in a row", "keeps getting ear infections": recurrent, as typed or with typos fixed
        recurrent = matcher.rules.recurrent_at(typed)
        if recurrent:
            variants += [[RECURRENT if k in recurrent else w for k, w in enumerate(v)] for v in (typed, *variants)]
        # "paraneoplastic neuro syndromes": a head word in the plural is a covered name's own (an uncovered name's
        # is left as typed: "psychotic disorders" is no one disorder)
        singular = [w[:-1] if w[-1:] == "s" and w[:-1] in matcher.rules.head else w for w in typed]
        # A word one slip from a name's word is a typo, not a word cut short: "asher" is Usher, not Asherson.
        misspelt = {w for w, c in zip(typed, corrected) if w != c}
        for variant in variants + matcher.completions().variants(typed, matcher.is_known, skip=misspelt) + (
                [singular] if singular != typed else []):
            for r in matcher.loose.readings(variant, run_start):
                if variant is singular and r.condition_id is None:
                    continue
                fixed = sum(1 for k in range(r.start - run_start, r.end - run_start) if variant[k] != typed[k])
                r = replace(r, score=r.score - TYPO_COST * fixed)
                if (r.entry_index, r.start) not in found or found[(r.entry_index, r.start)].score < r.score:
                    found[(r.entry_index, r.start)] = r
        inside = sorted((s, e) for s, e in spans if run_start <= s and e <= run_end)
        parts = zip([run_start, *(e for _, e in inside)], [*(s for s, _ in inside), run_end]) if inside else ()
        for part_start, part_end in parts:
            for r in matcher.loose.readings(typed[part_start - run_start:part_end - run_start], part_start):
                found.setdefault((r.entry_index, r.start), r)
        readings.extend(found.values())
    return readings


def reads_only_how(matcher: "Matcher", reading: Reading, tokens: list[Token], offered: bool = False) -> bool:
    """Whether every word a reading reads of its name says how or in whom, not which disease: "severe adults" (of
    severe sepsis in adults) is never answered. Offered, a reading needs only more than two such words: "steroid
    dependent" offers no asthma, "acute inflammatory demyelinating" still offers its polyneuropathy."""
    typed = {t.canonical for t in tokens[reading.start:reading.end]}
    read = matcher.loose.profile(reading.entry_index).informative & typed
    if offered:
        return len(read) <= 2 and read <= matcher.rules.course
    return all(w in matcher.rules.course or w in matcher.plain_words for w in read)


def sole_reading(matcher: "Matcher", reading: Reading, tokens: list[Token], text: str = "") -> bool:
    """A loose reading with no rival at all, of a name missing one of three or more informative words, carries
    enough: "sjogren neuronopathy" (Sjogren sensory neuronopathy), "autonomic ganglionopathy". `text`: the question,
    for the patient groups it speaks of ("in a 6 year old")."""
    if reading.score < matcher.rules.thresholds.loose_sole_accept:
        return False
    name = matcher.loose.profile(reading.entry_index)
    typed = {t.canonical for t in tokens[reading.start:reading.end]}
    read = name.informative & typed
    if len(name.informative) < 3 or len(read) < len(name.informative) - 1:
        return False
    if reads_only_how(matcher, reading, tokens) or matcher.loose.setting_only(reading.entry_index, typed):
        return False
    # Nor without a defining word ("spontaneous abortion" is not recurrent), the patients an "in ..." after the
    # disease restricts it to, unless the question speaks of them ("recurrent sinusitis in children"; not "alloimmune
    # liver disease", a disease of gestation only) or a marker in capitals ("liver transplant" says nothing of CMV).
    missing = next(iter(name.informative - typed), "")
    entry, sets = matcher.loose.entry(reading.entry_index), matcher.cues.group_sets
    restricted = missing in entry.words and "in" in entry.words[:entry.words.index(missing)] and any(
        (missing,) in phrases for phrases in sets.values()) and not any(  # the question's groups, only when needed
        (missing,) in sets[g] for g in context_groups(tuple(t.canonical for t in tokens), text, matcher.cues))
    if missing in matcher.rules.defining or restricted or any(
            t.canonical == missing and sum(map(str.isupper, t.original)) > 1 for t in tokenize(entry.text)):
        return False
    if missing != entry.words[-1] and (matcher.one_word_entries(missing) or missing in matcher.lexicon.uncovered):
        return False  # nor without a word inside it that names a disease of its own: "severe pneumonia" has no influenza
    # Nothing unexplained beside or inside it that could stand for the missing word: "large fibre neuropathy" is not
    # small fibre neuropathy, nor "post-transfusion hepatitis" post-transfusion purpura. After a comma a word opens
    # another phrase, once the name's most telling word is read ("igm paraproteinaemic, slowly progressive ..."); a
    # word before one may still qualify it ("myasthenia gravis, anti-HMGCR": no anti-HMGCR myopathy).
    odd = [k for k in range(max(0, reading.start - 1), min(len(tokens), reading.end + 1)) if not (
        (w := tokens[k].canonical) in name.word_set or w in FILLER or w in matcher.plain_words or w.isdigit()
        # how it runs or how sure it is, where the missing word says neither ("idiopathic small fibre")
        or w in matcher.rules.course and missing not in matcher.rules.course
        # a cause told after a name missing only a word of its course ("flaccid myelitis after enterovirus"); one
        # missing a telling word may be another cause's ("sensory neuronopathy after cisplatin": not Sjogren's)
        or k == reading.end and missing in matcher.rules.course and any(p[0] == w for p in matcher.rules.roles.triggers)
        or reading.condition_id in matcher.antibodies.owners.get(w, ()))]  # its own antibody: "hmgcr necrotising myopathy"
    if not odd:
        return True
    after_comma = odd == [reading.end] and text[tokens[reading.end - 1].end:tokens[reading.end].start].strip(" -") != ""
    return after_comma and name.weights.get(missing, 0.0) < max(map(name.weights.get, read))
