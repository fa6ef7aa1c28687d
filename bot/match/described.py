"""A condition named inside another's name: "MOG IgG positive ... optic neuritis" speaks of MOGAD, not also of
optic neuritis; one named only to describe something else by it ("a CIDP-like neuropathy"); and the names that
describe the patient ("a woman with SLE")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.match.cues import age_tokens
from bot.match.lexicon import FILLER
from bot.models import MatchMethod

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from bot.match.loose import LooseIndex
    from bot.match.result import MatchResult
    from bot.match.roles import RoleWords


def drop_described(result: "MatchResult", loose: "LooseIndex",
                   names: "Callable[[str, str], bool] | None" = None) -> None:
    """Drop a matched condition B when another matched condition A has a name whose every word is in the question
    and which holds all of B's matched words and more: the question describes A, and B is how A showed itself
    ("MOG-positive optic neuritis" is a name of MOGAD); A's name may also hold, beside B's words, one word that alone
    names A (`names(word, condition)`), as A is named already ("crow-fukase syndrome ... ivig for the neuropathy":
    POEMS neuropathy). Names of A are found through B's words, so only names that could hold B are read. B named as
    well by a name no other condition's holds stays; nothing is dropped when every match would be."""
    matches = result.matches
    ids = {h.condition_id for h in matches}
    if len(ids) < 2:
        return
    tokens = result.tokens
    described: dict[str, set[frozenset[str]]] = {}  # per condition: the words of its readings another one's name holds
    told: dict[str, set[frozenset[str]]] = {}  # per condition: the words of all its readings
    for hit in matches:
        inside = {t.canonical for t in tokens[hit.start_token: hit.end_token]} - FILLER
        if hit.method is MatchMethod.chosen or not inside:
            continue
        told.setdefault(hit.condition_id, set()).add(frozenset(inside))
        others = ids - {hit.condition_id}
        free: dict[str, set[str]] = {}  # per owner: worked out once, for the first of its names that could hold B
        holding = min((loose.by_word.get(w, ()) for w in inside), key=len)
        for index in holding:
            entry = loose.entries[index]
            owner = entry.condition_id
            if owner not in others:
                continue
            content = set(entry.words) - FILLER
            if not inside < content:
                continue
            if owner not in free:
                free[owner] = _free_words(result, hit, owner, inside)
            rest = content - inside
            if rest <= free[owner] or names is not None and len(rest) == 1 and names(next(iter(rest)), owner):
                described.setdefault(hit.condition_id, set()).add(frozenset(inside))
                break
    # ... unless it is also named by another of its names ("hypogammaglobulinaemia in CLL and in myeloma": CLL).
    dropped = {cid for cid, words in described.items() if told[cid] <= words}
    if dropped and dropped != ids:
        matches[:] = [h for h in matches if h.condition_id not in dropped]


def _free_words(result: "MatchResult", hit, owner: str, inside: set[str]) -> set[str]:
    """The question's words outside every other reading: a name's other words must be there, not in a third
    condition's name ("AIHA, ITP and Evans syndrome" asks about all three, though "autoimmune haemolytic anaemia with
    immune thrombocytopenia" is a name of Evans syndrome). The owner's own readings count as free unless they hold
    the dropped condition's words too ("AIHA, ..., AIHA with ITP" names AIHA apart)."""
    busy = [False] * len(result.tokens)
    for other in (*result.matches, *result.ambiguous, *result.suggestions):
        if other.condition_id == owner and inside.isdisjoint(
                t.canonical for t in result.tokens[other.start_token: other.end_token]):
            continue
        if other is not hit and other.start_token >= 0:
            busy[other.start_token: other.end_token] = [True] * (other.end_token - other.start_token)
    return {t.canonical for t, used in zip(result.tokens, busy) if not used}


TIMING = "post"  # "3 weeks post covid": when an illness began


