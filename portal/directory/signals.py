"""Keep the directory search's copy of department and position names fresh."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from portal.models import Department, Position


@receiver(post_save, sender=Department, dispatch_uid="directory_names_department_saved")
@receiver(post_delete, sender=Department, dispatch_uid="directory_names_department_deleted")
@receiver(post_save, sender=Position, dispatch_uid="directory_names_position_saved")
@receiver(post_delete, sender=Position, dispatch_uid="directory_names_position_deleted")
def forget_names(**kwargs):
    if kwargs.get("raw"):  # a fixture loaded by loaddata: see the README
        return
    from portal.directory.selectors import forget_directory_names

    forget_directory_names()
