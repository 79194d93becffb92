import factory
from wagtail.models import Site

from portal.models import InformationPage


def face_home(face):
    """The root page of a face's site, which migrations create."""
    return Site.objects.get(site_name=face).root_page


class InformationPageFactory(factory.django.DjangoModelFactory):
    """An information page, published under the home page of `face` unless `parent` is given."""

    class Meta:
        model = InformationPage

    title = factory.Sequence(lambda n: f"信息页{n}")
    slug = factory.Sequence(lambda n: f"info-{n}")
    body = "<p>门户的说明。</p>"
    live = True

    @classmethod
    def _create(cls, model_class, *args, parent=None, face="intranet", **kwargs):
        parent = parent or face_home(face)
        return parent.add_child(instance=model_class(*args, **kwargs))
