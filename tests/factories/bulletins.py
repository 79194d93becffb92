import factory
from django.utils import timezone

from bulletins.models import Board, Notice


def board_of(department) -> Board:
    """The board the department got when it was saved."""
    return Board.objects.get(department=department)


def channel(kind=Board.Kind.NEWS) -> Board:
    return Board.objects.get(kind=kind)


class NoticeFactory(factory.django.DjangoModelFactory):
    """A live notice for all staff, on `board` (required)."""

    class Meta:
        model = Notice

    title = factory.Sequence(lambda n: f"通知{n}")
    slug = factory.Sequence(lambda n: f"notice-{n}")
    body = "<p>请各部门遵照执行。</p>"
    live = True
    first_published_at = factory.LazyFunction(timezone.now)
    last_published_at = factory.SelfAttribute("first_published_at")

    @classmethod
    def _create(cls, model_class, *args, board, departments=(), **kwargs):
        notice = model_class(*args, **kwargs)
        if departments:
            notice.audience_all = False
            notice.audience_departments = list(departments)
        return board.add_child(instance=notice)
