"""`dumpdata`/`loaddata` of the portal's data: an article's tags serialise by natural key, and
no receiver acts on a fixture's raw save (loaddata saves rows in any order, so a receiver that
follows a relation, queues indexing or bumps a cache there fails or works on half-loaded data;
the README says to run `rebuild_index` after loading)."""

import io

import pytest
from django.core import serializers
from django.core.management import call_command
from django.db.models.signals import post_save

from extranet.models import Order, Retailer
from knowledge.models import ArticleAttachment, ArticlePage, ArticleTag
from portal.models import Department, Employee
from tests.factories.knowledge import ArticleAttachmentFactory, ArticlePageFactory

pytestmark = pytest.mark.django_db


def test_article_tags_serialise_by_natural_key():
    article = ArticlePageFactory(tags=["烘丝机", "含水率"])
    dumped = serializers.serialize(
        "json",
        ArticleTag.objects.filter(content_object=article),
        use_natural_foreign_keys=True,
        use_natural_primary_keys=True,
    )
    loaded = list(serializers.deserialize("json", dumped, handle_forward_references=True))
    assert len(loaded) == 2
    assert {item.object.tag.name for item in loaded} == {"烘丝机", "含水率"}


def test_no_receiver_acts_on_a_fixtures_raw_save(django_capture_on_commit_callbacks):
    article = ArticlePageFactory(tags=["烘丝机"])
    ArticleAttachmentFactory(article=article)
    models = [ArticlePage, ArticleAttachment, ArticleTag, Department, Employee]
    objects = [obj for model in models for obj in model.objects.all()]
    dumped = serializers.serialize("json", objects)
    calls = []

    def count(sender, **kwargs):
        calls.append(sender)

    with django_capture_on_commit_callbacks() as callbacks:
        for item in serializers.deserialize("json", dumped):
            item.save()  # what loaddata does: a raw save
    assert callbacks == []
    post_save.connect(count, dispatch_uid="test_fixture_loading_count")
    try:
        with django_capture_on_commit_callbacks() as callbacks:
            article.save()
    finally:
        post_save.disconnect(dispatch_uid="test_fixture_loading_count")
    # An ordinary save does queue work: the raw saves above were skipped, not merely quiet.
    assert callbacks and calls


def test_extranet_receivers_skip_raw_saves(django_capture_on_commit_callbacks):
    from tests.factories.extranet import OrderFactory

    order = OrderFactory()
    dumped = serializers.serialize("json", [order.retailer, order])
    with django_capture_on_commit_callbacks() as callbacks:
        for item in serializers.deserialize("json", dumped):
            item.save()
    assert callbacks == []
    assert Order.objects.filter(pk=order.pk).exists()
    assert Retailer.objects.filter(pk=order.retailer_id).exists()


def test_dumpdata_with_natural_keys_runs(tmp_path):
    ArticlePageFactory(tags=["烘丝机"])
    out = io.StringIO()
    call_command(
        "dumpdata",
        "knowledge",
        "taggit",
        natural_foreign=True,
        natural_primary=True,
        stdout=out,
    )
    assert '"model": "knowledge.articletag"' in out.getvalue()
