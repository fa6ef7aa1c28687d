"""Normalisation: one canonical form for questions and names."""

import pytest

from bot.text import MAX_QUESTION_CHARS, canonical_phrase, case_key, clean, tokenize


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("haemolytic anaemia", ("hemolytic", "anemia")),
        ("oedema foetal paediatric", ("edema", "fetal", "pediatric")),
        ("Guillain-Barré", ("guillain", "barre")),
        ("Sjögren's syndrome", ("sjogren", "syndrome")),
        ("necrotising desensitisation", ("necrotizing", "desensitization")),
        ("SCLERO–MYXŒDEMA", ("sclero", "myxedema")),
        ("encephalopathy w autoimmune thyroiditis", ("encephalopathy", "with", "autoimmune", "thyroiditis")),
        ("hep B, Hep C", ("hepatitis", "b", "hepatitis", "c")),  # hepatitis, as notes write it
        ("HEP", ("hep",)),  # in capitals, an abbreviation of its own
        ("antiphospholipid synd, Stein-Leventhal Synd.", ("antiphospholipid", "syndrome", "stein", "leventhal",
                                                         "syndrome")),  # a syndrome cut short
    ],
)
def test_canonical_phrase_folds_spelling_variants(raw, expected):
    assert canonical_phrase(raw) == expected


def test_clean_removes_mentions_zero_width_and_control_characters():
    text, truncated = clean("<@123> does\u200b IVIG <@!45> help <#9> <@&7> MG?\x07\u202e")
    assert text == "does IVIG help MG?"
    assert not truncated


def test_clean_caps_length_and_says_so():
    text, truncated = clean("a" * (MAX_QUESTION_CHARS + 50))
    assert len(text) == MAX_QUESTION_CHARS and truncated


def test_token_spans_point_into_the_cleaned_text():
    text = "Does IVIG help Churg-Strauss?"
    tokens = tokenize(text)
    churg = next(t for t in tokens if t.canonical == "churg")
    assert text[churg.start : churg.end] == "Churg"


def test_case_key_keeps_case_and_drops_punctuation():
    assert case_key("MIS-C") == "MISC"
    assert case_key("mg") == "mg"


@pytest.mark.parametrize(("word", "folded"), [("oedema", "edema"), ("haemophilia", "hemophilia"), ("foetal", "fetal"),
                                              ("diarrhoea", "diarrhea"), ("coeliac", "celiac")])
def test_british_digraphs_fold(word, folded):
    assert canonical_phrase(word) == (folded,)


@pytest.mark.parametrize("word", ["does", "doesn", "goes", "toes", "shoe", "poem", "poems"])
def test_an_english_oe_at_the_end_of_a_word_stays(word):
    """"does" folded to "des" read "does ivig help evans syndrome" as the DES syndrome of the ontology; "poems"
    folded to "pems" left "POMES", a swap of two letters, two edits away from POEMS."""
    assert canonical_phrase(word) == (word,)


@pytest.mark.parametrize("word", ["angioedema", "cranioectodermal"])
def test_an_oe_where_two_parts_of_a_word_meet_stays(word):
    """"angioedema" is angio + edema: folded to "angiedema", it never met "angio-oedema" joined."""
    assert canonical_phrase(word) == (word,)
    assert "".join(canonical_phrase("angio-oedema")) == canonical_phrase("angioedema")[0]


def test_hereditary_angio_oedema_is_a_disease_not_found(core):
    assert core.matcher.find("hereditary angio-oedema ivig").not_found == ["hereditary angio-oedema"]
