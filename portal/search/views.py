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
        context["outcome"] = search_for(
            user=request.user,
            face=request.face,
            query=query,
            kind=form.cleaned_data["kind"],
            page_number=form.cleaned_data["page"] or 1,
            per_page=RESULTS_PER_PAGE,
        )
    return render(request, "portal/search/search.html", context, status=status)
