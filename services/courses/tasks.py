"""The daily reminder: every member enrolled in a session tomorrow is told the day before,
through the notification backends (inbox, text message, e-mail). ``manage.py
send_course_reminders`` queues it; run it once a day (cron or a systemd timer). Each
(enrollment, session) is reminded once, however often it runs."""

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import gettext_noop

from services.applications.engine import notify
from services.courses.models import Enrollment, EnrollmentStatus, Reminder, Session


def remind_tomorrow(today=None) -> int:
    tomorrow = (today or timezone.localdate()) + timedelta(days=1)
    sent = 0
    sessions = Session.objects.filter(date=tomorrow).select_related("course")
    for session in sessions:
        enrolled = Enrollment.objects.filter(
            course=session.course, status=EnrollmentStatus.ENROLLED
        ).select_related("member")
        for enrollment in enrolled:
            try:
                with transaction.atomic():
                    Reminder.objects.create(enrollment=enrollment, session=session)
                    notify(
                        user_id=enrollment.member.user_id,
                        message=gettext_noop(
                            "提醒：明天 %(when)s 在 %(venue)s 上“%(course)s”，请准时参加。"
                        ),
                        params={
                            "when": f"{session.starts:%H:%M}",
                            "venue": session.course.venue,
                            "course": session.course.title,
                        },
                        link=enrollment.get_absolute_url(),
                        about=enrollment,
                    )
            except IntegrityError:
                continue  # reminded already
            sent += 1
    return sent


@task()
def send_course_reminders() -> int:
    return remind_tomorrow()
