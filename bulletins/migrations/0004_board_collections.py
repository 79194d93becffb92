"""Each department board gets its own collection of documents and pictures (under a
"Bulletins" collection), and its editors group's permissions move there from Wagtail's root
collection, where they let every head and delegate list and choose every document (issue 17).
A document attached only to one board's notices moves into that board's collection, so its
editors keep managing it. New boards get theirs from `board_ensure_for_department`."""

import django.db.models.deletion
from django.db import migrations, models

EDITOR_COLLECTION_PERMISSIONS = (
    ("wagtaildocs", ("add_document", "change_document", "choose_document")),
    ("wagtailimages", ("add_image", "change_image", "choose_image")),
)


def boards_get_collections(apps, schema_editor):
    # Collections form a treebeard tree: the historical model cannot add children, the real
    # one can (its table is the same at this point of the migrations).
    from wagtail.models import Collection

    Board = apps.get_model("bulletins", "Board")
    NoticeAttachment = apps.get_model("bulletins", "NoticeAttachment")
    Document = apps.get_model("wagtaildocs", "Document")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    Permission = apps.get_model("auth", "Permission")

    boards = Board.objects.filter(
        department__isnull=False, editors__isnull=False, collection__isnull=True
    ).select_related("department")
    if not boards.exists():
        return
    root = Collection.get_first_root_node()
    if root is None:
        return
    parent = Collection.objects.filter(name="Bulletins", depth=2).first()
    if parent is None:
        parent = root.add_child(name="Bulletins")
    wanted = models.Q(pk__in=[])
    for app_label, codenames in EDITOR_COLLECTION_PERMISSIONS:
        wanted |= models.Q(content_type__app_label=app_label, codename__in=codenames)
    wanted_ids = set(Permission.objects.filter(wanted).values_list("pk", flat=True))
    board_of_document = {}
    for document_id, path in NoticeAttachment.objects.values_list(
        "document_id", "notice__path"
    ):
        board_of_document.setdefault(document_id, set()).add(path[:-4])
    for board in boards:
        collection = parent.add_child(name=board.department.name)
        board.collection_id = collection.pk
        board.save(update_fields=["collection"])
        held = GroupCollectionPermission.objects.filter(group_id=board.editors_id)
        held.exclude(collection_id=collection.pk, permission_id__in=wanted_ids).delete()
        GroupCollectionPermission.objects.bulk_create(
            GroupCollectionPermission(
                group_id=board.editors_id, collection_id=collection.pk, permission_id=pk
            )
            for pk in wanted_ids
        )
        only_here = [
            document_id
            for document_id, board_paths in board_of_document.items()
            if board_paths == {board.path}
        ]
        Document.objects.filter(pk__in=only_here, collection_id=root.pk).update(
            collection_id=collection.pk
        )


class Migration(migrations.Migration):
    dependencies = [
        ("bulletins", "0003_home_indexes"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtaildocs", "0014_alter_document_file_size"),
        ("wagtailimages", "0027_image_description"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.AddField(
            model_name="board",
            name="collection",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="wagtailcore.collection",
                verbose_name="collection",
            ),
        ),
        migrations.RunPython(boards_get_collections, migrations.RunPython.noop),
    ]
