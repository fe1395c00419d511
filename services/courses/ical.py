"""A member's course sessions as an iCalendar file, for the phone's calendar app
(``icalendar``: correct line folding, escaping and time zones)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

from services.courses.models import EnrollmentStatus, Session


def member_calendar(member) -> bytes:
    from icalendar import Calendar, Event  # loaded when a file is made, not by every process

    zone = ZoneInfo(settings.TIME_ZONE)
    calendar = Calendar()
    calendar.add("prodid", "-//Qiantang Federation of Trade Unions//courses//ZH")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "钱塘区总工会 · 我的课程")
    sessions = Session.objects.filter(
        course__enrollments__member=member, course__enrollments__status=EnrollmentStatus.ENROLLED
    ).select_related("course", "course__street")
    for session in sessions:
        course = session.course
        event = Event()
        event.add("uid", f"session-{session.pk}-member-{member.pk}@qiantang-union")
        event.add("summary", course.title)
        event.add("location", f"{course.venue}，{course.address}")
        event.add("description", f"{course.provider}")
        event.add("dtstart", datetime.combine(session.date, session.starts, tzinfo=zone))
        event.add("dtend", datetime.combine(session.date, session.ends, tzinfo=zone))
        event.add("dtstamp", timezone.now())
        calendar.add_component(event)
    # A VTIMEZONE for Asia/Shanghai, so that calendar apps need not know the zone's name.
    calendar.add_missing_timezones()
    return calendar.to_ical()
