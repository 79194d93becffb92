"""The home pages' panel registry (`portal.home`): panels come in their order, a panel whose
context function answers None is left out, and each face gets only its own."""

import pytest
from django.test import RequestFactory

from portal import home


def first_context(request):
    return {"word": "first"}


def second_context(request):
    return {"word": "second"}


def nothing_to_show(request):
    return None


def blank_context(request):
    return {"word": ""}


@pytest.fixture
def registry(monkeypatch, settings, tmp_path):
    """An empty registry, and a panel template of its own."""
    (tmp_path / "panel.html").write_text("{% if word %}<p>{{ word }}</p>{% endif %}\n")
    settings.TEMPLATES = [
        {
            "BACKEND": "django.template.backends.django.DjangoTemplates",
            "DIRS": [tmp_path],
            "APP_DIRS": False,
        }
    ]
    monkeypatch.setattr(home, "REGISTRY", {})
    return home.REGISTRY


def register(name, context, *, face="intranet", order=100):
    return home.register(
        name, face=face, template="panel.html", context=f"{__name__}.{context}", order=order
    )


def test_panels_are_rendered_in_their_order_whatever_the_order_of_registration(registry):
    register("b.second", "second_context", order=20)
    register("a.first", "first_context", order=10)
    request = RequestFactory().get("/")
    assert [panel.name for panel in home.panels_for("intranet")] == ["a.first", "b.second"]
    assert [html.strip() for html in home.render_panels(request, "intranet")] == [
        "<p>first</p>",
        "<p>second</p>",
    ]


def test_panels_of_the_same_order_come_by_name(registry):
    register("z.last", "first_context", order=10)
    register("m.middle", "second_context", order=10)
    assert [panel.name for panel in home.panels_for("intranet")] == ["m.middle", "z.last"]


def test_a_none_context_or_an_empty_rendering_leaves_the_panel_out(registry):
    register("a.first", "first_context", order=10)
    register("b.nothing", "nothing_to_show", order=20)
    register("c.blank", "blank_context", order=30)
    rendered = home.render_panels(RequestFactory().get("/"), "intranet")
    assert [html.strip() for html in rendered] == ["<p>first</p>"]


def test_each_face_gets_its_own_panels_and_a_name_registered_again_is_replaced(registry):
    register("a.panel", "first_context")
    register("shop.panel", "second_context", face="extranet")
    register("a.panel", "second_context")
    assert [panel.name for panel in home.panels_for("intranet")] == ["a.panel"]
    assert [panel.name for panel in home.panels_for("extranet")] == ["shop.panel"]
    rendered = home.render_panels(RequestFactory().get("/"), "intranet")
    assert [html.strip() for html in rendered] == ["<p>second</p>"]


def test_the_apps_register_their_home_panels():
    """bulletins' notices on the intranet home, the surveys on the extranet home."""
    assert "bulletins.notices" in {panel.name for panel in home.panels_for("intranet")}
    assert "extranet.surveys" in {panel.name for panel in home.panels_for("extranet")}
