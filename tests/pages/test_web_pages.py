"""The web pages, in-process: signing in, sessions and CSRF, roles and party scopes, languages and
directions, and the forms, which call the same use cases as the JSON API and refuse what it refuses."""

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.bootstrap import Services
from domain.access import Role
from tests.conftest import Api, app_on
from tests.fakes import FrozenClock
from tests.records import commitment
from tests.web import Visitor
from tests.world import World

SQLITE_ONLY = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)  # what is shown, not stored


def visitor_of(services: Services, https: bool = False) -> Iterator[Visitor]:
    with TestClient(
        app_on(services),
        base_url="https://testserver" if https else "http://testserver",
        follow_redirects=True,
    ) as client:
        yield Visitor(client)


@pytest.fixture
def visitor(services: Services) -> Iterator[Visitor]:
    yield from visitor_of(services)


def key(api: Api, role: Role) -> str:
    return api.keys[role]


def denials(services: Services) -> list[dict[str, Any]]:
    services.denials.flush()
    return services.denials.recent(None, 100)[0]


# -- signing in, sessions, CSRF -----------------------------------------------------------------------


def test_a_page_without_a_session_sends_the_visitor_to_sign_in_and_back_after(
    recorded: tuple[Api, World], visitor: Visitor
) -> None:
    api, world = recorded
    page = visitor.open(f"/commitments/{world.commitment}")
    assert page.url.endswith(f"/app/sign-in?next=/app/commitments/{world.commitment}")
    assert page.all("//input[@id='key'][@type='password']")
    landed = visitor.sign_in(key(api, Role.AUDITOR), f"/commitments/{world.commitment}")
    assert landed.url.endswith(f"/app/commitments/{world.commitment}")
    assert "Implement the matrix of joint activities" in landed.words()


def test_signing_in_with_an_unknown_key_is_refused_and_logged(
    recorded: tuple[Api, World], visitor: Visitor, services: Services
) -> None:
    page = visitor.sign_in("cmk_not-a-key")
    assert page.status == 401
    assert "This key is unknown or revoked." in page.words()
    assert any(d["reason"] == "sign-in with an unknown or revoked key" for d in denials(services))
    assert visitor.open("/").url.endswith("/app/sign-in?next=/app/")


def test_the_session_cookie_is_http_only_and_same_site_strict_and_secure_behind_https(
    services: Services, recorded: tuple[Api, World]
) -> None:
    api, _ = recorded
    for https in (False, True):
        for visitor in visitor_of(services, https):
            form = visitor.client.get("/app/sign-in")
            token = form.text.split('name="token" value="')[1].split('"')[0]
            answer = visitor.client.post(
                "/app/sign-in",
                data={"key": key(api, Role.AUDITOR), "token": token, "next": "/app/"},
                follow_redirects=False,
            )
            cookie = next(v for k, v in answer.headers.multi_items() if k == "set-cookie" and v.startswith("session="))
            assert "HttpOnly" in cookie and "SameSite=strict" in cookie.replace("Strict", "strict")
            assert ("Secure" in cookie) is https


def test_the_sign_in_form_refuses_a_post_without_its_own_token(recorded: tuple[Api, World], visitor: Visitor) -> None:
    api, _ = recorded
    answer = visitor.client.post(
        "/app/sign-in", data={"key": key(api, Role.ADMIN), "token": "forged", "next": "/app/"}, follow_redirects=False
    )
    assert answer.status_code == 403
    assert "session" not in answer.cookies


def test_a_session_ends_after_being_idle_and_after_its_lifetime(
    recorded: tuple[Api, World], visitor: Visitor, clock: FrozenClock
) -> None:
    api, _ = recorded
    visitor.sign_in(key(api, Role.AUDITOR))
    clock.advance(minutes=29)
    assert visitor.open("/").status == 200  # used: the idle time starts again
    clock.advance(minutes=29)
    assert visitor.open("/").status == 200
    clock.advance(minutes=31)
    assert "/app/sign-in" in visitor.open("/").url
    visitor.sign_in(key(api, Role.AUDITOR))
    for _ in range(25):  # used every 29 minutes, it still ends 12 hours after signing in
        clock.advance(minutes=29)
        page = visitor.open("/")
    assert "/app/sign-in" in page.url


def test_a_session_ends_when_its_key_is_revoked(
    recorded: tuple[Api, World], visitor: Visitor, services: Services
) -> None:
    api, _ = recorded
    principal, fresh = services.keys.create(Role.COORDINATOR, "soon revoked")
    visitor.sign_in(fresh)
    assert visitor.open("/").status == 200
    services.keys.revoke(principal.id)
    assert "/app/sign-in" in visitor.open("/").url


def test_signing_out_ends_the_session_and_its_cookie_opens_nothing(
    recorded: tuple[Api, World], visitor: Visitor
) -> None:
    api, _ = recorded
    visitor.sign_in(key(api, Role.AUDITOR))
    token = visitor.client.cookies.get("session")
    page = visitor.post("/sign-out", {})
    assert "You are signed out." in page.words()
    visitor.client.cookies.set("session", token)  # a copy of the cookie kept by someone else
    assert "/app/sign-in" in visitor.open("/").url


def test_a_form_posted_without_its_csrf_token_is_refused_logged_and_stores_nothing(
    recorded: tuple[Api, World], visitor: Visitor, services: Services
) -> None:
    api, world = recorded
    visitor.sign_in(key(api, Role.COORDINATOR))
    before = services.store.recorder.max_notification_id()
    for token in (None, "forged"):
        fields = {"percent": "40", "version": "2"} | ({} if token is None else {"csrf": token})
        page = visitor.post(f"/commitments/{world.commitment}/report_progress", fields, csrf=False)
        assert page.status == 403
        assert "no valid CSRF token" in page.words()
    assert services.store.recorder.max_notification_id() == before
    assert any("CSRF" in d["reason"] for d in denials(services))


def test_a_next_page_elsewhere_is_never_followed(recorded: tuple[Api, World], visitor: Visitor) -> None:
    api, _ = recorded
    for elsewhere in ("https://evil.example/", "//evil.example/", "/app\\..\\x", "/commitments"):
        form = visitor.client.get("/app/sign-in")
        token = form.text.split('name="token" value="')[1].split('"')[0]
        answer = visitor.client.post(
            "/app/sign-in",
            data={"key": key(api, Role.AUDITOR), "token": token, "next": elsewhere},
            follow_redirects=False,
        )
        assert answer.headers["location"] == "/app/"
    assert (
        visitor.client.get("/app/language/ar?next=https://evil.example/", follow_redirects=False).headers["location"]
        == "/app/"
    )


