"""The knowledge base's own pages on both faces; articles themselves are Wagtail pages."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods

from knowledge import listing, search_hits, selectors, services
from knowledge.facets import facets_html, sorts_html
from knowledge.forms import BrowseForm, ContributionForm, KnowledgeSearchForm, VoteForm
from knowledge.models import ArticlePage
from knowledge.permissions import (
    is_knowledge_editor,
    may_contribute,
    may_revise,
    may_see_report,
    may_use_knowledge,
)
from knowledge.selectors import URL_NAMES
from portal.files import private_file_response
from portal.pages import serve_routed
from portal.permissions import get_visible_or_404, require
from portal.querystrings import QueryStrings
from portal.refusals import Refusal
from portal.sites import site_for_face


def _require_face_user(request):
    """The knowledge base of a face is for its own users only (404 to anyone else); the face
    is the request's, not the view's arguments, so `require` cannot ask it."""
    if not may_use_knowledge(request.user, request.face):
        raise Http404


def _context(request, **extra):
    return {"active_module": "knowledge", "kb_urls": URL_NAMES[request.face], **extra}


def index(request):
    """Browse the knowledge base of the face by type and by department, with counts."""
    _require_face_user(request)
    form = BrowseForm(request.GET)
    data = form.cleaned_data if form.is_valid() else {}
    browse = listing.articles_browse(
        user=request.user,
        face=request.face,
        type_slug=data.get("type", ""),
        department_code=data.get("department", ""),
        tag=data.get("tag", ""),
        sort=data.get("sort", "") or "newest",
        page_number=data.get("page") or 1,
    )
    links = QueryStrings(request.GET)
    context = _context(
        request,
        browse=browse,
        article_items=listing.article_items_html(browse.articles, face=request.face),
        facets=facets_html(
            types=browse.types,
            departments=browse.departments,
            selected_type=browse.knowledge_type,
            selected_department=browse.department,
            query=links,
        ),
        sort_items=sorts_html(
            [
                ("newest", _("Newest")),
                ("helpful", pgettext("knowledge", "Most helpful")),
                ("views", pgettext("knowledge", "Most viewed")),
            ],
            current=browse.sort,
            query=links,
        ),
        may_contribute=request.face == "intranet" and may_contribute(request.user),
        is_editor=request.face == "intranet" and is_knowledge_editor(request.user),
    )
    return render(request, "knowledge/index.html", context)


def search(request):
    """Search the articles of the face, narrowed by type and department, highlighted."""
    _require_face_user(request)
    form = KnowledgeSearchForm(request.GET)
    outcome = None
    status = 200
    if not form.is_valid():
        status = 400
    elif form.cleaned_data["q"]:
        outcome = search_hits.knowledge_search(
            user=request.user,
            face=request.face,
            query=form.cleaned_data["q"],
            type_slug=form.cleaned_data["type"],
            department_code=form.cleaned_data["department"],
            page_number=form.cleaned_data["page"] or 1,
        )
    context = _context(
        request,
        form=form,
        outcome=outcome,
        hit_items=listing.hit_items_html(
            outcome.hits, face=request.face, setting=outcome.item_setting
        )
        if outcome
        else "",
        facets=facets_html(
            types=outcome.types,
            departments=outcome.departments,
            selected_type=outcome.knowledge_type,
            selected_department=outcome.department,
            query=request.GET,
        )
        if outcome
        else "",
        knowledge_query=request.GET.get("q", "")[:200],
    )
    return render(request, "knowledge/search.html", context, status=status)


@require_http_methods(["GET", "POST"])
def attachment(request, pk):
    """An attachment's file, after checking that the user may see its article here."""
    found = get_visible_or_404(
        selectors.attachments_visible_to(user=request.user, face=request.face), pk=pk
    )
    return private_file_response(found.file, filename=found.filename, as_attachment=True)


