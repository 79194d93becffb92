"""Who may do what in the forum (the one place that decides it).

* Every employee reads the boards open to them; posting needs a pseudonym.
* A board restricted to a department is open to that department's members (its sections
  included) and to forum moderators; to anyone else it does not exist (404).
* Forum moderators hide and restore posts, lock, pin and move topics, work the report queue and
  see prior versions of edited posts — always by pseudonym. An author sees the prior versions of
  their own posts.
* Identity auditors may reveal the person behind a post, with a written reason (audited).
* System administrators manage boards in Wagtail admin and rename a pseudonym (once a year).
  Superusers get no other shortcut: being superuser does not make one an identity auditor.
"""

from datetime import timedelta

from django.utils import timezone

from forum.conf import forum_setting
from portal.permissions import Role, has_role, roles_of

# Merged with the other apps' by portal.permissions.role_permissions().
ROLE_PERMISSIONS = {
    Role.SYSTEM_ADMINISTRATOR: [
        "forum.add_board",
        "forum.change_board",
        "forum.view_board",
        "forum.delete_board",
    ],
}


def is_moderator(user) -> bool:
    return user.is_authenticated and Role.FORUM_MODERATOR in roles_of(user)


def is_identity_auditor(user) -> bool:
    # Not has_role(): a superuser is not an identity auditor unless given the role.
    return user.is_authenticated and Role.IDENTITY_AUDITOR in roles_of(user)


def may_rename_pseudonyms(user) -> bool:
    return has_role(user, Role.SYSTEM_ADMINISTRATOR)


def may_use_forum(user) -> bool:
    return user.is_authenticated and user.is_employee and user.is_active


def may_edit_post(*, pseudonym, post) -> bool:
    return (
        pseudonym is not None
        and post.author_id == pseudonym.pk
        and not post.is_deleted
        and not post.is_hidden
        and not post.topic.is_locked
    )


def delete_window() -> timedelta:
    return timedelta(minutes=forum_setting("FORUM_DELETE_WINDOW_MINUTES"))


def may_see_post_history(*, user, pseudonym, post) -> bool:
    """Earlier versions of a post: for moderators, and for its author (their own words)."""
    return is_moderator(user) or (pseudonym is not None and post.author_id == pseudonym.pk)


def may_delete_post(*, pseudonym, post, now=None) -> bool:
    now = now or timezone.now()
    return may_edit_post(pseudonym=pseudonym, post=post) and now - post.created_at <= (
        delete_window()
    )


def may_reply(*, pseudonym, topic, user) -> bool:
    return pseudonym is not None and (not topic.is_locked or is_moderator(user))


def rename_interval() -> timedelta:
    return timedelta(days=forum_setting("FORUM_RENAME_INTERVAL_DAYS"))
