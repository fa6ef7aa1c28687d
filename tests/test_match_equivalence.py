"""The fast loose and typo passes decide exactly as the plain code they replaced (kept here as the reference)."""

import random
import zlib
from types import SimpleNamespace

import pytest
from rapidfuzz.distance import Levenshtein

from bot.match.fuzzy import (JOINED_ACCEPT_SCORE, MIN_FUZZY_CHARS, SCORER, SHORT_WORD, SOUND_SLIP_LETTERS,
                              SUGGEST_SCORE, _may_score, few_edits, word_is_typo_of)
from bot.match.phonetic import sound_key
from bot.match.lexicon import FILLER
from bot.match import shortlist
from bot.match.loose import MAX_LITTLE_INSIDE, Reading
from bot.text import tokenize

RUNS = 1000


def reference_read(loose, index: int, words: list[str], offset: int) -> Reading | None:
    """LooseIndex._read as it was before names were profiled at build time (word for word)."""
    entry = loose.entries[index]
    weight = loose.lexicon.weight
    name_words = [w for w in dict.fromkeys(entry.words) if w not in FILLER]
    total = sum(weight(w) for w in name_words)
    if total <= 0:
        return None
    positions = {w: [i for i, typed in enumerate(words) if typed == w] for w in name_words}
    present = [w for w in name_words if positions[w]]
    informative = [w for w in name_words if weight(w) > 0]
    missing = [w for w in informative if not positions[w]]
    if any(w in loose.rules.negations for w in name_words if not positions[w]):
        return None
    if len(missing) > 1 or (missing and len(informative) < 3) or len(present) < 2:
        return None
    anchor = max(present, key=weight)
    best = None
    for at in positions[anchor]:
        # since 2026-12-05: at equal distance, on the name's side of the anchor
        chosen = [min(positions[w], key=lambda p, k=k: (abs(p - at), (p > at) != (k > present.index(anchor))))
                  for k, w in enumerate(present)]
        start, end = min(chosen), max(chosen) + 1
        inside = words[start:end]
        extra = [w for w in inside if w not in FILLER and w not in name_words]
        if len(extra) > loose.rules.thresholds.max_extra_words:
            continue
        if sum(w in FILLER and w not in entry.words for w in inside) > MAX_LITTLE_INSIDE:
            continue  # since 2026-12-03: "worth it for the cerebellar syndrome" is no Worth syndrome
        if any(w in loose.rules.negations and w not in name_words for w in inside):
            continue
        if len(informative) < 2 and chosen != sorted(chosen):
            continue  # since 2026-12-01: a name one word carries is read only in its order
        covered = sum(weight(w) for w in present)
        score = covered / total - 0.05 * len(extra) - (0.03 if chosen != sorted(chosen) else 0.0)
        if best is None or score > best.score:
            best = Reading(index, entry.condition_id, score, offset + start, offset + end, covered)
    return best


def reference_score_window(fuzzy, words: list[str], near: dict) -> list[tuple[int, float]]:
    """FuzzyIndex.score_window as plain code, names' forms worked out on the spot: (entry, score). A name with a
    word that sounds like a misspelt typed word (or, for two words, like both run together), or one a misspelt
    window starting with its first sound scored nothing against as written, is also scored on the words as they
    sound, when its written length allows a score at all; the better score counts."""
    joined = "".join(words)
    candidates = set(fuzzy.shortlist.near(joined))
    sounding, misspelt = set(), False
    for word in words:
        if word not in FILLER:
            candidates |= near.setdefault(word, fuzzy.shortlist.near(word))
            if word not in fuzzy.known:
                misspelt = True
                if len(word) >= SHORT_WORD:
                    sounding |= _names_sounding_like(fuzzy, word)
    if misspelt and len(words) == 2 and len(joined) >= MIN_FUZZY_CHARS:
        sounding |= _names_sounding_like(fuzzy, joined)
    candidates |= sounding
    hits = []
    for index in candidates:
        entry = fuzzy.entries[index]
        if set(entry.words) & fuzzy.negations != set(words) & fuzzy.negations:
            continue
        if (len(words) == 1 and words[0] in fuzzy.known and len(entry.words) == 1
                and words[0].rstrip("s") != entry.words[0].rstrip("s")):
            continue
        score = _reference_score(words, entry.words)
        heard, said = [sound_key(w) for w in words], [sound_key(w) for w in entry.words]
        # ... and a name the misspelt window missed as written, when it starts with the window's first sound
        if (index in sounding or misspelt and not score and said[0][:1] == heard[0][:1]) and _lengths_allow(
                words, entry.words):
            score = max(score, _reference_score(heard, said))
        if not score:
            continue
        if len(entry.words) == len(words):
            pairs = list(zip(words, entry.words))
            if any(a != b and a.rstrip("s") != b.rstrip("s") and a in fuzzy.known and b not in fuzzy.generic
                   for a, b in pairs) and not any(
                    b not in fuzzy.generic and (a == b or a not in fuzzy.known) for a, b in pairs):
                continue  # a correct word read as another needs a distinctive word typed exactly beside it
        hits.append((index, score))
    return hits


