"""Keep the directory's cached copies fresh: the search's department and position names, and
the departments with their head counts (`selectors.department_rows_kept`)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from portal.models import Department, Employee, Position, User


@receiver(post_save, sender=Department, dispatch_uid="directory_names_department_saved")
@receiver(post_delete, sender=Department, dispatch_uid="directory_names_department_deleted")
@receiver(post_save, sender=Position, dispatch_uid="directory_names_position_saved")
@receiver(post_delete, sender=Position, dispatch_uid="directory_names_position_deleted")
def forget_names(**kwargs):
    if kwargs.get("raw"):  # a fixture loaded by loaddata: see the README
        return
    from portal.directory.selectors import forget_directory_names

    forget_directory_names()


@receiver(post_save, sender=Department, dispatch_uid="directory_counts_department_saved")
@receiver(post_delete, sender=Department, dispatch_uid="directory_counts_department_deleted")
@receiver(post_save, sender=Employee, dispatch_uid="directory_counts_employee_saved")
@receiver(post_delete, sender=Employee, dispatch_uid="directory_counts_employee_deleted")
@receiver(post_delete, sender=User, dispatch_uid="directory_counts_user_deleted")
def forget_counts(**kwargs):
    if kwargs.get("raw"):
        return
    from portal.directory.selectors import directory_forget

    directory_forget()


@receiver(post_save, sender=User, dispatch_uid="directory_counts_user_saved")
def forget_counts_of_account(update_fields=None, raw=False, **kwargs):
    """An account counts while it is active: a save that may have changed the flag forgets the
    counts (a sign-in saves only `last_login`, which does not)."""
    if raw or (update_fields is not None and "is_active" not in update_fields):
        return
    from portal.directory.selectors import directory_forget

    directory_forget()
