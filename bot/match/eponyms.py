"""Uncovered diseases named by their eponym alone ("IVIG for her Lyme?", "... - late-onset Pompe. IVIG?"), read only
where a message names its diagnosis: the bot does not cover them, so a condition told beside them is background."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.match.diagnosed import ARROW
from bot.match.roles import CLAUSE_END, SENTENCE_END
from bot.text import tokenize

if TYPE_CHECKING:
    from bot.match.lexicon import Rules
    from bot.match.result import MatchResult

MIN_LETTERS = 4  # "Lyme"; shorter words are too often something else ("Job", "Tay")
POSSESSIVE = re.compile(r"['’]s\b")  # right after a word: "sweet's" is a person's, however everyday "sweet" is


class Eponyms:
    """The first word of every uncovered two-word name "X syndrome", "X disease" ... (its head word dropped), and
    that word with an "s" (a possessive typed without its apostrophe: "huntingtons"), when no covered name, no
    question word and no filler has it, no name writes it in lower case after its first word, and the rules do not
    keep it from standing alone (`never_alone`: everyday words such as "down" or "sweet"); such a word is one only
    typed as a possessive, with its apostrophe ("= sweet's.": `possessed`), or without it where a diagnosis is stated
    ("... no vasculitis = sweets.": `possessed_plain`)."""

    def __init__(self, uncovered: dict[str, list], rules: "Rules", covered: frozenset[str] | set[str],
                 plain: frozenset[str] | set[str]):
        def standing(word: str, everyday: bool = False) -> bool:
            return (len(word) >= MIN_LETTERS and word.isalpha() and word not in covered and word not in plain
                    and (word in rules.never_alone) is everyday and word not in rules.head and word not in rules.optional)

        table: dict[str, str] = {}
        possessed: dict[str, str] = {}
        for names in uncovered.values():
            for name in names:
                words = name.key.split()
                if len(words) == 2 and words[1] in rules.head:
                    if standing(words[0]):
                        table.setdefault(words[0], name.name)
                    elif standing(words[0], everyday=True):
                        possessed.setdefault(words[0], name.name)
        # A word some name writes in lower case after its first word names a part or a kind ("bladder disease":
        # "urinary bladder cancer"), not a person or a place: only names that write it so are tokenised.
        for names in uncovered.values():
            for name in names:
                if not table.keys().isdisjoint(name.key.split()[1:]):
                    for token in tokenize(name.name)[1:]:
                        if token.original.islower():
                            table.pop(token.canonical, None)
        for word, name in list(table.items()):
            if not word.endswith("s") and standing(word + "s"):
                table.setdefault(word + "s", name)
        self.table = table
        self.possessed = possessed
        self.possessed_plain = {word + "s": name for word, name in possessed.items()
                                if not word.endswith("s") and word + "s" not in covered and word + "s" not in plain}

    def read(self, result: "MatchResult", text: str, rules: "Rules") -> None:
        """An eponym of `table` not read otherwise is a disease not found where the message names its diagnosis:
        right after the treatment's asking word ("IVIG for her Lyme?"), right after words stating a diagnosis ("so
        Pompe") or an arrow ending its clause ("... no vasculitis = sweet's."), switching to it ("what about
        raynauds"), or as a clause of its own, maybe after words that describe its course ("- late-onset Pompe.")."""
        tokens = result.tokens
        words = [t.canonical for t in tokens]
        if self.table.keys().isdisjoint(words) and self.possessed.keys().isdisjoint(words) \
                and self.possessed_plain.keys().isdisjoint(words):
            return
        roles = rules.roles
        busy = [False] * len(tokens)
        for start, end in (*((h.start_token, h.end_token) for h in (*result.matches, *result.ambiguous,
                                                                     *result.suggestions)), *result.uncovered_named):
            busy[start:end] = [True] * (end - start)
        describing = rules.describing
        for k, word in enumerate(words):
            plain_possessive = word not in self.table and word in self.possessed_plain  # "sweets": only as a diagnosis
            if busy[k] or word not in self.table and not plain_possessive and not (
                    word in self.possessed and POSSESSIVE.match(text, tokens[k].end)):
                continue
            first = k  # where its clause starts
            while first > 0 and not CLAUSE_END.search(text, tokens[first - 1].end, tokens[first].start):
                first -= 1
            ends_clause = k + 1 == len(tokens) or bool(CLAUSE_END.search(text, tokens[k].end, tokens[k + 1].start))
            before = k  # past the words describing its course ("late onset", "juvenile")
            while before > first and (words[before - 1] in describing or words[before - 1].isdigit()) \
                    and not ARROW.search(text, tokens[before - 1].end, tokens[before].start):  # "0.05 -> wilsons"
                before -= 1
            # a clause of its own that ends a sentence, not the message's first ("Wilson, 45, with CIDP")
            closes = k + 1 == len(tokens) or bool(SENTENCE_END.search(text, tokens[k].end, tokens[k + 1].start))
            own_clause = closes and before == first > 0
            diagnosed = ends_clause and (any(before >= len(p) and tuple(words[before - len(p):before]) == p
                                             for p in roles.diagnosing)
                                         or before > 0 and bool(ARROW.search(text, tokens[before - 1].end, tokens[before].start)))
            asking_at = before - 1 - (before - 1 > first and words[before - 1] in roles.referring)
            asked = asking_at >= first and roles.asks_at(words, asking_at) \
                and not roles.treatment.isdisjoint(words[first:asking_at])
            # ... or right after "what about" ("... but what abt primary raynauds in a young woman, any ivig data")
            switched = any(len(p) > 1 and before >= len(p) and tuple(words[before - len(p):before]) == p
                           for p in roles.switching)
            if diagnosed or not plain_possessive and (own_clause or asked or switched):
                result.not_found.append(tokens[k].original)
                result.uncovered_spans.append((k, k + 1))
