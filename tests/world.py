"""A small recorded world to test the API against."""

from dataclasses import dataclass

from tests.conftest import Api
from tests.records import OIC, SESRIC_NAME, UN, commitment, meeting, party


@dataclass
class World:
    un: str
    oic: str
    sesric: str
    iofs: str
    meeting: str
    commitment: str


def build_world(api: Api) -> World:
    un = api.created("/parties", UN)["id"]
    oic = api.created("/parties", OIC)["id"]
    sesric_body = party("SESRIC", oic)
    sesric_body["names"] = {"texts": {"ar": SESRIC_NAME, "en": "SESRIC"}, "authentic": "ar"}
    sesric = api.created("/parties", sesric_body)["id"]
    iofs = api.created("/parties", party("IOFS", oic, "specialised_institution"))["id"]
    meeting_id = api.created("/meetings", meeting([un, oic]))["id"]
    commitment_id = api.created("/commitments", commitment(meeting_id, sesric, supporting_party_ids=[un]))["id"]
    return World(un, oic, sesric, iofs, meeting_id, commitment_id)
