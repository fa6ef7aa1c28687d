"""What the matcher found in a question: answered hits, questions to ask back, uncovered diseases named."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.match.lexicon import AliasEntry
from bot.models import MatchMethod
from bot.text import Token


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
    entry: AliasEntry | None = None
    subtype: str | None = None  # the form of the condition the question named
    note_others: tuple[str, ...] = ()  # answered in one reading: the others for the note (condition ids or meanings)
    because: str = ""  # the cue that settled an ambiguous term


@dataclass
class MatchResult:
    tokens: list[Token]
    matches: list[Hit] = field(default_factory=list)  # answered
    ambiguous: list[Hit] = field(default_factory=list)  # ambiguous terms: ask
    suggestions: list[Hit] = field(default_factory=list)  # not sure: ask
    blocked: list[tuple[str, str]] = field(default_factory=list)  # (words, condition id) near-misses seen
    blocked_spans: list[tuple[int, int]] = field(default_factory=list)  # their tokens
    not_found: list[str] = field(default_factory=list)  # uncovered diseases named, as typed
    uncovered_spans: list[tuple[int, int]] = field(default_factory=list)  # their tokens, in the same order
    prefixed: list = field(default_factory=list)  # covered names read right after "post", "non" ...
    tentative: list[tuple[int, int]] = field(default_factory=list)  # loose "did you mean" spans a typo reading may take
    clear_terms: list[tuple[int, int]] = field(default_factory=list)  # ambiguous terms a clear typo reading took
    all_caps: bool = False

    @property
    def uncovered_named(self) -> list[tuple[int, int]]:
        """The tokens of every disease named that the bot does not cover: ontology names and blocked near misses."""
        return self.uncovered_spans + self.blocked_spans

    def forget_uncovered(self, start: int) -> None:
        """Take back the uncovered name read from token `start`: it is part of a covered label after all."""
        kept = [i for i, (s, _) in enumerate(self.uncovered_spans) if s != start]
        self.not_found[:] = [self.not_found[i] for i in kept]
        self.uncovered_spans[:] = [self.uncovered_spans[i] for i in kept]

    @property
    def named(self) -> bool:
        """Whether the question names any disease at all, covered or not."""
        return bool(self.matches or self.ambiguous or self.suggestions or self.not_found or self.blocked)


def runs(taken: list[bool], stops: list[int] = ()) -> list[tuple[int, int]]:
    """The stretches of words no reading has taken yet, cut where a sentence begins (`stops`: its first tokens)."""
    out, start = [], None
    for i, used in enumerate(taken + [True]):
        if start is not None and (used or i in stops):
            out.append((start, i))
            start = None
        if not used and start is None:
            start = i
    return out


def drop_settings(result: "MatchResult") -> None:
    """A setting left unsettled ("CIDP in a renal transplant pt", "PML in a kidney transplant pt") beside a condition
    answered, another term asked back about or a disease named that the base does not cover is where that patient
    is: it offers nothing."""
    settings = [h for h in result.ambiguous if h.entry is not None and h.entry.setting]
    if settings and (result.matches or result.not_found or result.uncovered_named
                     or len(settings) < len(result.ambiguous)):
        result.ambiguous[:] = [h for h in result.ambiguous if h not in settings]


def drop_inner_readings(ambiguous: list[Hit], answered: "list[Hit] | tuple[Hit, ...]" = (), tokens: list = ()) -> None:
    """An ambiguous term inside a longer one read as written, whose readings are among its own, says less than the
    longer one: its other readings go ("sjogren's neuropathy" is read as Sjogren's syndrome neuropathy; "neuropathy"
    inside it is not also CIDP, MMN ...). A longer reading through a typo ("autoimmune" read as "alloimmune") does
    not. A term one of whose readings is `answered` outright elsewhere in the message, as one word holding the term's
    letters, names that condition again in short ("CAPS in a woman with APS"): its other readings are not asked about
    either. Not the same term told twice ("adult ITP, and what about ITP in kids?")."""
    spans: dict[tuple[int, int], set[str]] = {}
    as_written: set[tuple[int, int]] = set()
    for hit in ambiguous:
        span = (hit.start_token, hit.end_token)
        spans.setdefault(span, set()).add(hit.condition_id)
        if hit.score >= 100:
            as_written.add(span)
    inner = {(s, e) for s, e in spans for (s2, e2) in as_written
             if s2 <= s and e <= e2 and (s2, e2) != (s, e) and spans[(s2, e2)] <= spans[(s, e)]}
    for span, ids in spans.items():
        short = tokens[span[0]].original if tokens and span[1] - span[0] == 1 else ""
        if short and any(h.condition_id in ids and h.end_token - h.start_token == 1
                         and short in tokens[h.start_token].original != short for h in answered):
            inner.add(span)
    if inner:
        ambiguous[:] = [h for h in ambiguous if (h.start_token, h.end_token) not in inner]


def drop_head_said_again(result: MatchResult) -> None:
    """A one-word ambiguous term that ends the name of an uncovered disease told before it names that disease again,
    as its sign ("benign hereditary chorea (NKX2-1 variant), 7yo, chorea since age 2": that chorea, not Sydenham
    chorea, whatever cue the message holds)."""
    if not result.uncovered_named or not result.ambiguous:
        return
    tokens = result.tokens
    ended: dict[str, int] = {}  # a multi-word uncovered name's last word: where its first such name ends
    for start, end in result.uncovered_named:
        if end - start > 1:
            word = tokens[end - 1].canonical
            ended[word] = min(end, ended.get(word, end))
    result.ambiguous[:] = [h for h in result.ambiguous if not (
        h.end_token - h.start_token == 1 and ended.get(tokens[h.start_token].canonical, len(tokens)) <= h.start_token)]
