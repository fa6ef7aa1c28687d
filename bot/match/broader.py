"""A wider name for a condition named before it refers back to it: after EBA, "IVIG for the skin disease?" asks about
EBA, not about "skin disease", an uncovered disease of the Disease Ontology of which EBA is a kind; so do the last
words of one of its names ("antisynthetase syndrome ... IVIG for the lung disease?")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.match.result import Hit
from bot.models import MatchMethod
from bot.phrases import contains_phrase
from bot.text import canonical_phrase

if TYPE_CHECKING:
    from collections.abc import Callable

    from bot.match.result import MatchResult

NARROWER_SCORE = 100.0  # the wider term typed whole: asked back about as an ambiguous term is


def refer_back(result: "MatchResult", text: str, uncovered: dict[str, list], broader: dict[str, frozenset[str]],
               referring: frozenset[str], names_of: "Callable[[str], list[tuple[str, ...]]] | None" = None,
               generic: frozenset[str] = frozenset()) -> None:
    """Drop the uncovered names that follow a referring word ("the", "her") and are, in the ontology, wider terms
    of a condition named before them, or the last words of one of its names (`names_of`: its names' words), short of
    the whole name and not one generic word alone. Their words stay claimed: "the skin disease" is read as no other
    disease either."""
    if not (broader or names_of) or not result.uncovered_spans:
        return
    words = [t.canonical for t in result.tokens]
    tokens = result.tokens
    kept = []
    for start, end in result.uncovered_spans:
        before = {h.condition_id for h in (*result.matches, *result.ambiguous) if h.end_token <= start}
        doids = {name.doid for name in uncovered.get("".join(words[start:end]), ())}
        if start > 0 and words[start - 1] in referring and before and (any(
                broader.get(doid, frozenset()) & before for doid in doids)
                or names_of is not None and any(_ends_a_name(tuple(words[start:end]), names_of(cid), generic)
                                                for cid in before)):
            typed = text[tokens[start].start: tokens[end - 1].end]
            if typed in result.not_found:
                result.not_found.remove(typed)
            continue
        kept.append((start, end))
    result.uncovered_spans[:] = kept


def _ends_a_name(words: tuple[str, ...], names: list[tuple[str, ...]], generic: frozenset[str]) -> bool:
    """Whether the words end one of the names, short of the whole name and not one generic word alone ("lung
    disease" of "antisynthetase syndrome interstitial lung disease", "ILD" of "... associated ILD")."""
    if len(words) == 1 and words[0] in generic:
        return False
    return any(len(name) > len(words) and name[-len(words):] == words for name in names)


def kinds_of(vocabulary, conditions, field: str = "broader") -> dict[str, frozenset[str]]:
    """DOID of a wider uncovered term -> the covered conditions that are kinds of it (the import's `broader`); with
    `field="narrower"`, DOID of an unaccepted form -> the conditions it is a form of."""
    kinds: dict[str, set[str]] = {}
    for cid, entry in vocabulary.covered.items():
        if cid in conditions:
            for doid in getattr(entry, field):
                kinds.setdefault(doid, set()).add(cid)
    return {doid: frozenset(cids) for doid, cids in kinds.items()}


MAX_NARROWER = 4  # more covered kinds than this ("skin disease": six) and the wider term says too little to ask


def offer_narrower(result: "MatchResult", uncovered: dict[str, list], broader: dict[str, frozenset[str]],
                   terms_of: "Callable[[str], list[str]]", plain: "Callable[[str], bool]",
                   forms: dict[str, frozenset[str]] | None = None) -> None:
    """With nothing else named, an uncovered name that is, in the ontology, the wider term of a few covered
    conditions, and is written inside one of each one's names, asks which of them is meant ("IVIG for myositis?":
    dermatomyositis, inclusion body myositis or polymyositis), rather than saying it is not covered. Not a term
    the ontology files above a condition whose names do not say so ("contact dermatitis" is no kind of atopic
    dermatitis's), nor in a message with other words than the question's own ("posterior reversible encephalopathy
    syndrome": a disease the bot cannot read whole). An uncovered name that is instead a form of a covered condition
    its curator did not accept (`forms`) offers that condition beside "not covered" (`_offer_wider`)."""
    if (not broader or result.matches or result.ambiguous or result.suggestions or result.blocked
            or len(result.uncovered_spans) != 1 or len(result.not_found) != 1):
        return
    (start, end), tokens = result.uncovered_spans[0], result.tokens
    if not all(plain(t.canonical) for k, t in enumerate(tokens) if not start <= k < end):
        return
    key = "".join(t.canonical for t in tokens[start:end])
    names = uncovered.get(key, ())
    narrower = frozenset(cid for name in names for cid in broader.get(name.doid, frozenset())
                         if any(key in "".join(canonical_phrase(term)) for term in terms_of(cid)))
    if not narrower and forms:
        _offer_wider(result, names, forms, terms_of)
    if not narrower or len(narrower) > MAX_NARROWER:
        return
    typed = result.not_found[0]
    result.ambiguous.extend(Hit(cid, NARROWER_SCORE, MatchMethod.ambiguous, typed, start, end)
                            for cid in sorted(narrower))
    result.not_found.clear()
    result.uncovered_spans.clear()


MIN_FORM_LETTERS = 5  # a condition's name inside a form's name: "multiple sclerosis", "asthma"; never "MS"


def _offer_wider(result: "MatchResult", names: list, forms: dict[str, frozenset[str]],
                 terms_of: "Callable[[str], list[str]]") -> None:
    """An uncovered name that is, in the ontology, a form of a covered condition its curator did not accept (as not
    studied: "primary progressive multiple sclerosis"), and that has one of the condition's names among its words,
    stays not covered, and that condition is offered beside it ("did you mean multiple sclerosis?"): the evidence
    for the wider condition may be what is wanted, but it is not the form's."""
    (start, end) = result.uncovered_spans[0]
    words = tuple(t.canonical for t in result.tokens[start:end])
    wider = sorted({cid for name in names for cid in forms.get(name.doid, frozenset())
                    if any(len("".join(term)) >= MIN_FORM_LETTERS and len(term) < len(words)
                           and contains_phrase(words, term) for term in map(canonical_phrase, terms_of(cid)))})
    if 0 < len(wider) <= MAX_NARROWER:
        result.suggestions.extend(Hit(cid, NARROWER_SCORE, MatchMethod.subtype, result.not_found[0], start, end)
                                  for cid in wider)
