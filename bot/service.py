"""The chat service every adapter shares: commands, picks, pages, follow-ups, feedback, limits and logging.

Adapters translate their events into calls here and render the `Reply` they get back; nothing here knows a
terminal or Discord. Thread-safe: the Discord adapter calls it from worker threads.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass

from bot.completion import Completion, NameIndex
from bot.conversation import ConversationState, Conversations
from bot.core import AnswerCore
from bot.feedback import FeedbackDesk, FeedbackResult
from bot.limits import RateLimits, Refusal
from bot.models import Answer, AnswerKind, Question
from bot.present import Presentation, present
from bot.schema import Direction
from bot.settings import Settings
from bot.text import canonical_phrase
from bot.texts import CommandNames

QUIT = frozenset({"/quit", "/exit", "/q"})
INTENT_COMMANDS = {"/help": "help", "/about": "about", "/sources": "sources"}
LIST_COMMANDS = frozenset({"/list"})
MORE_COMMANDS = frozenset({"/more", "/details"})
PAGE_COMMANDS = {"/next": 1, "/prev": -1, "/previous": -1}
FEEDBACK_COMMANDS = {"/good": "good", "/bad": "bad"}


@dataclass
class Reply:
    """What an adapter renders: an answer's presentation (at `page`), or a plain message."""

    answer: Answer | None = None
    presentation: Presentation | None = None
    page: int = 0
    message: str | None = None  # feedback replies, refusals, unknown commands
    feedback: FeedbackResult | None = None
    refusal: Refusal | None = None
    quit: bool = False

    @property
    def pages(self) -> int:
        return len(self.presentation.pages) if self.presentation else 0


