"""Sign-in with e-mail address or user name."""

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
