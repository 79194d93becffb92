from django.http import QueryDict
from django.shortcuts import render

from portal.search.forms import SearchForm
from portal.search.registry import kinds_for_face
from portal.search.selectors import search_for

RESULTS_PER_PAGE = 20


def search(request):
    """The search page of the face: `?q=…&kind=…&page=N`. Sign-in is required (middleware)."""
    form = SearchForm(request.GET)
    context = {"form": form, "kinds": kinds_for_face(request.face), "outcome": None}
    status = 200
    if not form.is_valid():
        context["search_query"] = request.GET.get("q", "")[:200]
        status = 400
    elif form.cleaned_data["q"]:
        query = form.cleaned_data["q"]
        context["search_query"] = query
        context["outcome"] = outcome = search_for(
            user=request.user,
            face=request.face,
            query=query,
            kind=form.cleaned_data["kind"],
            page_number=form.cleaned_data["page"] or 1,
            per_page=RESULTS_PER_PAGE,
        )
        context["all_kinds_href"] = with_kind(request.GET, None)
        context["kind_links"] = [
            (with_kind(request.GET, entry.kind.key), entry.kind.key == outcome.kind, entry)
            for entry in outcome.kinds
        ]
    return render(request, "portal/search/search.html", context, status=status)


def with_kind(query: QueryDict, kind: str | None) -> str:
    """What `{% querystring kind=kind page=None %}` writes for the request's `query`, made here
    once per filter instead of by the tag, which copies the whole query each time."""
    params = QueryDict(mutable=True)
    for key, values in query.lists():
        if key == "kind":
            if kind is not None:
                params.setlist(key, [kind])
        elif key != "page":
            params.setlist(key, values)
    if kind is not None and "kind" not in params:
        params["kind"] = kind
    if not params and not query:
        return ""
    return f"?{params.urlencode()}"
