from django.contrib.auth.middleware import LoginRequiredMiddleware as DjangoLoginRequired


class LoginRequiredMiddleware(DjangoLoginRequired):
    """Deny by default, except that the admin checks its own logins (password and second
    factor) and sends staff to its own login page rather than the workers' one."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match and match.app_name == "admin":
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
