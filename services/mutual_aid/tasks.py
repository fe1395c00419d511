"""Big rosters are checked and saved by the task worker (``manage.py db_worker``); the page
shows the progress kept on the roster row."""

import logging

from django.core.exceptions import ValidationError
from django.tasks import task

from services.mutual_aid.models import RosterImport
from services.mutual_aid.roster import roster_check, roster_failed, roster_save

logger = logging.getLogger(__name__)


@task()
def check_roster_task(roster_id: int) -> None:
    roster = RosterImport.objects.get(pk=roster_id)
    try:
        roster_check(roster=roster)
    except ValidationError as error:
        roster_failed(roster_id=roster_id, reason=error.messages[0])


@task()
def save_roster_task(roster_id: int, actor_id: int) -> None:
    from django.contrib.auth import get_user_model

    roster = RosterImport.objects.get(pk=roster_id)
    actor = get_user_model().objects.get(pk=actor_id)
    try:
        roster_save(roster=roster, actor=actor)
    except ValidationError as error:
        roster_failed(roster_id=roster_id, reason=error.messages[0])
