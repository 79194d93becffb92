"""The index and feeds pages list boards as rows (`BoardLink`), not pages: each row's address
is the one `{% pageurl board %}` wrote, its title and "you publish here" what the page instance
gave, for every board, in both languages."""

import pytest
from django.test import RequestFactory
from django.utils import translation
from wagtail.models import Page

from bulletins.board_links import boards_for_index
from bulletins.models import Board, BulletinIndexPage
from bulletins.permissions import managed_boards
from portal.models import User
from tests.factories.people import DepartmentFactory

pytestmark = pytest.mark.django_db


def _request():
    return RequestFactory().get("/bulletins/", HTTP_HOST="127.0.0.1")


def _expected(user, request):
    managed = managed_boards(User.objects.get(pk=user.pk))
    return [
        (board.pk, board.get_url(request=request), str(board.display_title), board.pk in managed)
        for board in Board.objects.live().order_by("department__sort_order", "pk")
    ]


def _found(lists):
    return [
        (board.pk, board.url, str(board.display_title), board.managed)
        for board in [*lists["channels"], *lists["department_boards"]]
    ]


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_rows_are_the_pages_address_and_title(intranet, sales_head, sales, language):
    DepartmentFactory(code="sales-east", name="东区", name_en="", parent=sales)
    DepartmentFactory(code="odd-dept", name="特殊 & <科>", name_en="Odd & <Dept>")
    index = BulletinIndexPage.objects.get()
    request = _request()
    user = User.objects.get(pk=sales_head.user.pk)
    with translation.override(language):
        lists = boards_for_index(user=user, index=index, request=request)
        found = sorted(_found(lists), key=lambda row: row[0])
        expected = sorted(_expected(user, request), key=lambda row: row[0])
        assert found == expected
        # Not under the index (as if): every board's address is Wagtail's own.
        home = Page.objects.get(pk=index.get_parent().pk)
        other = boards_for_index(user=user, index=home, request=request)
        assert sorted(_found(other), key=lambda row: row[0]) == expected
    assert any(row[3] for row in found) and not all(row[3] for row in found)
    assert {board.kind for board in lists["channels"]} == set(Board.CHANNELS)
    assert all(board.kind == Board.Kind.DEPARTMENT for board in lists["department_boards"])


def test_the_index_and_feeds_pages_read_no_more_queries_with_more_boards(
    client, intranet, sales_head
):
    from tests.querycount import assert_bounded_queries

    client.force_login(sales_head.user)

    def grow(size):
        while Board.objects.count() < size + 3:
            DepartmentFactory()

    # The index: the reader's boards (the index page and the lists are kept); the feeds page:
    # the reader's feed token (the lists are kept); each with the session's query.
    for url, most in (("/bulletins/", 2), ("/bulletins/feeds/", 2)):
        assert_bounded_queries(client, url, grow, max_queries=most)


# --- the kept lists: forgotten on every change they show -------------------------------------


def _english(client):
    from django.conf import settings

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def _index(client):
    response = client.get("/bulletins/")
    assert response.status_code == 200
    return response.content.decode()


