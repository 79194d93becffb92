"""The extranet app's own receivers, connected by `ExtranetConfig.ready()` (the domain
subpackages keep theirs in their own `signals.py`)."""


def set_up_after_migrate(sender, using="default", **kwargs):
    """The extranet site and its home page exist whenever the database is migrated."""
    from django.conf import settings
    from django.db import connections

    from extranet.models import ExtranetHomePage
    from portal.services import site_ensure

    tables = connections[using].introspection.table_names()
    if ExtranetHomePage._meta.db_table not in tables or "wagtailcore_site" not in tables:
        return
    site_ensure(
        site_name="extranet",
        page_model=ExtranetHomePage,
        title="零售客户服务",
        slug="extranet",
        hostname=settings.EXTRANET_SITE_HOSTNAME,
        port=settings.EXTRANET_SITE_PORT,
        default=False,
    )
