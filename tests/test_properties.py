"""Property-based tests: any text gives a valid, deterministic Answer and never an exception."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.models import Answer, AnswerKind, Question

# Text users paste: any Unicode, plus pieces that stress the normaliser (mentions, zero-width, RTL marks,
# code fences, names of covered conditions with noise around them).
PIECES = st.sampled_from([
    "<@123>", "<@!9>", "<#77>", "<@&5>", "@everyone", "\u200b", "\u202e", "\ufeff", "```", "**", "||",
    "myasthenia gravis", "MG", "mg", "CIDP", "AD", "pemphigoid", "Guillain-Barré", "haemolytic", "🙂", "\x00",
    "\n", "  ", "?", "ivig", "400 MG/kg", "ＣＩＤＰ", "ﬁ", "İ", "ß",
])
TEXT = st.one_of(
    st.text(max_size=10_000),
    st.lists(st.one_of(PIECES, st.text(max_size=20)), max_size=200).map("".join),
)

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(TEXT)
def test_any_text_gives_a_valid_answer(core, text):
    answer = core.answer(Question(text=text))
    assert isinstance(answer, Answer)
    Answer.model_validate(answer.model_dump())  # round-trips through the contract
    if answer.kind is AnswerKind.answer:
        assert answer.conditions and answer.citations
    numbers = [c.number for c in answer.citations]
    assert numbers == list(range(1, len(numbers) + 1))


@SETTINGS
@given(TEXT)
def test_the_same_text_always_gives_the_same_answer(core, text):
    assert core.answer(Question(text=text)).model_dump() == core.answer(Question(text=text)).model_dump()


@SETTINGS
@given(st.text(max_size=300), st.lists(st.sampled_from(["myasthenia-gravis", "kawasaki-disease", "nope"]), max_size=3))
def test_any_follow_up_with_any_context_is_valid(core, text, previous):
    answer = core.answer(Question(text=text, previous_condition_ids=tuple(previous)))
    assert all(c.id != "nope" for c in answer.conditions)
