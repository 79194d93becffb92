"""The knowledge base: knowledge types (an editable taxonomy), the index pages of both faces,
articles (Wagtail pages), their attachments, helpful votes and the editors' review task."""

from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import AbstractGroupApprovalTask, Orderable, Page
from wagtail.search import index

from knowledge.blocks import ArticleBodyBlock
from portal.csrf_token import page_csrf_token
from portal.generations import Generation
from portal.models import BilingualName
from portal.pages import PortalPageMixin, route_to_child


class KnowledgeType(BilingualName):
    """A kind of knowledge (raw-material quality identification, storage, …): one axis of the
    classification, edited by the knowledge editors."""

    name = models.CharField(pgettext_lazy("knowledge", "name"), max_length=64, unique=True)
    name_en = models.CharField(_("English name"), max_length=64, blank=True)
    slug = models.SlugField(pgettext_lazy("knowledge", "code"), max_length=64, unique=True)
    description = models.TextField(pgettext_lazy("knowledge", "description"), blank=True)
    sort_order = models.PositiveIntegerField(pgettext_lazy("knowledge", "sort order"), default=0)

    panels = [
        FieldPanel("name"),
        FieldPanel("name_en"),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("sort_order"),
    ]

    class Meta:
        verbose_name = _("knowledge type")
        verbose_name_plural = _("knowledge types")
        ordering = ["sort_order", "name"]


class ArticleRoutingMixin:
    """An index page finds the article a URL names and its department and knowledge type in
    one query (Wagtail's default routing takes two, and the page two more for the names)."""

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        articles = ArticlePage.objects.select_related("department", "knowledge_type")
        return route_to_child(self, articles, request, path_components)


