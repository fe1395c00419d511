"""Re-encrypt every encrypted personal-data column under the current (first) key.

Rotation: put a new key first in PORTAL_FIELD_KEYS and keep the old ones after it
(``PORTAL_FIELD_KEYS=new,old``), restart, run this command, then drop the old key. Reading a
value decrypts it with whichever key fits; writing it back encrypts it with the first.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from services.members.models import Member


class Command(BaseCommand):
    help = "Re-encrypt encrypted personal-data fields under the first key of PORTAL_FIELD_KEYS."

    def handle(self, *args, **options):
        done = 0
        with transaction.atomic():
            for pk, id_number in (
                Member.objects.select_for_update().values_list("pk", "id_number").iterator()
            ):
                Member.objects.filter(pk=pk).update(id_number=id_number)
                done += 1
        self.stdout.write(f"Re-encrypted {done} member records under the current key.")
