"""`update_index` is haystack's: it fills the portal's search indexes.

Wagtail ships a command of the same name for its own page index (still there as
`wagtail_update_index`) and, listed earlier in INSTALLED_APPS, would win; haystack's
`rebuild_index` calls `update_index` by name and then failed on Wagtail's options. The portal
app comes first, so this one is found before either.
"""

from haystack.management.commands.update_index import Command

__all__ = ["Command"]
