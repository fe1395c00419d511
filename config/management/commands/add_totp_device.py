"""Give a member of staff a TOTP device from the server's shell (e.g. the first superuser).

Prints the secret and the otpauth:// address to type or scan into an authenticator app. Later
devices are added in the admin under "TOTP devices", which shows the QR code.
"""

import base64

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Create a TOTP device for a staff account and print its secret."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="authenticator")

    def handle(self, *args, username, name, **options):
        user = get_user_model().objects.filter(username=username, is_staff=True).first()
        if user is None:
            raise CommandError(f"no staff account named {username}")
        device = TOTPDevice.objects.create(user=user, name=name, confirmed=True)
        secret = base64.b32encode(device.bin_key).decode()
        self.stdout.write(f"Secret: {secret}")
        self.stdout.write(f"URI:    {device.config_url}")
