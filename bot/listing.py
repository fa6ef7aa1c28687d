"""Lists of the covered conditions, by specialty and by what the evidence says, and the sources overview."""

from __future__ import annotations

from collections import Counter
from functools import cached_property

from bot.answers import CitationBook
from bot.evidence import has_direction, verdict
from bot.intents import Intents
from bot.phrases import contains_phrase
from bot.knowledge import KnowledgeBase
from bot.models import ListEntry, TextRef
from bot.schema import Direction
from bot.text import canonical_phrase
from bot.texts import Texts

MOST_USED_SOURCES = 12


class Lister:
    def __init__(self, kb: KnowledgeBase, intents: Intents, texts: Texts):
        self.kb = kb
        self.intents = intents
        self.texts = texts
        # A specialty's own name, or another word for it (intents.yaml `specialties`: "neuro", "haem"); words for
        # a specialty this base does not have are left out, so a generated base keeps the shipped intents.
        named = [(canonical_phrase(s), s) for s in kb.specialties]
        named += [(phrase, s) for phrase, s in intents.specialty_phrases if s in kb.specialties]
        self._specialty_phrases = sorted(named, key=lambda pair: -len(pair[0]))

    # Worked out at the first listing, not at build: a second per 100,000 conditions that most questions never need.
    @cached_property
    def _directions(self) -> dict[str, list[Direction]]:
        return {cid: sorted({f.direction for f in c.findings}, key=list(Direction).index)
                for cid, c in self.kb.conditions.items()}

    @cached_property
    def _verdicts(self) -> dict:
        return {cid: verdict(c) for cid, c in self.kb.conditions.items()}

    def filters(self, words: tuple[str, ...]) -> tuple[str | None, Direction | None]:
        """A specialty and a direction named in the words of a question or a list command's argument."""
        specialty = next((s for phrase, s in self._specialty_phrases if contains_phrase(words, phrase)), None)
        return specialty, self.intents.direction(words)

    def listing(self, specialty: str | None, direction: Direction | None
                ) -> tuple[list[ListEntry], dict[str, str], TextRef, list[TextRef]]:
        """The entries, the filters applied, the message and notes.

        With a direction, a condition is listed when that is its overall verdict, or when only some findings say
        so: then with the subgroups they are about beside it, never under one study's label alone.
        """
        notes: list[TextRef] = []
        if specialty is not None and specialty.lower() not in self.kb.specialties:
            notes.append(TextRef(key="list_no_specialty", params={
                "specialty": specialty, "specialties": ", ".join(self.kb.specialties)}))
            specialty = None
        entries = []
        for cond in sorted(self.kb.conditions.values(), key=lambda c: (c.specialty, c.name.lower())):
            if specialty and cond.specialty != specialty.lower():
                continue
            overall = self._verdicts[cond.id]
            subgroups: list[str] = []
            if direction is not None and overall.direction is not direction:
                matching = has_direction(cond, direction)
                if not matching:
                    continue
                subgroups = list(dict.fromkeys(
                    f.subgroup or self.texts.label("list_one_finding", overall=overall.label) for f in matching))
            entries.append(ListEntry(id=cond.id, name=cond.name, specialty=cond.specialty,
                                     directions=self._directions[cond.id], overall=overall.direction,
                                     overall_label=overall.label, subgroups=subgroups))
        filters = {k: v for k, v in (("specialty", specialty), ("direction", direction and direction.value)) if v}
        described = " and ".join(([self.texts.label("list_in", specialty=specialty)] if specialty else [])
                                 + ([self.texts.label("list_" + direction.value)] if direction else []))
        described = f" {described}" if described else ""
        count = f"{len(entries)} condition{'s' if len(entries) != 1 else ''}"
        message = (TextRef(key="list", params={"count": count, "described": described}) if entries
                   else TextRef(key="list_empty", params={"described": described}))
        return entries, filters, message, notes

    def most_used_sources(self, book: CitationBook) -> TextRef:
        uses = Counter(key for c in self.kb.conditions.values() for f in c.findings for key in f.references)
        for key, _count in sorted(uses.items(), key=lambda kv: (-kv[1], kv[0]))[:MOST_USED_SOURCES]:
            book.number(key)
        return TextRef(key="sources", params={"conditions": len(self.kb.conditions), "works": len(uses)})
