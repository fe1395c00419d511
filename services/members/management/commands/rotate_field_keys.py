"""Re-encrypt every encrypted personal-data column under the current (first) key.

Rotation: put a new key first in PORTAL_FIELD_KEYS and keep the old ones after it
(``PORTAL_FIELD_KEYS=new,old``), restart, run this command, then drop the old key. The columns
are found by walking every installed model for ``EncryptedCharField`` fields, so a field
added to any app is rotated without this command being told. Each value is read (decrypted
with whichever key fits) and written back (encrypted with the first), in batches, each batch
in its own transaction; running the command again is harmless.
"""

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from services.members.pii import EncryptedCharField

BATCH = 500


def encrypted_fields():
    """(model, [field names]) for every model with an encrypted column."""
    for model in apps.get_models():
        names = [f.name for f in model._meta.concrete_fields if isinstance(f, EncryptedCharField)]
        if names:
            yield model, names


def _rotate_model(model, names) -> int:
    done = 0
    last_pk = None
    table = model._default_manager
    while True:
        with transaction.atomic():
            rows = table.order_by("pk")
            if last_pk is not None:
                rows = rows.filter(pk__gt=last_pk)
            batch = list(rows.select_for_update().values_list("pk", *names)[:BATCH])
            if not batch:
                return done
            for pk, *values in batch:
                table.filter(pk=pk).update(
                    **{name: value for name, value in zip(names, values, strict=True) if value}
                )
            last_pk = batch[-1][0]
            done += len(batch)


class Command(BaseCommand):
    help = "Re-encrypt every encrypted field of every model under the first PORTAL_FIELD_KEYS key."

    def handle(self, *args, **options):
        for model, names in encrypted_fields():
            done = _rotate_model(model, names)
            self.stdout.write(
                f"{model._meta.label}: {done} rows re-encrypted ({', '.join(names)})."
            )
