"""`ivig-chat report`: what curators should look at next, from the stored records and the knowledge base.

Four parts: the most frequent unanswered questions grouped by their nearest condition (what the current base
answers for them, its did-you-mean candidates, or the condition sharing a distinctive word); feedback per
condition (good/bad counts and comments); entries whose last_reviewed is older than a threshold; aliases of
different conditions that are identical or nearly so. Where the unanswered log has gaps (questions it could not
keep) and how many malformed rows were skipped are said too. Every stored text is escaped in the Markdown, so a
question or comment cannot plant a link, an image, a mention or HTML in what curators open.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz, process

from bot.core import AnswerCore
from bot.kb_check import DEFAULT_STALE_DAYS, NEAR_SCORE, alias_collisions, stale_conditions
from bot.models import AnswerKind, Question
from bot.storage.rows import StoredRecords, clean_rows
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
            for _, term in cond.terms():
                for word in canonical_phrase(term):
                    if len(word) >= MIN_WORD_CHARS and word.isalpha() and word not in _STOP:
                        owners[word].add(cond.id)
        self._owners = {w: sorted(ids) for w, ids in owners.items() if len(ids) <= MAX_OWNERS}
        self._words = sorted(self._owners)
        # Questions repeat their words: each distinct word is scored against the alias words once per report.
        self._closest = functools.lru_cache(maxsize=None)(self._closest_word)

    def _closest_word(self, word: str) -> tuple[float, str] | None:
        hit = process.extractOne(word, self._words, scorer=fuzz.ratio, score_cutoff=WORD_SCORE)
        return (hit[1], hit[0]) if hit else None

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
            hit = self._closest(word)
            if hit and (best is None or (hit[0], len(hit[1])) > best[:2]):
                best = (hit[0], len(hit[1]), hit[1])
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
    for asked in by_text.values():
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
        for _, text in cond.terms():
            texts.setdefault(" ".join(canonical_phrase(text)), text)
    return {
        "threshold": NEAR_SCORE,
        "close": close,
        "shared": [{"term": texts.get(key, key), "conditions": sorted(ids)} for key, ids in sorted(shared.items())],
    }


def _gaps(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"reason": g["reason"], "adapter": g["adapter"], "dropped": g["dropped"], "first_at": g["first_at"],
             "last_at": g["last_at"]} for g in sorted(rows, key=lambda g: (g["first_at"] or "", g["reason"]))]


def build_report(core: AnswerCore, unanswered: list[dict[str, Any]], feedback: list[dict[str, Any]], *,
                 gaps: list[dict[str, Any]] | None = None, skipped: dict[str, int] | None = None,
                 source: str | None = None, today: dt.date | None = None, stale_days: int = DEFAULT_STALE_DAYS,
                 top: int = DEFAULT_TOP, generated_at: str | None = None) -> dict[str, Any]:
    """The report as plain data (what --format json prints). Rows that are not usable records are skipped and
    counted (with `skipped`, what the store already skipped); `gaps` are the log's holes (StoredRecords.gaps)."""
    today = today or dt.date.today()
    unanswered, bad_unanswered = clean_rows(unanswered, "unanswered")
    feedback, bad_feedback = clean_rows(feedback, "feedback")
    gap_rows, bad_gaps = clean_rows(gaps or [], "log_gaps")
    skipped = dict(skipped or {})
    for table, count in (("unanswered", bad_unanswered), ("feedback", bad_feedback), ("log_gaps", bad_gaps)):
        skipped[table] = skipped.get(table, 0) + count
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
            "not_logged": sum(g["dropped"] for g in gap_rows),
            "skipped_malformed": skipped,
        },
        "unanswered": _unanswered_groups(core, unanswered, top),
        "gaps": _gaps(gap_rows),
        "feedback": _feedback(core, feedback),
        "stale": {"days": stale_days, "today": today.isoformat(), "entries": stale},
        "aliases": _aliases(core),
    }


def report_from(core: AnswerCore, records: StoredRecords, **options: Any) -> dict[str, Any]:
    """build_report on what bot.storage.load_records read (its source, gaps and skipped rows included)."""
    return build_report(core, records.unanswered, records.feedback, gaps=records.gaps, skipped=records.skipped,
                        source=records.source, **options)


def to_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2)


# --- markdown ------------------------------------------------------------------------------------------

# Stored text is untrusted (anyone can ask a question; an import file can hold anything). HTML's three characters
# become entities; Markdown's inline markers get a backslash; and because GitHub links bare URLs, e-mail addresses,
# @mentions and #references even when escaped, a zero-width space breaks each of those patterns.
_MARKDOWN = re.compile(r"([\\`*_\[\]!|~$])")
_AUTOLINK = re.compile(r"(?i)(https?|ftp|mailto|xmpp|www)(?=[:.])|([@#])")
_ZWSP = "\u200b"


def _text(text: Any) -> str:
    """Stored text made inert for Markdown and HTML: shown as written, never as markup, a link or a mention."""
    text = " ".join(str(text).split())  # one line: no headings, lists or code blocks can start
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _AUTOLINK.sub(lambda m: (m.group(1) or m.group(2)) + _ZWSP, text)
    return _MARKDOWN.sub(r"\\\1", text)


