"""Text normalisation shared by the matcher and the intent detector: one canonical form for both sides."""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass

MAX_QUESTION_CHARS = 2000

# Discord user, role and channel mentions (<@123>, <@!123>, <@&123>, <#123>) and custom emoji (<:name:123>).
_DISCORD_TOKEN = re.compile(r"<(?:@[!&]?|#)\d+>|<a?:\w+:\d+>")
_POSSESSIVE = re.compile(r"(?<=\w)['’`]s\b")
_TOKEN = re.compile(r"[A-Za-z0-9]+")
# British -ise spellings fold into -ize (necrotising/necrotizing, desensitisation/desensitization).
_ISE = re.compile(r"(?<=[a-z]{3})is(e|ed|es|ing|ation|ations)$")
# The digraphs ae/oe fold to e (haem/hem, oedema/edema), but not an English "oe" at a word's end: "does" would
# become "des" and read as DES syndrome, "goes" as "ges", "poems" as "pems" (and "POMES" would be no slip of it);
# nor an "oe" after "i", where two parts of a word meet ("angioedema", "cranioectodermal"), so that "angio-oedema"
# joins to the same word.
_DIGRAPH = re.compile(r"ae|(?<!i)oe(?!(?:s|sn|d|r|rs|m|ms)?$)")
# The ASCII characters of Unicode category Cc (C0 controls and DEL), each read as a space, as `clean` does.
_ASCII_CONTROLS = {code: " " for code in [*range(0x20), 0x7F]}


def clean(text: str, limit: int = MAX_QUESTION_CHARS) -> tuple[str, bool]:
    """NFKC, drop control and zero-width characters and Discord mention tokens, fold spaces, cap length."""
    text = text or ""
    if text.isascii():  # nearly every question: NFKC changes nothing, no format character, the controls are known
        text = _DISCORD_TOKEN.sub(" ", text).translate(_ASCII_CONTROLS)
    else:
        text = unicodedata.normalize("NFKC", text)
        text = _DISCORD_TOKEN.sub(" ", text)
        text = "".join(
            " " if unicodedata.category(ch) in {"Cc", "Zl", "Zp"} else ch
            for ch in text
            if unicodedata.category(ch) != "Cf"  # zero-width joiners, bidi marks, BOM
        )
    text = " ".join(text.split())
    truncated = len(text) > limit
    return (text[:limit], truncated)


_LIGATURES = {"œ": "e", "Œ": "E", "æ": "e", "Æ": "E"}  # one letter for one, as canonical_word folds oe/ae to e


def _base_letter(ch: str) -> str:
    if ch in _LIGATURES:
        return _LIGATURES[ch]
    stripped = "".join(c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c))
    return stripped if len(stripped) == 1 else ch


def strip_accents(text: str) -> str:
    """Drop accents one character at a time, so character positions stay those of the input."""
    if text.isascii():  # nearly every name and question: nothing to strip, and no walk over its characters
        return text
    return "".join(ch if ch.isascii() else _base_letter(ch) for ch in text)


# As notes write it, in lower case ("encephalopathy w autoimmune thyroiditis", "w/"); a capital is a letter that
# names a type ("Fanconi anemia complementation group W"). "hep B", "Hep C": hepatitis, which the bot does not cover.
# "antiphospholipid synd": a syndrome, as the Disease Ontology itself writes one ("Stein-Leventhal synd.").
_SHORTHAND = {"w": "with", "hep": "hepatitis", "Hep": "hepatitis", "synd": "syndrome", "Synd": "syndrome"}


def canonical_word(word: str) -> str:
    """Lower-case, with British digraphs folded (haem/hem, oedema/edema, foetal/fetal), -ise as -ize, and a note's
    shorthand written out ("w" is "with")."""
    if word in _SHORTHAND:
        return _SHORTHAND[word]
    word = word.lower()
    if "ae" in word or "oe" in word:  # most words have neither: no regex for them
        word = _DIGRAPH.sub("e", word)
    return _ISE.sub(lambda m: "iz" + m.group(1), word) if "is" in word else word  # no "is": nothing to fold


@dataclass(frozen=True)
class Token:
    original: str  # accents stripped, case kept: abbreviation case rules look at this
    canonical: str
    start: int  # character span in the cleaned text
    end: int


def tokenize(text: str) -> list[Token]:
    plain = _POSSESSIVE.sub(lambda m: " " * len(m.group()), strip_accents(text))  # spans stay those of `text`
    return [Token(m.group(), canonical_word(m.group()), m.start(), m.end()) for m in _TOKEN.finditer(plain)]


def name_keys(text: str, canonical: dict[str, str]) -> tuple[str, tuple[str, ...]]:
    """`case_key(text)` and `canonical_phrase(text)` at once, as tokenize reads them but without its Token objects.
    `canonical` (word as written -> canonical word) is filled as it goes: the hundreds of thousands of names of a
    large base repeat a few thousand words, each folded once and then held as one shared string."""
    plain = text if text.isascii() else strip_accents(text)
    if "s" in plain and ("'" in plain or "’" in plain or "`" in plain):  # most names have no possessive
        plain = _POSSESSIVE.sub(lambda m: " " * len(m.group()), plain)
    written = _TOKEN.findall(plain)
    try:  # every word folded before: one look-up each, in C
        return "".join(written), tuple(map(canonical.__getitem__, written))
    except KeyError:
        for word in written:
            if word not in canonical:
                canonical[word] = sys.intern(canonical_word(word))
        return "".join(written), tuple(map(canonical.__getitem__, written))


def canonical_phrase(text: str) -> tuple[str, ...]:
    return tuple(token.canonical for token in tokenize(text))


def case_key(text: str) -> str:
    """The letters and digits of a term with its case kept, e.g. "MIS-C" -> "MISC"."""
    return "".join(token.original for token in tokenize(text))


def capitalised(token) -> bool:
    """Written with more than one capital: an abbreviation or a name ("EAN", "PNS"), not a word at a sentence start."""
    return sum(map(str.isupper, token.original)) > 1


def plural_capitals(word: str) -> bool:
    """An abbreviation in capitals with a plural "s" ("RRTIs", "PIDs")."""
    return len(word) > 3 and word[-1] == "s" and word[:-1].isupper() and word[:-1].isalnum()