def _names_sounding_like(fuzzy, word: str) -> set[int]:
    """Names with a word that sounds like `word`; for a long word none does, with a word of a long sound one slip
    from its sound."""
    key = sound_key(word)
    found = {i for i, e in enumerate(fuzzy.entries) if any(sound_key(w) == key for w in e.words)}
    if found or len(word) < SOUND_SLIP_LETTERS:
        return found
    return {i for i, e in enumerate(fuzzy.entries) if any(
        len(sound_key(w)) >= SOUND_SLIP_LETTERS - 1 and Levenshtein.distance(sound_key(w), key) <= 1 for w in e.words)}


def _lengths_allow(words, name) -> bool:
    """The written window and name could score at all (the fast code's length filter, which sound forms share)."""
    if len(name) == len(words):
        return _may_score(len(" ".join(words)), len(" ".join(name)), SUGGEST_SCORE)
    joined = len("".join(words))
    return (abs(len(name) - len(words)) == 1 and joined >= MIN_FUZZY_CHARS
            and _may_score(joined, len("".join(name)), JOINED_ACCEPT_SCORE))


def _reference_score(words, name) -> float:
    if len(name) == len(words):
        typed, alias = " ".join(words), " ".join(name)
        score = SCORER(typed, alias, score_cutoff=SUGGEST_SCORE)
        if not score or not few_edits(typed, alias):
            return 0.0
        if len(words) > 1 and not all(word_is_typo_of(a, b) for a, b in zip(words, name)):
            return 0.0
        return score
    joined = "".join(words)
    if abs(len(name) - len(words)) != 1 or len(joined) < MIN_FUZZY_CHARS:
        return 0.0
    alias = "".join(name)
    score = SCORER(joined, alias, score_cutoff=JOINED_ACCEPT_SCORE)
    if not score or not few_edits(joined, alias):
        return 0.0
    if len(name) == len(words) + 1 and not all(
            w in words or any(w in t or word_is_typo_of(t, w) for t in words) for w in name):
        return 0.0  # a name word the window lacks altogether
    return score


def typo(word: str, rng: random.Random) -> str:
    if len(word) < 4:
        return word
    i = rng.randrange(len(word) - 1)
    return rng.choice([word[:i] + word[i + 1:], word[:i] + word[i + 1] + word[i] + word[i + 2:],
                       word[:i] + rng.choice("aeiou") + word[i + 1:]])


@pytest.fixture(scope="module")
def matcher(core):
    return core.matcher


def random_runs(matcher, rng: random.Random, count: int, typos: bool = False) -> list[list[str]]:
    """Runs built around a real name (shuffled, a word dropped, words added), so that many are read."""
    loose = matcher.loose
    loose._uncovered_index()  # the rivals too
    names = [e.words for e in loose.entries]
    negations = sorted(loose.rules.negations)
    noise = sorted({w for words in names for w in words}) + sorted(FILLER) + negations
    runs = []
    for _ in range(count):
        words = list(rng.choice(names))
        rng.shuffle(words) if rng.random() < 0.5 else None
        if len(words) > 2 and rng.random() < 0.4:
            words.pop(rng.randrange(len(words)))
        for _ in range(rng.randint(0, 3)):
            words.insert(rng.randrange(len(words) + 1), rng.choice(noise))
        if rng.random() < 0.3:
            words += rng.choice(names)  # two names, one run
        if typos:
            words = [typo(w, rng) if rng.random() < 0.3 else w for w in words]
        runs.append(words)
    return runs


def test_loose_readings_are_the_reference_readings_in_the_same_order(matcher):
    loose = matcher.loose
    rng = random.Random(20261130)
    read = 0
    for words in random_runs(matcher, rng, RUNS):
        informative = {w for w in words if loose.lexicon.weight(w) > 0}
        rivals = loose._uncovered_index()
        candidates = {i for w in informative for i in (*loose.by_word.get(w, ()), *rivals.get(w, ()))}
        expected = [r for i in candidates if (r := reference_read(loose, i, words, 3)) is not None]
        assert loose.readings(words, 3) == expected, words
        read += len(expected)
    assert read > RUNS  # the runs were read, not all refused: the comparison is not vacuous


