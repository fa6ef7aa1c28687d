"""The words of a follow-up after an answer: which are a follow-up's own, and which name a disease the bot lacks."""

from __future__ import annotations

from bot.intents import Intents
from bot.match.cues import age_tokens
from bot.match.lexicon import FILLER
from bot.match.matcher import Matcher, MatchResult
from bot.match.roles import CLAUSE_END
from bot.match.studies import capitalised, names_a_study
from bot.text import tokenize

ACKNOWLEDGING = frozenset({"thanks", "greeting"})  # intents of a first clause that only acknowledges or greets
MAX_ACKNOWLEDGING_CHARS = 40  # "thanks so much, that's really helpful" is about as long as one runs


class FollowUpWords:
    """Words a follow-up may use besides a disease's name (phrases of intents and cues, question words), and those
    of them that are plain only as chat ("pls", "so", "it")."""

    def __init__(self, intents: Intents, matcher: Matcher):
        self.intents, self.matcher = intents, matcher
        phrases = (intents.plain_words() | matcher.plain_words | FILLER | matcher.rules.head | matcher.rules.outcome
                   | matcher.rules.course)  # "and severe cases?": how a disease runs is no disease
        self._chat_only = intents.conversation_plain - phrases
        self.plain = phrases | intents.conversation_plain
        # the first words of thanks and greetings ("thanks", "hi", "that"): any other first word opens no thanks
        self._opens_thanks = intents.softeners | {p[0] for name in ACKNOWLEDGING
                                                  for p in intents.whole_messages.get(name, ()) if p}

    def after_acknowledgement(self, text: str) -> str:
        """The message without a first clause that only thanks or greets ("thanks. does it improve strength?",
        "ok, and in psoriasis?"): what follows is the question. A message of one clause is kept whole."""
        first = CLAUSE_END.search(text)  # where the first clause ends; only that clause is read (every question
        if first is None or first.start() > MAX_ACKNOWLEDGING_CHARS:  # passes here: a long first clause says more)
            return text
        clause = text[:first.start()]
        opening = tokenize(clause.split(None, 1)[0]) if clause.strip() else []
        if not opening or opening[0].canonical not in self._opens_thanks:  # most questions stop here
            return text
        words = tuple(t.canonical for t in tokenize(clause))
        if self.intents.whole_message(words) not in ACKNOWLEDGING:
            return text
        rest = tokenize(text[first.start():])
        return text[first.start() + rest[0].start:] if rest else text

    def besides(self, cue: str, result: MatchResult) -> bool:
        """Whether the message holds, besides the cue of a switch, no word that by itself names an uncovered disease,
        misspelt or not: "what about adult brainstem astroctyoma?" after polymyositis is no pointer to a sibling."""
        cue_words = {t.canonical for t in tokenize(cue)}
        names_a_disease = self.matcher.uncovered_words.names_a_disease
        return not any(t.canonical not in cue_words and names_a_disease(t.canonical)
                       and not self.plain_token(t, result.all_caps) for t in result.tokens)

    def plain_token(self, token, all_caps: bool) -> bool:
        """A word a follow-up may use besides a disease's name. Typed in capitals (in a message not all in capitals),
        a word that is plain only as chat names something: "PLS" is primary lateral sclerosis, "pls" is please."""
        if token.canonical not in self.plain:
            return False
        capitals = len(token.original) > 1 and token.original.isupper() and not all_caps
        return not capitals or token.canonical not in self._chat_only

    def unknown_tail(self, text: str, result: MatchResult) -> str | None:
        """The typed words after the last "in", "for", "with" or "about", when one of them is none of the words a
        question uses besides a name: a disease the bot does not know ("t1dm" in "any trial in t1dm?")."""
        tokens = result.tokens
        topics = [i for i, t in enumerate(tokens[:-1]) if t.canonical in self.intents.topic_after]
        tail = self._tail(text, result, topics[-1] if topics else None)
        if tail is None and len(topics) > 1:  # "what about henoch schonlein in a 7 yo?": the disease is further back
            tail = self._tail(text, result, topics[0], narrow=True)
        elif tail is None and topics and tokens[0].canonical in self.intents.continues:
            tail = self._tail(text, result, 0, narrow=True)  # "and sma type 3 in an adult": after the opening "and"
        return tail

    def _tail(self, text: str, result: MatchResult, cut: int | None, narrow: bool = False) -> str | None:
        tokens = result.tokens
        if cut is None and tokens and tokens[0].canonical in self.intents.continues:
            cut = 0  # "and copd?"
        clause = cut is None
        if clause:  # its last clause ("trials? castleman", "any data? she has vitiligo"), or the whole message
            cut = _before_last_clause(text, tokens)
            cut = -1 if cut is None else cut
        after = [t.canonical for t in tokens[cut + 1:]]
        if not any(map(self.matcher.names_alone, after)) and (
                not self.intents.refers_back.isdisjoint(after)  # "and was it placebo controlled?"
                or after[:1] == ["the"] and self.intents.follow_up(tuple(after[-1:])) == "design"):  # "the danish trial"
            return None  # about the answer just given, not a disease
        ages = age_tokens(tokens, text)  # "in a 60M": the patient, not a disease
        tail = [(k, t) for k, t in enumerate(tokens) if k > cut and t.canonical not in FILLER and k not in ages]
        names_a_disease = self.matcher.uncovered_words.names_a_disease
        if clause and not any(names_a_disease(t.canonical) and not self.plain_token(t, result.all_caps) for _, t in tail):
            return None  # a clause of its own names a disease only by a word of one ("I thought so" names none)
        if not any(not self.plain_token(t, result.all_caps) and not t.canonical.isdigit() and len(t.canonical) > 1
                   and not (capitalised(t) and names_a_study(tokens, k + 1, text)) for k, t in tail):
            return None
        if clause or narrow:  # named from its first word no follow-up uses: "castleman", not "my other pt has ..."
            kept = [i for i, (_, t) in enumerate(tail) if not self.plain_token(t, result.all_caps)
                    and not t.canonical.isdigit()]
            tail = tail[kept[0]: kept[-1] + 1 if narrow else None]  # ... and, further back, to its last one
        # "the chronic active EBV that triggered his HLH": up to "that"; "ivig in blorgitis, anything worthwhile?": up
        # to the comma
        told = next((k for k in range(tail[0][0] + 1, len(tokens)) if tokens[k].canonical in self.intents.relative
                     or CLAUSE_END.search(text, tokens[k - 1].end, tokens[k].start)), None)
        if told is not None:
            tail = [(k, t) for k, t in tail if k < told]
        return text[tail[0][1].start: tail[-1][1].end]

    def set_aside(self, tail: str) -> bool:
        """Whether the words after "for" hold a covered condition's name that was read and set aside ("worked up
        for CIDP but NCS normal, ivig?"): no disease the bot lacks. Not after an answer, where "what about HUS in a
        pt with MS" still asks about HUS."""
        return any(e.condition_id and not e.blocks and (not e.match_case or e.case_text == t.original)
                   for t in tokenize(tail) if len(t.canonical) > 1 for e in self.matcher.exact_entries(t.canonical))


def _before_last_clause(text: str, tokens) -> int | None:
    """The index of the word before the last clause of a message, where a question mark, full stop, colon,
    semicolon or spaced dash opens it; None in a message of one clause."""
    for k in range(len(tokens) - 1, 0, -1):
        between = text[tokens[k - 1].end: tokens[k].start]
        if any(mark in between for mark in "?.:;—") or any(f" {dash} " in between for dash in "-–"):
            return k - 1
    return None
