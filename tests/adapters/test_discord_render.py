"""Discord rendering: the REPL's findings and citations, whole, in embeds and messages within Discord's limits."""

import datetime as dt

import pytest

from bot.adapters import discord_render as dr
from bot.adapters.discord_render import (
    Block,
    embed_messages,
    embeds_from_blocks,
    escape,
    pack,
    plain_messages,
    suggestion_choices,
)
from bot.models import (
    Answer,
    AnswerKind,
    Citation,
    ConditionAnswer,
    ConditionRef,
    Design,
    Direction,
    FindingView,
    ListEntry,
    MatchMethod,
    Question,
)
from bot.render import citation_line, finding_line, render_text

# --- helpers ----------------------------------------------------------------------------------------------


def assert_within_limits(messages):
    """Every message and embed respects Discord's limits."""
    for embeds in messages:
        assert 1 <= len(embeds) <= dr.EMBEDS_PER_MESSAGE
        assert sum(len(e) for e in embeds) <= dr.EMBED_TOTAL
        for e in embeds:
            assert len(e.title or "") <= dr.EMBED_TITLE
            assert len(e.description or "") <= dr.EMBED_DESCRIPTION
            assert len(e.fields) <= dr.EMBED_FIELDS
            for f in e.fields:
                assert 0 < len(f.name) <= dr.FIELD_NAME and 0 < len(f.value) <= dr.FIELD_VALUE
            assert len(e.footer.text or "") <= dr.EMBED_FOOTER


def descriptions(messages) -> list[str]:
    return [e.description or "" for embeds in messages for e in embeds]


def assert_whole_and_in_order(items: list[str], containers: list[str]):
    """Each item sits whole inside one container (an embed or a message), and the items keep their order."""
    index, offset = 0, 0
    for item in items:
        while index < len(containers) and containers[index].find(item, offset) < 0:
            index, offset = index + 1, 0
        assert index < len(containers), f"split, missing or out of order: {item[:80]}…"
        offset = containers[index].find(item, offset) + len(item)


def squash(text: str) -> str:
    return " ".join(text.split())


def synthetic_answer(findings: int, citations: int, statement_chars: int = 900, title_chars: int = 380,
                     name: str = "Synthetic condition") -> Answer:
    """A long answer made up for the limits: many long findings and citations under one condition."""
    views = [
        FindingView(statement=f"Finding {i}: " + ("lorem ipsum dolor sit amet " * 60)[:statement_chars],
                    direction=Direction.effective, direction_label="effective", design=Design.review,
                    patients=10 + i, citations=[1 + (i % citations), 1 + ((i + 1) % citations)])
        for i in range(findings)
    ]
    cites = [
        Citation(number=n, key=f"ref-{n}", first_author=f"Author{n} A", year=2000 + n % 20,
                 title=f"Work {n} " + ("on immunoglobulin in a rare disease " * 20)[:title_chars],
                 journal="Journal of Tests", volume=str(n), pages="1-10", pmid=str(10_000_000 + n),
                 pubmed_url=f"https://pubmed.ncbi.nlm.nih.gov/{10_000_000 + n}/", verified=n % 3 != 0)
        for n in range(1, citations + 1)
    ]
    condition = ConditionAnswer(
        id="synthetic", name=name, score=1.0, matched_text=name, method=MatchMethod.exact, specialty="testing",
        evidence_summary="A summary sentence. " * 10, last_reviewed=dt.date(2026, 11, 25), findings=views,
        favourable=[1], unfavourable=[],
    )
    return Answer(question="synthetic", intent="evidence", kind=AnswerKind.answer, conditions=[condition],
                  citations=cites, disclaimer="Not medical advice.", knowledge_version="test",
                  last_reviewed=dt.date(2026, 11, 25))


# --- the splitter -----------------------------------------------------------------------------------------