class ChatService:
    def __init__(self, core: AnswerCore, settings: Settings, *, adapter: str, commands: CommandNames,
                 recorder=None, limits: RateLimits | None = None, clock: Callable[[], float] = time.monotonic):
        self.core = core
        self.adapter = adapter  # "repl", "json", "ask", "discord": recorded with feedback and the unanswered log
        self.commands = commands
        self.recorder = recorder
        self.limits = limits
        self.conversations = Conversations(settings.ivig_context_idle_seconds, clock,
                                           settings.ivig_max_conversations)
        self._names: NameIndex | None = None  # built on first use: `--ask` and most questions never complete
        self.feedback = FeedbackDesk(core.texts, commands, recorder, adapter)

    def reload(self, core: AnswerCore) -> None:
        """Answer from a newly loaded knowledge base (an admin's reload); a question in flight ends on the old one."""
        names = NameIndex(core.kb) if self._names is not None else None  # built before the switch if in use
        feedback = FeedbackDesk(core.texts, self.commands, self.recorder, self.adapter)
        self.core, self._names, self.feedback = core, names, feedback

    @property
    def names(self) -> NameIndex:
        """The autocomplete index of the current knowledge base, built the first time it is needed."""
        names = self._names
        if names is None or names.kb is not self.core.kb:  # a reload in another thread may have just switched
            names = self._names = NameIndex(self.core.kb)
        return names

    @property
    def texts(self):
        return self.core.texts

    def say(self, key: str, **params) -> str:
        return self.texts.message(key, self.commands, **params)

    # --- questions --------------------------------------------------------------------------------------

    def ask(self, key: Hashable, question: Question | str, *, user: str | None = None,
            channel: Hashable | None = None) -> Reply:
        """Answer within conversation `key`. With limits, a new question (not a follow-up of a live conversation,
        nor a pick) counts against `user` and `channel`; past a limit the reply is a refusal instead."""
        question = Question(text=question) if isinstance(question, str) else question
        state = self.conversations.get(key)
        question = question.model_copy(update={"previous_condition_ids": state.condition_ids,
                                               "offered_ids": state.offered_ids})
        answer = self.core.answer(question)
        counted = not (question.condition_ids or answer.intent == "follow_up" or answer.focus)
        if self.limits is not None and counted and user is not None:
            refusal = self.limits.refusal(user, channel)
            if refusal is not None:
                return Reply(refusal=refusal, message=self.say(refusal.key, **refusal.params()))
        if self.recorder is not None:
            try:  # queued; bot.storage.Recorder never raises, and no other recorder may cost the answer either
                self.recorder.record_unanswered(answer, adapter=self.adapter, user_id=user)
            except Exception as exc:  # noqa: BLE001
                report = getattr(self.recorder, "report", None)
                if report is not None:
                    report(f"cannot log an unanswered question ({type(exc).__name__})")
        presentation = present(answer, self.texts, self.commands)
        self._remember(key, state, question, answer, presentation)
        return Reply(answer=answer, presentation=presentation)

    def _remember(self, key, state: ConversationState, question: Question, answer: Answer,
                  presentation: Presentation) -> None:
        if answer.kind is AnswerKind.empty:
            return
        picked = [c.name for c in answer.conditions] if question.condition_ids else []
        offered = tuple(line.pick for page in presentation.pages for line in page.picks())
        topic = tuple(c.id for c in answer.conditions) or state.condition_ids  # a greeting keeps the topic
        if answer.kind is AnswerKind.clarify and offered:
            # A question asked back leaves the last answer behind: "how many patients?" next is about the one
            # condition offered, if one was, and never about the condition answered before ("crohns ... fine, RA
            # then" -> "did you mean rheumatoid arthritis?" -> "how many pts in those").
            topic = offered if len(offered) == 1 else ()
        state = dataclasses.replace(
            state,
            condition_ids=topic,
            offered_ids=offered,
            answer=answer,
            question=f"{state.question} -> {question.text} ({', '.join(picked)})" if picked and state.question
            else answer.question,
            presentation=presentation,
            page=0,
        )
        self.conversations.put(key, state)

    def pick(self, key: Hashable, number: int, *, user: str | None = None) -> Reply | None:
        """The `number`th candidate of the last "did you mean" or comparison; None when there is no such one."""
        offered = self.conversations.get(key).offered_ids
        if not 1 <= number <= len(offered):
            return None
        return self.ask(key, Question(text=str(number), condition_ids=(offered[number - 1],)), user=user)

    def choose(self, key: Hashable, condition_id: str, *, user: str | None = None) -> Reply | None:
        """A button for one condition; None when the knowledge base no longer has it."""
        condition = self.core.kb.conditions.get(condition_id)
        if condition is None:
            return None
        return self.ask(key, Question(text=condition.name, condition_ids=(condition_id,)), user=user)

    def turn_page(self, key: Hashable, delta: int) -> Reply | None:
        state = self.conversations.get(key)
        if state.presentation is None or len(state.presentation.pages) < 2:
            return None
        page = min(max(state.page + delta, 0), len(state.presentation.pages) - 1)
        self.conversations.put(key, dataclasses.replace(state, page=page))
        return Reply(answer=state.answer, presentation=state.presentation, page=page)

    def last(self, key: Hashable) -> ConversationState:
        return self.conversations.get(key)

    # --- text commands (the REPL and the JSON line protocol share this syntax) ------------------------------

    def handle_line(self, key: Hashable, line: str, *, user: str | None = None) -> Reply:
        """One typed line: a command (/help, /list x, /more, /next, /good ...), a number picking a candidate, or
        a question."""
        stripped = line.strip()
        command, _, argument = stripped.partition(" ")
        command = command.lower()
        if command in QUIT:
            return Reply(quit=True)
        if command in FEEDBACK_COMMANDS:
            result = self.feedback.rate_conversation(self.conversations.get(key), FEEDBACK_COMMANDS[command],
                                                     " ".join(argument.split()) or None, user)
            return Reply(message=result.text, feedback=result)
        if command in INTENT_COMMANDS:
            return self.ask(key, Question(text=stripped, intent=INTENT_COMMANDS[command]), user=user)
        if command in LIST_COMMANDS:
            return self.ask(key, self.list_question(argument, stripped), user=user)
        if command in MORE_COMMANDS:
            return self.ask(key, Question(text=stripped, focus="more"), user=user)
        if command in PAGE_COMMANDS:
            return self.turn_page(key, PAGE_COMMANDS[command]) or self.ask(key, Question(text=stripped,
                                                                                          focus="more"), user=user)
        if stripped.startswith("/"):
            return Reply(message=self.say("unknown_command", command=command))
        if stripped.isascii() and stripped.isdigit() and len(stripped) <= 4:  # a pick; int() of 5,000 digits raises
            picked = self.pick(key, int(stripped), user=user)
            if picked is not None:
                return picked
        return self.ask(key, line, user=user)

    def list_question(self, argument: str, text: str | None = None) -> Question:
        """A list command's argument, whatever the adapter: a direction (by value, label or phrase) or a
        specialty; both may be given ("neurology not effective")."""
        words = " ".join(argument.split())
        text = text or f"/list {words}".strip()
        if not words:
            return Question(text=text, intent="list_conditions")
        specialty, direction = self.core.lister.filters(canonical_phrase(words))
        value = words.lower().replace(" ", "_")
        direction = direction or next((d for d in Direction if value == d.value), None)
        if specialty is None and direction is None:
            specialty = words.lower()  # the core explains that there is no such specialty
        return Question(text=text, intent="list_conditions", specialty=specialty, direction=direction)

    # --- completion -------------------------------------------------------------------------------------

    def complete(self, typed: str, limit: int = 25) -> list[Completion]:
        return self.names.complete(typed, limit)
