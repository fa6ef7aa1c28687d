"""Replies to "did you mean": which of the offered candidates a short reply picks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.match.cues import Cues
from bot.match.lexicon import FILLER, Lexicon
from bot.match.resolve import context_groups
from bot.text import canonical_phrase, canonical_word

if TYPE_CHECKING:
    from bot.intents import ReplyWords

ORDINALS = {"first": 0, "1st": 0, "one": 0, "second": 1, "2nd": 1, "two": 1, "third": 2, "3rd": 2, "three": 2,
            "fourth": 3, "4th": 3, "four": 3, "last": -1}
MAX_REPLY_WORDS = 12  # a reply to "did you mean" is short ("pt is a 34 yo woman, plt 12 with gum bleeding")


def reply_choice(text: str, offered: tuple[str, ...], lexicon: Lexicon, cues: Cues,
                 negations: frozenset[str] = frozenset(), specialties: dict[str, str] | None = None,
                 replies: "ReplyWords | None" = None, features: tuple[str, ...] = (),
                 names_only: bool = False, generic: frozenset[str] = FILLER,
                 cue_negations: frozenset[str] = frozenset()) -> tuple[str, ...] | None:
    """The candidates a short reply to "did you mean" picks: "the second one", "option 2", "adults", "atopic", "in
    newborns", its specialty ("the neuro one", "the dermatological one": a word of four letters or more that begins
    the specialty's name, or begins as it does), "yes" when one was offered, "both" or "all of them".
    `features`: uncovered disease names the reply holds; each must be a cue word of a candidate, a feature
    ("drowsy with ophthalmoplegia"), or a term's other meaning a candidate's name brings out ("GBS" beside "sepsis"),
    else the reply names another disease and picks nothing ("adults with TTP").
    `names_only`: the reply offers other conditions too; only the words of a candidate's names count.
    `generic`: filler and head words, which pick nothing ("tetraameila syndrome" is not Churg-Strauss syndrome).
    `cue_negations`: a word right after one of these picks nothing ("icu pt, not pregnant": not obstetric APS)."""
    words = tuple(w for w in canonical_phrase(text) if w not in generic)
    if not offered or not words or len(words) > MAX_REPLY_WORDS:
        return None
    if replies is not None:
        by_position = _by_position(words, offered, replies)
        if by_position is not None:
            return by_position
    ordinal = [ORDINALS[w] for w in words if w in ORDINALS and not (w == "one" and len(words) > 1)]
    if len(ordinal) == 1 and len(words) <= 3:
        index = ordinal[0]
        return (offered[index],) if -len(offered) <= index < len(offered) else None
    # A lone letter is a genus's initial ("s pyogenes", "S. aureus TSS"): it tells no candidate from another.
    words = tuple(w for k, w in enumerate(words) if not (k and words[k - 1] in cue_negations)
                  and not (len(w) == 1 and w.isalpha()))
    groups = context_groups(words, text, cues)
    entries_of = {cid: [e for e in lexicon.entries if e.condition_id == cid and not e.blocks] for cid in offered}
    # A term every candidate shares ("anti-GQ1b antibody syndrome") was the question: its cues choose, not the cues
    # a candidate's other terms carry (Miller Fisher's "ataxia" tells it from Marfan syndrome, not from Bickerstaff's).
    shared = set.intersection(*({e.words for e in entries if e.cues or e.cue_groups} for entries in entries_of.values()))
    # A term read as its uncovered other meaning, which a word of a candidate's names brings out, tells that
    # candidate's cause: "neonate, GBS on blood cx" after "neonatal or adult sepsis?" is group B strep sepsis.
    if features:
        names = {w for entries in entries_of.values() for e in entries for w in e.words}
        causes = {e.words for e in lexicon.entries if any(len(cue) == 1 and cue[0] in names for cue in e.other_cues)}
        features = tuple(f for f in features if canonical_phrase(f) not in causes)
    # A word of a candidate's own names is a feature too: "wet purpura" after immune thrombocytopenic purpura.
    if any(w for name in features for w in canonical_phrase(name)
           if not any(w in cue for entries in entries_of.values() for e in entries for cue in (*e.cues, e.words))):
        return None
    scores = {}
    for cid in offered:
        entries = entries_of[cid]
        cued = [] if names_only else [e for e in entries if e.words in shared] if len(offered) > 1 and shared else entries
        named = [e for e in entries if not negations & set(e.words)]  # "non-streptococcal" says nothing for "streptococcal"
        vocabulary = {w for e in named for w in e.words} | {w for e in cued for cue in e.cues for w in cue}
        cue_groups = {g for e in cued for g in e.cue_groups}
        field = "" if names_only else canonical_word((specialties or {}).get(cid) or "")
        scores[cid] = (sum(1 for w in words if w in vocabulary) + len(groups & cue_groups)
                       + any(len(w) >= 4 and field and (field.startswith(w) or w.startswith(field[:5])) for w in words))
    best = max(scores.values(), default=0)
    winners = [cid for cid, score in scores.items() if score == best]
    return (winners[0],) if best > 0 and len(winners) == 1 else None


MAX_EVERY = 5  # "all of them" answers at most this many candidates at once
COUNTS = frozenset({"of", "them", "two", "three", "four", "five"})


def _by_position(words: tuple[str, ...], offered: tuple[str, ...], replies: "ReplyWords") -> tuple[str, ...] | None:
    """"yes" to a single candidate, "both" / "all of them" to every one, "option 2" to the second; else None."""
    rest = set(words)
    if rest & replies.every and rest <= replies.every | COUNTS | replies.affirm:
        return offered if len(offered) <= MAX_EVERY else None
    if rest <= replies.affirm:
        return offered if len(offered) == 1 else None
    numbers = [w for w in words if w.isdigit()]
    if len(numbers) == 1 and rest - {numbers[0]} <= replies.numbered | replies.affirm and len(numbers[0]) <= 2:
        index = int(numbers[0]) - 1
        return (offered[index],) if 0 <= index < len(offered) else None
    return None
