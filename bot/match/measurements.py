"""A term typed as what was measured ("BP 190/110", "BP fine", "P/F 110") names a measurement, not a disease."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from bot.match.studies import capitalised

if TYPE_CHECKING:
    from bot.match.result import MatchResult

# "BP 190/110": a reading typed right after a term in capitals makes it the measurement ("BP" is blood pressure).
READING = re.compile(r"\s*[0-9]{2,3}/[0-9]{2,3}\b")
# "P/F 110": letters on both sides of a slash, then a number, are a ratio and its value (PaO2 over FiO2), whatever
# disease the letters joined would abbreviate ("PF").
RATIO = re.compile(r"[A-Za-z]{1,4}/[A-Za-z]{1,4}")
VALUE = re.compile(r"\s*(?:of\s+|=\s*|:\s*)?[0-9]")
# "sats 89% on RA": a term in capitals right after a percentage and "on" is what the reading was taken on (room air).
TAKEN_ON = re.compile(r"[0-9]\s*%\s*on\s+$")


def drop_measurements(result: "MatchResult", text: str, measured: frozenset[str] = frozenset()) -> None:
    """A term asked back about, typed in capitals right before a reading ("BP 140/95") or a word of `measured` with
    only a space between ("BP fine", "C3 low"), or a ratio typed with its slash right before its value ("P/F 110"),
    names what was measured, not a disease, as one typed in capitals after a percentage and "on" ("89% on RA")
    names what it was measured on; its words stay claimed, so no other reading takes them."""
    tokens = result.tokens

    def measures(start: int, end: int) -> bool:
        if _ratio_value(result, start, end, text):
            return True
        if not all(map(capitalised, tokens[start:end])):
            return False
        return bool(READING.match(text, tokens[end - 1].end) or (
            end < len(tokens) and tokens[end].canonical in measured
            # right after it: "PID - low IgG and IgA" tells the disease, then a reading of something else
            and text[tokens[end - 1].end:tokens[end].start].isspace())
            or TAKEN_ON.search(text, 0, tokens[start].start))

    result.ambiguous[:] = [h for h in result.ambiguous if not measures(h.start_token, h.end_token)]


def _ratio_value(result: "MatchResult", start: int, end: int, text: str) -> bool:
    tokens = result.tokens
    typed = text[tokens[start].start:tokens[end - 1].end]
    return RATIO.fullmatch(typed) is not None and VALUE.match(text, tokens[end - 1].end) is not None