# -- roles and party scopes ---------------------------------------------------------------------------


def test_an_auditor_sees_no_write_button_and_a_crafted_write_is_refused_and_logged(
    recorded: tuple[Api, World], visitor: Visitor, services: Services
) -> None:
    api, world = recorded
    visitor.sign_in(key(api, Role.AUDITOR))
    page = visitor.open(f"/commitments/{world.commitment}")
    assert page.status == 200
    assert not page.all("//form[@method='post'][contains(@action, '/commitments/')]")
    assert not page.all("//a[@href='/app/record']")
    before = services.store.recorder.max_notification_id()
    refused = visitor.post(f"/commitments/{world.commitment}/report_progress", {"percent": "40"})
    assert refused.status == 403
    assert "can read but not change anything" in refused.words()
    assert visitor.post(f"/meetings/{world.meeting}/held", {"starts_on": "2022-07-18"}).status == 403
    assert visitor.open("/record").status == 403
    assert visitor.open("/admin/keys").status == 403
    assert services.store.recorder.max_notification_id() == before
    assert any(
        d["path"] == f"/app/commitments/{world.commitment}/report_progress" and d["status"] == 403
        for d in denials(services)
    )


def test_a_coordinator_limited_to_parties_changes_only_their_commitments(
    recorded: tuple[Api, World], services: Services, visitor: Visitor
) -> None:
    api, world = recorded
    _, limited = services.keys.create(Role.COORDINATOR, "IOFS desk", [world.iofs])
    visitor.sign_in(limited)
    page = visitor.open(f"/commitments/{world.commitment}")
    assert not page.all("//details[@class='action']")
    assert visitor.post(f"/commitments/{world.commitment}/start", {}).status == 403
    overview = visitor.open("/")
    assert "Counted for your parties" in overview.words()
    assert overview.all("//li[contains(@class, 'open')]//span[@class='n']")[0].text == "0"


def test_an_admin_page_is_for_admins_and_a_new_key_is_shown_once(
    recorded: tuple[Api, World], services: Services, visitor: Visitor
) -> None:
    api, world = recorded
    visitor.sign_in(key(api, Role.ADMIN))
    made = visitor.post("/admin/keys", {"name": "مكتب التنسيق", "role": "coordinator", "party_scope": [world.sesric]})
    shown = made.all("//code[@id='new-key']")[0].text
    assert shown.startswith("cmk_")
    principal = services.keys.authenticate(shown)
    assert principal is not None and principal.party_scope == frozenset({world.sesric})
    assert shown not in visitor.open("/admin/keys").text
    assert visitor.post("/admin/keys", {"name": "x", "role": "auditor", "party_scope": [world.sesric]}).status == 422


# -- languages, directions, escaping ------------------------------------------------------------------


@SQLITE_ONLY
def test_arabic_pages_are_right_to_left_and_each_text_keeps_its_own_language_and_direction(
    recorded: tuple[Api, World], visitor: Visitor
) -> None:
    api, world = recorded
    visitor.sign_in(key(api, Role.AUDITOR))
    arabic = visitor.open(f"/commitments/{world.commitment}", **{"Accept-Language": "ar-SA,ar;q=0.9,en;q=0.5"})
    root = arabic.tree
    assert (root.get("lang"), root.get("dir")) == ("ar", "rtl")
    assert arabic.all("//h1[@lang='ar'][@dir='rtl']")[0].text == "تنفيذ مصفوفة الأنشطة المشتركة"
    assert "الحالة" in arabic.words() and "متفق عليه" in arabic.words()
    english = visitor.open(f"/commitments/{world.commitment}", **{"Accept-Language": "en-GB,en;q=0.9"})
    assert (english.tree.get("lang"), english.tree.get("dir")) == ("en", "ltr")
    assert english.all("//h1[@lang='en'][@dir='ltr']")[0].text == "Implement the matrix of joint activities"
    quote = english.all("//figure[@class='quote']/blockquote")[0]  # an Arabic quote in an English page
    assert (quote.get("lang"), quote.get("dir")) == ("ar", "rtl")
    authentic = english.all("//ul[@class='texts-list']//span[@lang='ar']")  # the authentic text, in Arabic
    assert [s.get("dir") for s in authentic] == ["rtl"]


@SQLITE_ONLY
def test_the_language_switch_stays_over_accept_language(recorded: tuple[Api, World], visitor: Visitor) -> None:
    api, _ = recorded
    visitor.sign_in(key(api, Role.AUDITOR))
    page = visitor.open("/language/fr?next=/app/commitments", **{"Accept-Language": "ar"})
    assert page.tree.get("lang") == "fr" and "Engagements" in page.words()
    assert visitor.open("/meetings", **{"Accept-Language": "ar"}).tree.get("lang") == "fr"
    assert visitor.open("/language/xx?next=/app/meetings").tree.get("lang") == "fr"


@SQLITE_ONLY
def test_dates_are_written_for_the_reader_with_the_hijri_date_on_request(
    recorded: tuple[Api, World], visitor: Visitor
) -> None:
    api, world = recorded
    visitor.sign_in(key(api, Role.AUDITOR))
    visitor.open("/language/ar")
    page = visitor.open(f"/meetings/{world.meeting}")
    assert "18 يوليو 2022" in page.words()
    hijri = visitor.open(f"/hijri?hijri=true&next=/app/meetings/{world.meeting}")
    assert "18 يوليو 2022 (19 ذو الحجة 1443 هـ)" in hijri.words()
    visitor.open("/language/en")
    english = visitor.open(f"/meetings/{world.meeting}").words()
    assert "July 18, 2022 (19 Dhu al\u2011Hijjah 1443 AH)" in english  # a no-break hyphen: the date stays whole


