"""The curator report on a seeded database: unanswered questions by nearest condition, feedback per condition,
stale entries and close aliases, as JSON and as markdown."""

import datetime as dt
import json

import pytest

from bot.report import NearestCondition, build_report, load_rows, to_json, to_markdown
from bot.storage import DB_NAME, AnswerSnapshot, Store

TODAY = dt.date(2026, 11, 25)
AT = "2026-11-20T09:00:00+00:00"


def snap(question, kind="not_found", conditions=(), suggestions=(), version="current"):
    return AnswerSnapshot(question, kind, "evidence", tuple(conditions), tuple(suggestions), version)


@pytest.fixture
def seeded(tmp_path, core):
    version = core.kb.version
    with Store(tmp_path) as store:
        for question, user, at in [("ivig for pyoderma", "ann", AT), ("ivig for pyoderma", "bob", AT),
                                   ("ivig for pyoderma", "ann", "2026-11-24T10:00:00+00:00"),
                                   ("IVIG for Pyoderma?", "cat", AT), ("pyoderma treatment", "ann", AT)]:
            store.record_unanswered(snap(question, version=version), adapter="discord", user_id=user, created_at=at)
        for _ in range(2):
            store.record_unanswered(snap("AD", "clarify", suggestions=("alzheimer-disease", "atopic-dermatitis")),
                                    adapter="repl", user_id="ann", created_at=AT)
        store.record_unanswered(snap("what about narcolepsy"), adapter="json", created_at=AT)
        store.record_unanswered(snap("guillan bare"), adapter="repl", created_at=AT)  # answered by today's base
        store.record_unanswered(snap("line one\nline two `code` | pipe"), adapter="discord", created_at=AT)

        mg = snap("does ivig help mg?", "answer", ["myasthenia-gravis"], version=version)
        store.record_feedback(mg, "good", adapter="repl", user_id="ann", created_at=AT)
        store.record_feedback(mg, "good", adapter="discord", user_id="bob", created_at=AT)
        store.record_feedback(snap("mg", "answer", ["myasthenia-gravis"], version="0ld0ld0ld0ld"), "bad",
                              "missing the 2019 trial", adapter="discord", user_id="cat", created_at=AT)
        store.record_feedback(snap("cidp", "answer", ["chronic-inflammatory-demyelinating-polyneuropathy"],
                                   version=version), "bad", adapter="repl", created_at=AT)
        store.record_feedback(snap("ivig for narcolepsy", version=version), "bad", "please cover narcolepsy",
                              adapter="json", created_at=AT)
    unanswered, feedback, source = load_rows(tmp_path)
    return build_report(core, unanswered, feedback, source=source, today=TODAY, generated_at="2026-11-25T12:00:00+00:00")


def test_unanswered_questions_grouped_by_nearest_condition(seeded):
    groups = seeded["unanswered"]
    assert seeded["totals"]["unanswered"] == 10 and seeded["totals"]["unanswered_distinct"] == 6
    top = groups[0]
    assert [c["id"] for c in top["conditions"]] == ["pyoderma-gangrenosum"]
    assert top["how"] == "similar_word" and top["word"] == "pyoderma" and top["count"] == 5
    first, second = top["questions"]
    assert first["text"] == "ivig for pyoderma" and first["count"] == 4  # "IVIG for Pyoderma?" is the same question
    assert first["users"] == 3 and first["adapters"] == {"discord": 4}
    assert first["last_asked"] == "2026-11-24T10:00:00+00:00"
    assert second["text"] == "pyoderma treatment" and second["count"] == 1
    ad = groups[1]
    assert {c["id"] for c in ad["conditions"]} == {"alzheimer-disease", "atopic-dermatitis"}
    assert ad["how"] == "did_you_mean" and ad["count"] == 2 and ad["questions"][0]["kinds"] == {"clarify": 2}
    by_how = {g["how"]: g for g in groups}
    assert [c["id"] for c in by_how["answered_now"]["conditions"]] == ["guillain-barre-syndrome"]
    nowhere = by_how[None]
    assert nowhere["conditions"] == [] and nowhere["count"] == 2
    assert {q["text"] for q in nowhere["questions"]} == {"what about narcolepsy", "line one line two `code` | pipe"}


