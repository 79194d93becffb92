"""Who may do what in the knowledge base.

* Every employee reads the live articles of the intranet's knowledge base and may draft articles
  for their own department; a draft is theirs to revise until the editors approve it.
* Knowledge editors (computer center) review contributions in Wagtail admin, edit the knowledge
  types, and see the editors' report and every overdue article.
* Retailers read the live articles of the extranet's knowledge base, and nothing else of it.
"""

from portal.permissions import Role, has_role

KNOWLEDGE_EDITOR_PERMISSIONS = [
    "knowledge.add_knowledgetype",
    "knowledge.change_knowledgetype",
    "knowledge.delete_knowledgetype",
    "knowledge.view_knowledgetype",
    "knowledge.add_articleattachment",
    "knowledge.change_articleattachment",
    "knowledge.delete_articleattachment",
    "knowledge.view_articleattachment",
]
# Images and documents: Wagtail asks collection permissions only, which
# `knowledge.services.knowledge_setup_ensure` gives the editors on the "Knowledge" collection.

# Merged with the other apps' by portal.permissions.role_permissions().
ROLE_PERMISSIONS = {Role.KNOWLEDGE_EDITOR: KNOWLEDGE_EDITOR_PERMISSIONS}


def is_knowledge_editor(user) -> bool:
    return user.is_authenticated and (
        has_role(user, Role.KNOWLEDGE_EDITOR) or has_role(user, Role.SYSTEM_ADMINISTRATOR)
    )


def may_use_knowledge(user, face: str) -> bool:
    """Employees use the internal knowledge base, retailers the external one."""
    if not user.is_authenticated:
        return False
    return user.is_retailer if face == "extranet" else user.is_employee


def may_contribute(user) -> bool:
    """Any employee may draft an article for their department."""
    return user.is_authenticated and user.is_employee


def may_revise(user, article) -> bool:
    """The author may revise their contribution while it is not live (a draft, in review,
    changes requested); once published, changes are the editors' (in Wagtail admin)."""
    return (
        may_contribute(user)
        and article.owner_id == user.pk
        and not article.live
        and article.rejected_at is None
    )


def may_see_report(user) -> bool:
    return is_knowledge_editor(user)
