"""Sign-in with e-mail address or user name."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.db.models import Q

from .models import User


class EmailOrUsernameBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or not password:
            return None
        user = User.objects.filter(
            Q(email__iexact=username.strip()) | Q(username=username.strip())
        ).first()
        if user is None:
            # Spend the time of a hash anyway, so that unknown addresses are not revealed.
            User().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def client_ip(request) -> str | None:
    """The address the proxy saw (X-Real-IP, which nginx overwrites); REMOTE_ADDR without one."""
    if settings.BEHIND_PROXY:
        return request.META.get("HTTP_X_REAL_IP") or request.META.get("REMOTE_ADDR")
    return request.META.get("REMOTE_ADDR")