@SQLITE_ONLY
def test_a_text_with_markup_is_shown_as_text(recorded: tuple[Api, World], visitor: Visitor) -> None:
    api, world = recorded
    hostile = "<script>alert('x')</script> <b>bold</b>"
    made = api.created("/commitments", commitment(world.meeting, world.sesric, text={"texts": {"en": hostile}}))
    visitor.sign_in(key(api, Role.AUDITOR))
    page = visitor.open(f"/commitments/{made['id']}")
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in page.text
    assert not page.all("//script[not(@src)]") and not page.all("//main//b")
    assert "<script>alert" not in visitor.open("/commitments").text


# -- the pages' forms: the same use cases and the same refusals as the JSON API --------------------------


def test_progress_reported_through_the_form_is_what_the_api_shows(
    recorded: tuple[Api, World], visitor: Visitor
) -> None:
    api, world = recorded
    visitor.sign_in(key(api, Role.COORDINATOR))
    page = visitor.open(f"/commitments/{world.commitment}")
    version = page.all("//form[contains(@action, '/report_progress')]//input[@name='version']")[0].get("value")
    done = visitor.post(
        f"/commitments/{world.commitment}/report_progress",
        {
            "version": version,
            "percent": "40",
            "note": "أُنجزت ورشتان من أربع",
            "evidence_title_1": "تقرير الورشة الأولى",
            "evidence_url_1": "https://www.sesric.org/workshop-1",
        },
    )
    assert done.status == 200 and "Done: Report progress." in done.words()
    shown = api.get(f"/commitments/{world.commitment}").json()
    assert shown["progress"]["percent"] == 40
    assert shown["evidence"][-1]["url"] == "https://www.sesric.org/workshop-1"
    assert "أُنجزت ورشتان من أربع" in done.words()


def test_a_refused_action_shows_the_rule_in_its_own_words_and_stores_nothing(
    recorded: tuple[Api, World], visitor: Visitor, services: Services
) -> None:
    api, world = recorded
    visitor.sign_in(key(api, Role.COORDINATOR))
    page = visitor.open(f"/commitments/{world.commitment}")
    read = page.all("//form[contains(@action, '/start')]//input[@name='version']")[0].get("value")
    api.post(f"/commitments/{world.commitment}/progress", {"percent": 10})  # someone else, meanwhile
    before = services.store.recorder.max_notification_id()
    no_reference = visitor.post(f"/commitments/{world.commitment}/suspend", {"reason": "pending the review"})
    assert no_reference.status == 422
    alert = no_reference.all("//div[@role='alert']")[0].text_content()
    assert "A decision reference is required" in alert
    reopened = visitor.post(f"/commitments/{world.commitment}/reopen", {"reason": "x"})
    assert reopened.status == 409 and "cannot reopen a commitment that is agreed" in reopened.words()
    stale = visitor.post(f"/commitments/{world.commitment}/start", {"version": read})
    assert stale.status == 412 and "The resource has changed since you read it" in stale.words()
    assert visitor.post(f"/commitments/{world.commitment}/report_progress", {"percent": "140"}).status == 422
    assert services.store.recorder.max_notification_id() == before


@SQLITE_ONLY
@pytest.mark.parametrize(
    "path",
    [
        "/commitments/not-an-id",
        "/commitments?limit=abc",
        "/commitments?overdue=maybe",
        "/commitments?party=nope",
        "/commitments?as_of=yesterday",
        "/commitments?status=lost",
        "/commitments/{c}?axis=sideways",
        "/commitments/{c}?as_of=31-12-2022",
        "/meetings/00000000-0000-0000-0000-000000000000",
        "/reports/agreements/{c}",
        "/parties/{c}",
        "/nothing-here",
    ],
)
def test_odd_addresses_get_a_page_with_a_4xx_never_a_500(
    recorded: tuple[Api, World], visitor: Visitor, path: str
) -> None:
    api, world = recorded
    visitor.sign_in(key(api, Role.AUDITOR))
    page = visitor.open(path.replace("{c}", world.commitment))
    assert 400 <= page.status < 500, page.text
    assert page.all("//div[@role='alert']") and page.tree.get("lang") == "en"


def test_odd_form_values_get_a_4xx_page_and_store_nothing(
    recorded: tuple[Api, World], visitor: Visitor, services: Services
) -> None:
    api, world = recorded
    visitor.sign_in(key(api, Role.ADMIN))
    before = services.store.recorder.max_notification_id()
    for path, fields in [
        (f"/commitments/{world.commitment}/fly", {}),
        (f"/commitments/{world.commitment}/deliver", {"delivered_on": "soon"}),
        (f"/commitments/{world.commitment}/revise_due", {"precision": "fortnight", "reason": "x"}),
        (f"/record/{world.meeting}/commitment", {"source": "x:y"}),
        (f"/record/{world.meeting}/commitment", {"text_en": "A", "lead_party_id": "nope"}),
        ("/record/meeting", {"title_en": "T", "starts_on": "2022-13-40"}),
        ("/record/party", {"acronym": "UN", "name_en": "again", "kind": "state"}),
        (f"/meetings/{world.meeting}/held", {"starts_on": "2022-07-18", "version": "x1"}),
    ]:
        page = visitor.post(path, fields)
        assert 400 <= page.status < 500, (path, page.status, page.text[:500])
    assert services.store.recorder.max_notification_id() == before


@SQLITE_ONLY
def test_pages_forbid_framing_and_scripts_from_elsewhere(recorded: tuple[Api, World], visitor: Visitor) -> None:
    api, _ = recorded
    visitor.sign_in(key(api, Role.AUDITOR))
    answer = visitor.client.get("/app/")
    assert "frame-ancestors 'none'" in answer.headers["content-security-policy"]
    assert "default-src 'self'" in answer.headers["content-security-policy"]
    assert answer.headers["x-content-type-options"] == "nosniff"


def test_every_interface_string_has_an_arabic_and_a_french_translation() -> None:
    from babel.messages.extract import extract_from_dir
    from babel.messages.pofile import read_po

    from api.web import catalogues, i18n, labels

    used = {
        message if isinstance(message, str) else message[0]
        for source in catalogues.SOURCES
        for _, _, message, _, _ in extract_from_dir(
            str(catalogues.ROOT / source), catalogues.METHOD_MAP, catalogues.OPTIONS, keywords=catalogues.KEYWORDS
        )
        if message
    }
    assert "Overview" in used and "overdue" in used and "A reason is required" in labels.TITLES
    assert "the text is empty" in used and "no {kind} with id {identifier}" in used  # refusals' words too
    for language in ("ar", "fr"):
        with (i18n.LOCALES / language / "LC_MESSAGES" / "messages.po").open("rb") as source:
            catalogue = read_po(source)
        translated = {
            (m.id if isinstance(m.id, str) else m.id[0])
            for m in catalogue
            if m.id and m.string and all(m.string if isinstance(m.string, tuple) else [m.string])
        }
        assert not used - translated, f"{language}: {sorted(used - translated)[:10]}"


