"""Pages as Discord embeds or plain messages (render.py): every line of a page shown, within Discord's limits,
for every page the shipped base produces; user text never formats or pings."""

import discord
import pytest

from bot.adapters.discord import render
from bot.adapters.discord.bot import commands_for
from bot.adapters.discord.render import escape, message_embed, page_content, page_embeds, shorten
from bot.models import Question
from bot.present import Line, Page, Section, Style, present
from bot.schema import Direction
from bot.service import ChatService
from discord_fakes import assert_payload_within_limits, make_settings

HOSTILE = "**bold** @everyone <@123> ||spoiler|| `code` __under__ ~~strike~~ > quote"
RAW_MARKUP = ["**bold**", "@everyone", "<@123>", "||spoiler||", "`code`", "__under__", "~~strike~~"]


def payload(page: Page, kind: str = "answer", marker: str | None = None) -> dict:
    return {"embeds": [e.to_dict() for e in page_embeds(page, kind, marker)]}


def shown_text(embeds: list[discord.Embed]) -> str:
    return "\n".join(f"{e.title or ''}\n{e.description or ''}" for e in embeds)


def every_page(core):
    """Every page of every answer the shipped base gives for one condition, a list, a filter or all at once."""
    settings = make_settings()
    commands = commands_for(settings)
    service = ChatService(core, settings, adapter="discord", commands=commands)
    questions = [Question(text=c.name, condition_ids=(cid,)) for cid, c in sorted(core.kb.conditions.items())]
    questions += [service.list_question(words) for words in ["", *(d.value for d in Direction),
                                                             *core.kb.specialties]]
    questions.append(Question(text="IVIG in " + ", ".join(c.name for c in core.kb.conditions.values())))
    questions += [Question(text="sources"), Question(text="help"), Question(text="AD")]
    for question in questions:
        shown = present(core.answer(question), core.texts, commands)
        for pages in (shown.pages, shown.details):
            for index, page in enumerate(pages):
                yield shown.kind, page, (f"page {index + 1} of {len(pages)}" if len(pages) > 1 else None)


# --- escaping -----------------------------------------------------------------------------------------------


def test_escape_neutralises_markdown_and_every_kind_of_mention():
    text = HOSTILE + " <@!42> <@&7> <#9> @here <@1234567890123456789012>"
    escaped = escape(text)
    for raw in RAW_MARKUP + ["<@!42>", "<@&7>", "<#9>", "@here", "<@1234567890123456789012>"]:
        assert raw not in escaped, raw
    assert escaped.replace("\\", "").replace("\u200b", "") == text  # everything still there, as text
    assert escape("https://pubmed.ncbi.nlm.nih.gov/2426590/") == "https://pubmed.ncbi.nlm.nih.gov/2426590/"


@pytest.mark.parametrize("style", list(Style))
def test_hostile_text_in_any_line_title_or_footer_is_shown_as_text(style):
    page = Page([Section(HOSTILE, [Line(HOSTILE, style, number=1)])], footer=HOSTILE)
    embeds = page_embeds(page, "answer", "page 1 of 2")
    assert escape(HOSTILE) in embeds[0].description and embeds[0].title.startswith(escape(HOSTILE)[:20])
    content = page_content(page, "page 1 of 2")
    for text in (shown_text(embeds), content):
        for raw in RAW_MARKUP:
            assert raw not in text, (raw, text)
    assert embeds[-1].footer.text == f"page 1 of 2 · {HOSTILE}"  # footers never format or ping


def test_a_plain_message_embed_is_escaped():
    embed = message_embed(HOSTILE, "clarify")
    assert embed.description == escape(HOSTILE) and embed.colour == render.COLOURS["clarify"]


# --- the shape of a page ------------------------------------------------------------------------------------


def test_each_titled_section_is_an_embed_and_untitled_parts_join_the_one_before():
    page = Page([Section(None, [Line("How I read it", Style.note)]),
                 Section("Condition A", [Line("summary"), Line("finding", Style.item)]),
                 Section(None, [Line("[1] A reference", Style.reference)]),
                 Section("Did you mean", [Line("B: why", Style.numbered, number=2, pick="b")]),
                 Section("Group", [Line("Neurology", Style.heading)])], footer="Not medical advice.")
    embeds = page_embeds(page, "answer", "page 2 of 3")
    assert [e.title for e in embeds] == [None, "Condition A", "Did you mean", "Group"]
    assert embeds[0].description == "*How I read it*"
    assert embeds[1].description == "summary\n• finding\n\n[1] A reference"
    assert embeds[2].description == "**2.** B: why" and embeds[3].description == "__Neurology__"
    assert [e.footer.text for e in embeds] == [None, None, None, "page 2 of 3 · Not medical advice."]
    assert all(e.colour == render.DEFAULT_COLOUR for e in embeds)


def test_a_page_as_a_plain_message():
    page = Page([Section("Condition A", [Line("summary"), Line("finding", Style.item)])], footer="Not advice.")
    assert page_content(page, "page 1 of 2") == "**Condition A**\nsummary\n• finding\n-# Not advice.\n-# page 1 of 2"


def test_an_empty_page_still_says_something():
    assert page_embeds(Page(), "answer")[0].description == render.NOTHING_TO_SAY
    assert page_content(Page()) == render.NOTHING_TO_SAY


def test_more_sections_than_a_message_takes_embeds_lose_nothing():
    """Discord takes 10 embeds per message: further sections join the last one, and the footer (with the page
    number) stays."""
    page = Page([Section(f"Specialty {i} (1)", [Line(f"Condition {i}", Style.item)]) for i in range(15)],
                footer="Not medical advice.")
    embeds = page_embeds(page, "list", "page 1 of 3")
    assert len(embeds) == 10
    text = shown_text(embeds)
    assert all(f"Condition {i}" in text and f"Specialty {i} (1)" in text for i in range(15))
    assert embeds[-1].footer.text == "page 1 of 3 · Not medical advice."
    assert_payload_within_limits(payload(page, "list", "page 1 of 3"))


def test_oversized_parts_are_cut_to_discords_limits():
    page = Page([Section("T" * 300, [Line("word " * 1000)])], footer="F" * 3000)
    embeds = page_embeds(page, "answer", "page 1 of 2")
    assert len(embeds[0].title) <= 256 and embeds[0].title.endswith(render.ELLIPSIS)
    assert len(embeds[0].description) <= 4096 and len(embeds[0].footer.text) <= 2048
    assert len(page_content(page)) <= 2000


def test_shorten_cuts_between_words():
    assert shorten("Chronic inflammatory demyelinating polyneuropathy", 30) == "Chronic inflammatory…"
    assert shorten("short", 30) == "short"
    assert shorten("x" * 120, 100) == "x" * 99 + render.ELLIPSIS
    assert all(len(shorten("word " * n, 80)) <= 80 for n in range(40))


# --- every page of the shipped base -------------------------------------------------------------------------


def test_every_page_of_the_shipped_base_fits_one_message_as_embeds_and_as_text(core):
    count = 0
    for kind, page, marker in every_page(core):
        embeds = page_embeds(page, kind, marker)
        assert_payload_within_limits({"embeds": [e.to_dict() for e in embeds]})
        assert len(page_content(page, marker)) <= 2000
        lines = [line for section in page.sections for line in section.lines]
        text = shown_text(embeds)
        assert all(escape(line.text) in text for line in lines), "a line of the page is missing"
        if marker:
            assert embeds[-1].footer.text.startswith(marker)
        count += 1
    assert count >= len(core.kb.conditions) * 2