class KnowledgeIndexPage(PortalPageMixin, ArticleRoutingMixin, Page):
    """The root of the internal knowledge base, under the intranet's home page. Its list is the
    knowledge module's own view (`knowledge:index`), which it sends visitors to."""

    intro = RichTextField(pgettext_lazy("knowledge", "introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["portal.IntranetHomePage"]
    subpage_types = ["knowledge.ArticlePage"]
    max_count = 1

    class Meta:
        verbose_name = _("knowledge base")
        verbose_name_plural = _("knowledge bases")

    def serve(self, request, *args, **kwargs):
        from django.shortcuts import redirect

        return redirect("knowledge:index")


class ExternalKnowledgeIndexPage(PortalPageMixin, ArticleRoutingMixin, Page):
    """The root of the external knowledge base for retailers, under the extranet's home page:
    only the articles under it are ever shown on the extranet."""

    intro = RichTextField(pgettext_lazy("knowledge", "introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["extranet.ExtranetHomePage"]
    subpage_types = ["knowledge.ArticlePage"]
    max_count = 1

    class Meta:
        verbose_name = _("external knowledge base")
        verbose_name_plural = _("external knowledge bases")

    def serve(self, request, *args, **kwargs):
        from django.shortcuts import redirect

        return redirect("shop:knowledge")


class ArticleTag(TaggedItemBase):
    content_object = ParentalKey(
        "knowledge.ArticlePage",
        related_name="tagged_items",
        on_delete=models.CASCADE,
        verbose_name=pgettext_lazy("knowledge", "article"),
    )
    # taggit's items serialise by natural key (`dumpdata --natural-primary`); an article's tag
    # is the article and the tag.
    natural_key_fields = ["content_object_id", "tag_id"]

    class Meta:
        verbose_name = _("article tag")
        verbose_name_plural = _("article tags")


class ArticlePage(PortalPageMixin, Page):
    """A knowledge article. Where it lies decides who reads it: under the knowledge base of the
    intranet for employees, under the external one of the extranet for retailers."""

    department = models.ForeignKey(
        "portal.Department",
        verbose_name=pgettext_lazy("knowledge", "department"),
        on_delete=models.PROTECT,
        related_name="knowledge_articles",
    )
    knowledge_type = models.ForeignKey(
        KnowledgeType,
        verbose_name=_("knowledge type"),
        on_delete=models.PROTECT,
        related_name="articles",
    )
    summary = models.TextField(pgettext_lazy("knowledge", "summary"), blank=True, max_length=500)
    body = StreamField(
        ArticleBodyBlock(), verbose_name=pgettext_lazy("knowledge", "body"), blank=True
    )
    tags = ClusterTaggableManager(through=ArticleTag, blank=True, verbose_name=_("tags"))
    review_by = models.DateField(
        pgettext_lazy("knowledge", "review by"),
        null=True,
        blank=True,
        help_text=_("When the owner should check that the article is still right."),
    )
    # Kept with F() updates outside revisions: counting must never create a page revision.
    view_count = models.PositiveIntegerField(_("views"), default=0, editable=False)
    helpful_yes = models.PositiveIntegerField(_("helpful"), default=0, editable=False)
    helpful_no = models.PositiveIntegerField(_("not helpful"), default=0, editable=False)
    # Set when the editors reject a contribution outright (not "request changes").
    rejected_at = models.DateTimeField(_("rejected at"), null=True, blank=True, editable=False)

    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [FieldPanel("department"), FieldPanel("knowledge_type"), FieldPanel("tags")],
            heading=_("Classification"),
        ),
        FieldPanel("summary"),
        FieldPanel("body"),
        InlinePanel("related_links", label=pgettext_lazy("knowledge", "Related articles")),
    ]
    settings_panels = [*Page.settings_panels, FieldPanel("review_by"), FieldPanel("owner")]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["knowledge.KnowledgeIndexPage", "knowledge.ExternalKnowledgeIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("knowledge article")
        verbose_name_plural = _("knowledge articles")
        indexes = [
            models.Index(fields=["department", "knowledge_type"]),
            models.Index(fields=["knowledge_type"]),
            models.Index(fields=["-view_count"]),
            models.Index(fields=["-helpful_yes"]),
            models.Index(fields=["review_by"]),
        ]

    @property
    def review_overdue(self):
        return self.review_by is not None and self.review_by < timezone.localdate()

    def get_template(self, request, *args, **kwargs):
        return "knowledge/article_page.html"

    def serve(self, request, *args, **kwargs):
        from knowledge.services import article_view_count

        response = super().serve(request, *args, **kwargs)
        if response.status_code == 200 and request.method == "GET":
            article_view_count(article=self)
        return response

    def get_context(self, request, *args, **kwargs):
        from knowledge.article_html import LINKED_GENERATION, article_html, helpful_html
        from knowledge.selectors import ARTICLES_GENERATION, article_details

        context = super().get_context(request, *args, **kwargs)
        generations = Generation.current_many(ARTICLES_GENERATION, LINKED_GENERATION)
        preview = getattr(request, "is_preview", False)
        context.update(
            article_details(
                article=self,
                user=request.user,
                face=request.face,
                generation=generations[0],
                preview=preview,
            )
        )
        context["helpful_html"] = helpful_html(
            article=self,
            face=request.face,
            kb_urls=context["kb_urls"],
            vote=context["vote"],
            csrf_token=page_csrf_token(request),
        )
        context["article_html"] = article_html(
            article=self,
            face=request.face,
            context=context,
            generations=generations,
            preview=preview,
        )
        return context


class RelatedArticle(Orderable):
    """An article the editors point readers to from another."""

    page = ParentalKey(
        ArticlePage,
        related_name="related_links",
        on_delete=models.CASCADE,
        verbose_name=pgettext_lazy("knowledge", "linked from"),
    )
    article = models.ForeignKey(
        ArticlePage, verbose_name=_("article"), on_delete=models.CASCADE, related_name="+"
    )

    panels = [PageChooserPanel("article", "knowledge.ArticlePage")]

    class Meta(Orderable.Meta):
        verbose_name = _("related article")
        verbose_name_plural = _("related articles")
        constraints = [
            models.UniqueConstraint(fields=["page", "article"], name="knowledge_related_once")
        ]


def attachment_path(instance, filename):
    return f"knowledge/{timezone.now():%Y/%m}/{PurePath(filename).name}"


class ArticleAttachment(models.Model):
    """A file (PDF, Word, Excel, …) of an article. Served only through the knowledge base's
    checking view; its text is extracted once, in the background, and indexed with the article."""

    article = models.ForeignKey(
        ArticlePage,
        verbose_name=_("article"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    title = models.CharField(pgettext_lazy("knowledge", "title"), max_length=255)
    file = models.FileField(
        pgettext_lazy("knowledge", "file"), upload_to=attachment_path, max_length=255
    )
    filename = models.CharField(
        pgettext_lazy("knowledge", "file name"), max_length=255, editable=False
    )
    size = models.PositiveBigIntegerField(
        pgettext_lazy("knowledge", "size"), default=0, editable=False
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now, editable=False)
    extracted_text = models.TextField(
        pgettext_lazy("knowledge", "extracted text"), blank=True, editable=False
    )
    extracted_at = models.DateTimeField(_("text extracted at"), null=True, editable=False)

    panels = [PageChooserPanel("article", "knowledge.ArticlePage"), "title", "file"]

    class Meta:
        verbose_name = _("article attachment")
        verbose_name_plural = _("article attachments")
        ordering = ["article", "title", "pk"]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # Derived from the file, so that an attachment uploaded in Wagtail admin has them too.
        if self.file and not self.filename:
            self.filename = PurePath(self.file.name).name
        if self.file and not self.size:
            try:
                self.size = self.file.size
            except OSError:
                self.size = 0
        super().save(*args, **kwargs)


class HelpfulVote(models.Model):
    """A reader's answer to "Was this helpful?": one per reader and article."""

    article = models.ForeignKey(
        ArticlePage, verbose_name=_("article"), on_delete=models.CASCADE, related_name="votes"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=pgettext_lazy("knowledge", "user"),
        on_delete=models.CASCADE,
        related_name="knowledge_votes",
    )
    helpful = models.BooleanField(_("helpful"))
    comment = models.TextField(pgettext_lazy("knowledge", "comment"), blank=True, max_length=1000)
    created_at = models.DateTimeField(pgettext_lazy("knowledge", "time"), default=timezone.now)

    class Meta:
        verbose_name = _("helpful vote")
        verbose_name_plural = _("helpful votes")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["article", "user"], name="knowledge_one_vote_per_user")
        ]

    def __str__(self):
        return f"{self.article_id}: {'+' if self.helpful else '-'}"


class KnowledgeReviewTask(AbstractGroupApprovalTask):
    """Wagtail's group approval task with one more action: reject a contribution outright
    (besides approving it or requesting changes). The author is told either way."""

    def get_actions(self, obj, user):
        actions = super().get_actions(obj, user)
        if actions:
            actions = [*actions, ("decline", pgettext_lazy("knowledge", "Reject"), True)]
        return actions

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "decline":
            from knowledge.services import contribution_decline

            contribution_decline(task_state=task_state, user=user, comment=kwargs.get("comment"))
            return
        super().on_action(task_state, user, action_name, **kwargs)

    @classmethod
    def get_description(cls):
        return _("Knowledge editors approve, request changes to, or reject a contribution")

    class Meta:
        verbose_name = _("knowledge review task")
        verbose_name_plural = _("knowledge review tasks")