def drop_parts(result: "MatchResult", part_of: "Mapping[str, frozenset[str]]", coordinating: frozenset[str]) -> None:
    """Drop a matched condition that the curator, after the reference, lists as part of another one matched too: a
    feature of it or its trigger ("AQP4-positive NMOSD relapse, optic neuritis plus myelitis": NMOSD only; "SARS-CoV-2
    serology positive, MIS-C": MIS-C only). Two names joined only by "and", "or", "vs" ... are asked about together
    ("IVIG in covid or MIS-C?"), as are names in one list ("IVIG for AIHA, ITP and Evans syndrome")."""
    matches = result.matches
    if len(matches) < 2 or not part_of:
        return
    words = [t.canonical for t in result.tokens]
    named = {k for h in (*matches, *result.ambiguous) for k in range(h.start_token, h.end_token)}

    def joined(a, b) -> bool:
        first, second = (a, b) if a.start_token < b.start_token else (b, a)
        between = range(first.end_token, second.start_token)
        return any(words[k] in coordinating for k in between) and all(
            words[k] in coordinating or k in named for k in between)

    def timing(h, w) -> bool:
        """"mis-c, 9yo, 3 weeks post covid": "post" and what both follow (COVID-19, part of MIS-C and of long COVID)
        tell when the named one began; read as long COVID's "post-COVID condition" without its head word, it is not
        the other one asked about."""
        return h.condition_id != w.condition_id and words[h.start_token] == TIMING != words[w.start_token] and any(
            h.condition_id in parts and w.condition_id in parts for parts in part_of.values())

    dropped = {h.condition_id for h in matches for w in matches
               if (w.condition_id in part_of.get(h.condition_id, ()) or timing(h, w)) and not joined(h, w)}
    if dropped:
        matches[:] = [h for h in matches if h.condition_id not in dropped]


def drop_likenesses(result: "MatchResult", text: str) -> None:
    """A name hyphen-joined to "like" describes something else by it ("fibromyalgia with a CIDP-like neuropathy
    picture", "a polio-like illness"): that condition is not named, so it is neither answered nor offered."""
    tokens = result.tokens
    like = {k for k in range(1, len(tokens)) if tokens[k].canonical == "like"
            and text[tokens[k - 1].end: tokens[k].start] == "-"}
    if like:
        for found in (result.matches, result.ambiguous, result.suggestions):
            found[:] = [h for h in found if h.end_token not in like]


# What the treatment is compared with follows one of these, then "for", "in" or "with": "like it does", "the way it
# did", "like it's used" ("it's" reads as "it"), "as it was tried", "like it has been given"; "... for severe
# parainfluenza like there is for flu?"
COMPARED_OPENERS = frozenset({"like", "as", "way"})
COMPARED_AUXILIARIES = frozenset({"is", "was", "has", "had", "been"})
COMPARED_VERBS = frozenset({"does", "did", "used", "tried", "given", "works", "worked", "helps", "helped"})
COMPARED_THERE = (("like", "there", "is"), ("like", "there", "are"))
HELPED = frozenset({"helps", "helped", "works", "worked"})  # right after the treatment: "heard IVIG helps CRPS"
HEARD = frozenset({"heard", "read", "saw"})  # ... told as hearsay, a few words before the treatment ("saw IVIG works")
HELPED_BEFORE = ("some", "for", "in")  # "IVIG helped some CRPS pts", "works for", "worked in"
LIKE_THE = ("like", "the")  # "... add ivig like the EV baby?": another patient's condition, with a person word after
LOOKED_FOR = frozenset({"it", "like", *HELPED})  # a question with none of these compares nothing


def drop_compared(result: "MatchResult", roles: "RoleWords") -> None:
    """A condition named as what the treatment is compared with ("could ivig help her hailey-hailey like it does for
    PV?", "does ivig work for scleredema the way it does in scleromyxedema?", "should we add ivig like the EV baby?")
    or as what it is heard to help ("heard IVIG helps CRPS, anything for PHN?") is not what is asked, when something
    else is named: it is not answered."""
    if not result.matches or all(t.canonical not in LOOKED_FOR for t in result.tokens):  # most questions: one look
        return
    words = [t.canonical for t in result.tokens]
    referring, persons = roles.referring, roles.persons
    at = {end + 1 for end in _compared_ends(words) if end < len(words) and words[end] in ("for", "in", "with")}
    at |= {k + 1 for k in range(2, len(words) - 1) if words[k] in HELPED and words[k - 1] in roles.treatment
           and not HEARD.isdisjoint(words[max(0, k - 4):k - 1])}  # "heard that IVIG helps", not "evidence IVIG works"
    at |= {k + 1 for k in at if k < len(words) and words[k] in (*referring, *HELPED_BEFORE)}  # "... for her MMN"
    like_the = {k + 2 for k in range(len(words) - 2) if tuple(words[k:k + 2]) == LIKE_THE}
    if not at and not like_the:
        return
    compared = [h for h in result.matches if h.start_token in at or h.start_token in like_the
                and h.end_token < len(words) and words[h.end_token] in persons]
    if compared and (result.uncovered_named or len(result.matches) > len(compared)):
        result.matches[:] = [h for h in result.matches if h not in compared]


