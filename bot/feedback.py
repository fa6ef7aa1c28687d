"""Feedback on answers for every adapter: rate the last answer of a conversation, or a rateable answer by token."""

from __future__ import annotations

import dataclasses
import secrets
from dataclasses import dataclass
from enum import Enum

from bot.conversation import ConversationState
from bot.texts import CommandNames, Texts

MAX_RATEABLE_ANSWERS = 5_000  # answers whose buttons still work; the oldest are forgotten first
COMMENT_FORM_SECONDS = 30 * 60  # a 👎 form submitted later than this counts as abandoned
TOKEN_BYTES = 6  # 12 hex characters: unguessable enough, and short inside a Discord custom id
ABOUT_CHARS = 80


class Status(str, Enum):
    saved = "saved"
    not_saved = "not_saved"
    nothing_to_rate = "nothing_to_rate"
    too_old = "too_old"
    already = "already"


@dataclass(frozen=True)
class FeedbackResult:
    status: Status
    text: str
    record_id: int | None = None
    rating: str | None = None
    comment: str | None = None
    about: str | None = None

    @property
    def saved(self) -> bool:
        return self.status is Status.saved


class FeedbackDesk:
    """Saves ratings through the recorder; says thanks only once a record is committed. Never raises."""

    def __init__(self, texts: Texts, commands: CommandNames, recorder, adapter: str,
                 capacity: int = MAX_RATEABLE_ANSWERS):
        self.texts = texts
        self.commands = commands
        self.recorder = recorder
        self.adapter = adapter
        self.capacity = capacity

    def _say(self, key: str, **params) -> str:
        return self.texts.message(key, self.commands, **params)

    def _save(self, snapshot, rating: str, comment: str | None, user: str | None) -> int | None:
        if self.recorder is None:
            return None
        try:
            return self.recorder.record_feedback(snapshot, rating, comment, adapter=self.adapter, user_id=user)
        except Exception as exc:  # noqa: BLE001 - StorageError is reported by the recorder; anything else here
            report = getattr(self.recorder, "report", None)
            if report is not None and type(exc).__name__ != "StorageError":
                report(f"cannot save feedback ({type(exc).__name__}: {exc})")
            return None

    def rate_conversation(self, state: ConversationState, rating: str, comment: str | None,
                          user: str | None) -> FeedbackResult:
        """/good or /bad [comment]: the conversation's last answer, as its question was asked."""
        if state.answer is None:
            return FeedbackResult(Status.nothing_to_rate, self._say("feedback_nothing_to_rate"), rating=rating,
                                  comment=comment)
        from bot.storage import AnswerSnapshot

        snapshot = dataclasses.replace(AnswerSnapshot.of(state.answer), question=state.question)
        record_id = self._save(snapshot, rating, comment, user)
        about = state.question if len(state.question) <= ABOUT_CHARS else state.question[: ABOUT_CHARS - 1] + "…"
        if record_id is None:
            return FeedbackResult(Status.not_saved, self._say("feedback_not_saved"), rating=rating, comment=comment,
                                  about=state.question)
        said = f"{rating} (“{comment}”)" if comment else rating
        return FeedbackResult(Status.saved, self._say("feedback_saved", rating=said, about=about), record_id,
                              rating, comment, state.question)

    # --- by token: buttons under an answer, kept in the store (they work after a restart and in every shard) ----

    def keep(self, snapshot) -> str | None:
        """Remember an answer that may be rated; its token goes into the buttons. None: storage is unavailable
        (the answer then goes out without rating buttons)."""
        if self.recorder is None:
            return None
        try:
            for _attempt in range(5):
                token = secrets.token_hex(TOKEN_BYTES)  # random, so an old button never names a newer answer
                if self.recorder.keep_rateable(token, snapshot, self.capacity):
                    return token
        except Exception as exc:  # noqa: BLE001 - the answer matters more than its buttons
            self._trouble(exc)
        return None

    def check(self, token: str, user: str) -> Status | None:
        """None when `user` may rate the answer of `token`; else why not (too old, already rated, no storage)."""
        try:
            if self.recorder is None or self.recorder.rateable(token) is None:
                return Status.too_old
            return Status.already if self.recorder.rating_claimed(token, self.recorder.user_key(user)) else None
        except Exception as exc:  # noqa: BLE001
            self._trouble(exc)
            return Status.not_saved

    def open_form(self, token: str, user: str) -> None:
        """Note that `user` opened the 👎 form for `token`, so its submission is accepted after a restart too."""
        try:
            self.recorder.open_comment_form(token, self.recorder.user_key(user), self.capacity)
        except Exception as exc:  # noqa: BLE001 - the form still opens; its submission is checked again
            self._trouble(exc)

    def rate_token(self, token: str, rating: str, comment: str | None, user: str,
                   form: bool = False) -> FeedbackResult:
        """Save a rating of the answer of `token` (once per user, across processes); a 👎 form's comment with
        `form`. Never raises."""
        try:
            if self.recorder is None:
                return FeedbackResult(Status.too_old, self._say("feedback_too_old"))
            snapshot = self.recorder.rateable(token)
            if snapshot is None:
                return FeedbackResult(Status.too_old, self._say("feedback_too_old"))
            key = self.recorder.user_key(user)
            if form:
                self.recorder.take_comment_form(token, key, max_age=COMMENT_FORM_SECONDS)
            if not self.recorder.claim_rating(token, key):  # a double click, or a second shard, saves once
                return FeedbackResult(Status.already, self._say("feedback_already"))
        except Exception as exc:  # noqa: BLE001
            self._trouble(exc)
            return FeedbackResult(Status.not_saved, self._say("feedback_not_saved"), rating=rating, comment=comment)
        record_id = self._save(snapshot, rating, comment, user)
        if record_id is None:
            try:
                self.recorder.release_rating(token, key)  # nothing was saved: they may try again
            except Exception as exc:  # noqa: BLE001
                self._trouble(exc)
            return FeedbackResult(Status.not_saved, self._say("feedback_not_saved"), rating=rating, comment=comment)
        return FeedbackResult(Status.saved, self._say("feedback_saved_short"), record_id, rating, comment)

    def _trouble(self, exc: BaseException) -> None:
        report = getattr(self.recorder, "report", None)
        if report is not None and type(exc).__name__ != "StorageError":  # a StorageError is reported already
            report(f"rating buttons: {type(exc).__name__}: {exc}")
