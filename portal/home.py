"""The panels of each face's home page, registered by the apps that own them.

An app adds its panel in its `AppConfig.ready()`:

    home.register(
        "bulletins.notices", face="intranet", order=10,
        template="bulletins/home_notices.html", context="bulletins.home_html.home_panel",
    )

`context` is the dotted path of a function `(request) -> dict | None`; None leaves the panel
out (nothing to show, or not for this user). The home page renders the registered panels in
`order` with the page's request, so the core never imports a feature app.
"""

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class HomePanel:
    name: str
    face: str
    template: str
    context: str  # dotted path of (request) -> dict | None
    order: int = 100

    def render(self, request) -> str:
        context = import_string(self.context)(request)
        if context is None:
            return ""
        return render_to_string(self.template, context, request=request)


REGISTRY: dict[str, HomePanel] = {}


def register(name: str, *, face: str, template: str, context: str, order: int = 100):
    """Add a panel to a face's home page (registering the same name again replaces it)."""
    panel = HomePanel(name=name, face=face, template=template, context=context, order=order)
    REGISTRY[name] = panel
    return panel


def panels_for(face: str) -> list[HomePanel]:
    return sorted(
        (panel for panel in REGISTRY.values() if panel.face == face),
        key=lambda panel: (panel.order, panel.name),
    )


def render_panels(request, face: str) -> list[str]:
    """The rendered panels of the face's home page, in order, empty ones left out."""
    rendered = (panel.render(request) for panel in panels_for(face))
    return [html for html in rendered if html.strip()]
