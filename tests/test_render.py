"""Plain-text rendering: summary line first, findings with citations, references, disclaimer."""

from bot.render import render_text


def test_answer_text_opens_with_the_evidence_line_and_ends_with_the_disclaimer(ask):
    answer = ask("myasthenia gravis")
    text = render_text(answer)
    assert text.startswith("Myasthenia gravis: ")
    assert "References:" in text
    assert "Zinman L (2007)" in text and "https://doi.org/10.1212/01.wnl.0000256698.69121.45" in text
    assert text.rstrip().splitlines()[-1].startswith("This summarises published evidence")


def test_unverified_citations_say_so(ask):
    text = render_text(ask("systemic capillary leak syndrome"))
    assert "unverified" in text
    assert "HR 0.27" in text


def test_fuzzy_match_explains_what_it_read(ask):
    text = render_text(ask("myastenia gravis"))
    assert "I read “myastenia gravis” as Myasthenia gravis" in text


def test_disagreement_is_shown_side_by_side(ask):
    text = render_text(ask("atopic dermatitis"))
    assert "Sources disagree: for IVIG" in text


def test_clarify_lists_numbered_choices(ask):
    text = render_text(ask("AD"))
    assert "Did you mean" in text and "  1. " in text


def test_list_groups_by_specialty(ask):
    text = render_text(ask("list conditions"))
    assert "Neurology:" in text and "  - Myasthenia gravis" in text


def test_sources_that_differ_without_a_favourable_side_are_still_shown(ask):
    text = render_text(ask("covid-19"))
    assert "Sources differ: against" in text and "mixed results" in text


def test_sources_that_agree_get_no_disagreement_line(ask):
    assert "Sources di" not in render_text(ask("kawasaki disease"))