def _compared_ends(words: list[str]) -> list[int]:
    """Where each comparison opening ("like it does", "as it was tried", "like there is") ends in `words`."""
    ends = []
    for k in range(len(words) - 2):
        if words[k] in COMPARED_OPENERS and words[k + 1] == "it":
            end = k + 2
            while end < len(words) and words[end] in COMPARED_AUXILIARIES:
                end += 1
            if end < len(words) and words[end] in COMPARED_VERBS:
                ends.append(end + 1)
        elif tuple(words[k:k + 3]) in COMPARED_THERE:
            ends.append(k + 3)
    return ends


def drop_qualifiers(result: "MatchResult", text: str, known: "Callable[[str], bool] | None" = None) -> None:
    """A one-word term read several ways, settled by a cue told before it with that condition named before too, and
    followed (after a space) by an uncovered disease's name or an abbreviation in capitals no name has (`known`), says
    which kind of that disease is asked ("on ivig for sjogren's ataxic sensory neuronopathy ... does ivig do anything
    for sjogren ILD?", "... any evidence for ivig in sjogren TIN?"): it is not answered. Not one settled otherwise
    ("PG ulcer on the calf", "a newborn with ... enterovirus hepatitis", "ASS ILD": the condition's own feature)."""
    if not any(h.because for h in result.matches):  # most questions
        return
    tokens = result.tokens
    uncovered = {s for s, _ in result.uncovered_spans}
    words = [t.canonical for t in tokens]

    def disease_at(k: int) -> bool:  # an uncovered name starts at token k, or an abbreviation no name has stands there
        typed = tokens[k].original if k < len(tokens) else ""
        return k in uncovered or (known is not None and typed.isupper() and typed.isalpha() and len(typed) >= 3
                                  and not known(words[k]))

    def qualifies(h) -> bool:
        cue = tuple(h.because.lower().split())
        return (h.end_token - h.start_token == 1 and disease_at(h.end_token)
                and not text[tokens[h.start_token].end:tokens[h.end_token].start].strip()
                and any(g.condition_id == h.condition_id and g.start_token < h.start_token for g in result.matches)
                and any(tuple(words[k:k + len(cue)]) == cue for k in range(h.start_token - len(cue) + 1))
                and not any(tuple(words[k:k + len(cue)]) == cue for k in range(h.end_token, len(words))))

    result.matches[:] = [h for h in result.matches if not (h.because and qualifies(h))]


def described_patients(result: "MatchResult", words: list[str], text: str, roles: "RoleWords") -> frozenset[int]:
    """Where the names that describe the patient start: right after "with" that follows an age or a person ("35yo
    with RA", "a woman with SLE"), as "the RA patient" does (Role.holder), and a name joined to such a name by "and"
    ("a woman with CIDP and MMN": both describe her, so both stay), when the condition asked about comes later.
    """
    at = {k for k in range(2, len(words)) if words[k - 1] == "with"}
    if not at:
        return frozenset()
    ages = age_tokens(result.tokens, text)
    at = {k for k in at if k - 2 in ages or words[k - 2] in roles.persons}
    found: set[int] = set()
    ends: set[int] = set()
    for hit in sorted(result.matches, key=lambda h: h.start_token):
        start = hit.start_token
        if start in at or start >= 1 and words[start - 1] in roles.coordinating and start - 1 in ends:
            found.add(start)
            ends.add(hit.end_token)
    # ... when the condition asked about is named after it: "optic neuritis in a man with multiple sclerosis" asks
    # about both (the optic neuritis trials' patients had MS); so may an uncovered disease ("7yo with autism now has
    # alopecia areata").
    later = max((*(h.start_token for h in result.matches if h.start_token not in found),
                 *(s for s, _ in result.uncovered_named)), default=-1)
    return frozenset(k for k in found if k < later)


def in_a_patient(result: "MatchResult", words: list[str], end: int, text: str, roles: "RoleWords") -> bool:
    """Whether the name ending at `end` is followed by the patient it is in ("alopecia areata in a 9 yo who also has
    atopic dermatitis"): "in", maybe an article, then an age or a person. Such a name is what the message is about."""
    if words[end:end + 1] != ["in"]:
        return False
    at = end + 1 + (end + 1 < len(words) and words[end + 1] in ("a", "an", "the", "our", "my"))
    return at < len(words) and (words[at] in roles.persons or at in age_tokens(result.tokens, text))