def test_every_problem_title_of_the_api_is_translated() -> None:
    from api.problems import PROBLEMS
    from api.web.labels import TITLES

    assert {title for _, _, _, title in PROBLEMS} <= set(TITLES)


# -- what the pages show ------------------------------------------------------------------------------


def test_the_overview_counts_by_party_and_series_and_lists_the_latest_overdue_first(
    recorded: tuple[Api, World], visitor: Visitor, services: Services, clock: FrozenClock
) -> None:
    api, world = recorded
    later = api.created(
        "/commitments", commitment(world.meeting, world.iofs, due={"precision": "day", "value": "2023-06-30"})
    )
    visitor.sign_in(key(api, Role.AUDITOR))

    def counts() -> dict[str, str]:
        return {
            li.get("class").split()[1]: li.xpath(".//span[@class='n']")[0].text
            for li in visitor.open("/").all("//ul[@class='counts']/li")
        }

    assert counts() == {"overdue": "0", "due-soon": "0", "open": "2", "assessed": "0"}
    clock.set(clock.now.replace(year=2025))
    services.scanner.tick()
    visitor.sign_in(key(api, Role.AUDITOR))  # three years later, the session has ended
    assert counts() == {"overdue": "2", "due-soon": "0", "open": "2", "assessed": "0"}  # counted again
    page = visitor.open("/")
    overdue = [a.get("href") for a in page.all("//section[@aria-labelledby='queue-title']//td[2]/a")]
    assert overdue == [f"/app/commitments/{later['id']}", f"/app/commitments/{world.commitment}"]
    series = page.all("//section[@aria-labelledby='series-title']//tbody/tr/th")[0].text_content()
    assert "un-oic-general-meeting" in series


@SQLITE_ONLY
def test_the_list_finds_arabic_words_with_and_without_the_article(
    recorded: tuple[Api, World], visitor: Visitor
) -> None:
    api, world = recorded
    visitor.sign_in(key(api, Role.AUDITOR))
    for words in ("المصفوفة", "مصفوفة", "مصفوفه الانشطه"):
        found = visitor.open(f"/commitments?q={words}")
        assert [a.get("href") for a in found.all("//table[contains(@class, 'commitments')]//td[1]/a")] == [
            f"/app/commitments/{world.commitment}"
        ], words
    assert "No commitment matches." in visitor.open("/commitments?q=غذائي").words()
    filtered = visitor.open(f"/commitments?status=agreed&lead_party={world.sesric}&has_due=true&sort=due")
    assert "1 commitment" in filtered.words()
    assert "No commitment matches." in visitor.open("/commitments?status=fulfilled,cancelled").words()


def test_the_commitment_is_shown_as_it_stood_on_either_axis(
    recorded: tuple[Api, World], visitor: Visitor, clock: FrozenClock
) -> None:
    api, world = recorded
    clock.advance(days=30)
    api.post(f"/commitments/{world.commitment}/progress", {"percent": 30})
    visitor.sign_in(key(api, Role.AUDITOR))
    then = visitor.open(f"/commitments/{world.commitment}?as_of=2022-08-01&axis=recorded")
    assert "As of August 1, 2022, as recorded then." in then.words()
    assert not then.all("//meter")
    assert visitor.open(f"/commitments/{world.commitment}").all("//meter[@value='30']")
    before_it_existed = visitor.open(f"/commitments/{world.commitment}?as_of=2022-07-01&axis=recorded")
    assert before_it_existed.status == 200 and "was not recorded yet" in before_it_existed.words()


def test_the_status_report_lists_each_row_with_its_lead_due_status_and_progress(
    recorded: tuple[Api, World], visitor: Visitor
) -> None:
    api, world = recorded
    matrix = api.created(
        "/agreements",
        {
            "meeting_id": world.meeting,
            "kind": "action_matrix",
            "adopted_by": [world.un, world.oic],
            "title": {
                "texts": {"ar": "مصفوفة الأنشطة المشتركة", "en": "Matrix of joint activities"},
                "authentic": "ar",
            },
            "rows": [
                {"activity": {"texts": {"en": "Statistical capacity building"}}, "lead_party_id": world.sesric},
                {"activity": {"texts": {"en": "Food security forum"}}, "lead_party_id": world.iofs},
            ],
        },
    )
    made = api.created("/commitments", commitment(world.meeting, world.sesric, agreement_id=matrix["id"], row_number=1))
    api.post(f"/commitments/{made['id']}/progress", {"percent": 50, "evidence": [{"title": "Workshop report"}]})
    visitor.sign_in(key(api, Role.AUDITOR))
    visitor.open("/language/ar")
    report = visitor.open(f"/reports/agreements/{matrix['id']}")
    rows = report.all("//table[contains(@class, 'report-table')]/tbody/tr")
    assert len(rows) == 2
    assert "SESRIC" in rows[0].text_content() and "Workshop report" in rows[0].text_content()
    assert "٥٠٪" in rows[0].text_content() or "50" in rows[0].text_content()
    assert "لم يُسجَّل التزام" in rows[1].text_content()
    assert report.tree.get("dir") == "rtl"
    earlier = visitor.open(f"/reports/agreements/{matrix['id']}?as_of=2022-07-21&axis=recorded")
    assert "Workshop report" not in earlier.text


def test_the_audit_page_verifies_the_chain_and_hands_out_its_head_and_bundle_to_auditors(
    recorded: tuple[Api, World], visitor: Visitor, services: Services
) -> None:
    api, _ = recorded
    visitor.sign_in(key(api, Role.AUDITOR))
    page = visitor.open("/audit?verify=1")
    assert page.all("//div[@id='verification'][@class='notice']")
    head = visitor.client.get("/app/audit/head.json")
    assert head.json()["position"] >= 1 and "signature" in head.json()
    bundle = visitor.client.get("/app/audit/bundle.zip")
    assert bundle.headers["content-type"] == "application/zip" and bundle.content[:2] == b"PK"
    coordinator = next(visitor_of(services))
    coordinator.sign_in(key(api, Role.COORDINATOR))
    assert coordinator.open("/audit").status == 403
    assert coordinator.client.get("/app/audit/bundle.zip").status_code == 403


