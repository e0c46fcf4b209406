"""On the commitment's page: the change waiting for the parties' word, and for each awaited party's own key a
way to confirm or object; an administrator overrules. On the party's page: its update sheet."""

import io
import re

from fastapi.testclient import TestClient
from openpyxl import load_workbook

from api.bootstrap import Services
from domain.access import Role
from tests.conftest import Api, app_on
from tests.web import Visitor
from tests.world import World


def test_the_awaited_party_confirms_on_the_page_and_the_change_takes_effect(
    recorded: tuple[Api, World], services: Services
) -> None:
    api, world = recorded
    _, sesric = services.keys.create(Role.COORDINATOR, "SESRIC desk", party_scope=[world.sesric])
    _, un = services.keys.create(Role.COORDINATOR, "UN desk", party_scope=[world.un])
    path = f"/commitments/{world.commitment}"
    evidence = [{"title": "Workshop report", "url": "https://sesric.org/report"}]
    headers = {"Authorization": f"Bearer {sesric}"}
    assert api.client.post(f"{path}/deliver", json={"evidence": evidence}, headers=headers).status_code == 200
    with TestClient(app_on(services), follow_redirects=True) as client:
        declaring = Visitor(client)
        declaring.sign_in(sesric)
        page = declaring.open(path)
        assert "Waiting for the parties" in page.words() and "SESRIC desk" in page.words()
        assert not page.all("//form[contains(@action, '/pending/confirm')]")  # its own change waits for others
        assert page.all("//form[contains(@action, '/pending/withdraw')]")  # whoever declared it may withdraw it
        assert not page.all("//form[contains(@action, '/deliver')]")  # the status does not move meanwhile
    with TestClient(app_on(services), follow_redirects=True) as client:
        awaited = Visitor(client)
        awaited.sign_in(un)
        page = awaited.open(path)
        assert page.all("//form[contains(@action, '/pending/confirm')]")
        done = awaited.post(f"{path}/pending/confirm", {"party_id": world.un})
        assert done.status == 200 and not done.all("//div[@id='pending']")
    assert api.get(path).json()["status"] == "delivered"


def test_an_administrator_overrules_a_disputed_change_with_a_reason(
    recorded: tuple[Api, World], services: Services
) -> None:
    api, world = recorded
    _, sesric = services.keys.create(Role.COORDINATOR, "SESRIC desk", party_scope=[world.sesric])
    path = f"/commitments/{world.commitment}"
    headers = {"Authorization": f"Bearer {sesric}"}
    assert api.client.post(f"{path}/cancel", json={"reason": "merged"}, headers=headers).status_code == 200
    with TestClient(app_on(services), follow_redirects=True) as client:
        admin = Visitor(client)
        admin.sign_in(api.keys[Role.ADMIN])
        page = admin.open(path)
        assert "an administrator decides" in page.words()  # the UN has no contact and no key: nobody was told
        refused = admin.post(f"{path}/pending/overrule", {"reason": ""})
        assert refused.status == 422
        done = admin.post(f"{path}/pending/overrule", {"reason": "the UN agreed in its letter of 3 March"})
        assert done.status == 200
    assert api.get(path).json()["status"] == "cancelled"


def test_a_coordinator_updates_a_partys_commitments_by_spreadsheet_from_its_page(
    recorded: tuple[Api, World], services: Services
) -> None:
    api, world = recorded
    with TestClient(app_on(services), follow_redirects=True) as client:
        coordinator = Visitor(client)
        coordinator.sign_in(api.keys[Role.COORDINATOR])
        party_page = coordinator.open(f"/parties/{world.sesric}")
        assert party_page.all(f"//a[@href='/app/parties/{world.sesric}/update-sheet.xlsx']")
        sheet = client.get(f"/app/parties/{world.sesric}/update-sheet.xlsx")
        assert sheet.status_code == 200 and sheet.content.startswith(b"PK")
        book = load_workbook(io.BytesIO(sheet.content))
        rows = list(book["update"].iter_rows(min_row=2))
        rows[0][4].value = "in_progress"
        filled = io.BytesIO()
        book.save(filled)
        coordinator.open(f"/parties/{world.sesric}/update-sheet")
        dry = client.post(
            f"/app/parties/{world.sesric}/update-sheet",
            data={"csrf": coordinator.csrf},
            files={"file": ("sheet.xlsx", filled.getvalue(), "application/octet-stream")},
        )
        assert dry.status_code == 200 and "Record these changes" in dry.text
        assert api.get(f"/commitments/{world.commitment}").json()["status"] == "agreed"
        kept = re.search(r'name="content" value="([^"]+)"', dry.text)
        assert kept is not None
        done = coordinator.post(
            f"/parties/{world.sesric}/update-sheet", {"content": kept.group(1), "name": "sheet.xlsx", "apply": "yes"}
        )
        assert done.status == 200 and "What the sheet changed" in done.text
    assert api.get(f"/commitments/{world.commitment}").json()["status"] == "in_progress"