def test_feedback_per_condition(seeded):
    assert seeded["totals"]["feedback"] == 5 and seeded["totals"]["good"] == 2 and seeded["totals"]["bad"] == 3
    entries = {(e["condition"] or {}).get("id"): e for e in seeded["feedback"]}
    mg = entries["myasthenia-gravis"]
    assert (mg["good"], mg["bad"]) == (2, 1)
    (comment,) = mg["comments"]
    assert comment["comment"] == "missing the 2019 trial" and comment["rating"] == "bad"
    assert comment["current_knowledge"] is False and comment["question"] == "mg"
    cidp = entries["chronic-inflammatory-demyelinating-polyneuropathy"]
    assert (cidp["good"], cidp["bad"]) == (0, 1) and cidp["bad_questions"] == [{"text": "cidp", "count": 1}]
    assert entries[None]["comments"][0]["comment"] == "please cover narcolepsy"
    assert seeded["feedback"][0]["condition"]["id"] == "myasthenia-gravis"  # most bad, then most rated


def test_stale_entries(core):
    assert build_report(core, [], [], today=TODAY)["stale"]["entries"] == []
    later = build_report(core, [], [], today=TODAY + dt.timedelta(days=400), stale_days=365)["stale"]
    assert len(later["entries"]) == len(core.kb.conditions) and later["days"] == 365
    entry = later["entries"][0]
    assert entry["age_days"] == 400 and entry["file"].endswith(".yaml")


def test_close_and_shared_aliases(seeded):
    aliases = seeded["aliases"]
    pairs = {(p["a"]["text"], p["b"]["text"]) for p in aliases["close"]}
    assert ("adult immune thrombocytopenic purpura", "autoimmune thrombocytopenic purpura") in pairs
    assert all(p["score"] >= 90 and p["a"]["condition"] != p["b"]["condition"] for p in aliases["close"])
    shared = {s["term"]: s["conditions"] for s in aliases["shared"]}
    assert shared["AD"] == ["alzheimer-disease", "atopic-dermatitis"]


def test_json_round_trips(seeded):
    assert json.loads(to_json(seeded)) == seeded


def test_markdown(seeded):
    text = to_markdown(seeded)
    assert text.startswith("# ivig-chat curator report\n")
    for heading in ("## Unanswered questions, by nearest condition", "## Feedback per condition",
                    "## Entries last reviewed more than 365 days ago", "## Aliases that collide or come close"):
        assert heading in text
    assert "### Pyoderma gangrenosum: 5 (shares the word “pyoderma”)" in text
    assert "- 4 × “ivig for pyoderma” (not_found, 3 user(s); last 2026-11-24)" in text
    assert "| Myasthenia gravis | 2 | 1 |" in text
    assert "“missing the 2019 trial” on “mg” (about an older knowledge base)" in text
    assert "“line one line two 'code' | pipe”" in text  # one line, no stray code span
    assert "- `AD`: alzheimer-disease, atopic-dermatitis" in text


def test_an_empty_report(core, tmp_path):
    unanswered, feedback, source = load_rows(tmp_path / "none")
    assert (unanswered, feedback) == ([], []) and source.endswith(DB_NAME)
    assert not (tmp_path / "none").exists()
    text = to_markdown(build_report(core, unanswered, feedback, today=TODAY))
    assert text.count("None recorded.") == 2


def test_nearest_condition(core):
    nearest = NearestCondition(core)
    assert nearest.find("pemfigus")["ids"] == ["pemphigus"]
    assert nearest.find("ivig for narcolepsy") == {"ids": [], "how": None, "word": None}
    assert nearest.find("myasthenia gravis")["how"] == "answered_now"