def _feeds(client):
    response = client.get("/bulletins/feeds/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_new_board_shows_at_once_on_the_index_and_feeds_pages(client, intranet, sales_head):
    client.force_login(sales_head.user)
    _english(client)
    assert "Welding" not in _index(client) and "Welding" not in _feeds(client)
    board = DepartmentFactory(code="welding", name="焊接车间", name_en="Welding").board
    assert f'<a href="/bulletins/{board.slug}/">Welding</a>' in _index(client)
    assert f"/boards/{board.pk}.atom" in _feeds(client)


def test_a_renamed_board_is_renamed_on_the_index_and_feeds_pages(client, intranet, sales_head):
    client.force_login(sales_head.user)
    _english(client)
    board = DepartmentFactory(code="paint", name="喷漆车间", name_en="Paint shop").board
    assert "Paint shop" in _index(client) and "Paint shop" in _feeds(client)
    board.title_en = "Coating shop"
    board.save()
    assert "Paint shop" not in _index(client) and "Coating shop" in _index(client)
    assert "Paint shop" not in _feeds(client) and "Coating shop" in _feeds(client)


def test_a_renamed_department_renames_its_board_on_the_index(client, intranet, sales_head):
    client.force_login(sales_head.user)
    _english(client)
    department = DepartmentFactory(code="paint", name="喷漆车间", name_en="Paint shop")
    assert "Paint shop" in _index(client)
    department.name_en = "Coating shop"
    department.save()
    assert "Paint shop" not in _index(client) and "Coating shop" in _index(client)


def test_an_unpublished_board_leaves_the_index_and_feeds_pages(client, intranet, sales_head):
    client.force_login(sales_head.user)
    _english(client)
    board = DepartmentFactory(code="paint", name="喷漆车间", name_en="Paint shop").board
    assert "Paint shop" in _index(client) and "Paint shop" in _feeds(client)
    board.unpublish()
    assert "Paint shop" not in _index(client) and "Paint shop" not in _feeds(client)
    board.save_revision().publish()
    assert "Paint shop" in _index(client) and "Paint shop" in _feeds(client)


def test_a_new_index_slug_changes_the_boards_addresses(client, intranet, sales_head, sales):
    client.force_login(sales_head.user)
    board = sales.board
    assert f'<a href="/bulletins/{board.slug}/">' in _index(client)
    index = BulletinIndexPage.objects.get()
    index.slug = "boards"
    index.save_revision().publish()
    response = client.get("/bulletins/")
    assert f'<a href="/boards/{board.slug}/">' in response.content.decode()


def test_an_unpublished_index_is_not_found(client, intranet, sales_head):
    client.force_login(sales_head.user)
    _index(client)
    BulletinIndexPage.objects.get().unpublish()
    assert client.get("/bulletins/").status_code == 404


def test_chinese_and_english_readers_see_their_own_lists(client, intranet, sales_head):
    from django.conf import settings

    client.force_login(sales_head.user)
    DepartmentFactory(code="paint", name="喷漆车间", name_en="Paint shop")
    for _ in range(2):  # the second time from the kept lists
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
        chinese = _index(client), _feeds(client)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        english = _index(client), _feeds(client)
        assert all("喷漆车间" in page and "Paint shop" not in page for page in chinese)
        assert all("Paint shop" in page and "喷漆车间" not in page for page in english)
        assert "您可在此发布" in chinese[0] and "You publish here" in english[0]


def test_each_reader_sees_their_own_badges_and_feed_token(client, intranet, sales_head, quality):
    from bulletins.services import feed_token_for
    from tests.integration.bulletins.conftest import make_head

    quality_head = make_head(quality)
    _english(client)
    pages = {}
    for head in (sales_head, quality_head):
        client.force_login(head.user)
        pages[head.pk] = _index(client), _feeds(client)
        assert feed_token_for(user=head.user).token in pages[head.pk][1]
    for head, other in ((sales_head, quality), (quality_head, sales_head.department)):
        index = pages[head.pk][0]
        own = f'{head.department.board.slug}/">{head.department.name_en}</a> <span class="badge">'
        theirs = f'{other.board.slug}/">{other.name_en}</a> <span class="badge">'
        assert own in index and theirs not in index
    assert feed_token_for(user=quality_head.user).token not in pages[sales_head.pk][1]


def _old_template_lists(user, request):
    """The index's and the feeds page's lists as their templates' loops wrote them."""
    from django.template import Context, Template

    from bulletins.services import feed_token_for

    index = BulletinIndexPage.objects.get()
    template = Template(
        "{% load i18n %}"
        '{% for board in channels %}<li><a href="{{ board.url }}">{{ board.display_title }}'
        '</a>{% if board.managed %} <span class="badge">{% translate "You publish here" %}'
        "</span>{% endif %}</li>{% endfor %}|"
        '{% for board in department_boards %}<li><a href="{{ board.url }}">'
        '{{ board.display_title }}</a>{% if board.managed %} <span class="badge">'
        '{% translate "You publish here" %}</span>{% endif %}</li>{% endfor %}|'
        "{% for board in department_boards %}<li>{{ board.display_title }}: <input readonly "
        'aria-label="{{ board.display_title }}" value="{{ request.scheme }}://'
        "{{ request.get_host }}{% url 'bulletins:board_feed' token.token board.pk %}\"></li>"
        "{% endfor %}"
    )
    lists = boards_for_index(user=user, index=index, request=request)
    token = feed_token_for(user=user)
    return template.render(Context({**lists, "request": request, "token": token}))


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_kept_lists_are_the_templates_lines(intranet, sales_head, language):
    from bulletins.board_links import feed_lines_html, index_lists_html
    from bulletins.services import feed_token_for

    DepartmentFactory(code="odd-dept", name="特殊 & <科>", name_en="Odd & <Dept>")
    user = User.objects.get(pk=sales_head.user.pk)
    index = BulletinIndexPage.objects.get()
    with translation.override(language):
        for _ in range(2):  # written out, then kept
            request = _request()
            lists = index_lists_html(user=user, index=index, request=request)
            token = feed_token_for(user=user).token
            found = "|".join(
                [
                    lists["channels_html"],
                    lists["department_boards_html"],
                    feed_lines_html(token=token, request=request),
                ]
            )
            assert found == _old_template_lists(user, _request())
    assert "Odd &amp; &lt;Dept&gt;" in found or "特殊 &amp; &lt;科&gt;" in found


def test_a_board_page_without_filters_makes_no_filter_form(
    client, intranet, sales_head, sales_board, monkeypatch
):
    from bulletins import forms

    made = []

    class CountedForm(forms.BoardFilterForm):
        def __init__(self, *args, **kwargs):
            made.append(args)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(forms, "BoardFilterForm", CountedForm)
    client.force_login(sales_head.user)
    _english(client)
    url = f"/bulletins/{sales_board.slug}/"
    blank = client.get(url + "?page=1").content.decode()
    # Only the blank fields' form (made once per process and language), none for the request.
    assert [args for args in made if args] == []
    assert 'name="q"' in blank and "Search this board" in blank
    filtered = client.get(url + "?q=safety&year=2026").content.decode()
    assert len([args for args in made if args]) == 1
    assert 'value="safety"' in filtered and 'value="2026"' in filtered
