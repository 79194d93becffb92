"""The core's shared primitives: refusals, fetch-or-deny, the `require` decorator, generation
counters and the roles' permissions declared by each app."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.test import RequestFactory

from portal.generations import Generation
from portal.models import Department
from portal.permissions import Role, get_visible_or_404, require, role_permissions
from portal.refusals import Refusal, RefusalMiddleware


class Conflict(Refusal):
    status = 409


def test_a_refusal_carries_its_message_and_status():
    assert Refusal("No.").status == 400
    assert Conflict("Already sent.").status == 409
    assert Refusal("Slow down.", status=429).status == 429
    assert str(Conflict("Already sent.")) == "Already sent."


@pytest.mark.django_db
def test_an_uncaught_refusal_is_answered_with_its_status_and_message(intranet):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    request.face = "intranet"
    middleware = RefusalMiddleware(lambda request: HttpResponse())
    response = middleware.process_exception(request, Conflict("The notice was already sent."))
    assert response.status_code == 409
    assert "The notice was already sent." in response.content.decode()
    assert middleware.process_exception(request, ValueError("not a refusal")) is None


@pytest.mark.django_db
def test_get_visible_or_404_answers_404_for_missing_hidden_and_malformed_keys():
    shown = Department.objects.create(code="shown", name="甲")
    hidden = Department.objects.create(code="hidden", name="乙")
    visible = Department.objects.filter(code="shown")
    assert get_visible_or_404(visible, pk=shown.pk) == shown
    for key in (hidden.pk, 10**9, "abc", None):
        with pytest.raises(Http404):
            get_visible_or_404(visible, pk=key)


def test_require_passes_the_view_arguments_the_predicate_names():
    seen = []

    def may_open(user, notice_id):
        seen.append((user, notice_id))
        return notice_id == 7

    @require(may_open, deny=Http404)
    def view(request, notice_id, board_id):
        return HttpResponse(f"{board_id}/{notice_id}")

    request = RequestFactory().get("/")
    request.user = "someone"
    assert view(request, notice_id=7, board_id=3).content == b"3/7"
    with pytest.raises(Http404):
        view(request, notice_id=8, board_id=3)
    assert seen == [("someone", 7), ("someone", 8)]


def test_require_denies_with_403_by_default():
    @require(lambda user: False)
    def view(request):
        return HttpResponse()

    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    with pytest.raises(PermissionDenied):
        view(request)


def test_a_generation_moves_on_when_bumped_and_never_returns_after_eviction():
    generation = Generation("test:primitives-generation")
    cache.delete(generation.key)
    first = generation.current()
    assert generation.current() == first
    generation.bump_now()
    second = generation.current()
    assert second != first
    cache.delete(generation.key)  # evicted: a reseeded counter must not reuse old values
    assert generation.current() not in (first, second)


def test_each_apps_declared_permissions_are_merged_into_the_roles():
    merged = role_permissions()
    assert "wagtailadmin.access_admin" in merged[Role.SALES_ADMINISTRATOR]
    assert "extranet.change_product" in merged[Role.SALES_ADMINISTRATOR]
    assert "forum.change_board" in merged[Role.SYSTEM_ADMINISTRATOR]
    assert "documents.change_reporttype" in merged[Role.SYSTEM_ADMINISTRATOR]
    assert "portal.change_employee" in merged[Role.SYSTEM_ADMINISTRATOR]
    assert "knowledge.change_knowledgetype" in merged[Role.KNOWLEDGE_EDITOR]
    for permissions in merged.values():
        assert len(permissions) == len(set(permissions))
