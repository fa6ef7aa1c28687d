"""Details on request, follow-ups that answer what was asked, and many conditions on one paged comparison."""

import pytest

from bot.adapters.collecting import COMMANDS as COLLECTING
from bot.adapters.terminal import COMMANDS
from bot.app import make_service
from bot.models import Question
from bot.present import page_text, pages_text, present
from bot.present.compose import COMPARE_PER_PAGE
from bot.settings import Settings


@pytest.fixture
def service(core):
    return make_service(core, Settings.defaults(), adapter="t", commands=COMMANDS)


def text_of(reply):
    return pages_text(reply.presentation.pages)


def test_details_give_population_figures_caveats_and_full_references(service):
    service.ask("k", "systemic capillary leak syndrome")
    details = text_of(service.ask("k", Question(text="/more", focus="more")))
    assert "Figures:" in details and "Caveat:" in details and "References" in details
    assert "48 of the 69" in details or "48 of 69" in details


@pytest.mark.parametrize("typed", ["more", "tell me more", "details"])
def test_typed_more_gives_the_details(service, typed):
    service.ask("k", "myasthenia gravis")
    reply = service.handle_line("k", typed)
    assert reply.answer.focus == "more" and "Figures:" in text_of(reply)


def test_how_many_patients_gives_the_counts_and_nothing_else(service):
    service.ask("k", "myasthenia gravis")
    text = text_of(service.ask("k", "how many patients?"))
    assert text.startswith("Patient numbers for Myasthenia gravis: 51 patients (randomised trial [")
    assert "References" not in text and "Guidelines" not in text


def test_is_that_an_rct_gives_the_designs(service):
    service.ask("k", "myasthenia gravis")
    text = text_of(service.ask("k", "is that an RCT?"))
    assert text.startswith("Study designs behind Myasthenia gravis:") and "1 randomised trial" in text
    assert "Patient numbers" not in text


def test_sources_gives_the_references_only(service):
    service.ask("k", "myasthenia gravis")
    text = text_of(service.ask("k", "sources?"))
    assert text.startswith("Sources for Myasthenia gravis:") and "Zinman L (2007)" in text
    assert "Patient numbers" not in text and "Study designs" not in text


def names_within_the_read_limit(core) -> str:
    """As many condition names as one question may hold (the core reads its first 2,000 characters)."""
    names = ""
    for cond in sorted(core.kb.conditions.values(), key=lambda c: len(c.name)):
        if len(names) + len(cond.name) + 2 > 2000:
            break
        names += (", " if names else "") + cond.name
    return names


def test_many_conditions_make_one_comparison_page_at_a_time(core, service):
    names = names_within_the_read_limit(core)
    reply = service.ask("k", names)
    answer, presentation = reply.answer, reply.presentation
    assert len(answer.conditions) >= names.count(", ") * 0.9 and len(answer.conditions) > 3 * COMPARE_PER_PAGE
    numbered = [[line for s in p.sections for line in s.lines if line.pick] for p in presentation.pages]
    assert all(len(lines) <= COMPARE_PER_PAGE for lines in numbered)
    assert sum(len(lines) for lines in numbered) == len(answer.conditions)
    assert len(presentation.pages) == -(-len(answer.conditions) // COMPARE_PER_PAGE)
    assert all(len(page_text(p)) <= 2000 for p in presentation.pages)


def test_the_asker_picks_one_condition_of_a_comparison_by_its_number(service):
    reply = service.ask("k", "IVIG in kawasaki disease, CIDP, multifocal motor neuropathy and pemphigus?")
    first = reply.presentation.pages[0].picks()[0]
    picked = service.handle_line("k", str(first.number))
    assert [c.id for c in picked.answer.conditions] == [first.pick]
    assert len(picked.presentation.pages) == 1  # its short answer


def test_two_conditions_get_two_short_answers(service):
    reply = service.ask("k", "compare CIDP and multifocal motor neuropathy")
    text = text_of(reply)
    assert "Chronic inflammatory demyelinating polyneuropathy\n" in text and "Multifocal motor neuropathy\n" in text


def test_the_same_answer_renders_the_same_for_every_adapter(core):
    """REPL, JSON and Discord render from one structured answer: only the command words differ."""
    answer = core.answer(Question(text="kawasaki disease"))
    repl = pages_text(present(answer.model_copy(deep=True), core.texts, COMMANDS).pages)
    other = pages_text(present(answer.model_copy(deep=True), core.texts, COLLECTING).pages)
    assert repl.replace(COMMANDS.more, COLLECTING.more) == other


def test_did_you_mean_reasons_are_whole_sentences(core):
    answer = core.answer(Question(text="AD"))
    present(answer, core.texts, COMMANDS)
    for suggestion in answer.suggestions:
        assert suggestion.reason[0] in "“\"" or suggestion.reason[0].isupper()
        assert suggestion.reason.endswith(".")
    assert "could also mean such as" not in answer.message
