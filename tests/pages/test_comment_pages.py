"""On the commitment's page: its thread, a form to comment for those who may change it, and for an admin a
way to hide a comment with a reason."""

from fastapi.testclient import TestClient

from api.bootstrap import Services
from domain.access import Role
from tests.conftest import Api, app_on
from tests.web import Visitor
from tests.world import World


def test_a_coordinator_comments_on_the_page_and_an_admin_hides_it_with_a_reason(
    recorded: tuple[Api, World], services: Services
) -> None:
    api, world = recorded
    path = f"/commitments/{world.commitment}"
    with TestClient(app_on(services), follow_redirects=True) as client:
        auditor = Visitor(client)
        auditor.sign_in(api.keys[Role.AUDITOR])
        assert not auditor.open(path).all("//form[@class='comment-form']")  # nothing offered it may not do
    with TestClient(app_on(services), follow_redirects=True) as client:
        coordinator = Visitor(client)
        coordinator.sign_in(api.keys[Role.COORDINATOR])
        coordinator.open(path)
        refused = coordinator.post(f"{path}/comments", {"text": "", "language": "ar"})
        assert refused.status == 422
        said = coordinator.post(
            f"{path}/comments",
            [("text", "أرسلنا البيانات في 3 آذار"), ("language", "ar"), ("mentions", world.oic)],
        )
        assert said.status == 200 and "أرسلنا البيانات في 3 آذار" in said.words()
        [item] = said.all("//ol[@class='comments']/li")
        assert item.xpath(".//p[@lang='ar']") and "OIC" in item.text_content()
        assert not said.all("//form[contains(@action, '/hiding')]")  # only an admin hides
    with TestClient(app_on(services), follow_redirects=True) as client:
        admin = Visitor(client)
        admin.sign_in(api.keys[Role.ADMIN])
        admin.open(path)
        hidden = admin.post(f"{path}/comments/1/hiding", {"reason": "names a person"})
        assert hidden.status == 200
        assert "أرسلنا البيانات" not in hidden.all("//ol[@class='comments']")[0].text_content()
        assert "names a person" in hidden.words()
        assert "أرسلنا البيانات" not in hidden.text  # nor in the page's history: the audit's export keeps it