def _code(text: Any) -> str:
    """A code span that holds any text (fenced by more backticks than it contains): shown literally."""
    text = " ".join(str(text).split())
    longest = max((len(run) for run in re.findall("`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") or longest else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def _quote(text: str) -> str:
    text = " ".join(str(text).split())
    if len(text) > MAX_QUOTE_CHARS:
        text = text[: MAX_QUOTE_CHARS - 1] + "…"
    return "“" + _text(text) + "”"


def _cell(text: str) -> str:
    return _text(text)  # | is escaped too, so a cell cannot split a table row


_HOW = {
    "answered_now": "the current knowledge base answers this",
    "did_you_mean": "the bot asks “did you mean”",
    "similar_word": "shares the word “{word}”",
}
_FIELD = {"name": "name", "synonyms": "synonym", "abbreviations": "abbreviation", "ambiguous_terms": "ambiguous term"}
_REASON = {
    "queue_full": "the log fell behind (its queue was full)",
    "write_failed": "the database could not be written",
    "bad_record": "the database refused the record",
    "not_written_at_exit": "still queued when the program ended",
}


def _gap_lines(report: dict[str, Any]) -> list[str]:
    t = report["totals"]
    lines = []
    skipped = {k: v for k, v in t.get("skipped_malformed", {}).items() if v}
    if skipped:
        lines += ["", "Skipped as malformed (not records this version can read): "
                  + ", ".join(f"{n} {_text(table)} row(s)" for table, n in sorted(skipped.items())) + "."]
    if report.get("gaps"):
        lines += ["", f"## Gaps in the unanswered log: {t['not_logged']} question(s) not logged", "",
                  "| From | To | Questions | Adapter | Why |", "|---|---|---:|---|---|"]
        for g in report["gaps"]:
            lines.append(f"| {_text(g['first_at'] or '?')} | {_text(g['last_at'] or '?')} | {g['dropped']} | "
                         f"{_text(g['adapter'] or 'any')} | {_text(_REASON.get(g['reason'], g['reason']))} |")
    return lines


def to_markdown(report: dict[str, Any]) -> str:
    t = report["totals"]
    lines = ["# ivig-chat curator report", ""]
    lines.append(f"Generated {_text(report['generated_at'])}"
                 + (f" from {_code(report['source'])}" if report["source"] else "")
                 + f"; knowledge base version {_text(report['knowledge_version'])}.")
    lines.append(f"Recorded: {t['unanswered']} unanswered question(s) ({t['unanswered_distinct']} distinct); "
                 f"{t['feedback']} feedback record(s): {t['good']} good, {t['bad']} bad."
                 + (f" Not logged: {t['not_logged']} (see the gaps below)." if t.get("not_logged") else ""))
    lines += _gap_lines(report)
    lines += ["", "## Unanswered questions, by nearest condition", ""]
    if not report["unanswered"]:
        lines.append("None recorded.")
    for group in report["unanswered"]:
        title = " / ".join(_text(c["name"]) for c in group["conditions"]) or "No close condition"
        how = _HOW.get(group["how"] or "", "").format(word=_text(group["word"]))
        lines.append(f"### {title}: {group['count']}" + (f" ({how})" if how else ""))
        lines.append("")
        for q in group["questions"]:
            who = f", {q['users']} user(s)" if q["users"] else ""
            kinds = ", ".join(_text(kind) for kind in q["kinds"])
            lines.append(f"- {q['count']} × {_quote(q['text'])} ({kinds}{who}; last {_text(q['last_asked'][:10])})")
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
            lines += ["", f"### {_text(name)}", ""]
            for c in e["comments"]:
                older = "" if c["current_knowledge"] else " (about an older knowledge base)"
                lines.append(f"- {_text(c['rating'])}, {_text(c['at'][:10])}: {_quote(c['comment'])} on "
                             f"{_quote(c['question'])}{older}")
            for q in e["bad_questions"]:
                lines.append(f"- rated bad {q['count']} ×: {_quote(q['text'])}")
    stale = report["stale"]
    lines += ["", f"## Entries last reviewed more than {stale['days']} days ago", ""]
    if not stale["entries"]:
        lines.append("None.")
    for s in stale["entries"]:
        lines.append(f"- {_text(s['name'])} ({_code(s['id'])}): last reviewed {s['last_reviewed']}, "
                     f"{s['age_days']} days ago")
    aliases = report["aliases"]
    lines += ["", "## Aliases that collide or come close", "",
              f"Close (rapidfuzz ratio ≥ {aliases['threshold']:g} between different conditions):", ""]
    if not aliases["close"]:
        lines.append("None.")
    for pair in aliases["close"]:
        a, b = pair["a"], pair["b"]
        lines.append(f"- {pair['score']:g}: {_code(a['text'])} ({_FIELD[a['field']]} of {_code(a['condition'])}) ~ "
                     f"{_code(b['text'])} ({_FIELD[b['field']]} of {_code(b['condition'])})"
                     + (" (both ambiguous: the bot asks)" if pair["both_ambiguous"] else ""))
    lines += ["", "Shared terms (the same words in several conditions; declared ambiguous, so the bot asks):", ""]
    if not aliases["shared"]:
        lines.append("None.")
    for s in aliases["shared"]:
        lines.append(f"- {_code(s['term'])}: {', '.join(_text(c) for c in s['conditions'])}")
    return "\n".join(lines).rstrip() + "\n"


def load_rows(data_dir: Path | None, database_url: str | None = None
              ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], str]:
    """The stored records, read without creating or changing anything: no database yet means no records. (Kept for
    callers of the first version: `bot.storage.load_records` with `report_from` also gives the log's gaps and the
    count of skipped rows.)"""
    from bot.storage import load_records

    records = load_records(data_dir, database_url)
    return records.unanswered, records.feedback, records.source
