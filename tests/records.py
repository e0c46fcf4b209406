"""Realistic records, taken from the 15th UN–OIC general meeting (Geneva, July 2022)."""

from typing import Any

UN = {
    "names": {"texts": {"ar": "الأمم المتحدة", "en": "United Nations"}, "authentic": "en"},
    "acronym": "UN",
    "kind": "international_organisation",
}
OIC = {
    "names": {
        "texts": {"ar": "منظمة التعاون الإسلامي", "en": "Organisation of Islamic Cooperation"},
        "authentic": "ar",
    },
    "acronym": "OIC",
    "kind": "international_organisation",
}
SESRIC_NAME = "مركز الأبحاث الإحصائية والاقتصادية والاجتماعية والتدريب للدول الإسلامية"
MATRIX_QUOTE = "واتفق الاجتماع على مصفوفة للأنشطة المشتركة بين منظمة التعاون الإسلامي والأمم المتحدة للسنتين القادمتين"
SESSION_QUOTE = (
    "كما تم الاتفاق على عقد الدورة السادسة عشرة للاجتماع العام للتعاون في 2024 في مقر المنظمة "
    "الإسلامية للأمن الغذائي (IOFS)"
)


def party(acronym: str, parent_id: str | None = None, kind: str = "subsidiary_organ") -> dict[str, Any]:
    body: dict[str, Any] = {"names": {"texts": {"en": f"The {acronym}"}}, "acronym": acronym, "kind": kind}
    if parent_id:
        body["parent_id"] = parent_id
    return body


def meeting(participants: list[str], **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": {
            "texts": {
                "ar": "الاجتماع العام الخامس عشر للأمم المتحدة ومنظمة التعاون الإسلامي بشأن التعاون",
                "en": "15th UN–OIC General Meeting on Cooperation",
            },
            "authentic": "ar",
        },
        "kind": "general_meeting",
        "series": "un-oic-general-meeting",
        "session_number": 15,
        "scheduled": {"starts_on": "2022-07-18", "ends_on": "2022-07-20"},
        "venue": {
            "name": "Palais des Nations",
            "city": "Geneva",
            "country": "Switzerland",
            "time_zone": "Europe/Zurich",
        },
        "participants": [{"party_id": p, "role": "co_chair"} for p in participants],
    }
    body.update(overrides)
    return body


def commitment(meeting_id: str, lead: str, **overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "text": {
            "texts": {"ar": "تنفيذ مصفوفة الأنشطة المشتركة", "en": "Implement the matrix of joint activities"},
            "authentic": "ar",
        },
        "lead_party_id": lead,
        "meeting_id": meeting_id,
        "quote": {"texts": {"ar": MATRIX_QUOTE}},
        "due": {"precision": "relative", "amount": 2, "unit": "years"},
        "status": "agreed",
    }
    body.update(overrides)
    return body