def test_the_prefilter_never_refuses_a_name_the_full_reading_accepts(matcher):
    """Property: over every candidate name of many runs, `may_read` is False exactly when the reference refuses the
    name by its word rules, and a refused name never yields a reading."""
    loose = matcher.loose
    rng = random.Random(7)
    refused = accepted = 0
    for words in random_runs(matcher, rng, RUNS // 2):
        typed = set(words)
        candidates = {i for w in typed for i in (*loose.by_word.get(w, ()), *loose._uncovered_index().get(w, ()))}
        for index in candidates:
            reading = reference_read(loose, index, words, 0)
            if not loose.profile(index).may_read(typed):
                refused += 1
                assert reading is None, (words, loose.entries[index].text)
            else:
                accepted += 1
            assert loose._read(index, words, 0) == reading
    assert refused and accepted


def test_typo_windows_score_as_the_reference(matcher):
    fuzzy = matcher.fuzzy
    rng = random.Random(11)
    scored = 0
    for words in random_runs(matcher, rng, RUNS, typos=True):
        text = " ".join(words)
        tokens = tokenize(text)
        for n in range(1, min(5, len(tokens)) + 1):
            for i in range(len(tokens) - n + 1):
                window = tokens[i:i + n]
                expected = [(fuzzy.entries[index], score)
                            for index, score in reference_score_window(fuzzy, [t.canonical for t in window], {})]
                got = [(h.entry, h.score) for h in fuzzy.score_window(window, i, i + n, {})]
                assert got == expected, text
                scored += len(got)
    assert scored > RUNS // 5  # typo readings were found: the comparison is not vacuous


def test_the_longest_name_is_still_read_exactly(matcher):
    """A window grows only while some name begins with its letters; the longest name must still be read whole."""
    key = max([*matcher._exact, *matcher.lexicon.uncovered], key=len)
    if key in matcher.lexicon.uncovered:
        name = matcher.lexicon.uncovered[key][0].name
        assert matcher.find(f"ivig for {name} please").not_found == [name]
    else:
        entry = matcher._exact[key][0]
        assert entry.condition_id in {h.condition_id for h in matcher.find(f"ivig for {entry.text} please").matches}


@pytest.mark.parametrize("coarse", [False, True])
def test_the_packed_deletion_table_finds_what_the_dict_finds(matcher, monkeypatch, coarse):
    """`PackedDeletions` (large vocabularies) answers every look-up as `Deletions` does; with CRCs made to collide
    (`coarse`), the check that a word really has the form keeps the other forms' words out."""
    if coarse:  # sixteen keys per length: nearly every look-up meets forms of other words
        monkeypatch.setattr(shortlist, "zlib", SimpleNamespace(crc32=lambda raw: zlib.crc32(raw) % 16))
    known = sorted(matcher.fuzzy.shortlist.words())
    plain, packed = shortlist.Deletions(known), shortlist.PackedDeletions(known)
    assert packed.longest == plain.longest
    aliases = [e.words for e in matcher.fuzzy.entries]
    by_dict, by_array = shortlist.Shortlist(aliases, plain), shortlist.Shortlist(aliases, packed)
    rng = random.Random(5)
    typed = {w for words in random_runs(matcher, rng, RUNS // 2, typos=True) for w in words} | set(known[::7])
    typed |= {w[:3] for w in known} | {"", "x", "zzzz", "q" * 30}
    found = 0
    for word in sorted(typed):
        for form in shortlist.deletion_forms(word):
            assert packed.words_for(form) == plain.words_for(form), form
        # a shared CRC may make the packed table look a word up that meets nothing (it finds nothing, as above)
        assert packed.meets_none(word) == plain.meets_none(word) or coarse and not packed.meets_none(word), word
        assert by_array.near(word) == by_dict.near(word), word
        assert by_array.correct(word, 2) == by_dict.correct(word, 2), word
        found += bool(by_dict.near(word))
    assert found > len(typed) // 4  # words were found: the comparison is not vacuous


def test_a_large_vocabulary_gets_the_packed_table_and_a_small_one_the_dict(monkeypatch):
    monkeypatch.setattr(shortlist, "PACK_ABOVE", 100)
    assert isinstance(shortlist.deletion_table([f"word{chr(97 + i)}" for i in range(10)]), shortlist.Deletions)
    packed = shortlist.deletion_table([f"word{chr(97 + i)}" for i in range(26)])  # 156 forms
    assert isinstance(packed, shortlist.PackedDeletions)
    assert packed.words_for("wordq") == ("wordq",) and set(packed.words_for("word")) == {f"word{chr(97 + i)}" for i in range(26)}
