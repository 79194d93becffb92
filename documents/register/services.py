"""Writes to the document register: registering, revising, publishing and repealing
documents, storing their files, deciding who reads a restricted one, and acknowledgements. Each
service checks who may do it, changes the rows in one transaction and records what it did in
the audit log. A refusal is a `Refusal`: 403 for a person not allowed, 409 for a document in
the wrong state, 400 for missing input."""

from functools import partial

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from documents import permissions
from documents.register.models import (
    Acknowledgement,
    DepartmentGrant,
    DocumentFile,
    PolicyDocument,
)
from documents.register.selectors import REGISTER_GENERATION
from documents.register.tasks import document_file_extract_text
from portal.models import Department
from portal.refusals import Refusal
from portal.services import audit_record


def _refuse_unless(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise Refusal(message or _("You are not allowed to do this."), status=403)


def _next_sequence(department: Department, year: int) -> int:
    last = PolicyDocument.objects.filter(issuing_department=department, year=year).aggregate(
        last=Max("sequence")
    )["last"]
    return (last or 0) + 1


def document_register(
    *,
    actor,
    issuing_department: Department,
    number_prefix: str,
    year: int,
    title: str,
    level: str,
    sequence: int | None = None,
    category=None,
    signing_date=None,
    effective_date=None,
    summary: str = "",
    is_restricted: bool = False,
    requires_acknowledgement: bool = False,
    supersedes: PolicyDocument | None = None,
    official_file=None,
    attachments=(),
) -> PolicyDocument:
    """Register a document as a draft. Without a sequence number it gets the next free one of
    its department and year; the department's row is locked while the number is chosen, so two
    managers registering at once never get the same number."""
    _refuse_unless(permissions.may_manage_register(actor))
    with transaction.atomic():
        Department.objects.select_for_update().filter(pk=issuing_department.pk).first()
        if sequence is None:
            sequence = _next_sequence(issuing_department, year)
        elif PolicyDocument.objects.filter(
            issuing_department=issuing_department, year=year, sequence=sequence
        ).exists():
            raise Refusal(
                _("Number %(number)s is already taken; the next free one is %(next)d.")
                % {
                    "number": f"{number_prefix}〔{year}〕{sequence}号",
                    "next": _next_sequence(issuing_department, year),
                },
                status=409,
            )
        if supersedes is not None and supersedes.status != PolicyDocument.Status.IN_FORCE:
            raise Refusal(_("Only a document in force can be superseded."), status=409)
        document = PolicyDocument.objects.create(
            issuing_department=issuing_department,
            number_prefix=number_prefix,
            year=year,
            sequence=sequence,
            title=title,
            level=level,
            category=category,
            signing_date=signing_date,
            effective_date=effective_date,
            summary=summary,
            is_restricted=is_restricted,
            requires_acknowledgement=requires_acknowledgement,
            supersedes=supersedes,
            registered_by=actor,
        )
        REGISTER_GENERATION.bump()
        audit_record(actor=actor, action="document.registered", target=document)
        if official_file is not None:
            document_file_add(actor=actor, document=document, upload=official_file)
        for upload in attachments:
            document_file_add(
                actor=actor, document=document, upload=upload, kind=DocumentFile.Kind.ATTACHMENT
            )
    return document


DOCUMENT_EDITABLE_FIELDS = (
    "title",
    "level",
    "category",
    "signing_date",
    "effective_date",
    "summary",
    "is_restricted",
    "requires_acknowledgement",
)


def document_update(*, actor, document: PolicyDocument, **changes) -> PolicyDocument:
    """Revise the register entry. The number and issuing department never change once given."""
    _refuse_unless(permissions.may_manage_register(actor))
    unknown = set(changes) - set(DOCUMENT_EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Not editable: {sorted(unknown)}")
    if document.status in (PolicyDocument.Status.SUPERSEDED, PolicyDocument.Status.REPEALED):
        raise Refusal(_("A superseded or repealed document can no longer be revised."), status=409)
    with transaction.atomic():
        changed = {
            name: str(value) for name, value in changes.items() if getattr(document, name) != value
        }
        for name, value in changes.items():
            setattr(document, name, value)
        document.save()
        REGISTER_GENERATION.bump()
        audit_record(actor=actor, action="document.revised", target=document, data=changed)
    return document


def document_publish(*, actor, document: PolicyDocument) -> PolicyDocument:
    """Put a draft in force. A document that supersedes another marks that one superseded in
    the same transaction, so the chain is never half done."""
    _refuse_unless(permissions.may_manage_register(actor))
    with transaction.atomic():
        document = PolicyDocument.objects.select_for_update().get(pk=document.pk)
        if document.status != PolicyDocument.Status.DRAFT:
            raise Refusal(_("Only a draft can be published."), status=409)
        document.status = PolicyDocument.Status.IN_FORCE
        document.published_at = timezone.now()
        document.save(update_fields=["status", "published_at"])
        REGISTER_GENERATION.bump()
        audit_record(actor=actor, action="document.published", target=document)
        if document.supersedes_id:
            old = PolicyDocument.objects.select_for_update().get(pk=document.supersedes_id)
            if old.status != PolicyDocument.Status.IN_FORCE:
                raise Refusal(
                    _("%(number)s is no longer in force and cannot be superseded.")
                    % {"number": old.number},
                    status=409,
                )
            old.status = PolicyDocument.Status.SUPERSEDED
            old.save(update_fields=["status"])
            audit_record(
                actor=actor,
                action="document.superseded",
                target=old,
                data={"superseded_by": document.pk, "number": document.number},
            )
    return document


def document_repeal(*, actor, document: PolicyDocument, reason: str) -> PolicyDocument:
    """Repeal a document in force, for a reason the register keeps."""
    _refuse_unless(permissions.may_manage_register(actor))
    if not reason.strip():
        raise Refusal(_("Give the reason for the repeal."))
    with transaction.atomic():
        document = PolicyDocument.objects.select_for_update().get(pk=document.pk)
        if document.status != PolicyDocument.Status.IN_FORCE:
            raise Refusal(_("Only a document in force can be repealed."), status=409)
        document.status = PolicyDocument.Status.REPEALED
        document.repeal_reason = reason.strip()
        document.save(update_fields=["status", "repeal_reason"])
        REGISTER_GENERATION.bump()
        audit_record(actor=actor, action="document.repealed", target=document, reason=reason)
    return document


def document_file_add(
    *, actor, document: PolicyDocument, upload, kind: str = DocumentFile.Kind.OFFICIAL, note=""
) -> DocumentFile:
    """Store a file of a document. A new official file is the next version and becomes the
    current one; earlier versions stay downloadable. Its text is extracted by a background task
    once the transaction commits."""
    _refuse_unless(permissions.may_manage_register(actor))
    with transaction.atomic():
        version = 1
        if kind == DocumentFile.Kind.OFFICIAL:
            last = document.files.filter(kind=kind).aggregate(last=Max("version"))["last"]
            version = (last or 0) + 1
        stored = DocumentFile(
            document=document,
            kind=kind,
            version=version,
            original_name=upload.name[:200],
            size=upload.size or 0,
            note=note,
            uploaded_by=actor,
        )
        stored.file.save(upload.name, upload, save=False)
        stored.save()
        if kind == DocumentFile.Kind.OFFICIAL:
            PolicyDocument.objects.filter(pk=document.pk).update(official_file=stored)
            document.official_file = stored
        audit_record(
            actor=actor,
            action="document.file_added",
            target=document,
            data={"file": stored.original_name, "kind": kind, "version": version},
        )
        transaction.on_commit(partial(document_file_extract_text.enqueue, file_id=stored.pk))
    return stored


# Who may read a restricted document


def _grant_context(actor, document):
    _refuse_unless(
        permissions.may_grant_access(actor, document),
        _("Only the head of the issuing department decides who reads this document."),
    )


def _holder_data(holder) -> dict:
    if isinstance(holder, Department):
        return {"department": holder.code}
    if isinstance(holder, Group):
        return {"group": holder.name}
    return {"user": holder.username}


def _access_change(
    *, actor, document: PolicyDocument, holder, grant: bool, include_sections: bool = True
) -> DepartmentGrant | None:
    """Let a holder (a user, a group or a department) read a restricted document, or stop it,
    and record which in the audit log. A department's grant is a `DepartmentGrant` row, returned
    when granted; a user's or a group's is an object permission."""
    _grant_context(actor, document)
    data = _holder_data(holder)
    department_grant = None
    with transaction.atomic():
        if isinstance(holder, Department):
            if grant:
                department_grant, _created = DepartmentGrant.objects.update_or_create(
                    document=document,
                    department=holder,
                    defaults={"include_sections": include_sections, "granted_by": actor},
                )
                data["include_sections"] = include_sections
            else:
                DepartmentGrant.objects.filter(document=document, department=holder).delete()
        elif grant:
            assign_perm(permissions.VIEW_PERMISSION, holder, document)
        else:
            remove_perm(permissions.VIEW_PERMISSION, holder, document)
        REGISTER_GENERATION.bump()
        audit_record(
            actor=actor,
            action="document.access_granted" if grant else "document.access_revoked",
            target=document,
            data=data,
        )
    return department_grant


def access_grant_user(*, actor, document: PolicyDocument, user) -> None:
    """Let one person read a restricted document."""
    _access_change(actor=actor, document=document, holder=user, grant=True)


def access_revoke_user(*, actor, document: PolicyDocument, user) -> None:
    """Stop one person's reading of a restricted document."""
    _access_change(actor=actor, document=document, holder=user, grant=False)


def access_grant_group(*, actor, document: PolicyDocument, group: Group) -> None:
    """Let the members of a group read a restricted document."""
    _access_change(actor=actor, document=document, holder=group, grant=True)


def access_revoke_group(*, actor, document: PolicyDocument, group: Group) -> None:
    """Stop a group's reading of a restricted document."""
    _access_change(actor=actor, document=document, holder=group, grant=False)


def access_grant_department(
    *, actor, document: PolicyDocument, department: Department, include_sections: bool = True
) -> DepartmentGrant:
    """Let a department (with its sections, unless told otherwise) read a restricted
    document."""
    return _access_change(
        actor=actor,
        document=document,
        holder=department,
        grant=True,
        include_sections=include_sections,
    )


def access_revoke_department(*, actor, document: PolicyDocument, department: Department) -> None:
    """Stop a department's reading of a restricted document."""
    _access_change(actor=actor, document=document, holder=department, grant=False)


def document_acknowledge(*, user, document: PolicyDocument) -> Acknowledgement:
    """The reader confirms having read the document (once; repeating changes nothing)."""
    if not permissions.may_acknowledge(user, document):
        raise Refusal(_("This document does not ask for acknowledgement."), status=409)
    with transaction.atomic():
        acknowledgement, created = Acknowledgement.objects.get_or_create(
            document=document, user=user
        )
        if created:
            audit_record(actor=user, action="document.acknowledged", target=document)
    return acknowledgement
