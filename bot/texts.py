"""Response texts as data (intents/responses.yaml): loaded and checked once, filled in with each adapter's words."""

from __future__ import annotations

import string
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, Mapping

from pydantic import Field

from bot.knowledge import DataError, is_present, parse_model
from bot.paths import intents_dir
from bot.schema import StrictModel

RESPONSES_FILE = "responses.yaml"

# Every text the code asks for, with the placeholders the code fills in; `cmd.*` ones come from the adapter.
MESSAGE_PARAMS: dict[str, frozenset[str]] = {
    key: frozenset(params.split()) for key, params in {
        "empty": "", "greeting": "", "thanks": "", "goodbye": "", "help": "",
        "about": "conditions specialties disclaimer reviewed",
        "sources": "conditions works",
        "out_of_scope": "", "out_of_scope_with_condition": "", "out_of_scope_alone": "",
        "not_found": "conditions", "not_found_named": "names conditions", "not_understood": "",
        "truncated": "limit", "blocked": "words name", "subtype": "subtype name",
        "read_with_note": "words name because others", "read_as_sequel": "words name because others",
        "read_as_form": "words name", "read_as_sibling": "words name previous",
        "clarify": "names", "clarify_uncovered": "names others",
        "clarify_reason_ambiguous": "words name", "clarify_reason_typo": "words alias", "clarify_reason_offered": "",
        "clarify_reason_antibody": "words", "clarify_reason_told": "words", "clarify_reason_form": "words name",
        "follow_up_without_answer": "", "nothing_more": "names",
        "list": "count described", "list_empty": "described", "list_no_specialty": "specialty specialties",
        "compare": "count",
        "feedback_saved": "rating about", "feedback_saved_short": "", "feedback_not_saved": "",
        "feedback_nothing_to_rate": "", "feedback_too_old": "", "feedback_already": "",
        "unknown_command": "command", "gone_condition": "", "apology": "",
        "cooldown": "wait rate per", "channel_busy": "wait rate per",
        "not_your_pages": "", "pages_expired": "",
    }.items()
}
LABEL_PARAMS: dict[str, frozenset[str]] = {
    key: frozenset(params.split()) for key, params in {
        "disclaimer": "", "reviewed": "date", "references": "", "findings": "", "details_hint": "",
        "patients": "count", "patients_plural": "count", "unverified": "", "unverified_long": "", "superseded": "",
        "page": "page pages", "read_as": "words name", "read_from_antibody": "words name", "disagree": "sides", "differ": "sides",
        "thin": "name basis", "basis_case_report": "", "basis_case_reports": "", "basis_combined_case_report": "",
        "basis_book_statement": "", "basis_unpublished_trial": "",
        "focus_patients": "name counts", "focus_patients_none": "name", "focus_patients_some": "",
        "focus_design": "name designs", "focus_sources": "name",
        "compare_line": "name verdict strongest cites", "list_only": "subgroups", "subgroup": "subgroup",
        "population": "text", "figures": "text", "caveat": "text", "grade": "grade", "comparator": "comparator",
        "read_in": "url", "not_answered": "", "list_effective": "", "list_possibly_effective": "",
        "list_not_effective": "", "list_not_recommended": "", "list_unproven": "", "list_mixed": "",
        "list_in": "specialty", "list_one_finding": "overall",
    }.items()
}


@dataclass(frozen=True)
class CommandNames:
    """How users of one adapter do things, as phrases the texts slot in ("type /list", "use /ivig-list")."""

    help: str
    list: str
    more: str
    pick: str
    rate: str
    commands: str

    @staticmethod
    def fields() -> frozenset[str]:
        return frozenset(f"cmd.{name}" for name in CommandNames.__dataclass_fields__)


class ResponsesFile(StrictModel):
    schema_version: Literal[1]
    messages: dict[str, str] = Field(min_length=1)
    labels: dict[str, str] = Field(default_factory=dict)


def placeholders(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


class _Commands:
    """`{cmd.list}` in a template: attribute access on this object."""

    def __init__(self, names: CommandNames):
        self._names = names

    def __getattr__(self, name: str) -> str:
        return getattr(self._names, name)


@dataclass(frozen=True)
class Texts:
    messages: Mapping[str, str]
    labels: Mapping[str, str]

    def message(self, key: str, commands: CommandNames, **params) -> str:
        return " ".join(self.messages[key].format(cmd=_Commands(commands), **params).split())

    def label(self, key: str, commands: CommandNames | None = None, **params) -> str:
        extra = {"cmd": _Commands(commands)} if commands is not None else {}
        return self.labels[key].format(**extra, **params)

    def patients(self, count: int) -> str:
        return self.label("patients" if count == 1 else "patients_plural", count=f"{count:,}")


def load_texts(directory: Path | None = None, extra_messages: Mapping[str, frozenset[str]] | None = None) -> Texts:
    """Load responses.yaml; every text the code (and `extra_messages`, e.g. intents' responses) needs must be there,
    using only its own placeholders. Raises DataError with file and field."""
    path = (Path(directory) if directory else intents_dir()) / RESPONSES_FILE
    problems: list[str] = []
    if not is_present(path):  # a FIFO or a device is read, and reported as not a regular file
        raise DataError([f"{path}: file not found"])
    parsed = parse_model(ResponsesFile, path, problems)
    if parsed is None:
        raise DataError(problems)
    needed = {"messages": {**MESSAGE_PARAMS, **(extra_messages or {})}, "labels": LABEL_PARAMS}
    for section, required in needed.items():
        given: dict[str, str] = getattr(parsed, section)
        for key in sorted(set(required) - set(given)):
            problems.append(f"{path}: {section}.{key}: missing (the code asks for this text)")
        for key, template in given.items():
            try:
                used = placeholders(template)
            except ValueError as exc:
                problems.append(f"{path}: {section}.{key}: not a valid template ({exc})")
                continue
            allowed = required.get(key, frozenset()) | CommandNames.fields()
            for name in sorted(used - allowed):
                problems.append(f"{path}: {section}.{key}: unknown placeholder {{{name}}}"
                                + (f" (allowed: {', '.join(sorted(allowed))})" if required.get(key) else ""))
    if problems:
        raise DataError(problems)
    return Texts(messages=dict(parsed.messages), labels=dict(parsed.labels))
