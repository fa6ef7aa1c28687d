"""`ivig-chat report`: what curators should look at next, from the stored records and the knowledge base.

Four parts: the most frequent unanswered questions grouped by their nearest condition (what the current base
answers for them, its did-you-mean candidates, or the condition sharing a distinctive word); feedback per
condition (good/bad counts and comments); entries whose last_reviewed is older than a threshold; aliases of
different conditions that are identical or nearly so.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from bot.core import AnswerCore
from bot.kb_check import DEFAULT_STALE_DAYS, NEAR_SCORE, alias_collisions, stale_conditions
from bot.models import AnswerKind, Question
from bot.text import canonical_phrase, clean

DEFAULT_TOP = 20
WORD_SCORE = 80.0  # a question word this similar (fuzz.ratio) to a distinctive alias word points at its condition
MIN_WORD_CHARS = 5
MAX_OWNERS = 2  # an alias word is distinctive when at most this many conditions use it
MAX_QUOTE_CHARS = 200
# Words that say nothing about a condition (the drug, grammar, generic medical words).
_STOP = frozenset(
    "about after again also and are before being could does doing during every from have help helps into ivig "
    "immunoglobulin intravenous more much other should some than that their them then there these they this "
    "those through very what when where which while will with would your treat treatment treating therapy "
    "evidence works work disease diseases syndrome disorder patients patient people children adults".split()
)


def _normal(text: str) -> str:
    words = canonical_phrase(text)
    return " ".join(words) if words else " ".join(text.lower().split())


class NearestCondition:
    """Where an unanswered question belongs: what the current base answers, suggests, or shares a word with."""

    def __init__(self, core: AnswerCore):
        self.core = core
        owners: dict[str, set[str]] = defaultdict(set)
        for cond in core.kb.conditions.values():
            terms = [cond.name, *cond.synonyms, *(t.text for t in cond.abbreviations),
                     *(t.text for t in cond.ambiguous_terms)]
            for term in terms:
                for word in canonical_phrase(term):
                    if len(word) >= MIN_WORD_CHARS and word.isalpha() and word not in _STOP:
                        owners[word].add(cond.id)
        self._owners = {w: sorted(ids) for w, ids in owners.items() if len(ids) <= MAX_OWNERS}
        self._words = sorted(self._owners)

    def find(self, question: str) -> dict[str, Any]:
        answer = self.core.answer(Question(text=question))
        if answer.kind is AnswerKind.answer and answer.conditions:
            return {"ids": [c.id for c in answer.conditions], "how": "answered_now", "word": None}
        if answer.suggestions:
            return {"ids": [s.id for s in answer.suggestions], "how": "did_you_mean", "word": None}
        best: tuple[float, int, str] | None = None
        for word in canonical_phrase(question):
            if len(word) < MIN_WORD_CHARS or word in _STOP:
                continue
            hit = process.extractOne(word, self._words, scorer=fuzz.ratio, score_cutoff=WORD_SCORE)
            if hit and (best is None or (hit[1], len(hit[0])) > best[:2]):
                best = (hit[1], len(hit[0]), hit[0])
        if best is not None:
            return {"ids": list(self._owners[best[2]]), "how": "similar_word", "word": best[2]}
        return {"ids": [], "how": None, "word": None}


def _name(core: AnswerCore, condition_id: str) -> str:
    cond = core.kb.conditions.get(condition_id)
    return cond.name if cond else f"{condition_id} (no longer in the knowledge base)"


def _unanswered_groups(core: AnswerCore, rows: list[dict[str, Any]], top: int) -> list[dict[str, Any]]:
    by_text: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        by_text[_normal(row["question"])].append(row)
    nearest = NearestCondition(core)
    groups: dict[tuple[str, ...], dict[str, Any]] = {}
    for key, asked in by_text.items():
        shown = Counter(clean(r["question"])[0] for r in asked).most_common(1)[0][0]
        place = nearest.find(shown)
        group_key = tuple(place["ids"])
        group = groups.setdefault(group_key, {
            "conditions": [{"id": cid, "name": _name(core, cid)} for cid in place["ids"]],
            "how": place["how"], "word": place["word"], "count": 0, "questions": [],
        })
        if group["how"] != place["how"]:  # the same conditions reached two ways: say the strongest
            order = ["answered_now", "did_you_mean", "similar_word", None]
            group["how"] = min(group["how"], place["how"], key=order.index)
        group["count"] += len(asked)
        group["questions"].append({
            "text": shown,
            "count": len(asked),
            "users": len({r["user_hash"] for r in asked if r["user_hash"]}),
            "kinds": dict(sorted(Counter(r["answer_kind"] for r in asked).items())),
            "adapters": dict(sorted(Counter(r["adapter"] for r in asked).items())),
            "last_asked": max(r["created_at"] for r in asked),
        })
    ordered = sorted(groups.values(), key=lambda g: (-g["count"], not g["conditions"],
                                                      [c["name"].lower() for c in g["conditions"]]))
    for group in ordered:
        group["questions"].sort(key=lambda q: (-q["count"], q["text"].lower()))
        group["more_questions"] = max(0, len(group["questions"]) - top)
        group["questions"] = group["questions"][:top]
    return ordered[:top]


def _feedback(core: AnswerCore, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    entries: dict[str | None, dict[str, Any]] = {}
    for row in rows:
        for cid in row["condition_ids"] or [None]:
            entry = entries.setdefault(cid, {
                "condition": {"id": cid, "name": _name(core, cid)} if cid else None,
                "good": 0, "bad": 0, "comments": [], "bad_questions": Counter(),
            })
            entry[row["rating"]] += 1
            if row["rating"] == "bad" and not row["comment"]:  # commented ones are listed with their comment
                entry["bad_questions"][clean(row["question"])[0]] += 1
            if row["comment"]:
                entry["comments"].append({
                    "rating": row["rating"], "comment": row["comment"], "question": clean(row["question"])[0],
                    "at": row["created_at"], "adapter": row["adapter"], "answer_kind": row["answer_kind"],
                    "knowledge_version": row["knowledge_version"],
                    "current_knowledge": row["knowledge_version"] == core.kb.version,
                })
    out = []
    for entry in entries.values():
        entry["bad_questions"] = [{"text": text, "count": n} for text, n in entry["bad_questions"].most_common()]
        entry["comments"].sort(key=lambda c: c["at"], reverse=True)
        out.append(entry)
    out.sort(key=lambda e: (-e["bad"], -(e["good"] + e["bad"]), e["condition"] is None,
                            (e["condition"] or {}).get("name", "").lower()))
    return out


def _aliases(core: AnswerCore) -> dict[str, Any]:
    conditions = list(core.kb.conditions.values())
    close, shared = [], defaultdict(set)
    for pair in alias_collisions(conditions, NEAR_SCORE):
        if pair.identical:
            shared[pair.a.canonical].update({pair.a.condition_id, pair.b.condition_id})
            continue
        close.append({
            "score": pair.score,
            "a": {"condition": pair.a.condition_id, "field": pair.a.kind, "text": pair.a.text},
            "b": {"condition": pair.b.condition_id, "field": pair.b.kind, "text": pair.b.text},
            "both_ambiguous": pair.both_ambiguous,
        })
    texts: dict[str, str] = {}
    for cond in conditions:
        for text in [cond.name, *cond.synonyms, *(t.text for t in cond.abbreviations),
                     *(t.text for t in cond.ambiguous_terms)]:
            texts.setdefault(" ".join(canonical_phrase(text)), text)
    return {
        "threshold": NEAR_SCORE,
        "close": close,
        "shared": [{"term": texts.get(key, key), "conditions": sorted(ids)} for key, ids in sorted(shared.items())],
    }


def build_report(core: AnswerCore, unanswered: list[dict[str, Any]], feedback: list[dict[str, Any]], *,
                 source: str | None = None, today: dt.date | None = None, stale_days: int = DEFAULT_STALE_DAYS,
                 top: int = DEFAULT_TOP, generated_at: str | None = None) -> dict[str, Any]:
    """The report as plain data (what --format json prints)."""
    today = today or dt.date.today()
    conditions = list(core.kb.conditions.values())
    stale = [{"id": s.condition_id, "name": s.name, "last_reviewed": s.last_reviewed.isoformat(),
              "age_days": s.age_days, "file": str(core.kb.files.get(s.condition_id, ""))}
             for s in stale_conditions(conditions, today, stale_days)]
    return {
        "generated_at": generated_at or dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "source": source,
        "knowledge_version": core.kb.version,
        "totals": {
            "unanswered": len(unanswered),
            "unanswered_distinct": len({_normal(r["question"]) for r in unanswered}),
            "feedback": len(feedback),
            "good": sum(1 for r in feedback if r["rating"] == "good"),
            "bad": sum(1 for r in feedback if r["rating"] == "bad"),
        },
        "unanswered": _unanswered_groups(core, unanswered, top),
        "feedback": _feedback(core, feedback),
        "stale": {"days": stale_days, "today": today.isoformat(), "entries": stale},
        "aliases": _aliases(core),
    }


def to_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2)


# --- markdown ------------------------------------------------------------------------------------------


def _quote(text: str) -> str:
    text = " ".join(str(text).split())
    if len(text) > MAX_QUOTE_CHARS:
        text = text[: MAX_QUOTE_CHARS - 1] + "…"
    return "“" + text.replace("`", "'") + "”"


def _cell(text: str) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


_HOW = {
    "answered_now": "the current knowledge base answers this",
    "did_you_mean": "the bot asks “did you mean”",
    "similar_word": "shares the word “{word}”",
}
_FIELD = {"name": "name", "synonyms": "synonym", "abbreviations": "abbreviation", "ambiguous_terms": "ambiguous term"}


def to_markdown(report: dict[str, Any]) -> str:
    t = report["totals"]
    lines = ["# ivig-chat curator report", ""]
    lines.append(f"Generated {report['generated_at']}" + (f" from `{report['source']}`" if report["source"] else "")
                 + f"; knowledge base version {report['knowledge_version']}.")
    lines.append(f"Recorded: {t['unanswered']} unanswered question(s) ({t['unanswered_distinct']} distinct); "
                 f"{t['feedback']} feedback record(s): {t['good']} good, {t['bad']} bad.")
    lines += ["", "## Unanswered questions, by nearest condition", ""]
    if not report["unanswered"]:
        lines.append("None recorded.")
    for group in report["unanswered"]:
        title = " / ".join(c["name"] for c in group["conditions"]) or "No close condition"
        how = _HOW.get(group["how"] or "", "").format(word=group["word"])
        lines.append(f"### {title}: {group['count']}" + (f" ({how})" if how else ""))
        lines.append("")
        for q in group["questions"]:
            who = f", {q['users']} user(s)" if q["users"] else ""
            kinds = ", ".join(q["kinds"])
            lines.append(f"- {q['count']} × {_quote(q['text'])} ({kinds}{who}; last {q['last_asked'][:10]})")
        if group["more_questions"]:
            lines.append(f"- … and {group['more_questions']} more")
        lines.append("")
    lines += ["## Feedback per condition", ""]
    if not report["feedback"]:
        lines.append("None recorded.")
    else:
        lines += ["| Condition | Good | Bad |", "|---|---:|---:|"]
        for e in report["feedback"]:
            name = e["condition"]["name"] if e["condition"] else "(no condition: lists, help, not found …)"
            lines.append(f"| {_cell(name)} | {e['good']} | {e['bad']} |")
        for e in report["feedback"]:
            if not (e["comments"] or e["bad_questions"]):
                continue
            name = e["condition"]["name"] if e["condition"] else "(no condition)"
            lines += ["", f"### {name}", ""]
            for c in e["comments"]:
                older = "" if c["current_knowledge"] else " (about an older knowledge base)"
                lines.append(f"- {c['rating']}, {c['at'][:10]}: {_quote(c['comment'])} on {_quote(c['question'])}{older}")
            for q in e["bad_questions"]:
                lines.append(f"- rated bad {q['count']} ×: {_quote(q['text'])}")
    stale = report["stale"]
    lines += ["", f"## Entries last reviewed more than {stale['days']} days ago", ""]
    if not stale["entries"]:
        lines.append("None.")
    for s in stale["entries"]:
        lines.append(f"- {s['name']} (`{s['id']}`): last reviewed {s['last_reviewed']}, {s['age_days']} days ago")
    aliases = report["aliases"]
    lines += ["", "## Aliases that collide or come close", "",
              f"Close (rapidfuzz ratio ≥ {aliases['threshold']:g} between different conditions):", ""]
    if not aliases["close"]:
        lines.append("None.")
    for pair in aliases["close"]:
        a, b = pair["a"], pair["b"]
        lines.append(f"- {pair['score']:g}: `{a['text']}` ({_FIELD[a['field']]} of `{a['condition']}`) ~ "
                     f"`{b['text']}` ({_FIELD[b['field']]} of `{b['condition']}`)"
                     + (" (both ambiguous: the bot asks)" if pair["both_ambiguous"] else ""))
    lines += ["", "Shared terms (the same words in several conditions; declared ambiguous, so the bot asks):", ""]
    if not aliases["shared"]:
        lines.append("None.")
    for s in aliases["shared"]:
        lines.append(f"- `{s['term']}`: {', '.join(s['conditions'])}")
    return "\n".join(lines).rstrip() + "\n"


def load_rows(data_dir: Path) -> tuple[list[dict[str, Any]], list[dict[str, Any]], str]:
    """The stored records, read without creating anything: no database yet means no records."""
    from bot.storage import DB_NAME, Store

    path = Path(data_dir) / DB_NAME
    if not path.exists():
        return [], [], str(path)
    with Store(data_dir) as store:
        return store.unanswered(), store.feedback(), str(path)
