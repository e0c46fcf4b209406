"""An agreement and its commitments as IATI 2.03 activities, valid against the standard's own schema."""

from pathlib import Path

import pytest
from lxml import etree

from tests.conftest import Api
from tests.records import commitment
from tests.world import World

SCHEMA = Path(__file__).parent.parent / "iati-2.03" / "iati-activities-schema.xsd"  # kept in the repository
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


def child(element: etree._Element, tag: str) -> etree._Element:
    """The element's first child ``tag``, which the document must have."""
    found = element.find(tag)
    assert found is not None, tag
    return found


@pytest.fixture(scope="module")
def schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA)))


def test_an_agreement_exports_as_iati_activities_the_schema_accepts(
    api: Api, world: World, schema: etree.XMLSchema
) -> None:
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
            "rows": [{"activity": {"texts": {"en": "Statistical capacity building"}}, "lead_party_id": world.sesric}],
        },
    )
    row = api.created(
        "/commitments",
        commitment(
            world.meeting, world.sesric, agreement_id=matrix["id"], row_number=1, supporting_party_ids=[world.un]
        ),
    )
    done = api.created("/commitments", commitment(world.meeting, world.iofs, agreement_id=matrix["id"], due=None))
    api.post(f"/commitments/{done['id']}/deliver", {"evidence": [{"title": "Forum report"}]})
    answer = api.get(f"/agreements/{matrix['id']}/iati")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("application/xml")
    document = etree.fromstring(answer.content)
    schema.assertValid(document)
    first, second = document.findall("iati-activity")
    assert first.findtext("iati-identifier") == f"XI-COMMITMENTS-{row['id']}"
    assert {n.get(XML_LANG): n.text for n in child(first, "title")} == {
        "ar": "تنفيذ مصفوفة الأنشطة المشتركة",
        "en": "Implement the matrix of joint activities",
    }
    organisations = first.findall("participating-org")
    assert [(o.get("role"), o.get("type")) for o in organisations] == [("2", "40"), ("4", "40"), ("4", "40")]
    assert [{n.get(XML_LANG): n.text for n in o}.get("en") for o in organisations] == [
        "SESRIC",
        "SESRIC",
        "United Nations",
    ]
    assert child(first, "activity-status").get("code") == "2" and child(second, "activity-status").get("code") == "3"
    assert {d.get("type"): d.get("iso-date") for d in first.findall("activity-date")} == {
        "1": "2022-07-20",
        "3": "2024-07-20",
    }
    assert [d.get("type") for d in second.findall("activity-date")] == ["1", "4"]
    assert child(first, "document-link").get("url") == f"urn:uuid:{world.meeting}"
    assert any("مصفوفة للأنشطة" in (n.text or "") for n in child(first, "description"))


def test_an_agreement_with_no_commitment_or_none_at_all_is_404(api: Api, world: World) -> None:
    empty = api.created(
        "/agreements",
        {
            "meeting_id": world.meeting,
            "kind": "joint_statement",
            "adopted_by": [world.un],
            "title": {"texts": {"en": "Joint statement"}},
        },
    )
    answer = api.get(f"/agreements/{empty['id']}/iati")
    assert answer.status_code == 404 and "needs one activity at least" in answer.json()["detail"]
    assert api.get("/agreements/00000000-0000-0000-0000-000000000000/iati").status_code == 404
