"""The staff admin: a password and a TOTP code from the staff member's registered device."""

from django_otp import devices_for_user
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite


class StaffLoginForm(OTPAdminAuthenticationForm):
    """Staff with a single device need not pick it from a list: it is the one to verify."""

    def _chosen_device(self, user):
        device = super()._chosen_device(user)
        if device is None:
            devices = list(devices_for_user(user, confirmed=True, for_verify=True))
            if len(devices) == 1:
                device = devices[0]
        return device


class PortalAdminSite(OTPAdminSite):
    login_form = StaffLoginForm
