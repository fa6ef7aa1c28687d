"""The curator report on a seeded database, as JSON and as Markdown that plants nothing.

Unanswered questions by nearest condition, feedback per condition, stale entries, close aliases, the log's gaps and
skipped malformed rows; stored text shown as text, never as links, images, mentions or HTML."""

import datetime as dt
import json

import pytest

from bot.report import NearestCondition, build_report, load_rows, report_from, to_json, to_markdown
from bot.storage import DB_NAME, AnswerSnapshot, Store, load_records

TODAY = dt.date(2026, 11, 25)
AT = "2026-11-20T09:00:00+00:00"


def snap(question, kind="not_found", conditions=(), suggestions=(), version="current"):
    return AnswerSnapshot(question, kind, "evidence", tuple(conditions), tuple(suggestions), version)


@pytest.fixture
def seeded(tmp_path, core):
    version = core.kb.version
    with Store(tmp_path) as store:
        # questions that share a word of a covered name ("xanthogranuloma") and name no covered condition
        asked = "ivig for xanthogranuloma lesions"
        for question, user, at in [(asked, "ann", AT), (asked, "bob", AT), (asked, "ann", "2026-11-24T10:00:00+00:00"),
                                   ("IVIG for Xanthogranuloma lesions?", "cat", AT),
                                   ("xanthogranuloma lesion treatment", "ann", AT)]:
            store.record_unanswered(snap(question, version=version), adapter="discord", user_id=user, created_at=at)
        for _ in range(2):
            store.record_unanswered(snap("AD", "clarify", suggestions=("alzheimer-disease", "atopic-dermatitis")),
                                    adapter="repl", user_id="ann", created_at=AT)
        store.record_unanswered(snap("what about zebra fever"), adapter="json", created_at=AT)
        store.record_unanswered(snap("guillan bare"), adapter="repl", created_at=AT)  # answered by today's base
        store.record_unanswered(snap("line one\nline two `code` | pipe"), adapter="discord", created_at=AT)

        mg = snap("does ivig help mg?", "answer", ["myasthenia-gravis"], version=version)
        store.record_feedback(mg, "good", adapter="repl", user_id="ann", created_at=AT)
        store.record_feedback(mg, "good", adapter="discord", user_id="bob", created_at=AT)
        store.record_feedback(snap("mg", "answer", ["myasthenia-gravis"], version="0ld0ld0ld0ld"), "bad",
                              "missing the 2019 trial", adapter="discord", user_id="cat", created_at=AT)
        store.record_feedback(snap("cidp", "answer", ["chronic-inflammatory-demyelinating-polyneuropathy"],
                                   version=version), "bad", adapter="repl", created_at=AT)
        store.record_feedback(snap("ivig for zebra fever", version=version), "bad", "please cover zebra fever",
                              adapter="json", created_at=AT)
    unanswered, feedback, source = load_rows(tmp_path)
    return build_report(core, unanswered, feedback, source=source, today=TODAY,
                        generated_at="2026-11-25T12:00:00+00:00")


def test_unanswered_questions_grouped_by_nearest_condition(seeded):
    groups = seeded["unanswered"]
    assert seeded["totals"]["unanswered"] == 10 and seeded["totals"]["unanswered_distinct"] == 6
    top = groups[0]
    assert [c["id"] for c in top["conditions"]] == ["necrobiotic-xanthogranuloma"]
    assert top["how"] == "similar_word" and top["word"] == "xanthogranuloma" and top["count"] == 5
    first, second = top["questions"]
    assert first["text"] == "ivig for xanthogranuloma lesions" and first["count"] == 4  # "IVIG for Xanthogranuloma ..." too
    assert first["users"] == 3 and first["adapters"] == {"discord": 4}
    assert first["last_asked"] == "2026-11-24T10:00:00+00:00"
    assert second["text"] == "xanthogranuloma lesion treatment" and second["count"] == 1
    ad = groups[1]
    assert {c["id"] for c in ad["conditions"]} == {"alzheimer-disease", "atopic-dermatitis"}
    assert ad["how"] == "did_you_mean" and ad["count"] == 2 and ad["questions"][0]["kinds"] == {"clarify": 2}
    by_how = {g["how"]: g for g in groups}
    assert [c["id"] for c in by_how["answered_now"]["conditions"]] == ["guillain-barre-syndrome"]
    nowhere = by_how[None]
    assert nowhere["conditions"] == [] and nowhere["count"] == 2
    assert {q["text"] for q in nowhere["questions"]} == {"what about zebra fever", "line one line two `code` | pipe"}


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
    assert entries[None]["comments"][0]["comment"] == "please cover zebra fever"
    assert seeded["feedback"][0]["condition"]["id"] == "myasthenia-gravis"  # most bad, then most rated