# -- accessible -----------------------------------------------------------------------------------------


@SQLITE_ONLY
def test_every_field_of_every_page_has_a_label(recorded: tuple[Api, World], visitor: Visitor) -> None:
    api, world = recorded
    visitor.sign_in(key(api, Role.ADMIN))
    for path in (
        "/",
        "/commitments",
        f"/commitments/{world.commitment}",
        f"/meetings/{world.meeting}",
        "/record",
        f"/record/{world.meeting}",
        "/admin/keys",
        "/admin/subscriptions",
        "/audit",
        "/parties",
        "/reports/series/un-oic-general-meeting",
    ):
        page = visitor.open(path)
        assert page.status == 200, path
        labelled = {label.get("for") for label in page.all("//label[@for]")}
        for field in page.all("//input[not(@type='hidden') and not(@type='submit')] | //select | //textarea"):
            inside_label = bool(field.xpath("ancestor::label"))
            assert inside_label or field.get("id") in labelled, (path, field.get("name"))
        ids = [element.get("id") for element in page.all("//*[@id]")]
        assert len(ids) == len(set(ids)), (path, sorted({i for i in ids if ids.count(i) > 1}))


def _shown(element: Any) -> str:
    return " ".join(element.text_content().split())


@SQLITE_ONLY
def test_every_data_table_of_the_pages_becomes_cards_each_cell_named_by_its_column(
    recorded: tuple[Api, World], visitor: Visitor
) -> None:
    """On a phone a table of records is a card per row (``table.cards`` in the stylesheet), each cell shown
    under the words of its column's heading: its ``data-label``, in the page's language."""
    api, world = recorded
    visitor.sign_in("cmk_not-a-key")  # a refused request, for the audit page's table
    visitor.sign_in(key(api, Role.ADMIN))
    paths = (
        "/",
        "/commitments",
        f"/commitments/{world.commitment}",
        "/meetings",
        f"/meetings/{world.meeting}",
        "/parties",
        f"/parties/{world.sesric}",
        f"/reports/parties/{world.sesric}",
        "/calendar",
        "/audit",
        "/admin/subscriptions",
        "/admin/keys",
    )  # the world holds no agreement
    for language in ("en", "ar"):
        named = 0
        for path in paths:
            page = visitor.open(path, **{"Accept-Language": language})
            assert page.status == 200 and page.tree.get("lang") == language, (language, path)
            for table in page.all("//main//table[thead][not(ancestor::details)]"):
                assert "cards" in (table.get("class") or "").split(), (language, path, _shown(table)[:80])
                headings = [_shown(th) for th in table.xpath("./thead/tr[1]/th")]
                for row in table.xpath("./tbody/tr"):
                    column = 0
                    for cell in row.xpath("./th | ./td"):
                        if cell.tag == "td":
                            label = " ".join((cell.get("data-label") or "").split())
                            assert label and label == headings[column], (language, path, column, label, headings)
                            named += 1
                        column += int(cell.get("colspan") or 1)
        assert named > 40, (language, named)