def test_pack_keeps_items_whole_and_in_order():
    items = [f"item {i} " + "x" * (i * 37 % 300) for i in range(200)]
    chunks = pack(items, 1000)
    assert all(len(c) <= 1000 for c in chunks)
    assert "\n".join(chunks).split("\n") == items
    assert len(chunks) > 1


def test_pack_at_the_exact_limit():
    items = ["a" * 1000, "b" * 999]  # 1000 + newline + 999 = 2000
    assert pack(items, 2000) == ["a" * 1000 + "\n" + "b" * 999]
    assert pack(items + ["c"], 2000) == ["a" * 1000 + "\n" + "b" * 999, "c"]
    assert pack(["a" * 1000, "b" * 1000], 2000) == ["a" * 1000, "b" * 1000]


def test_pack_breaks_an_item_longer_than_the_limit_between_words_and_loses_nothing():
    giant = " ".join(f"word{i}" for i in range(2000))
    chunks = pack(["short", giant, "after"], 500)
    assert all(len(c) <= 500 for c in chunks)
    assert squash(" ".join(chunks)) == squash(f"short {giant} after")
    assert all(not c.startswith(" ") and not c.endswith(" ") for c in chunks)


def test_pack_cuts_a_single_word_longer_than_the_limit():
    chunks = pack(["x" * 2500], 1000)
    assert [len(c) for c in chunks] == [1000, 1000, 500]


def test_pack_skips_empty_items():
    assert pack(["", "a", "", "b"], 10) == ["a\nb"]


# --- long answers at the limits ---------------------------------------------------------------------------


@pytest.mark.parametrize("findings,citations", [(1, 1), (12, 8), (60, 80), (150, 200)])
def test_long_answers_split_between_findings_and_citations(findings, citations):
    answer = synthetic_answer(findings, citations)
    messages = embed_messages(answer)
    assert_within_limits(messages)
    texts = descriptions(messages)
    c = answer.conditions[0]
    assert_whole_and_in_order([escape(finding_line(f)) for f in c.findings], texts)
    assert_whole_and_in_order([escape(citation_line(x)) for x in answer.citations], texts)
    embeds = [e for m in messages for e in m]
    footers = [e.footer.text for e in embeds if e.footer.text]
    assert footers == ["Not medical advice. Knowledge base reviewed 2026-11-25."] and embeds[-1].footer.text
    if findings > 12:
        assert len(messages) > 1 and any(e.title == "Synthetic condition (continued)" for e in embeds)


def test_long_title_and_footer_still_fit_every_embed_within_6000():
    answer = synthetic_answer(40, 40, name="N" * 50 + " very long condition name " * 20)
    answer = answer.model_copy(update={"disclaimer": "Disclaimer words. " * 200})  # footer > 2,048
    messages = embed_messages(answer)
    assert_within_limits(messages)
    embeds = [e for m in messages for e in m]
    assert embeds[0].title.endswith("…") and len(embeds[0].title) <= 256
    assert len(embeds[-1].footer.text) <= dr.EMBED_FOOTER


def test_ten_small_embeds_make_one_message_and_the_eleventh_a_new_one():
    blocks = [Block(title=f"Part {i}", lines=["short line"]) for i in range(11)]
    messages = embeds_from_blocks(blocks)
    assert [len(m) for m in messages] == [10, 1]


def test_fields_split_at_1024_and_25_per_embed():
    entries = [ListEntry(id=f"c{i}", name=f"Condition number {i} " + "with a long name " * 3,
                         specialty=f"specialty {i % 30}", directions=[Direction.effective]) for i in range(600)]
    answer = Answer(question="list", intent="list_conditions", kind=AnswerKind.list, listing=entries,
                    message="600 condition(s) in my knowledge base.", disclaimer="Not medical advice.",
                    knowledge_version="t")
    messages = embed_messages(answer)
    assert_within_limits(messages)
    embeds = [e for m in messages for e in m]
    values = "\n".join(f.value for e in embeds for f in e.fields).split("\n")
    groups: dict[str, list[str]] = {}
    for entry in entries:
        groups.setdefault(entry.specialty, []).append(escape(entry.name))
    assert values == [name for names in groups.values() for name in names]
    assert any(f.name.endswith("(continued)") for e in embeds for f in e.fields)
    assert len(embeds) > 1


