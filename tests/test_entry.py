"""AliasEntry keeps its rarely set fields in one tuple that every plain name shares."""

from bot.match.entry import PLAIN, AliasEntry, Extras
from bot.models import MatchMethod


def test_a_name_with_no_rare_field_shares_the_plain_extras(core):
    entries = core.matcher.lexicon.entries
    plain = [e for e in entries if e.extras == PLAIN]
    assert len(plain) > len(entries) // 2  # most names: the comparison is not vacuous
    assert all(e.extras is PLAIN for e in plain)


def test_every_rare_field_reads_through_the_entry():
    values = {"other_meanings": ("x",), "blocks": True, "cues": (("a", "b"),), "cue_groups": frozenset({"kids"}),
              "other_cues": (("c",),), "answer_with_note": True, "answer_alone": True, "eponym": True,
              "subtype": "ocular form", "doid": "DOID:1"}
    assert set(values) == set(Extras._fields)
    entry = AliasEntry.of("c", "Name", MatchMethod.ambiguous, False, "", ("name",), **values)
    assert {k: getattr(entry, k) for k in values} == values
    assert entry.extras is not PLAIN


def test_but_changes_own_and_rare_fields_and_shares_plain_again():
    entry = AliasEntry.of("c", "Susac syndrome", MatchMethod.exact, False, "", ("susac", "syndrome"), eponym=True)
    changed = entry.but(words=("susac",), eponym=False)
    assert changed.words == ("susac",) and not changed.eponym and changed.text == entry.text
    assert changed.extras is PLAIN
    assert entry.but(doid="DOID:2").doid == "DOID:2" and entry.but(doid="DOID:2").eponym
    assert AliasEntry.of("c", "x", MatchMethod.exact, False, "", ("x",), blocks=False).extras is PLAIN
