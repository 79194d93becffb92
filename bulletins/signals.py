"""Integration with Wagtail's page tree: every department has a board (with its editors group)
as soon as it is saved, cached notice lists are renewed when a notice changes, and the kept
lists of boards when a board (or what their lines or addresses are made of) changes, and the
kept reports when the people the audiences are made of change."""

from django.apps import apps
from django.db import connections
from django.db.models.signals import post_delete, post_migrate, post_save
from django.dispatch import receiver
from wagtail.models import Page, Site
from wagtail.signals import page_published, page_unpublished, post_page_move

from bulletins.models import Board, BulletinIndexPage, Notice
from bulletins.services import (
    board_ensure_for_department,
    boards_changed,
    bulletins_sync,
    notices_changed,
    staff_changed,
)
from portal.models import Department, Employee, User


@receiver(post_save, sender=Department, dispatch_uid="bulletins_department_board")
def department_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    board_ensure_for_department(department=instance)


@receiver(post_save, sender=Notice, dispatch_uid="bulletins_notice_saved")
@receiver(post_delete, sender=Notice, dispatch_uid="bulletins_notice_deleted")
@receiver(page_published, sender=Notice, dispatch_uid="bulletins_notice_published")
@receiver(page_unpublished, sender=Notice, dispatch_uid="bulletins_notice_unpublished")
def notice_changed(sender, **kwargs):
    if kwargs.get("raw"):  # a fixture loaded by loaddata: see the README
        return
    notices_changed()


# The boards' lines (titles, order by department, addresses), the index page the index view
# serves, and the addresses' sites and places in the tree (`bulletins.board_links`). Deleting
# any page may delete a board or the index below it; moving any page may move their addresses.
@receiver(post_save, sender=Board, dispatch_uid="bulletins_board_saved")
@receiver(post_delete, sender=Board, dispatch_uid="bulletins_board_deleted")
@receiver(page_published, sender=Board, dispatch_uid="bulletins_board_published")
@receiver(page_unpublished, sender=Board, dispatch_uid="bulletins_board_unpublished")
@receiver(post_save, sender=BulletinIndexPage, dispatch_uid="bulletins_index_saved")
@receiver(post_delete, sender=BulletinIndexPage, dispatch_uid="bulletins_index_deleted")
@receiver(page_published, sender=BulletinIndexPage, dispatch_uid="bulletins_index_published")
@receiver(page_unpublished, sender=BulletinIndexPage, dispatch_uid="bulletins_index_unpublished")
@receiver(post_delete, sender=Page, dispatch_uid="bulletins_page_deleted")
@receiver(post_page_move, dispatch_uid="bulletins_page_moved")
@receiver(post_save, sender=Department, dispatch_uid="bulletins_department_saved_boards")
@receiver(post_delete, sender=Department, dispatch_uid="bulletins_department_deleted_boards")
@receiver(post_save, sender=Site, dispatch_uid="bulletins_site_saved")
@receiver(post_delete, sender=Site, dispatch_uid="bulletins_site_deleted")
def board_changed(sender, **kwargs):
    if kwargs.get("raw"):  # a fixture loaded by loaddata: see the README
        return
    boards_changed()


# Who is in a notice's audience: active employees (a user's `is_active` and `kind`), by their
# department and its parent; the reports list departments by their order and name.
STAFF_USER_FIELDS = frozenset({"is_active", "kind"})


@receiver(post_save, sender=User, dispatch_uid="bulletins_staff_user_saved")
def staff_user_saved(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:  # a fixture loaded by loaddata: see the README
        return
    # A sign-in saves `last_login` alone, a password change the password: no audience changes.
    if update_fields is not None and not STAFF_USER_FIELDS.intersection(update_fields):
        return
    staff_changed()


@receiver(post_delete, sender=User, dispatch_uid="bulletins_staff_user_deleted")
@receiver(post_save, sender=Employee, dispatch_uid="bulletins_staff_employee_saved")
@receiver(post_delete, sender=Employee, dispatch_uid="bulletins_staff_employee_deleted")
@receiver(post_save, sender=Department, dispatch_uid="bulletins_staff_department_saved")
@receiver(post_delete, sender=Department, dispatch_uid="bulletins_staff_department_deleted")
def staff_member_changed(sender, **kwargs):
    if kwargs.get("raw"):  # a fixture loaded by loaddata: see the README
        return
    staff_changed()


def set_up_after_migrate(sender, using="default", **kwargs):
    """The bulletins index, the channels and every department's board exist after migrating
    (after portal's own set-up, which creates the intranet site, on the last app's signal)."""
    last = [config for config in apps.get_app_configs() if config.models_module is not None][-1]
    if sender.label != last.label:
        return
    if Notice._meta.db_table not in connections[using].introspection.table_names():
        return
    bulletins_sync()


post_migrate.connect(set_up_after_migrate, dispatch_uid="bulletins_set_up_after_migrate")
