"""The JSON line protocol: one question per input line, exactly one JSON object per line out, always valid UTF-8."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any, BinaryIO

from bot.present import page_text, pages_text
from bot.service import ChatService, Reply
from bot.texts import CommandNames

NAME = "json"
KEY = ("json", None, None)  # one stream, one conversation
COMMANDS = CommandNames(
    help="send /help", list="send /list", more="send /more", pick="send its number",
    rate="send /good or /bad [comment]",
    commands="Commands: /help, /list [specialty or direction], /more, /next, /prev, /sources, /about, /good, "
             "/bad [comment].",
)
# Characters that are valid in JSON strings but end a line for some consumers (JavaScript, Python's splitlines).
_LINE_BREAKERS = {"\u2028": "\\u2028", "\u2029": "\\u2029", "\u0085": "\\u0085"}


def decode_lines(stream: BinaryIO) -> Iterator[tuple[str, int]]:
    """Each input line as text and the number of bytes that were not UTF-8 (replaced by U+FFFD, never fatal)."""
    for raw in stream:
        line = raw.rstrip(b"\r\n")
        text = line.decode("utf-8", errors="replace")
        replaced = text.count("\ufffd") - line.decode("utf-8", errors="ignore").count("\ufffd")
        yield text, replaced


def dumps(payload: dict[str, Any]) -> str:
    text = json.dumps(payload, ensure_ascii=False)
    for char, escaped in _LINE_BREAKERS.items():
        text = text.replace(char, escaped)
    return text


def answer_payload(reply: Reply, question: str, service: ChatService) -> dict[str, Any]:
    """The contract's fields for any reply: an answer's structure with its texts, or a message as kind feedback
    (for /good and /bad) or help (an unknown command)."""
    if reply.answer is None or reply.presentation is None:
        return message_payload(reply, question, service)
    answer, presentation = reply.answer, reply.presentation
    payload = answer.model_dump(mode="json")
    details = presentation.details
    payload["text"] = (pages_text(presentation.pages) if answer.focus == "more"
                       else page_text(presentation.pages[reply.page]))
    payload["details_text"] = pages_text(details) if details else None
    payload["page"] = reply.page + 1
    payload["page_count"] = len(presentation.pages)
    payload["pages"] = [page_text(p) for p in presentation.pages]
    return payload


def message_payload(reply: Reply, question: str, service: ChatService) -> dict[str, Any]:
    feedback = reply.feedback
    payload: dict[str, Any] = {
        "question": question, "intent": "feedback" if feedback else "help", "kind": "feedback" if feedback else "help",
        "conditions": [], "suggestions": [], "citations": [], "listing": [], "filters": {},
        "message": reply.message, "focus": None, "notes": [], "disclaimer": service.core.disclaimer,
        "knowledge_version": service.core.kb.version, "last_reviewed": service.core.kb.last_reviewed.isoformat(),
        "not_found": [], "text": reply.message or "", "details_text": None, "page": 1, "page_count": 1,
        "pages": [reply.message or ""],
    }
    if feedback is not None:
        payload["feedback"] = {"saved": feedback.saved, "id": feedback.record_id, "rating": feedback.rating,
                               "comment": feedback.comment, "about": feedback.about}
    return payload


def run(service: ChatService, lines: Iterable[tuple[str, int]], out: BinaryIO, *, user: str | None) -> int:
    """Answer every line; a broken pipe or Ctrl-C ends the stream quietly (the caller maps them to exit codes)."""
    for text, replaced in lines:
        try:
            reply = service.handle_line(KEY, text, user=user)
            if reply.quit:  # a stream ends at its end; /quit is only acknowledged
                reply = Reply(message=service.say("goodbye"))
            payload = answer_payload(reply, text, service)
        except Exception as exc:  # noqa: BLE001 - one bad line never costs the stream; it still gets its object
            reply = Reply(message=service.say("apology") + f" ({type(exc).__name__})")
            payload = message_payload(reply, text, service)
        if replaced:
            payload["undecodable_sequences"] = replaced  # not UTF-8 there; U+FFFD stands in the question
        out.write(dumps(payload).encode("utf-8") + b"\n")
        out.flush()
    return 0
