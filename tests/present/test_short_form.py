"""The short answer: one page, one line per finding, short references with links, within chat-sized bounds."""

import statistics

import pytest

from bot.adapters.terminal import COMMANDS
from bot.models import Question
from bot.present import page_text, pages_text, present
from bot.present.document import Style
from bot.present.plain import WIDTH

MAX_LINES = 30  # every single-condition short answer fits a terminal screen at 80 columns
P50_CHARS = 700
P90_CHARS = 1_100


def short(core, condition_id):
    name = core.kb.conditions[condition_id].name
    answer = core.answer(Question(text=name, condition_ids=(condition_id,)))
    return answer, present(answer, core.texts, COMMANDS)


@pytest.fixture(scope="module")
def every_short_form(core):
    return {cid: short(core, cid) for cid in core.kb.conditions}


def test_every_condition_fits_one_page_and_thirty_lines_at_eighty_columns(every_short_form):
    too_long = {}
    for cid, (_answer, presentation) in every_short_form.items():
        text = pages_text(presentation.pages)
        lines = text.splitlines()
        too_wide = [line for line in lines if len(line) > WIDTH and " " in line.strip()]  # a bare URL cannot wrap
        if len(presentation.pages) != 1 or len(lines) > MAX_LINES or too_wide:
            too_long[cid] = (len(presentation.pages), len(lines))
    assert too_long == {}


def test_short_answers_stay_chat_sized_over_the_shipped_base(every_short_form):
    sizes = sorted(len(pages_text(p.pages)) for _a, p in every_short_form.values())
    p90 = sizes[int(0.9 * (len(sizes) - 1))]
    assert statistics.median(sizes) <= P50_CHARS and p90 <= P90_CHARS, (statistics.median(sizes), p90, sizes[-1])


def test_one_line_per_finding_strongest_first_with_citations(every_short_form):
    for cid, (answer, presentation) in every_short_form.items():
        (condition,) = answer.conditions
        items = [line for s in presentation.pages[0].sections for line in s.lines if line.style is Style.item]
        assert len(items) == len(condition.findings), cid
        for line, finding in zip(items, condition.findings):
            assert line.text.endswith("".join(f"[{n}]" for n in finding.citations)), (cid, line.text)


def test_the_myasthenia_answer_opens_with_its_name_and_carries_the_trial(core):
    answer, presentation = short(core, "myasthenia-gravis")
    text = page_text(presentation.pages[0])
    assert text.startswith("Myasthenia gravis\n")
    assert "RCT, 51 patients" in text
    assert "https://doi.org/10.1212/01.wnl.0000256698.69121.45" in text
    assert text.rstrip().splitlines()[-1].startswith(answer.disclaimer.split(";")[0][:20]) or "not medical advice" in text
    assert "Details: type /more." in text


def test_references_are_links_a_reader_can_follow_never_mirrors(every_short_form):
    for cid, (answer, presentation) in every_short_form.items():
        text = pages_text(presentation.pages) + pages_text(presentation.details)
        for citation in answer.citations:
            if citation.url and not citation.primary_page and citation.url not in (citation.pubmed_url, citation.doi_url):
                assert citation.url not in text, (cid, citation.key, citation.url)
            if citation.pmid:
                assert citation.pubmed_url in text, (cid, citation.key)
            elif citation.doi:
                assert citation.doi_url in text, (cid, citation.key)


def test_no_reference_is_shown_as_author_not_recorded_or_by_its_key(every_short_form):
    for cid, (answer, presentation) in every_short_form.items():
        text = pages_text(presentation.pages)
        assert "Author not recorded" not in text
        for citation in answer.citations:
            assert f"] {citation.key}" not in text, (cid, citation.key)


def test_patient_counts_are_in_correct_plural(every_short_form):
    for cid, (_answer, presentation) in every_short_form.items():
        text = pages_text(presentation.pages) + pages_text(presentation.details)
        assert " 1 patients" not in text, cid


@pytest.mark.parametrize("words", ["seed copy", "stored web copy", "stored copy", "the facts file", "pages corpus"])
def test_no_words_about_how_the_knowledge_base_was_made(every_short_form, words):
    for cid, (_answer, presentation) in every_short_form.items():
        text = (pages_text(presentation.pages) + pages_text(presentation.details)).lower()
        assert words not in text, cid


def test_thin_evidence_says_so_in_the_first_line(every_short_form, core):
    thin = [cid for cid, cond in core.kb.conditions.items() if cond.evidence_basis is not None]
    assert thin
    for cid in thin:
        title = every_short_form[cid][1].pages[0].sections[0].title
        assert page_text(every_short_form[cid][1].pages[0]).startswith(title.split()[0])
        assert "the only evidence is" in title and title.endswith("this is not a recommendation."), cid


def test_a_fuzzy_reading_is_said(ask, core):
    answer = ask("myastenia gravis")
    text = page_text(present(answer, core.texts, COMMANDS).pages[0])
    assert "I read “myastenia gravis” as Myasthenia gravis." in text


def test_a_section_split_between_pages_reads_as_one_in_a_terminal():
    """The details of a condition with long findings fill two pages; printed together, "References" once."""
    from bot.present.document import Line, Page, Section

    pages = [Page([Section("Kawasaki disease", [Line("a")]), Section("References", [Line("[1] one")])], "footer"),
             Page([Section("References", [Line("[2] two")])], "footer")]
    text = pages_text(pages)
    assert text.count("References") == 1 and text.count("footer") == 1
    assert text.index("[1] one") < text.index("[2] two")


def test_the_details_of_a_real_answer_name_their_references_once(core):
    from bot.models import Question

    answer = core.answer(Question(text="painful small fiber neuropathy ivig"))
    details = present(answer, core.texts, COMMANDS).details
    assert len(details) > 1  # the case this guards: the references went on to a second page
    assert pages_text(details).count("\nReferences\n") == 1
