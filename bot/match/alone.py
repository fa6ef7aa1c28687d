"""Names read from one word of a longer one: an eponym without its head word ("susac"), a term's telling word."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.match.entry import AliasEntry
from bot.match.plurals import possessive_words
from bot.models import MatchMethod
from bot.text import strip_accents, tokenize

if TYPE_CHECKING:
    from bot.match.lexicon import Rules


def named_alone(entries: list[AliasEntry], uncovered: dict[str, list], rules: Rules, counts: dict[str, int],
                generic: frozenset[str]) -> list[AliasEntry]:
    """An eponym asked without its head word ("susac", "Lyell"): the one informative word of a name such as "Susac
    syndrome", when no other name, covered or not, uses it and it is not an everyday word (`never_alone`); also of a
    term the curator answers with a note ("antisynthetase": its term "antisynthetase syndrome", under the same rules),
    and of a term two or more conditions share, asked back about, "X syndrome", when only they use X
    ("antiphospholipid").
    `counts`: how many covered conditions' names use each word (one: only the eponym's own condition); `generic`:
    the words that never carry a name (filler, head and optional words)."""
    exact = MatchMethod.exact
    candidates: dict[str, AliasEntry] = {}
    shared: dict[str, list[AliasEntry]] = {}  # "antiphospholipid": a term asked back about, of each condition using it
    for entry in entries:  # cheapest tests first: at 100,000 conditions this loop sees half a million names
        words = entry.words
        if len(words) == 2 and entry.method is MatchMethod.ambiguous and not entry.answer_with_note \
                and not entry.match_case and not entry.blocks and entry.condition_id is not None \
                and words[1] in rules.head:
            shared.setdefault(words[0], []).append(entry)
        if len(words) < 2 or entry.method is not exact and not entry.answer_with_note or entry.match_case \
                or entry.blocks or entry.condition_id is None:
            continue
        text = entry.text
        for word in possessive_words(text, proper=True) if "'" in text or "’" in text else ():  # "Sydenham's chorea"
            if len(word) >= 5 and word.isalpha() and word not in rules.never_alone and counts.get(word) == 1:
                candidates.setdefault(word, entry)
        found = None
        for word in words:
            if word not in generic:
                if found is not None:
                    break
                found = word
        else:
            if (found is not None and len(found) >= 5 and found.isalpha() and found not in rules.never_alone
                    and counts.get(found) == 1):
                candidates.setdefault(found, entry)
    alone: list[AliasEntry] = []
    for word, found in shared.items():
        sharing = {e.condition_id for e in found}
        # Not one condition's term: it asks back already, and its word alone may be an author ("Hughes 1978?").
        if (len(sharing) > 1 and counts.get(word) == len(sharing) and word not in candidates and len(word) >= 5
                and word.isalpha() and word not in rules.never_alone):
            alone.extend(found)
    if not candidates and not alone:
        return []
    taken = {w for names in uncovered.values() for n in names for w in n.key.split()  # "Howell-Evans syndrome"
             if (w in candidates or w in shared) and w in _standing_alone(n.name)}  # leaves "Evans" free
    # ... and typed as a possessive without its apostrophe ("rasmussens"), when that is no other condition's word.
    return [AliasEntry.of(e.condition_id, e.text, MatchMethod.exact, False, form, (form,), eponym=True)
            if e.method is exact else e.but(case_text=form, words=(form,), eponym=True)
            for word, e in candidates.items() if word not in taken
            for form in (word, word + "s")
            if form == word or not word.endswith("s") and (form not in counts or form in e.words)] + [
        e.but(case_text=e.words[0], words=e.words[:1], eponym=True) for e in alone if e.words[0] not in taken]


def _standing_alone(name: str) -> set[str]:
    """The canonical words of a name that no hyphen joins to another word ("howell" and "evans" of "Howell-Evans
    syndrome" are one name's halves, not a word of it each)."""
    plain = strip_accents(name)  # as `tokenize` reads it: its spans are this text's
    return {t.canonical for t in tokenize(name) if plain[t.start - 1: t.start] != "-" and plain[t.end: t.end + 1] != "-"}
