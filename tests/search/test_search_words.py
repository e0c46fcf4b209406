"""Arabic search finds what people type: the query gets the keys the index gets, on a table of real word forms.

Run as ``python -m tests.search.test_search_words`` to print the figures of decision 0017.
"""

from collections.abc import Callable

import snowballstemmer

from domain.search import finds, index_terms, query_words, search_terms
from tests.arabic_word_forms import GROUPS
from tests.conftest import Api
from tests.fakes import FrozenClock
from tests.records import commitment, meeting
from tests.world import World

Index = Callable[[str], list[str]]
Query = Callable[[str], list[tuple[str, ...]]]
FORMS = [(group, form) for group, forms in GROUPS.items() for form in forms]
_stem = snowballstemmer.stemmer("arabic").stemWord


def measure(index: Index, query: Query) -> tuple[float, list[tuple[str, str]], list[tuple[str, str]]]:
    """Recall over the pairs of forms of one group, and the misses and false matches (pairs of two groups)."""
    found = missed = 0
    misses: list[tuple[str, str]] = []
    false: list[tuple[str, str]] = []
    indexed = {form: index(form) for _, form in FORMS}
    for query_group, asked in FORMS:
        words = query(asked)
        for text_group, text in FORMS:
            if asked == text:
                continue
            hit = finds(words, indexed[text])
            if query_group == text_group:
                found += hit
                missed += not hit
                if not hit:
                    misses.append((asked, text))
            elif hit:
                false.append((asked, text))
    return found / (found + missed), misses, false


RULES: tuple[Index, Query] = (lambda text: index_terms(text), query_words)
SNOWBALL: tuple[Index, Query] = (
    lambda text: [_stem(w) for w in search_terms(text)],
    lambda text: [(_stem(w),) for w in search_terms(text)],
)
BEFORE: tuple[Index, Query] = (lambda text: index_terms(text), lambda text: [(w,) for w in search_terms(text)])


def test_the_table_holds_at_least_sixty_word_forms_of_the_samples() -> None:
    assert len(FORMS) >= 60


def test_every_form_of_a_word_finds_the_others_and_no_other_word() -> None:
    recall, misses, false = measure(*RULES)
    assert false == []
    # What is left are suffixes (دولة / الدول, إطارا / إطار, مؤسسة / مؤسسات), which no rule here strips.
    assert recall >= 0.95, misses


def test_the_rules_find_more_and_confuse_less_than_a_light_stemmer() -> None:
    rules_recall, _, rules_false = measure(*RULES)
    stemmer_recall, _, stemmer_false = measure(*SNOWBALL)
    assert rules_recall > stemmer_recall
    assert len(rules_false) < len(stemmer_false)


def test_a_query_with_an_article_finds_what_the_index_stripped() -> None:
    """The bug: the article was stripped from stored words only, so الإنتربول missed للإنتربول."""
    before, _, _ = measure(*BEFORE)
    after, _, _ = measure(*RULES)
    assert after > before
    assert finds(query_words("الإنتربول"), index_terms("بالتعاون مع للإنتربول"))
    assert finds(query_words("الأمم"), index_terms("مؤسسة تابعة للأمم المتحدة"))


def test_every_spelling_of_one_name_has_the_same_matches() -> None:
    spellings = GROUPS["interpol"]
    for asked in spellings:
        assert all(finds(query_words(asked), index_terms(text)) for text in spellings), asked
    assert not finds(query_words("الانتربول"), index_terms("الأمم المتحدة"))


def test_arabic_indic_and_persian_digits_are_digits() -> None:
    assert search_terms("الدورة ٢٠٢٤ و ۲۰۲۴") == ["الدوره", "2024", "و", "2024"]
    assert finds(query_words("2024"), index_terms("في عام ٢٠٢٤"))


def test_an_underscore_separates_words_as_the_engines_do() -> None:
    assert search_terms("IOFS_2024") == ["iofs", "2024"]


if __name__ == "__main__":
    for name, strategy in (
        ("before: the index strips, the query does not", BEFORE),
        ("rules on both sides (chosen)", RULES),
        ("Snowball Arabic stemmer on both sides", SNOWBALL),
    ):
        recall, misses, false = measure(*strategy)
        print(f"{name}: recall {recall:.3f} ({len(misses)} pairs missed), {len(false)} false matches")
        print("   false matches:", false[:10])


# -- through the API, on both engines --------------------------------------------------------------


def found(api: Api, q: str) -> set[str]:
    return {item["id"] for item in api.get("/commitments", q=q, limit=200).json()["items"]}


def test_every_spelling_of_a_name_finds_the_same_records_in_both_engines(api: Api, world: World) -> None:
    written = [
        "بالتعاون مع الإنتربول",
        "تقرير مرفوع للأنتربول",
        "اتفاق مع انتربول أوروبا",
        "الانتربول والجمارك",
        "دعم الإِنْتَرْبُول",
        "الإنتـــربول",
    ]
    ids = {
        api.created("/commitments", commitment(world.meeting, world.oic, text={"texts": {"ar": text}}))["id"]
        for text in written
    }
    for spelling in GROUPS["interpol"]:
        assert found(api, spelling) == ids, spelling
    assert found(api, "الأمم") == found(api, "للأمم") == found(api, "أمم")  # the world's quote says للأمم


def test_digits_in_any_script_find_the_same_year(api: Api, world: World) -> None:
    dated = api.created(
        "/commitments", commitment(world.meeting, world.oic, text={"texts": {"ar": "عقد الدورة السادسة عشرة في ٢٠٢٤"}})
    )["id"]
    assert found(api, "2024") == found(api, "۲۰۲۴") == found(api, "٢٠٢٤") == {dated}


def test_the_texts_of_meeting_documents_are_searchable(api: Api, world: World, clock: FrozenClock) -> None:
    report = api.created(
        "/meetings",
        meeting(
            [world.un],
            series=None,
            session_number=None,
            documents=[
                {
                    "language": "ar",
                    "title": "بيان صحفي",
                    "text": "واتفق الطرفان على مواصلة التشاور والتنسيق لمتابعة تنفيذ المشروعات المشتركة",
                }
            ],
        ),
    )
    hits = api.get("/meetings", q="التشاور المشروعات").json()["items"]
    assert [m["id"] for m in hits] == [report["id"]]
    added = api.created("/meetings", meeting([world.un], series=None, session_number=None))
    before = clock.now.isoformat()
    clock.advance(days=1)
    response = api.post(
        f"/meetings/{added['id']}/documents",
        {"language": "en", "text": "The two sides agreed to fight drug trafficking"},
    )
    assert response.status_code == 200, response.text
    assert [m["id"] for m in api.get("/meetings", q="trafficking").json()["items"]] == [added["id"]]
    assert api.get("/meetings", q="trafficking", as_of=before).json()["total"] == 0  # not before it was added
    assert api.get("/meetings", as_of=before).json()["total"] == 3