def _luminance(colour: str) -> float:
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    """The WCAG contrast ratio of two colours written #rrggbb."""
    light, dark = sorted((_luminance(one), _luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def test_the_colours_of_text_pass_wcag_aa() -> None:
    import re

    from api.web.app import STATIC

    sheet = (STATIC / "style.css").read_text()
    colour = dict(re.findall(r"--([a-z-]+):\s*(#[0-9a-f]{6})", sheet))
    pairs = [
        ("ink", "paper"),
        ("muted", "paper"),
        ("accent", "paper"),
        ("accent-ink", "accent"),
        ("danger", "paper"),
        ("warn", "paper"),
        ("ok", "paper"),
        ("ink", "wash"),
        ("muted", "wash"),
    ]
    for text, background in pairs:
        assert contrast(colour[text], colour[background]) >= 4.5, (text, background)
    for text, background in [
        ("#ffffff", "#10243e"),
        ("#ffffff", colour["danger"]),
        ("#0a3f7a", "#e6eefb"),
        (colour["warn"], "#fff1d6"),
        (colour["ink"], "#fbe4e4"),
        (colour["ink"], "#e6eefb"),
    ]:
        assert contrast(text, background) >= 4.5, (text, background)  # the header, flags and notices
    assert contrast("#1b1f24", "#ffffff") > 15  # the measure itself: black on white is about 16


def test_a_calendar_feed_made_on_its_page_is_shown_once_and_reads_without_a_session(
    recorded: tuple[Api, World], visitor: Visitor
) -> None:
    api, world = recorded
    visitor.sign_in(key(api, Role.COORDINATOR))
    made = visitor.post("/calendar", {"party_id": world.sesric})
    address = made.all("//code[@id='new-feed']")[0].text
    assert address.startswith("http://testserver/feeds/cal_")
    path = address.split("://", 1)[1].split("/", 1)[1]
    feed = visitor.client.get("/" + path)  # the session's cookie is for /app/ only: as a calendar program, no key
    assert feed.status_code == 200 and f"commitment-{world.commitment}@commitments" in feed.text
    page = visitor.open("/calendar")
    assert address not in page.text
    feed_id = page.all("//tbody//code")[0].text
    visitor.post(f"/calendar/{feed_id}/close", {})
    assert visitor.client.get("/" + path).status_code == 404


def test_a_coordinator_states_on_the_meeting_page_how_often_its_series_meets_and_holding_it_expects_the_next(
    recorded: tuple[Api, World], visitor: Visitor, clock: FrozenClock
) -> None:
    api, world = recorded
    visitor.sign_in(key(api, Role.COORDINATOR))
    before = visitor.open(f"/meetings/{world.meeting}")
    assert "The series states no rhythm" in before.words()
    stated = visitor.post(
        f"/meetings/{world.meeting}/series-rhythm", {"every": "مرة كل سنتين", "organiser_party_id": world.oic}
    )
    assert stated.status == 200 and "Every 24 months, organised by OIC" in stated.words()
    refused = visitor.post(
        f"/meetings/{world.meeting}/series-rhythm", {"every": "soon", "organiser_party_id": world.oic}
    )
    assert refused.status == 422
    clock.set(clock.now.replace(year=2022, month=7, day=21))
    assert (
        api.post(f"/meetings/{world.meeting}/held", {"starts_on": "2022-07-18", "ends_on": "2022-07-20"}).status_code
        == 200
    )
    [expected] = api.get("/series/un-oic-general-meeting").json()["awaiting"]
    page = visitor.open(f"/commitments/{expected}", **{"Accept-Language": "ar"})
    assert "منتظرة وفق إيقاع السلسلة" in page.words()
    assert api.get(f"/commitments/{expected}").json()["lead_party_id"] == world.oic


def test_a_coordinator_states_a_recurring_commitment_on_the_meeting_page_and_changes_its_schedule(
    recorded: tuple[Api, World], visitor: Visitor, clock: FrozenClock
) -> None:
    api, world = recorded
    visitor.sign_in(key(api, Role.COORDINATOR))
    form = {
        "text_ar": "تقرير نصف سنوي عن تنفيذ المصفوفة",
        "text_authentic": "ar",
        "lead_party_id": world.oic,
        "every": "كل ستة أشهر",
        "until": "2024-12-31",
        "status": "agreed",
    }
    refused = visitor.post(f"/meetings/{world.meeting}/recurrences", {**form, "every": "now and then"})
    assert refused.status == 422 and "now and then" in refused.text  # the form comes back as it was filled in
    stated = visitor.post(f"/meetings/{world.meeting}/recurrences", form)
    assert stated.status == 200 and "Every 6 months from" in stated.words()
    rule_id = stated.url.rsplit("/", 1)[1]
    rule = api.get(f"/recurrences/{rule_id}").json()
    assert [o["due_on"] for o in rule["occurrences"]] == ["2023-01-20", "2023-07-20", "2024-01-20", "2024-07-20"]
    occurrence = visitor.open(f"/commitments/{rule['occurrences'][0]['commitment_id']}", **{"Accept-Language": "ar"})
    assert "مرة من التزام متكرر" in occurrence.words()
    changed = visitor.post(
        f"/recurrences/{rule_id}/schedule", {"every": "annual", "reason": "yearly from now on", "version": "1"}
    )
    assert changed.status == 200 and "Every 12 months from" in changed.words()
    assert [o["status"] for o in api.get(f"/recurrences/{rule_id}").json()["occurrences"]] == [
        "agreed",
        "cancelled",
        "agreed",
        "cancelled",
    ]
    meeting = visitor.open(f"/meetings/{world.meeting}", **{"Accept-Language": "ar"})
    assert "الالتزامات المتكررة" in meeting.words()


# -- recording a meeting report -------------------------------------------------------------------------


def fields_of(page: Any, form_xpath: str) -> list[tuple[str, str]]:
    """What a browser sends for a form as shown: its inputs, ticked boxes and chosen options."""
    sent: list[tuple[str, str]] = []
    for field in page.all(f"{form_xpath}//input[@name] | {form_xpath}//textarea[@name]"):
        if field.get("type") in ("checkbox", "radio") and field.get("checked") is None:
            continue
        sent.append((field.get("name"), field.get("value") or field.text or ""))
    for select in page.all(f"{form_xpath}//select[@name]"):
        chosen = select.xpath("option[@selected]") or select.xpath("option[1]")
        sent += [
            (select.get("name"), option.get("value") or "")
            for option in chosen[: None if select.get("multiple") is not None else 1]
        ]
    return sent


def test_the_recording_flow_keeps_everything_typed_while_parties_are_found_and_recorded_on_the_way(
    recorded: tuple[Api, World], visitor: Visitor
) -> None:
    api, world = recorded
    visitor.sign_in(key(api, Role.COORDINATOR), "/record")
    typed = {
        "title_ar": "الاجتماع التشاوري الثاني",
        "title_en": "Second consultative meeting",
        "title_authentic": "ar",
        "kind": "bilateral_talk",
        "starts_on": "2022-07-10",
        "ends_on": "2022-07-11",
        "venue_city": "القاهرة",
        "time_zone": "Africa/Cairo",
    }
    ministry = visitor.post(
        "/record/party", {**typed, "name_ar": "وزارة الخارجية المصرية", "party_kind": "ministry", "parent_id": ""}
    )
    assert ministry.status == 200, ministry.words()[:400]
    kept = dict(fields_of(ministry, "//form[@id='record-meeting']"))
    assert (kept["title_ar"], kept["venue_city"], kept["starts_on"], kept["time_zone"]) == (
        "الاجتماع التشاوري الثاني",
        "القاهرة",
        "2022-07-10",
        "Africa/Cairo",
    )
    assert kept["name_ar"] == "" and "وزارة الخارجية المصرية" in ministry.words()
    assert ministry.all("//select[@name='parent_id']/option[contains(., 'OIC')]")  # a parent organisation is offered

    sent = [(k, v) for k, v in fields_of(ministry, "//form[@id='record-meeting']") if k != "add"]
    [ministry_id] = [v for k, v in sent if k == "with"]
    sent += [("add", "UN — United Nations"), (f"role_{ministry_id}", "host"), (f"person_{ministry_id}", "السفير")]
    sent = [(k, v) for k, v in sent if k not in (f"role_{ministry_id}", f"person_{ministry_id}")] + sent[-2:]
    added = visitor.post("/record/add", sent)
    assert added.status == 200
    shown = fields_of(added, "//form[@id='record-meeting']")
    assert [v for k, v in shown if k == "participant"] == [ministry_id, world.un]
    assert (f"role_{ministry_id}", "host") in shown and (f"person_{ministry_id}", "السفير") in shown
    assert ("title_en", "Second consultative meeting") in shown

    by_name = visitor.post(
        "/record/add", [(k, v) for k, v in shown if k != "add"] + [("add", "وزاره الخارجيه المصريه")]
    )
    assert [v for k, v in fields_of(by_name, "//form[@id='record-meeting']") if k == "with"] == [ministry_id, world.un]

    step = visitor.post("/record/meeting", [(k, v) for k, v in shown if k != "add"])
    assert step.status == 200 and "/app/record/" in step.url, step.words()[:400]
    meeting_id = step.url.rsplit("/", 1)[1].split("?")[0].split("#")[0]
    met = api.get(f"/meetings/{meeting_id}").json()
    assert met["venue"]["city"] == "القاهرة" and met["venue"]["name"] is None
    assert [(p["party_id"], p["role"], p["person"]) for p in met["participants"]] == [
        (ministry_id, "host", "السفير"),
        (world.un, "participant", None),
    ]
    assert step.all("//form[@id='propose-held']")  # its days are past: held is proposed
    held = visitor.post(f"/record/{meeting_id}/held", {"version": str(met["version"])})
    assert held.status == 200 and api.get(f"/meetings/{meeting_id}").json()["status"] == "held"
    assert not held.all("//form[@id='propose-held']")

    made = visitor.post(
        f"/record/{meeting_id}/commitment",
        {
            "text_ar": "تبادل الخبرات في مكافحة الجريمة",
            "text_authentic": "ar",
            "kind": "action",
            "status": "agreed",
            "lead_party_id": ministry_id,
            "due_precision": "relative",
            "due_amount": "18",
            "due_unit": "months",
            "due_time_zone": "Asia/Riyadh",
        },
    )
    assert made.status == 200, made.words()[:400]
    [promise] = api.get("/commitments", meeting=meeting_id).json()["items"]
    assert (promise["due"]["amount"], promise["due"]["unit"], promise["due"]["time_zone"]) == (
        18,
        "months",
        "Asia/Riyadh",
    )
    assert promise["due_at"] == "2024-01-11T21:00:00Z"  # 18 months after 11 July 2022, midnight in Riyadh


@SQLITE_ONLY
@pytest.mark.parametrize(
    "precision, written, due",
    [
        ("", "Q3 2025", ("quarter", "2025-Q3", None)),
        ("", "within two years", ("relative", None, 2)),
        ("relative", "18 months", ("relative", None, 18)),
    ],
)
def test_a_due_typed_as_people_write_it_is_read_never_dropped(
    recorded: tuple[Api, World], visitor: Visitor, precision: str, written: str, due: tuple[str, str | None, int | None]
) -> None:
    api, world = recorded
    visitor.sign_in(key(api, Role.COORDINATOR), f"/record/{world.meeting}")
    made = visitor.post(
        f"/record/{world.meeting}/commitment",
        {
            "text_en": f"Due {written}",
            "text_authentic": "en",
            "kind": "action",
            "status": "agreed",
            "lead_party_id": world.oic,
            "due_precision": precision,
            "due_value": written,
        },
    )
    assert made.status == 200, made.words()[:300]
    [found] = [
        c
        for c in api.get("/commitments", meeting=world.meeting).json()["items"]
        if c["text"]["texts"]["en"] == f"Due {written}"
    ]
    assert (found["due"]["precision"], found["due"]["value"], found["due"]["amount"]) == due


def test_the_due_is_revised_through_its_form_in_any_written_form(recorded: tuple[Api, World], visitor: Visitor) -> None:
    api, world = recorded
    visitor.sign_in(key(api, Role.COORDINATOR), f"/commitments/{world.commitment}")
    revised = visitor.post(
        f"/commitments/{world.commitment}/revise_due",
        {"precision": "quarter", "value": "Q3 2025", "reason": "the working group asked for more time"},
    )
    assert revised.status == 200, revised.words()[:400]
    assert api.get(f"/commitments/{world.commitment}").json()["due"]["value"] == "2025-Q3"


@SQLITE_ONLY
@pytest.mark.parametrize(
    "axis, said", [("recorded", "لم يكن هذا الالتزام مسجلًا بعد"), ("effective", "لم يكن هذا الالتزام قد قُطع بعد")]
)
def test_a_commitment_asked_for_as_of_a_day_before_it_existed_says_so_in_the_readers_language_with_the_picker(
    recorded: tuple[Api, World], visitor: Visitor, axis: str, said: str
) -> None:
    api, world = recorded
    visitor.sign_in(key(api, Role.AUDITOR))
    page = visitor.open(f"/commitments/{world.commitment}?as_of=2020-01-01&axis={axis}", **{"Accept-Language": "ar"})
    assert page.status == 200 and said in page.words()
    assert page.all("//form[@method='get']//input[@id='as_of'][@value='2020-01-01']")


# -- pages a coordinator reads without effort -------------------------------------------------------------


def test_a_history_entry_says_what_changed_in_the_readers_words(
    recorded: tuple[Api, World], visitor: Visitor, clock: FrozenClock
) -> None:
    api, world = recorded
    api.post(f"/commitments/{world.commitment}/progress", {"percent": 40})
    clock.advance(days=1)
    api.post(f"/commitments/{world.commitment}/progress", {"percent": 60})
    api.post(
        f"/commitments/{world.commitment}/due",
        {"due": {"precision": "year", "value": "2025"}, "reason": "the working group asked for more time"},
    )
    visitor.sign_in(key(api, Role.COORDINATOR))
    english = visitor.open(f"/commitments/{world.commitment}").words()
    assert "progress: 40% → 60%" in english and "progress reported" in english and "ProgressReported" not in english
    assert "due: 2 years after the meeting → 2025" in english
    assert "by coordinator key" in english and "key_" not in english
    arabic = visitor.open(f"/commitments/{world.commitment}", **{"Accept-Language": "ar"}).words()
    assert "التقدم: 40% ← 60%" in arabic and "ProgressReported" not in arabic


def test_what_changed_recently_shows_peoples_changes_first_and_counts_the_schedulers_facts(
    recorded: tuple[Api, World], visitor: Visitor, services: Services, clock: FrozenClock
) -> None:
    api, world = recorded
    for n in range(3):
        api.created(
            "/commitments",
            commitment(
                world.meeting,
                world.iofs,
                text={"texts": {"en": f"Task {n}"}},
                due={"precision": "day", "value": "2023-06-30"},
            ),
        )
    clock.set(clock.now.replace(year=2025))
    services.scanner.tick()
    api.post(f"/commitments/{world.commitment}/progress", {"percent": 10})
    visitor.sign_in(key(api, Role.AUDITOR))
    recent = visitor.open("/").all("//section[@aria-labelledby='recent-title']")[0]
    words = " ".join(recent.text_content().split())
    assert "4 commitments became overdue" in words
    entries = recent.xpath(".//ol[@class='timeline']/li")
    assert "progress reported" in " ".join(entries[0].text_content().split())
    assert not [li for li in entries if "became overdue" in li.text_content()]  # counted, not listed one by one


def test_the_likely_actions_come_first_and_the_rest_behind_one_disclosure(
    recorded: tuple[Api, World], visitor: Visitor
) -> None:
    api, world = recorded
    visitor.sign_in(key(api, Role.COORDINATOR))
    page = visitor.open(f"/commitments/{world.commitment}")
    section = page.all("//section[@id='actions']")[0]
    first = [" ".join(s.text_content().split()) for s in section.xpath("./details[@class='action']/summary")]
    assert first == ["Report progress", "Deliver", "Revise the due"]
    more = section.xpath("./details[@class='more-actions']//details[@class='action']/summary")
    assert {" ".join(s.text_content().split()) for s in more} >= {"Start", "Cancel", "Assess"}
    tabbable = page.all("//a[@href] | //button | //input[not(@type='hidden')] | //select | //textarea | //summary")
    reach = next(
        i
        for i, element in enumerate(tabbable)
        if element.tag == "summary" and "Report progress" in element.text_content()
    )
    assert reach <= 22, f"{reach} stops before Report progress"  # 36 before the actions came first
    rule = section.xpath("./details[1]//p[@class='rule']")[0].text_content()
    assert rule == "Its status stays as it is. It needs a whole percentage, from 0 to 100."
    arabic = visitor.open(f"/commitments/{world.commitment}", **{"Accept-Language": "ar"})
    assert "in_progress" not in arabic.words() and "any open state" not in arabic.words()


@SQLITE_ONLY
def test_arabic_pages_use_arabic_commas_and_the_digits_the_reader_chose(
    recorded: tuple[Api, World], visitor: Visitor
) -> None:
    api, world = recorded
    visitor.sign_in(key(api, Role.AUDITOR))
    visitor.client.headers["Accept-Language"] = "ar"
    listed = visitor.open("/commitments").all("//table[contains(@class, 'commitments')]//tbody/tr[1]/td[2]")[0]
    assert "، " in listed.text_content() and "," not in listed.text_content()
    latin = visitor.open(f"/commitments/{world.commitment}").words()
    assert "20 يوليو 2022" in latin.replace("\u00a0", " ")
    visitor.open("/digits?digits=arab&next=/app/")
    chosen = visitor.open(f"/commitments/{world.commitment}").words().replace("\u00a0", " ")
    assert "٢٠ يوليو ٢٠٢٢" in chosen and "20 يوليو 2022" not in chosen
    english = visitor.open(f"/commitments/{world.commitment}", **{"Accept-Language": "en"}).words()
    assert "July 20, 2022" in english.replace("\u00a0", " ")  # the choice is for Arabic pages


def test_a_date_never_breaks_across_lines() -> None:
    from api.web.i18n import Formats

    for language in ("ar", "en", "fr"):
        written = Formats(language).day("2024-07-20")
        assert " " not in written and "-" not in written and "\u00a0" in written


def test_a_refused_agreement_form_keeps_who_adopted_it_and_each_rows_partners(
    recorded: tuple[Api, World], visitor: Visitor
) -> None:
    api, world = recorded
    visitor.sign_in(key(api, Role.COORDINATOR), f"/record/{world.meeting}")
    refused = visitor.post(
        f"/record/{world.meeting}/agreement",
        [
            ("title_en", "Matrix of joint activities"),
            ("title_authentic", "en"),
            ("kind", "action_matrix"),
            ("adopted_by", world.oic),
            ("adopted_by", world.sesric),
            ("row1_activity_en", "Statistical capacity building"),
            ("row1_activity_authentic", "en"),
            ("row1_lead", world.sesric),
            ("row1_partners", world.un),
            ("row1_precision", "year"),
            ("row1_value", "next year"),
        ],
    )
    assert refused.status == 422
    ticked = refused.all("//input[@name='adopted_by'][@checked]/@value")
    chosen = refused.all("//select[@name='adopted_by']/option[@selected]/@value")
    assert set(ticked) | set(chosen) == {world.oic, world.sesric} and world.un not in ticked
    assert refused.all("//select[@name='row1_partners']/option[@selected]/@value") == [world.un]


def test_a_meeting_recorded_without_participants_can_still_have_its_agreement_adopted(
    recorded: tuple[Api, World], visitor: Visitor
) -> None:
    api, world = recorded
    lonely = api.created(
        "/meetings",
        {
            "title": {"texts": {"en": "Consultation"}},
            "kind": "bilateral_talk",
            "scheduled": {"starts_on": "2022-07-10"},
            "venue": {"city": "Jeddah", "time_zone": "Asia/Riyadh"},
        },
    )["id"]
    visitor.sign_in(key(api, Role.COORDINATOR), f"/record/{lonely}")
    adopted = visitor.post(
        f"/record/{lonely}/agreement",
        [
            ("title_en", "Joint statement"),
            ("title_authentic", "en"),
            ("kind", "joint_statement"),
            ("adopted_by", world.oic),
            ("adopted_by", world.un),
        ],
    )
    assert adopted.status == 200, adopted.words()[:300]
    [made] = api.get("/agreements", meeting=lonely).json()["items"]
    assert set(made["adopted_by"]) == {world.oic, world.un}


def test_a_key_form_sent_twice_makes_one_key(recorded: tuple[Api, World], visitor: Visitor, services: Services) -> None:
    api, world = recorded
    visitor.sign_in(key(api, Role.ADMIN), "/admin/keys")
    form = visitor.open("/admin/keys")
    once = form.all("//input[@name='once']/@value")[0]
    made = visitor.post("/admin/keys", {"name": "SESRIC focal point", "role": "coordinator", "once": once})
    assert made.status == 200 and made.all("//code[@id='new-key']")
    again = visitor.post("/admin/keys", {"name": "SESRIC focal point", "role": "coordinator", "once": once})
    assert again.status == 409 and "shown only once" in again.words()
    assert [k.name for k in services.keys.list()].count("SESRIC focal point") == 1
