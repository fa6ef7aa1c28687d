"""Words typed cut short ("autoimmune enceph", "myasth gravis"): the names' words each could be the start of."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterable
from itertools import product

from bot.match.lexicon import FILLER
from bot.match.result import Hit
from bot.models import MatchMethod
from bot.text import canonical_word

MIN_LETTERS = 4  # three letters start too many words, and many are words ("car", "her")
MIN_LEFT_OFF = 3  # letters a cut-short word leaves off at least: "line" is no cut-short "linear"
MAX_COMPLETIONS = 16  # words one cut-short word may stand for; more says nothing
MAX_VARIANTS = 24  # readings of a run tried with its cut-short words completed


class Completions:
    """The words of names, covered and uncovered, in order, to find the ones a typed word begins. Uncovered names'
    words are among them so that their readings compete: "membra glomerulonephritis" may be membranoproliferative,
    which is no membranous nephropathy. Made on first need: most questions have no word cut short."""

    def __init__(self, words: Iterable[str], plain: Iterable[str] = ()):
        self._words = sorted(words)
        self._plain = frozenset(plain)  # words of the base's own prose: whole words, never cut short ("kind")

    def of(self, typed: str) -> list[str]:
        """The words `typed` is the start of, leaving off at least MIN_LEFT_OFF letters; [] for more than
        MAX_COMPLETIONS of them."""
        found: list[str] = []
        words = self._words
        at = bisect_left(words, typed)
        while at < len(words) and words[at].startswith(typed):
            if len(words[at]) - len(typed) >= MIN_LEFT_OFF:
                found.append(words[at])
                if len(found) > MAX_COMPLETIONS:
                    return []
            at += 1
        return found

    def variants(self, typed: list[str], is_word: Callable[[str], bool],
                 skip: set[str] | frozenset[str] = frozenset()) -> list[list[str]]:
        """The run with its cut-short words completed, every way (at most MAX_VARIANTS ways; none when more):
        a word that is a word of its own (`is_word`), a number, or one of `skip` is never cut short."""
        options: list[list[str]] = []
        completed = False
        for word in typed:
            found = ([] if len(word) < MIN_LETTERS or word.isdigit() or word in skip or word in self._plain
                     or is_word(word) else self.of(word))
            options.append(found or [word])
            completed = completed or bool(found)
        if not completed:
            return []
        count = 1
        for found in options:
            count *= len(found)
        if count > MAX_VARIANTS:
            return []
        return [list(words) for words in product(*options)]


_LETTERS = re.compile(r"[a-z]+")


def prose_words(kb) -> set[str]:
    """The words, of MIN_LETTERS or more, of the base's own sentences (summaries, findings): English as the base
    writes it, so whole words ("kind", "follow", "term") that happen to begin a name's word. Text by text: at
    100,000 conditions one joined text and its list of words were tens of megabytes at once."""
    raw: set[str] = set()
    for cond in kb.conditions.values():
        texts = [cond.headline, cond.evidence_summary, cond.evidence_basis]
        for finding in cond.findings:
            texts += (finding.statement, finding.population, finding.key_figure, finding.caveat)
        for text in texts:
            if isinstance(text, str):
                raw.update(_LETTERS.findall(text.lower()))
    return {canonical_word(w) for w in raw if len(w) >= MIN_LETTERS}


CLIPPED_LETTERS = 3  # "nec fasc": in a name of two or three words typed whole, three letters can start each
MAX_CLIPPED_LETTERS = 9  # a word cut short is short ("enceph", "enterocol"); a longer unknown word is a drug or a typo
MAX_CLIPPED_READINGS = 256  # completions of a window tried as whole names; more says nothing
CLIPPED_SCORE = 90.0  # read, and surer than a loose reading: every word of the name is there, in its order


def clipped_names(matcher, result, taken: list[bool]) -> None:
    """Names of two or three words each typed cut short, or whole ("nec fasc", "myas gravis"): read when the words,
    completed, make exactly one covered condition's name and no uncovered disease's; when they make uncovered diseases'
    names only ("nec enterocol"), those words are a disease not found. A word that is no word of any name must be among them
    (cut short, not two ordinary words), and every word must have three letters or more."""
    words = [t.canonical for t in result.tokens]
    cut = [k for k, w in enumerate(words) if not taken[k] and CLIPPED_LETTERS <= len(w) <= MAX_CLIPPED_LETTERS
           and w.isalpha() and not matcher.is_known(w)]
    if not cut:
        return  # most questions: every word left is a word of a name or of questions
    completions = matcher.completions()
    options: list[list[str] | None] = [None] * len(words)  # per word, what it may stand for; worked out on need

    def options_of(k: int) -> list[str]:
        if options[k] is None:
            w = words[k]
            usable = len(w) >= CLIPPED_LETTERS and w.isalpha() and w not in FILLER and not taken[k]
            options[k] = ([w] * matcher.is_known(w) + completions.of(w)) if usable else []
        return options[k]

    cut = [k for k in cut if options_of(k)]  # words cut short: few, or none
    for size in (3, 2):
        starts = sorted({s for k in cut for s in range(max(0, k - size + 1), min(k, len(words) - size) + 1)})
        for start in starts:
            span = range(start, start + size)
            if not all(options_of(k) for k in span):
                continue
            keys = [""]  # the window's words completed, kept only while some name begins so
            for k in span:
                keys = [key + w for key in keys for w in options_of(k) if matcher.begins_a_name(key + w)]
                if not keys or len(keys) > MAX_CLIPPED_READINGS:
                    break
            if not keys or len(keys) > MAX_CLIPPED_READINGS:
                continue
            owners: set[str | None] = set()
            entry = None
            uncovered = False
            for key in keys:
                if key in matcher.lexicon.uncovered or key in matcher.blocked_names:
                    owners.add(None)
                    uncovered = uncovered or key in matcher.lexicon.uncovered
                for named in matcher.exact_entries(key):
                    if not named.blocks:  # "not LEMS" says nothing of myasthenia gravis
                        owners.add(None if named.method is MatchMethod.ambiguous else named.condition_id)
                        entry = named
            if entry is None and owners == {None} and uncovered:  # "ocular toxo": some uncovered disease
                result.not_found.append(" ".join(t.original for t in result.tokens[start:start + size]))
                result.uncovered_spans.append((start, start + size))
            elif entry is None or len(owners) != 1 or None in owners:
                continue
            else:
                result.matches.append(Hit(entry.condition_id, CLIPPED_SCORE, MatchMethod.fuzzy, entry.text, start,
                                          start + size, entry.other_meanings, entry=entry, subtype=entry.subtype))
            for k in span:
                taken[k] = True
                options[k] = []


CLIPPED_WORD_LETTERS = 5  # "sarcoid", "lepto"; shorter clips start too many words ("toxo", "histo")
# What such a word leaves off names a process ("sarcoid" -> "sarcoidosis"); "-itis" follows a part of the body,
# which is a word of its own ("sinus" is no sinusitis).
CLIPPED_ENDINGS = ("osis", "iasis")


def clipped_processes(uncovered: dict[str, list]) -> list[str]:
    """The uncovered one-word names ending in CLIPPED_ENDINGS, in order (`clipped_uncovered_words`' first test)."""
    return sorted(k for k, names in uncovered.items() if k.endswith(CLIPPED_ENDINGS) and " " not in names[0].key)


def clipped_uncovered_words(matcher, result, taken: list[bool]) -> None:
    """A word no covered name and no question has, that begins only uncovered diseases' one-word names ending in
    "-osis" or "-iasis" ("sarcoid": sarcoidosis, "neurosarcoid", "brucell"), is a disease not found, as the
    uncovered name typed cut short is: a condition told beside it is background to it ("Evans syndrome in clinic ...
    IVIG for sarcoid?")."""
    words = [t.canonical for t in result.tokens]
    uncovered = matcher.lexicon.uncovered
    processes = matcher.clipped_processes()
    for k, word in enumerate(words):
        if (taken[k] or len(word) < CLIPPED_WORD_LETTERS or not word.isalpha() or word in FILLER
                or matcher.covered_word(word)):
            continue
        at = bisect_left(processes, word)  # most words begin no such name: one bisection says so
        if at == len(processes) or not processes[at].startswith(word):
            continue
        completed = matcher.completions().of(word)
        if completed and all(c in uncovered and " " not in uncovered[c][0].key and c.endswith(CLIPPED_ENDINGS)
                             for c in completed):
            result.not_found.append(result.tokens[k].original)
            result.uncovered_spans.append((k, k + 1))
            taken[k] = True
