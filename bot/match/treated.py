"""Conditions told only as the story of a treatment already given, before a new disease: offered, not answered."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from bot.match.roles import QUESTION_END, SENTENCE_END, Role, RoleWords, sentence_stops
from bot.models import MatchMethod

if TYPE_CHECKING:
    from collections.abc import Callable

    from bot.match.result import MatchResult


HEADING_MARKS = frozenset({"-", ":", "\u2013", "\u2014"})  # "ivig in paediatric HIV - 5yo ...": heading, then case
# A word that says which use of the treatment is asked about, before it, still opens a heading ("routine ivig after
# allo-SCT - 56m ..."); not one that tells its course ("monthly IVIG for CIDP - stable 5 yrs"), which may be story.
HEADING_QUALIFIERS = frozenset({"routine", "prophylactic"})
UNCOVERED_WORD_LETTERS = 5  # letters of a word only uncovered names have that, ending the question, names one of them


def offer_treated_history(result: "MatchResult", roles: RoleWords, text: str,
                          theirs: "Callable[[str, str], bool] | None" = None) -> None:
    """Conditions told only in statements that give the treatment already ("Mum had IVIG for recurrent implantation
    failure.", "she had weekly IVIG with this one"; not "unit considering desensitisation with ivig": a word of
    `planned` before the treatment says it is not yet given) are the story, when a later sentence names an uncovered
    disease, or opens on "now" without telling the same again, and the question itself names none ("The baby now has
    biliary atresia. I read about IVIG after Kasai, is there real evidence?"), or the question ends on a word only
    uncovered names have after "the", "her" ... ("... monthly IVIG for her hypogammaglobulinaemia. ... so PMR. Would
    IVIG help the polymyalgia?"): they are offered, not answered."""
    tokens = result.tokens
    if not result.matches or not SENTENCE_END.search(text) or roles.treatment.isdisjoint(t.canonical for t in tokens):
        return  # most questions: one sentence
    sentence = [0]  # per token, the number of the sentence it is in
    for k in range(1, len(tokens)):
        sentence.append(sentence[-1] + bool(SENTENCE_END.search(text, tokens[k - 1].end, tokens[k].start)))
    opens = [k for k in range(len(tokens)) if not k or sentence[k] != sentence[k - 1]]

    def asks(number: int) -> bool:  # the sentence of that number ends in a question mark
        stop = QUESTION_END.search(text, tokens[opens[number]].end)
        return stop is not None and stop.group(1) == "?"

    asked = next((i for i in range(len(opens) - 1, -1, -1) if asks(i)), len(opens) - 1)
    told = {sentence[h.start_token] for h in result.matches}
    words, stops = [t.canonical for t in tokens], sentence_stops(tokens, text, roles)  # "background hypertension"
    # A sentence that asks ("routine ivig after allo-hsct - still indicated?") gives no treatment, nor one opening on
    # the treatment (`HEADING_QUALIFIERS` before it at most) and a name as a heading, with a dash at most a word after
    # the name ("ivig in paediatric HIV - 5yo ...", "ivig for severe c diff colitis - 81M ...").
    def heading(h) -> bool:  # the name right after the treatment opening its sentence, then a dash
        first = opens[sentence[h.start_token]]
        if words[first] in HEADING_QUALIFIERS and first + 1 < h.start_token:
            first += 1
        return words[first] in roles.treatment and any(
            sentence[k] == sentence[first] and text[tokens[k - 1].end:tokens[k].start].strip() in HEADING_MARKS
            for k in range(h.end_token, min(h.end_token + 2, len(tokens))))

    headings = {sentence[h.start_token] for h in result.matches if heading(h)}
    treated = {sentence[k] for k, w in enumerate(words) if w in roles.treatment and sentence[k] not in headings
               and roles.planned.isdisjoint(words[opens[sentence[k]]:k]) and not asks(sentence[k])}
    later = [sentence[s] for s, e in result.uncovered_named
             if roles.role(words, s, e, stops) not in (Role.history, Role.besides)]
    if asked in told or asked in later or not told <= treated or max(told) >= asked:
        return
    # "... help the polymyalgia?": a word only uncovered names have, after "the", "her" ..., ending the question
    ends = sentence.index(asked + 1) - 1 if asked + 1 < len(opens) else len(tokens) - 1
    last = tokens[ends]
    named_in_question = (theirs is not None and ends > 0 and tokens[ends - 1].canonical in roles.referring
                         and len(last.canonical) >= UNCOVERED_WORD_LETTERS and theirs(last.canonical, last.original))
    # ... or a sentence between them opening on "now" that tells no return of the same ("Now admitted with headache,
    # CSF cryptococcal antigen positive. IVIG?"; not "Now relapsing."): a new illness, named or not
    bounds = (*opens, len(words))  # sentence i is words[bounds[i]:bounds[i + 1]]
    new_illness = any(words[bounds[i]] in roles.told_new and roles.told_again.isdisjoint(words[bounds[i]:bounds[i + 1]])
                      for i in range(max(told) + 1, asked))
    if not named_in_question and not new_illness and not any(max(told) < at < asked for at in later):
        return
    result.suggestions.extend(replace(h, method=MatchMethod.fuzzy) for h in result.matches)
    result.matches.clear()