def test_stale_entries(core):
    assert build_report(core, [], [], today=TODAY)["stale"]["entries"] == []
    later = build_report(core, [], [], today=TODAY + dt.timedelta(days=400), stale_days=365)["stale"]
    assert len(later["entries"]) == len(core.kb.conditions) and later["days"] == 365
    entry = later["entries"][0]
    reviewed = dt.date.fromisoformat(entry["last_reviewed"])
    assert entry["age_days"] == (TODAY + dt.timedelta(days=400) - reviewed).days and entry["file"].endswith(".yaml")


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
    assert "### Necrobiotic xanthogranuloma: 5 (shares the word “xanthogranuloma”)" in text
    assert "- 4 × “ivig for xanthogranuloma lesions” (not\\_found, 3 user(s); last 2026-11-24)" in text
    assert "| Myasthenia gravis | 2 | 1 |" in text
    assert "“missing the 2019 trial” on “mg” (about an older knowledge base)" in text
    assert "“line one line two \\`code\\` \\| pipe”" in text  # one line, no code span, no table cell
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
    assert nearest.find("ivig for zebra fever") == {"ids": [], "how": None, "word": None}
    assert nearest.find("myasthenia gravis")["how"] == "answered_now"


# --- what the stored text may not do, what the log could not keep, rows that are not records ---------------

HOSTILE = [
    "[click](https://evil.example/x) ![t](https://evil.example/p.png) <img src=x onerror=alert(1)>",
    "<script>alert(1)</script> <https://evil.example> https://evil.example/a www.evil.example user@evil.example",
    "**bold** _em_ ~~del~~ `code` &lt;b&gt;entity&lt;/b&gt; \\[x](https://evil.example) $x^2$ @everyone #1",
    "[ref]: https://evil.example\n# heading\n> quote\n- item | cell |",
]


@pytest.fixture
def hostile(tmp_path, core):
    version = core.kb.version
    with Store(tmp_path) as store:
        for text in HOSTILE:
            store.record_unanswered(snap(text), adapter="discord", user_id="eve", created_at=AT)
            store.record_feedback(snap(text, "answer", ["myasthenia-gravis"], version=version), "bad", text,
                                  adapter="discord", user_id="eve", created_at=AT)
            store.record_feedback(snap("mg", "answer", ["no-such-[condition](https://evil.example)"]), "bad",
                                  text, adapter="discord", created_at=AT)
    return build_report(core, *load_rows(tmp_path)[:2], today=TODAY, generated_at="2026-11-25T12:00:00+00:00")


def test_stored_text_is_shown_as_text_never_as_markup(hostile):
    text = to_markdown(hostile)
    for planted in ("](https://", "<img", "<script", "<https://", "**bold**", "@everyone", "https://evil",
                    "www.evil", "user@evil", "\n# heading", "\n> quote", "\n[ref]:"):
        assert planted not in text
    assert "&lt;img src=x onerror=alert(1)&gt;" in text and "&amp;lt;b&amp;gt;" in text
    assert "\\[click\\](https://" not in text  # the URL itself is broken too, not only the brackets
    lines = text.splitlines()
    assert not any(line.startswith(("# heading", "> ", "[ref]")) for line in lines)


def test_github_renders_stored_text_without_links_images_or_html(hostile):
    cmarkgfm = pytest.importorskip("cmarkgfm", reason="the test extra installs cmarkgfm, GitHub's renderer")
    from cmarkgfm.cmark import Options

    # UNSAFE lets raw HTML through, the worst renderer a curator could use; GitHub itself also autolinks.
    html = cmarkgfm.github_flavored_markdown_to_html(to_markdown(hostile), options=Options.CMARK_OPT_UNSAFE)
    for tag in ("<a ", "<img", "<script", "<strong>", "<em>", "<del>", "<blockquote>", "<h1>heading", "<b>"):
        assert tag not in html, tag
    assert "click" in html and "evil" in html and "alert(1)" in html  # shown, as text


def test_gaps_and_malformed_rows_are_reported(core, tmp_path):
    with Store(tmp_path) as store:
        store.record_unanswered(snap("ivig for zebra fever"), adapter="json", created_at=AT)
        store.record_gap("queue_full", 3712, adapter="json", first_at=AT, last_at="2026-11-20T09:00:04+00:00")
        store.record_gap("bad_record", 1, adapter="discord", first_at=AT, last_at=AT)
        store._conn.execute("INSERT INTO unanswered (created_at, adapter, question, answer_kind, intent, "
                            "condition_ids, suggestion_ids, knowledge_version) VALUES "
                            "(1, 'json', x'00ff', 'not_found', 'e', 'not json', '[]', 'v')")
    records = load_records(tmp_path)
    report = report_from(core, records, today=TODAY)
    assert report["totals"]["not_logged"] == 3713 and report["totals"]["unanswered"] == 1
    assert report["totals"]["skipped_malformed"] == {"unanswered": 1, "feedback": 0, "log_gaps": 0}
    extra = build_report(core, [{"question": None}], [{"rating": "meh"}], today=TODAY)  # rows given directly
    assert extra["totals"]["skipped_malformed"] == {"unanswered": 1, "feedback": 1, "log_gaps": 0}
    text = to_markdown(report)
    assert "## Gaps in the unanswered log: 3713 question(s) not logged" in text
    assert "| 3712 | json | the log fell behind (its queue was full) |" in text
    assert "Skipped as malformed (not records this version can read): 1 unanswered row(s)." in text
    assert "Not logged: 3713" in text
    gaps = json.loads(to_json(report))["gaps"]
    assert [(g["reason"], g["dropped"]) for g in gaps] == [("bad_record", 1), ("queue_full", 3712)]