@require_http_methods(["GET", "POST"])
def vote(request, pk):
    """Record "Was this helpful?" for an article the user may read; back to the article."""
    _require_face_user(request)
    article = get_visible_or_404(
        selectors.articles_visible_to(user=request.user, face=request.face), pk=pk
    )
    url = article.get_url(current_site=site_for_face(request.face)) or "/"
    if request.method == "GET":
        return redirect(url)
    form = VoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Please answer yes or no (and keep the comment short)."))
        return redirect(url + "#helpful")
    services.article_vote(
        article=article,
        user=request.user,
        helpful=form.cleaned_data["helpful"],
        comment=form.cleaned_data["comment"],
    )
    messages.success(request, _("Thank you for your feedback."))
    return redirect(url + "#helpful")


def _save_contribution(request, form, article=None):
    submit = request.POST.get("action") != "save"
    try:
        if article is None:
            article = services.article_draft_create(
                author=request.user,
                content=form.content(),
                audience=form.cleaned_data["audience"],
                uploads=form.cleaned_data["attachments"],
                images=form.cleaned_data["images"],
                submit=submit,
            )
        else:
            services.article_draft_revise(
                author=request.user,
                article=article,
                content=form.content(),
                uploads=form.cleaned_data["attachments"],
                images=form.cleaned_data["images"],
                submit=submit,
            )
    except Refusal as refusal:
        form.add_error(None, refusal.message)
        return None
    if submit:
        messages.success(request, _("Your article was sent to the knowledge editors for review."))
    else:
        messages.success(request, _("Your draft was saved. Submit it for review when ready."))
    return redirect("knowledge:mine")


@require_http_methods(["GET", "POST"])
@require(may_contribute)
def contribute(request):
    """An employee drafts an article for their department and sends it to review."""
    form = ContributionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        response = _save_contribution(request, form)
        if response is not None:
            return response
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "knowledge/contribute.html",
        _context(request, form=form, article=None),
        status=status,
    )


@require_http_methods(["GET", "POST"])
@require(may_contribute, deny=Http404)
def revise(request, pk):
    """The author revises a contribution that is not live, and sends it (back) to review."""
    article = get_visible_or_404(selectors.articles_owned_by(user=request.user), pk=pk)
    if not may_revise(request.user, article):
        messages.info(request, _("This article can no longer be changed here."))
        return redirect("knowledge:mine")
    latest = article.get_latest_revision_as_object()
    if request.method == "POST":
        form = ContributionForm(request.POST, request.FILES, allow_audience=False)
        if form.is_valid():
            response = _save_contribution(request, form, article=article)
            if response is not None:
                return response
        status = 400
    else:
        form = ContributionForm(initial=ContributionForm.initial_for(latest), allow_audience=False)
        status = 200
    return render(
        request,
        "knowledge/contribute.html",
        _context(request, form=form, article=latest),
        status=status,
    )


@require(may_contribute)
def mine(request):
    """The author's articles with where each stands and the editors' comments, and their
    articles due for review."""
    page, contributions = selectors.contributions_of(
        user=request.user, page_number=request.GET.get("page") or 1
    )
    overdue = selectors.overdue_articles(user=request.user, limit=50)
    if is_knowledge_editor(request.user):
        overdue = [article for article in overdue if article.owner_id == request.user.pk]
    return render(
        request,
        "knowledge/mine.html",
        _context(request, page=page, contributions=contributions, overdue=overdue),
    )


@require(may_contribute)
def overdue(request):
    """Live articles past their review-by date: the user's own, or all for the editors."""
    return render(
        request,
        "knowledge/overdue.html",
        _context(
            request,
            articles=selectors.overdue_articles(user=request.user),
            is_editor=is_knowledge_editor(request.user),
        ),
    )


@require(may_see_report)
def report(request):
    """The editors' report: views and helpful votes per article and type, readers' comments."""
    sort = request.GET.get("sort", "views")
    result = selectors.editors_report(sort=sort, page_number=request.GET.get("page") or 1)
    return render(request, "knowledge/report.html", _context(request, report=result, sort=sort))


def article_page(request, slug):
    """An article at "articles/<slug>/" of either face, served by Wagtail as at any address of
    its pages; the article (with its department and knowledge type, as the index pages' own
    routing reads it) is found in one query instead of Wagtail's five."""
    return serve_routed(request, ArticlePage.objects.select_related("department", "knowledge_type"))
