"""Index updates follow the database through the task queue, never from the web request.

haystack's real-time processor writes the index inside the request's transaction (a rolled back
change stays searchable, and web processes fight over Whoosh's single write lock). This one only
notes which searched objects changed; when the transaction commits, one task per transaction
asks the worker to bring the index in step (`portal.search.tasks.update_search_index`).
"""

from django.db.models.signals import post_delete, post_save
from haystack.signals import BaseSignalProcessor
from wagtail.signals import page_published, page_unpublished, post_page_move

from portal.search.registry import dependents_of, index_for_model
from portal.search.services import search_index_sync_later


def _searched_model(instance):
    """The searched model `instance` belongs to, or None. A page saved or deleted through the
    generic `Page` class counts as its specific type."""
    model = type(instance)
    if index_for_model(model) is not None:
        return model
    from wagtail.models import Page

    if isinstance(instance, Page) and model is Page and instance.content_type_id:
        specific = instance.specific_class
        if specific is not None and index_for_model(specific) is not None:
            return specific
    return None


class QueuedSignalProcessor(BaseSignalProcessor):
    def setup(self):
        post_save.connect(self.handle_save)
        post_delete.connect(self.handle_delete)
        page_published.connect(self.handle_save)
        page_unpublished.connect(self.handle_save)
        post_page_move.connect(self.handle_page_move)

    def teardown(self):
        post_save.disconnect(self.handle_save)
        post_delete.disconnect(self.handle_delete)
        page_published.disconnect(self.handle_save)
        page_unpublished.disconnect(self.handle_save)
        post_page_move.disconnect(self.handle_page_move)

    def handle_save(self, sender, instance, **kwargs):
        if kwargs.get("raw"):
            # A fixture's row (loaddata): what it refers to may not be loaded yet, and the
            # README says to run `rebuild_index` after loading.
            return
        using = kwargs.get("using") or instance._state.db or "default"
        model = _searched_model(instance)
        if model is not None:
            search_index_sync_later(
                model_label=model._meta.label_lower, pk=instance.pk, using=using
            )
        self._handle_related_save(instance, kwargs.get("update_fields"), using)

    def handle_delete(self, sender, instance, **kwargs):
        # The same request as a save: the task finds the object gone and removes it.
        model = _searched_model(instance)
        if model is not None:
            search_index_sync_later(
                model_label=model._meta.label_lower,
                pk=instance.pk,
                using=kwargs.get("using") or instance._state.db or "default",
            )

    def _handle_related_save(self, instance, update_fields, using):
        """Objects whose text includes fields of `instance` are indexed again, unless the save
        named its fields and none of those (a login's `last_login` does not touch the index)."""
        for model, relation, fields in dependents_of(type(instance)):
            if update_fields is not None and not set(update_fields) & set(fields):
                continue
            dependants = model._default_manager.using(using).filter(**{relation: instance.pk})
            for pk in dependants.values_list("pk", flat=True):
                search_index_sync_later(model_label=model._meta.label_lower, pk=pk, using=using)

    def handle_page_move(self, sender, instance, **kwargs):
        """A moved page takes its subtree along, perhaps into the other face's site."""
        from django.contrib.contenttypes.models import ContentType

        using = instance._state.db or "default"
        subtree = instance.get_descendants(inclusive=True).values_list("pk", "content_type_id")
        for pk, content_type_id in subtree:
            model = ContentType.objects.get_for_id(content_type_id).model_class()
            if model is not None and index_for_model(model) is not None:
                search_index_sync_later(model_label=model._meta.label_lower, pk=pk, using=using)
