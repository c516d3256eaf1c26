"""``manage.py token create <username>`` prints a new API token; ``token revoke`` ends one."""

from django.core.management.base import BaseCommand, CommandError

from samspil.core import services
from samspil.core.models import AccessToken, User


class Command(BaseCommand):
    help = "Create or revoke personal access tokens for the API."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        create = actions.add_parser("create", help="Create a token and print it once.")
        create.add_argument("username")
        create.add_argument("--name", default="command line")
        revoke = actions.add_parser("revoke", help="Revoke a token by its id.")
        revoke.add_argument("token_id", type=int)

    def handle(self, *args, **options):
        if options["action"] == "create":
            user = User.objects.filter(username=options["username"]).first()
            if user is None:
                raise CommandError(f"No user named {options['username']!r}.")
            _token, secret = services.create_access_token(user, options["name"])
            self.stdout.write(secret)
        else:
            token = AccessToken.objects.filter(pk=options["token_id"]).first()
            if token is None:
                raise CommandError(f"No token with id {options['token_id']}.")
            services.revoke_access_token(token.user, token)
            self.stdout.write(f"Revoked token {token.pk}.")
