"""Who may read a file kept by Wagtail: a document (`/files/<id>/<name>`) or a picture's
rendition (`/image-files/images/<name>`, the URL every rendition gets from
`portal.files.RenditionStorage`).

Such a file belongs to whatever refers to it, as Wagtail's reference index records: a notice
holding it as an attachment or linking it from its body, an article showing a picture, a
product's image. Someone may read it on a face when they may see one of those objects there.
Each app says who sees its objects by registering a reader with the `portal_file_readers` hook
(a function of no arguments returning `(model, visible)` pairs, `visible(user=, face=)` giving a
queryset of that model); pages of a model without a reader count when they are live, lie in
the face's site and their view restrictions let the user in. On the intranet the file's
uploader, a superuser and whoever may choose or change files of its collection in Wagtail
admin read it as well; on the extranet only what a retailer sees there counts, so no
intranet-only file ever leaves by the extranet.
"""

from functools import cache

from django.http import Http404
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET
from wagtail import hooks
from wagtail.models import Page, ReferenceIndex

from portal.files import private_file_response

READERS_HOOK = "portal_file_readers"


@cache
def _registered_readers() -> dict:
    readers = {}
    for hook in hooks.get_hooks(READERS_HOOK):
        for model, visible in hook():
            readers[model] = visible
    return readers


def _reader_for(model):
    readers = _registered_readers()
    for candidate in model.__mro__:
        if candidate in readers:
            return readers[candidate]
    if issubclass(model, Page):
        from portal.search.visibility import pages_visible_to

        return lambda *, user, face: pages_visible_to(
            user=user, queryset=model.objects.all(), face=face
        )
    return None


def _may_administer(user, stored) -> bool:
    """Uploader, superuser, or choose/change permission on the file's collection."""
    from wagtail.permissions import policy_registry

    if user.is_superuser:
        return True
    if getattr(stored, "uploaded_by_user_id", None) == user.pk:
        return True
    policy = policy_registry.get_by_type(type(stored))
    return policy.user_has_any_permission_for_instance(user, ["change", "choose"], stored)


def _referring_objects_visible(user, face: str, stored) -> bool:
    """Whether an object that refers to `stored` is one `user` sees on `face`."""
    ids_by_model = {}
    for content_type_id, object_id in ReferenceIndex.get_references_to(stored).values_list(
        "content_type_id", "object_id"
    ):
        ids_by_model.setdefault(content_type_id, set()).add(object_id)
    from django.contrib.contenttypes.models import ContentType

    for content_type_id, object_ids in ids_by_model.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        reader = model and _reader_for(model)
        if reader is None:
            continue
        if reader(user=user, face=face).filter(pk__in=object_ids).exists():
            return True
    return False


def may_read_stored_file(*, user, face: str, stored) -> bool:
    """Whether `user` may read the Wagtail document or image `stored` on `face` (the rule of
    the module's docstring)."""
    if not user.is_authenticated:
        return False
    if face == "intranet":
        if not user.is_employee:
            return False
        if _may_administer(user, stored):
            return True
    elif not user.is_retailer:
        return False
    return _referring_objects_visible(user, face, stored)


def document_read_checked(document, request):
    """Wagtail's `before_serve_document` hook: 404 for whoever may not read the document,
    alike for "missing" and "not allowed" (also guards Wagtail's own serving view)."""
    face = getattr(request, "face", "intranet")
    if not may_read_stored_file(user=request.user, face=face, stored=document):
        raise Http404("No such document.")


@require_GET
def document_file(request, document_id, document_filename):
    """Wagtail's document URL (/files/<id>/<name>, `wagtaildocs_serve`): the checks of the
    `before_serve_document` hooks (the one above, Wagtail's collection view restrictions),
    then the file with the private files' headers (never cached, never run in the portal's
    origin, X-Accel-Redirect behind nginx)."""
    from wagtail.documents import get_document_model
    from wagtail.documents.models import document_served

    document = get_object_or_404(get_document_model(), id=document_id)
    if document.filename != document_filename:
        raise Http404("No such document.")
    for check in hooks.get_hooks("before_serve_document"):
        result = check(document, request)
        if isinstance(result, HttpResponseBase):
            return result
    document_served.send(sender=type(document), instance=document, request=request)
    return private_file_response(document.file, filename=document.filename)


@require_GET
def rendition_file(request, name):
    """A picture's rendition, for whoever may read the picture (404 otherwise)."""
    from wagtail.images import get_image_model

    renditions = get_image_model().get_rendition_model().objects.select_related("image")
    rendition = get_object_or_404(renditions, file=name)
    if not may_read_stored_file(user=request.user, face=request.face, stored=rendition.image):
        raise Http404("No such picture.")
    return private_file_response(rendition.file, as_attachment=False)
