"""A word matches however it is written: with or without diacritics, in any alef form, in any case."""

import pytest

from domain.search import index_terms, search_form, search_terms


@pytest.mark.parametrize(
    ("written", "plain"),
    [
        ("مُنَظَّمَة", "منظمه"),  # diacritics dropped, ta marbuta -> ha
        ("الإسلامي", "الاسلامي"),  # alef with hamza below
        ("أستانا", "استانا"),  # alef with hamza above
        ("آسيا", "اسيا"),  # alef madda
        ("ٱلتعاون", "التعاون"),  # alef wasla
        ("مؤتمر", "موتمر"),  # hamza on waw
        ("هيئة", "هييه"),  # hamza on yaa, ta marbuta
        ("مستوى", "مستوي"),  # alef maqsura
        ("التـــعاون", "التعاون"),  # tatweel
        ("Genève", "geneve"),
        ("SESRIC", "sesric"),
        ("Straße", "strasse"),  # full case folding
    ],
)
def test_a_word_has_one_search_form(written: str, plain: str) -> None:
    assert search_form(written) == search_form(plain) == plain


def test_search_terms_are_the_words_in_search_form() -> None:
    assert search_terms("منظمة التعاون الإسلامي (OIC), 2024!") == ["منظمه", "التعاون", "الاسلامي", "oic", "2024"]


@pytest.mark.parametrize(
    ("word", "also_found_as"),
    [
        ("لمكافحة", "مكافحه"),
        ("الإطار", "اطار"),
        ("والتعاون", "تعاون"),
        ("بالمنظمة", "منظمه"),
        ("للسنتين", "سنتين"),
        ("وتمكين", "تمكين"),
    ],
)
def test_an_arabic_word_is_also_indexed_without_its_prefixes(word: str, also_found_as: str) -> None:
    assert also_found_as in index_terms(word)


def test_short_words_are_not_cut_down() -> None:
    assert index_terms("الى ولد") == ["الي", "ولد"]
