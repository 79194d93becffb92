"""The admin where department heads publish notices is the factory's: its name and mark instead of
Wagtail's, in both languages, and people shown by their names rather than employee numbers."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import make_role_user, sign_in
from tests.factories.bulletins import NoticeFactory
from tests.factories.people import EmployeeFactory

pytestmark = pytest.mark.django_db


def _sidebar_logo(html):
    match = re.search(
        r"<template data-wagtail-sidebar-branding-logo>(.*?)</template>", html, re.DOTALL
    )
    assert match, "the sidebar's logo slot"
    return match.group(1)


@pytest.mark.parametrize(
    ("language", "factory_name"), [("zh-hans", "工厂门户"), ("en", "Factory Portal")]
)
def test_a_department_head_sees_the_admin_branded_for_the_factory(
    client, intranet, sales_head, language, factory_name
):
    sign_in(client, sales_head.user)
    response = client.get("/admin/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    html = response.content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.DOTALL).group(1)
    assert factory_name in title and "Wagtail" not in title
    logo = _sidebar_logo(html)
    assert "icon-portal-factory" in logo and f'aria-label="{factory_name}"' in logo
    assert 'aria-label="Wagtail"' not in html  # the bird's wordmark
    assert "wagtailadmin/images/favicon.ico" not in html
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.DOTALL).group(1)
    assert factory_name in heading


def test_a_revision_shows_its_author_by_name_in_the_admin(
    client, intranet, sales_head, sales_board
):
    notice = NoticeFactory(board=sales_board, title="月度销售分析会")
    notice.title = "月度销售分析会（改期）"
    notice.save_revision(user=sales_head.user, log_action=True)
    sign_in(client, sales_head.user)
    html = client.get(f"/admin/pages/{notice.pk}/history/").content.decode()
    assert sales_head.name in html
    assert sales_head.employee_number not in html
    assert sales_head.user.get_full_name() == sales_head.name


def test_the_admin_lists_users_by_name_without_a_query_per_user(client, intranet, db):
    admin = make_role_user("superuser")
    staff = EmployeeFactory.create_batch(12)
    sign_in(client, admin)
    with CaptureQueriesContext(connection) as captured:
        html = client.get("/admin/users/").content.decode()
    for employee in staff:
        assert employee.name in html
    # The names come with the users (one join); at most the signed-in user's own is read apart.
    per_user = [sql for sql in captured.captured_queries if 'FROM "portal_employee"' in sql["sql"]]
    assert len(per_user) <= 1, per_user
