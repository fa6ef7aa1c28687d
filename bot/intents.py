"""Intent definitions as versioned YAML data, and the phrase detector that reads them."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from bot.knowledge import DataError, is_present, parse_model
from bot.schema import Direction, StrictModel
from bot.paths import intents_dir
from bot.phrases import lengths_of, runs_of
from bot.text import canonical_phrase

EVIDENCE = "evidence"
REQUIRED_INTENTS = frozenset({"help", "about", "list_conditions", "sources", "out_of_scope", "greeting", EVIDENCE})
MAX_WHOLE_MESSAGE_WORDS = 8  # longer messages are questions, not a string of acknowledgements
FOCI = ("patients", "design", "sources", "more")  # at equal phrase length, the first wins


class IntentDefinition(StrictModel):
    name: str = Field(pattern=r"^[a-z_]+$")
    description: str
    needs_no_condition: bool = False
    whole_message: list[str] = Field(default_factory=list)
    phrases: list[str] = Field(default_factory=list)
    # Its phrases count only in a message of at most this many words: a case described at length that mentions
    # "normal motor studies" asks about the patient, not for the bot's sources.
    max_words: int | None = Field(default=None, ge=1)
    # Answered with this text of responses.yaml, with no code: an intent that is only data. Without it, the core
    # must have a handler of the intent's name (checked when loading).
    response: str | None = Field(default=None, pattern=r"^[a-z_]+$")


class ConversationWords(StrictModel):
    """Single words that shape a short message sent after an answer (intents.yaml explains each list)."""

    topic_after: list[str] = Field(min_length=1)
    continues: list[str] = Field(min_length=1)
    switches: list[str] = Field(default_factory=list)
    plain: list[str] = Field(min_length=1)
    refers_back: list[str] = Field(min_length=1)
    affirm: list[str] = Field(default_factory=list)
    every: list[str] = Field(default_factory=list)
    numbered: list[str] = Field(default_factory=list)
    softeners: list[str] = Field(default_factory=list)
    relative: list[str] = Field(default_factory=list)

    @field_validator("topic_after", "continues", "switches", "plain", "refers_back", "affirm", "every", "numbered", "softeners",
                     "relative")
    @classmethod
    def _one_word_each(cls, words: list[str]) -> list[str]:
        for word in words:
            if len(canonical_phrase(word)) != 1:
                raise ValueError(f"{word!r} is not one word")
        return words


class IntentsFile(StrictModel):
    schema_version: Literal[1]
    intents: list[IntentDefinition] = Field(min_length=1)
    directions: dict[Direction, list[str]] = Field(default_factory=dict)
    specialties: dict[str, list[str]] = Field(default_factory=dict)  # other words for a specialty ("neuro")
    follow_ups: dict[Literal["patients", "design", "sources", "more", "compare"], list[str]] = Field(default_factory=dict)
    conversation: ConversationWords


@dataclass(frozen=True)
class ReplyWords:
    """Words of a reply to "did you mean" that pick by position, not by name (intents.yaml `conversation`)."""

    affirm: frozenset[str] = frozenset()  # "yes", "that one": the one candidate offered
    every: frozenset[str] = frozenset()  # "both", "all of them": every candidate offered
    numbered: frozenset[str] = frozenset()  # "option 2": a number after one of these picks that candidate


@dataclass(frozen=True)
class Intents:
    definitions: tuple[IntentDefinition, ...]
    phrases: dict[str, tuple[tuple[str, ...], ...]]
    whole_messages: dict[str, frozenset[tuple[str, ...]]]
    direction_phrases: tuple[tuple[tuple[str, ...], Direction], ...]  # longest phrase first
    follow_up_phrases: dict[str, tuple[tuple[str, ...], ...]]
    topic_after: frozenset[str] = frozenset()  # "any trial in t1dm?": the words after the last of these
    continues: frozenset[str] = frozenset()  # "and copd?": a message opening with one goes on from the answer
    conversation_plain: frozenset[str] = frozenset()  # "that", "version", "setting": words of a follow-up
    switches: frozenset[str] = frozenset()  # "same for MMP": words around a term that switch to it after an answer
    refers_back: frozenset[str] = frozenset()  # "was it placebo controlled": words pointing at the last answer
    relative: frozenset[str] = frozenset()  # "that", "which": what follows tells of the disease named before
    replies: ReplyWords = ReplyWords()  # "yes", "both", "option 2": replies to "did you mean"
    specialty_phrases: tuple[tuple[tuple[str, ...], str], ...] = ()  # ("neuro",) -> "neurology"
    softeners: frozenset[str] = frozenset()  # "that", "really": words between thanks phrases ("that's really helpful")
    # Derived from the fields above, once: each intent's and follow-up's phrases as a set, every phrase length.
    _intent_sets: dict[str, frozenset[tuple[str, ...]]] = field(init=False, repr=False, compare=False)
    _follow_up_sets: dict[str, frozenset[tuple[str, ...]]] = field(init=False, repr=False, compare=False)
    _lengths: tuple[int, ...] = field(init=False, repr=False, compare=False)
    _whole_phrase: dict[tuple[str, ...], str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        every = [*(p for ps in self.phrases.values() for p in ps), *(p for p, _ in self.direction_phrases),
                 *(p for ps in self.follow_up_phrases.values() for p in ps)]
        object.__setattr__(self, "_intent_sets", {name: frozenset(ps) for name, ps in self.phrases.items()})
        object.__setattr__(self, "_follow_up_sets", {k: frozenset(ps) for k, ps in self.follow_up_phrases.items()})
        object.__setattr__(self, "_lengths", lengths_of(every))
        whole = {}
        for definition in self.definitions:  # a phrase of two intents belongs to the first, as in `detect`
            for phrase in self.whole_messages.get(definition.name, ()):
                whole.setdefault(phrase, definition.name)
        object.__setattr__(self, "_whole_phrase", whole)

    def _runs(self, words: tuple[str, ...]) -> set[tuple[str, ...]]:
        return runs_of(words, self._lengths)

    def detect(self, words: tuple[str, ...], condition_named: bool) -> str:
        """The first intent (in file order) with a phrase in `words`; evidence when a condition is named."""
        runs = self._runs(words)
        for definition in self.definitions:
            if definition.name == EVIDENCE or (definition.needs_no_condition and condition_named):
                continue
            if words in self.whole_messages[definition.name]:
                return definition.name
            if definition.max_words is not None and len(words) > definition.max_words:
                continue
            if not self._intent_sets[definition.name].isdisjoint(runs):
                return definition.name
        return EVIDENCE

    def whole_message(self, words: tuple[str, ...]) -> str | None:
        """The intent of a message that is one whole-message phrase ("hello again", "thanks"), or a few in a row
        ("brilliant cheers", "ok great thanks"; the last one says which: "ok bye" is goodbye), with softeners
        between or around them ("that's really helpful", "ta, that's all for now"), else None."""
        found = self._whole_phrase.get(words)  # one phrase; of two intents, the first's (as the files order them)
        if found is not None or not words or len(words) > MAX_WHOLE_MESSAGE_WORDS:
            return found
        last: dict[int, str | None] = {0: None}  # where a run of phrases can end: the intent of its last phrase
        for start in range(len(words)):
            if start in last:
                for end in range(start + 1, len(words) + 1):
                    name = self._whole_phrase.get(words[start:end])
                    if name is not None and last.get(end) is None:  # the longer phrase ending here says which
                        last[end] = name  # ("that's all for now": "that all" is goodbye, not "all", the list)
                if words[start] in self.softeners:  # passed over; the intent so far stands
                    last.setdefault(start + 1, last[start])
        return last.get(len(words))

    def direction(self, words: tuple[str, ...]) -> Direction | None:
        runs = self._runs(words)
        for phrase, direction in self.direction_phrases:
            if phrase in runs:
                return direction
        return None

    def follow_up(self, words: tuple[str, ...]) -> str | None:
        """The focus of a follow-up ("patients", "design", "sources", "more"), or None: the one with the longest
        phrase in `words` ("tell me more about that trial" asks for more, not for the design)."""
        runs = self._runs(words)
        longest = {focus: max(map(len, runs & self._follow_up_sets.get(focus, frozenset())), default=0)
                   for focus in FOCI}
        best = max(FOCI, key=lambda focus: longest[focus])  # max keeps the first of equals
        return best if longest[best] else None

    def response_of(self, name: str) -> str | None:
        return next((d.response for d in self.definitions if d.name == name), None)

    def responses(self) -> frozenset[str]:
        """The texts of responses.yaml that data-only intents answer with."""
        return frozenset(d.response for d in self.definitions if d.response)

    def plain_words(self) -> frozenset[str]:
        """Every word of every phrase here: the words a question may hold besides the name of a disease."""
        phrases = [p for ps in self.phrases.values() for p in ps]
        phrases += [p for ps in self.whole_messages.values() for p in ps]
        phrases += [p for p, _ in self.direction_phrases]
        phrases += [p for ps in self.follow_up_phrases.values() for p in ps]
        return frozenset(w for p in phrases for w in p)

    def compares(self, words: tuple[str, ...]) -> bool:
        return not self._follow_up_sets.get("compare", frozenset()).isdisjoint(self._runs(words))


def load_intents(directory: Path | None = None, handled: frozenset[str] = REQUIRED_INTENTS) -> Intents:
    """Load intents.yaml; every intent needs a handler in `handled` or a `response` text (else DataError)."""
    path = (Path(directory) if directory else intents_dir()) / "intents.yaml"
    problems: list[str] = []
    parsed = parse_model(IntentsFile, path, problems) if is_present(path) else None
    if not is_present(path):  # a FIFO or a device is read, and reported as not a regular file
        problems.append(f"{path}: file not found")
    if parsed is not None:
        names = [d.name for d in parsed.intents]
        for name in sorted(REQUIRED_INTENTS - set(names)):
            problems.append(f"{path}: intents: the {name!r} intent is missing")
        for name in sorted({n for n in names if names.count(n) > 1}):
            problems.append(f"{path}: intents: {name!r} is defined more than once")
        for index, definition in enumerate(parsed.intents):
            if definition.name not in handled and definition.response is None:
                problems.append(f"{path}: intents[{index}].name: {definition.name!r} has no handler in the code "
                                f"(those are: {', '.join(sorted(handled))}); give it a `response:` text instead")
    if problems:
        raise DataError(problems)
    pairs = [(canonical_phrase(p), d) for d, ps in parsed.directions.items() for p in ps]
    return Intents(
        definitions=tuple(parsed.intents),
        phrases={d.name: tuple(canonical_phrase(p) for p in d.phrases) for d in parsed.intents},
        whole_messages={d.name: frozenset(canonical_phrase(p) for p in d.whole_message) for d in parsed.intents},
        direction_phrases=tuple(sorted(pairs, key=lambda pair: -len(pair[0]))),
        follow_up_phrases={k: tuple(canonical_phrase(p) for p in ps) for k, ps in parsed.follow_ups.items()},
        topic_after=_words(parsed.conversation.topic_after),
        continues=_words(parsed.conversation.continues),
        conversation_plain=_words(parsed.conversation.plain),
        switches=_words(parsed.conversation.switches),
        refers_back=_words(parsed.conversation.refers_back),
        relative=_words(parsed.conversation.relative),
        replies=ReplyWords(_words(parsed.conversation.affirm), _words(parsed.conversation.every),
                           _words(parsed.conversation.numbered)),
        softeners=_words(parsed.conversation.softeners),
        specialty_phrases=tuple((canonical_phrase(p), name) for name, ps in parsed.specialties.items() for p in ps),
    )


def _words(words: list[str]) -> frozenset[str]:
    return frozenset(canonical_phrase(word)[0] for word in words)
