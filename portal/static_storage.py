"""The static files' storage: WhiteNoise's compressed manifest storage, with each file's URL
looked up once per process.

`{% static %}` asks the storage for a URL on every page (the stylesheet, the script, the icon):
the manifest lookup, quoting and joining cost about a tenth of a millisecond a page. The
manifest does not change while a process serves pages (a deploy collects the files and restarts
the processes); `collectstatic` rewrites it, so its post-processing forgets what was kept.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class PortalStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls = {}
        self._processing = False

    def url(self, name, force=False):
        if force or self._processing:
            return super().url(name, force)
        found = self._urls.get(name)
        if found is None:
            found = self._urls[name] = super().url(name)
        return found

    def post_process(self, *args, **kwargs):
        self._urls = {}
        self._processing = True
        try:
            yield from super().post_process(*args, **kwargs)
        finally:
            self._processing = False
            self._urls = {}
