"""Static URLs are looked up once per process, and collecting the files again forgets them."""

from django.core.files.storage import FileSystemStorage

from portal.static_storage import PortalStaticFilesStorage


def collect(source, storage, content):
    (source / "site.css").write_text(content)
    if storage.exists("site.css"):
        storage.delete("site.css")
    storage.save("site.css", open(source / "site.css", "rb"))
    found = FileSystemStorage(location=source)
    list(storage.post_process({"site.css": (found, "site.css")}, dry_run=False))


def test_a_url_is_kept_until_the_files_are_collected_again(tmp_path, settings):
    settings.DEBUG = False
    source, target = tmp_path / "source", tmp_path / "static"
    source.mkdir()
    storage = PortalStaticFilesStorage(location=target, base_url="/static/")
    collect(source, storage, "body { color: black }")
    first = storage.url("site.css")
    assert first.startswith("/static/site.") and first != "/static/site.css"
    storage.hashed_files["site.css"] = "moved.css"  # what a lookup would now find
    assert storage.url("site.css") == first  # kept: no second lookup
    collect(source, storage, "body { color: red }")
    second = storage.url("site.css")
    assert second.startswith("/static/site.") and second != first


def test_the_asset_tag_gives_the_static_tags_url_without_walking_the_apps(monkeypatch):
    from django.apps import apps
    from django.template import Context, Template

    names = ["portal/portal.css", "portal/portal.js", "portal/favicon.ico"]
    static = Template("{% load static %}" + " ".join(f"{{% static '{n}' %}}" for n in names))
    asset = Template("{% load layout %}" + " ".join(f"{{% asset '{n}' %}}" for n in names))
    expected = static.render(Context())
    walks = []
    monkeypatch.setattr(apps, "is_installed", lambda name: walks.append(name) or True)
    assert asset.render(Context()) == expected
    assert walks == []
    static.render(Context())
    assert walks  # what `{% static %}` pays on each call
