"""A worker reading a report reads it with the gazetteer (decision 0061)."""

from datetime import date

from infrastructure.reports.reader import ReportReader

REPORT = """اختتام اجتماع اللجنة المشتركة في دوشنبه
دوشنبه في 3 مارس 2025
عقدت اللجنة المصرية الطاجيكية المشتركة اجتماعها في دوشنبه يوم 2 مارس 2025.
واتفق الجانبان على عقد الاجتماع المقبل في القاهرة سنة 2026.
"""


def test_a_report_read_by_a_worker_places_its_meeting_in_a_city_of_the_gazetteer() -> None:
    reader = ReportReader()
    try:
        reading = reader(REPORT, date(2025, 3, 3), [])
    finally:
        reader.close()
    (meeting,) = reading.of("meeting")
    assert (meeting.value["city"], meeting.value["time_zone"]) == ("Dushanbe", "Asia/Dushanbe")
    assert [p.value["key"] for p in reading.of("party")] == ["EG", "TJ"]
