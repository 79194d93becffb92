from django.core.management.base import BaseCommand
from django.utils.translation import override

from portal.management.commands.seed_demo import demo_logins


class Command(BaseCommand):
    help = "Print the demo logins of each role (after seed_demo)."

    def handle(self, *args, **options):
        with override("en"):
            rows = demo_logins()
        width = max(len(role) for role, _login, _password in rows)
        self.stdout.write("Demo logins (intranet :8000 for staff, extranet :8001 for retailers):")
        for role, login, password in rows:
            self.stdout.write(f"  {role.ljust(width)}  {login:<16} {password}")
