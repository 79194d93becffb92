"""Every model and field of the project's apps is labelled in both languages.

Wagtail admin, Django admin, forms and the change histories show a model's `verbose_name` and a
field's `verbose_name`; a label left to Django's default is the English attribute name
(`created at`, `last post`) even in Chinese. These tests walk the project's models and fail on a
label that is not a lazy translation or that has no Chinese entry in the catalogues.

Left out: fields Django creates itself (the implicit `id`, a page's `page_ptr`) and fields of
third-party abstract bases (Wagtail's Page and Orderable, taggit's `tag`, guardian's `user`,
`group` and `permission`), whose labels belong to those libraries.
"""

import re

import pytest
from django.apps import apps
from django.utils import translation
from django.utils.functional import Promise

PROJECT = ("portal", "bulletins", "forum", "knowledge", "documents", "extranet")
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def ours(cls):
    return cls.__module__.split(".")[0] in PROJECT


def project_models():
    return sorted(
        (model for model in apps.get_models() if ours(model)), key=lambda m: m._meta.label
    )


def origin(model, field):
    """The class that declares a field: the most basic class of the MRO listing it."""
    for cls in reversed(model.__mro__):
        meta = getattr(cls, "_meta", None)
        if meta is not None and any(f.name == field.name for f in meta.local_fields):
            return cls
    return model


def labelled_fields(model):
    for field in model._meta.concrete_fields:
        if field.auto_created or not ours(origin(model, field)):
            continue
        yield field


def labels():
    for model in project_models():
        for attribute in ("verbose_name", "verbose_name_plural"):
            yield (model._meta.label, attribute), model._meta.original_attrs.get(attribute)
        for field in labelled_fields(model):
            yield (model._meta.label, field.name), field._verbose_name


def test_the_walk_covers_every_app_of_the_project():
    found = {model._meta.app_label for model in project_models()}
    assert {"portal", "bulletins", "forum", "knowledge", "documents", "extranet"} <= found
    assert sum(1 for _ in labels()) > 500


def test_every_model_and_field_label_is_a_lazy_translation():
    not_lazy = [where for where, label in labels() if not isinstance(label, Promise)]
    assert not_lazy == []


def test_every_model_and_field_label_reads_in_chinese():
    with translation.override("zh-hans"):
        english = [
            (where, str(label))
            for where, label in labels()
            if isinstance(label, Promise) and not CHINESE.search(str(label))
        ]
    assert english == []


@pytest.mark.parametrize(
    ("model", "field", "chinese"),
    [
        ("forum.Notification", "created_at", "创建时间"),
        ("bulletins.NoticeRead", "user", "阅读人"),
        ("extranet.OrderStatusChange", "changed_by", "操作人"),
        ("documents.ReportStep", "report", "报告"),
    ],
)
def test_foreign_keys_and_times_have_their_chinese_label(model, field, chinese):
    with translation.override("zh-hans"):
        assert str(apps.get_model(model)._meta.get_field(field).verbose_name) == chinese
