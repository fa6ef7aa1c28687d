"""AliasEntry keeps its rarely set fields in one tuple that every plain name shares; NameTable holds a lone entry bare."""

import pickle

from bot.match.entry import PLAIN, AliasEntry, Extras, NameTable
from bot.models import MatchMethod


def test_a_name_with_no_rare_field_shares_the_plain_extras(core):
    entries = core.matcher.lexicon.entries
    plain = [e for e in entries if e.extras == PLAIN]
    assert len(plain) > len(entries) // 2  # most names: the comparison is not vacuous
    assert all(e.extras is PLAIN for e in plain)


def test_every_rare_field_reads_through_the_entry():
    values = {"other_meanings": ("x",), "blocks": True, "cues": (("a", "b"),), "cue_groups": frozenset({"kids"}),
              "other_cues": (("c",),), "other_groups": frozenset({"newborn"}), "other_not_a_disease": True,
              "answer_with_note": True, "answer_alone": True, "setting": True,
              "eponym": True, "subtype": "ocular form", "doid": "DOID:1"}
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


def test_a_name_table_holds_one_entry_bare_and_reads_tuples_always():
    one = AliasEntry.of("a", "Alpha", MatchMethod.exact, False, "", ("alpha",))
    two = AliasEntry.of("b", "ALPHA", MatchMethod.abbreviation, True, "ALPHA", ("alpha",))
    table = NameTable()
    table.add("alpha", one)
    assert dict.get(table, "alpha") is one  # bare: no tuple of one
    assert table.get("alpha") == (one,) and table["alpha"] == (one,) and table.get("beta") == ()
    table.add("alpha", two)
    assert table.get("alpha") == (one, two) and dict(table.names()) == {"alpha": (one, two)}
    table.add("gamma", one)
    copy = pickle.loads(pickle.dumps(table))  # the built-core cache
    assert type(copy) is NameTable and dict.get(copy, "gamma") == one and copy.get("alpha") == (one, two)


def test_the_matchers_names_are_held_bare_when_single(core):
    table = core.matcher._exact
    assert isinstance(table, NameTable)
    bare = [key for key, found in dict.items(table) if isinstance(found, AliasEntry)]
    assert len(bare) > len(table) // 2
    assert all(table.get(key) == (dict.get(table, key),) for key in bare)
