"""Moving records between stores, and the same curator report from both backends.

An SQLite export imported into either backend keeps every column, a second import adds nothing, a refused line
costs only itself."""

import io
import json

import pytest

from bot.report import build_report, report_from, to_markdown
from bot.storage import AnswerSnapshot, StorageError, Store, export_records, import_records, load_records

AT = "2026-11-20T09:00:00+00:00"


def seed(store, version="v1"):
    """The same records, written the same way, into any store."""
    for n, question in enumerate(["ivig for pyoderma", "IVIG for Pyoderma?", "ivig for zebra fever", "AD"]):
        kind = "clarify" if question == "AD" else "not_found"
        suggestions = ("alzheimer-disease", "atopic-dermatitis") if question == "AD" else ()
        store.record_unanswered(AnswerSnapshot(question, kind, "evidence", (), suggestions, version),
                                adapter="discord", user_id=f"user{n % 2}", created_at=AT)
    mg = AnswerSnapshot("does ivig help mg?", "answer", "evidence", ("myasthenia-gravis",), (), version)
    store.record_feedback(mg, "good", adapter="repl", user_id="ann", created_at=AT)
    store.record_feedback(mg, "bad", "missing the 2019 trial", adapter="discord", user_id="bob", created_at=AT)
    store.record_gap("queue_full", 7, adapter="json", first_at=AT, last_at=AT)


def without_ids(rows):
    return [{k: v for k, v in row.items() if k != "id"} for row in rows]


def test_an_sqlite_export_moves_every_column_and_a_second_import_adds_nothing(backend, tmp_path):
    with Store(tmp_path / "sqlite") as source:
        seed(source)
        out = io.StringIO()
        assert export_records(source, out) == {"unanswered": 4, "feedback": 2, "log_gaps": 1}
        originals = {table: source.raw_rows(table) for table in ("unanswered", "feedback", "log_gaps")}
    lines = out.getvalue().splitlines()
    assert json.loads(lines[0])["format"] == "ivig-chat-records" and len(lines) == 8
    with backend.open() as target:
        counts = import_records(target, io.StringIO(out.getvalue()))
        assert counts == {"unanswered": {"added": 4, "already_there": 0, "rejected": 0},
                          "feedback": {"added": 2, "already_there": 0, "rejected": 0},
                          "log_gaps": {"added": 1, "already_there": 0, "rejected": 0}}
        again = import_records(target, io.StringIO(out.getvalue()))
        assert {t: c["added"] for t, c in again.items()} == {"unanswered": 0, "feedback": 0, "log_gaps": 0}
        assert {t: c["already_there"] for t, c in again.items()} == {"unanswered": 4, "feedback": 2, "log_gaps": 1}
        for table, rows in originals.items():
            assert without_ids(target.raw_rows(table)) == without_ids(rows)  # every column, as it was


def test_a_refused_or_unreadable_line_costs_only_itself(backend):
    row = {"created_at": AT, "adapter": "repl", "user_hash": None, "question": "q", "answer_kind": "answer",
           "intent": "evidence", "condition_ids": ["myasthenia-gravis"], "suggestion_ids": [],
           "knowledge_version": "v", "rating": "good", "comment": None}
    lines = [json.dumps({"format": "ivig-chat-records", "version": 1}),
             json.dumps({"table": "feedback", "row": row}),
             json.dumps({"table": "feedback", "row": {**row, "rating": "meh", "question": "refused"}}),
             "{not json",
             json.dumps({"table": "feedback", "row": {**row, "question": "second"}})]
    with backend.open() as target:
        counts = import_records(target, lines)
        assert counts["feedback"] == {"added": 2, "already_there": 0, "rejected": 1}
        assert counts["unreadable"]["rejected"] == 1
        assert [r["question"] for r in target.feedback()] == ["q", "second"]
        assert target.feedback()[0]["condition_ids"] == ["myasthenia-gravis"]
        again = import_records(target, lines)  # rows without a record_key get one from their content
        assert again["feedback"]["added"] == 0 and again["feedback"]["already_there"] == 2


def test_only_an_export_is_imported(tmp_path):
    with Store(tmp_path) as store, pytest.raises(StorageError, match="not an ivig-chat records export"):
        import_records(store, ["hello", "world"])


def test_the_report_is_the_same_from_both_backends(pg_backend, tmp_path, core):
    options = {"today": __import__("datetime").date(2026, 11, 25), "generated_at": "2026-11-25T12:00:00+00:00"}
    reports = []
    for url, folder in ((None, tmp_path / "sqlite"), (pg_backend.database_url, pg_backend.data_dir)):
        from bot.storage import open_store

        with open_store(url, folder) as store:
            seed(store, core.kb.version)
        records = load_records(folder, url)
        records.source = None  # the one line that must differ: where the records are
        reports.append(report_from(core, records, **options))
    sqlite_report, postgres_report = reports
    assert sqlite_report == postgres_report
    assert to_markdown(sqlite_report) == to_markdown(postgres_report)
    assert sqlite_report["totals"]["unanswered"] == 4 and sqlite_report["totals"]["not_logged"] == 7
    assert build_report(core, [], [], **options)["totals"]["unanswered"] == 0
