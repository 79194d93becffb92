"""Demo data of every installed app: each app keeps its own in `<app>/demo.py`.

A demo module has a `seed(*, stdout)` function, deterministic and idempotent (seeding again
changes nothing), and may list its demo logins as `DEMO_LOGINS` ((role label, login) pairs).
The modules run in the order of INSTALLED_APPS: the core's (`portal.demo`: departments, staff,
role logins) first, so the people exist when the apps' demo data is made.
"""

from importlib import import_module

from django.apps import apps
from django.core.management.base import BaseCommand
from django.utils.module_loading import module_has_submodule

from portal.demo import DEMO_PASSWORD


def demo_modules():
    """The `demo` module of every installed app that has one, in INSTALLED_APPS order."""
    return [
        import_module(f"{config.name}.demo")
        for config in apps.get_app_configs()
        if module_has_submodule(config.module, "demo")
    ]


def demo_logins():
    """(role label, login, password) for the README and `make run`."""
    return [
        (str(label), login, DEMO_PASSWORD)
        for module in demo_modules()
        for label, login in getattr(module, "DEMO_LOGINS", ())
    ]


class Command(BaseCommand):
    help = "Create the demo data of every installed app (idempotent)."

    def handle(self, *args, **options):
        for module in demo_modules():
            module.seed(stdout=self.stdout)
