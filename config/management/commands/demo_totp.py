"""Print the current TOTP code of a demo staff account (development only)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Print the current 6-digit TOTP code of a demo staff account."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        if settings.PRODUCTION or not settings.PORTAL_DEMO_MODE:
            raise CommandError("only for demo accounts, never in production")
        device = TOTPDevice.objects.filter(user__username=username, name="demo").first()
        if device is None:
            raise CommandError(f"no demo TOTP device for {username}")
        self.stdout.write(f"{totp(device.bin_key, step=device.step, digits=device.digits):06d}")