def test_plain_text_fallback_stays_under_2000_and_keeps_findings_whole():
    answer = synthetic_answer(30, 30)
    messages = plain_messages(answer)
    assert all(len(m) <= dr.MESSAGE_CONTENT for m in messages)
    assert_whole_and_in_order([escape(finding_line(f)) for f in answer.conditions[0].findings], messages)
    assert_whole_and_in_order([escape(citation_line(x)) for x in answer.citations], messages)
    assert messages[-1].endswith("Knowledge base reviewed 2026-11-25.")


def test_buttons_at_most_25_with_labels_of_at_most_80():
    refs = [ConditionRef(id=f"c-{i}", name="A condition with a really long name " * 4, score=0.9, matched_text="x",
                         method=MatchMethod.fuzzy, reason="looks like it") for i in range(40)]
    answer = Answer(question="x", intent="evidence", kind=AnswerKind.clarify, suggestions=refs, message="Did you mean?",
                    disclaimer="d", knowledge_version="t")
    choices = suggestion_choices(answer)
    assert len(choices) == dr.BUTTONS_PER_MESSAGE
    assert all(len(label) <= dr.BUTTON_LABEL for _id, label in choices)


# --- the same content as the REPL -------------------------------------------------------------------------

SAME_AS_REPL = [
    "does ivig help myastenia gravis?",
    "compare Guillain-Barré syndrome and CIDP",
    "atopic dermatitis",
    "IVIG in multiple sclerosis, Kawasaki disease and ITP",
    "systemic capillary leak syndrome",
]


@pytest.mark.parametrize("question", SAME_AS_REPL)
def test_discord_answers_carry_the_repl_findings_and_citations(ask, question):
    answer = ask(question)
    repl = squash(render_text(answer))
    messages = embed_messages(answer)
    assert_within_limits(messages)
    texts = descriptions(messages)
    shown_findings, shown_citations = [], []
    for c in answer.conditions:
        for f in c.findings:
            assert squash(finding_line(f)) in repl
            shown_findings.append(escape(finding_line(f)))
    for x in answer.citations:
        assert squash(citation_line(x)) in repl
        shown_citations.append(f"**[{x.number}]** {escape(citation_line(x))}")
    assert_whole_and_in_order(shown_findings, texts)
    assert_whole_and_in_order(shown_citations, texts)
    titles = [e.title for m in messages for e in m]
    assert [c.name for c in answer.conditions] == [t for t in titles if t in {c.name for c in answer.conditions}]
    assert sum(t == "References" for t in titles) == 1
    footer = [e.footer.text for m in messages for e in m if e.footer.text]
    assert footer == [f"{answer.disclaimer} Knowledge base reviewed {answer.last_reviewed.isoformat()}."]


def test_one_embed_per_condition(ask):
    answer = ask("compare Guillain-Barré syndrome and CIDP")
    titles = [e.title for m in embed_messages(answer) for e in m]
    assert titles[:2] == ["Guillain-Barré syndrome", "Chronic inflammatory demyelinating polyneuropathy"]


def test_the_fuzzy_reading_and_disagreement_are_shown(ask):
    text = "\n".join(descriptions(embed_messages(ask("myastenia gravis"))))
    assert "I read “myastenia gravis” as Myasthenia gravis; match score" in text
    text = "\n".join(descriptions(embed_messages(ask("atopic dermatitis"))))
    assert "Sources disagree: for IVIG" in text


def test_user_words_cannot_inject_markdown(ask):
    answer = ask("ivig for *myastenia* gravis")
    assert answer.conditions[0].matched_text == "myastenia* gravis"
    text = "\n".join(descriptions(embed_messages(answer)))
    assert "I read “myastenia\\* gravis” as Myasthenia gravis" in text


def test_clarify_lists_choices_and_offers_buttons(ask):
    answer = ask("AD")
    (embeds,) = embed_messages(answer)
    assert embeds[0].title == "Did you mean…?"
    assert "1. Alzheimer disease" in embeds[0].description
    assert [label for _id, label in suggestion_choices(answer)] == ["Alzheimer disease", "Atopic dermatitis"]


def test_not_found_points_to_the_discord_list_command(ask):
    text = "\n".join(descriptions(embed_messages(ask("the mg of ivig per kg"))))
    assert "/ivig-list" in text and "type /list" not in text


def test_help_is_worded_for_discord(ask):
    (embeds,) = embed_messages(ask("help"), help_text="Use /ivig.")
    assert embeds[0].description == "Use /ivig."


def test_list_groups_conditions_by_specialty_in_fields(ask):
    answer = ask("", intent="list_conditions", specialty="neurology")
    (embeds,) = embed_messages(answer)
    assert [f.name for f in embeds[0].fields] == ["Neurology (22)"]
    assert "Myasthenia gravis" in embeds[0].fields[0].value.split("\n")


def test_every_condition_of_the_knowledge_base_renders_within_limits(core):
    for condition_id in core.kb.conditions:
        answer = core.answer(Question(text="", condition_ids=(condition_id,)))
        assert_within_limits(embed_messages(answer))
        assert all(len(m) <= dr.MESSAGE_CONTENT for m in plain_messages(answer))


def test_an_answer_with_nothing_in_it_still_says_something():
    answer = Answer(question="", intent="evidence", kind=AnswerKind.answer, disclaimer="d", knowledge_version="t")
    (embeds,) = embed_messages(answer)
    assert embeds[0].description == dr.NOTHING_TO_SAY


# --- echoes of the user's words are escaped ---------------------------------------------------------------

HOSTILE = "**bold** @everyone <@123> ||spoiler|| `code`"
RAW_MARKUP = ["**bold**", "@everyone", "<@123>", "||spoiler||", "`code`"]


def hostile_answers() -> list[Answer]:
    """Answers that quote the user in every place the core can: a fuzzy reading, "did you mean" reasons, notes."""
    evidence = synthetic_answer(2, 2)
    condition = evidence.conditions[0].model_copy(update={"method": MatchMethod.fuzzy, "matched_text": HOSTILE})
    suggestion = ConditionRef(id="c-1", name="Other condition", score=0.8, matched_text=HOSTILE,
                              method=MatchMethod.fuzzy, reason=f"“{HOSTILE}” looks like “other”")
    notes = [f"“{HOSTILE}” is not Other condition, which I do cover."]
    return [
        evidence.model_copy(update={"conditions": [condition], "suggestions": [suggestion], "notes": notes}),
        Answer(question=HOSTILE, intent="evidence", kind=AnswerKind.clarify, suggestions=[suggestion],
               message="Did you mean Other condition?", notes=notes, disclaimer="d", knowledge_version="t"),
        Answer(question=HOSTILE, intent="list_conditions", kind=AnswerKind.list, message="0 condition(s).",
               notes=[f"I have no specialty called “{HOSTILE}”; specialties: neurology."], disclaimer="d",
               knowledge_version="t"),
    ]


@pytest.mark.parametrize("answer", hostile_answers(), ids=["evidence", "clarify", "list"])
def test_echoed_user_text_is_escaped_in_embeds_and_plain_text(answer):
    embeds = [e for m in embed_messages(answer) for e in m]
    embed_text = "\n".join([e.title or "" for e in embeds] + [e.description or "" for e in embeds]
                           + [f.value for e in embeds for f in e.fields])
    plain_text = "\n".join(plain_messages(answer))
    for text in (embed_text, plain_text):
        assert escape(HOSTILE) in text  # shown, as text
        for raw in RAW_MARKUP:
            assert raw not in text
