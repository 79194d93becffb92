import io

import pytest
from django.core.management import call_command

from bulletins.models import Board, Notice

pytestmark = pytest.mark.django_db


def test_seed_demo_makes_boards_and_notices_once():
    call_command("seed_demo", stdout=io.StringIO())
    count = Notice.objects.count()
    assert Board.objects.filter(department__code="quality").exists()
    assert Notice.objects.filter(pinned=True, must_acknowledge=True, live=True).exists()
    assert Notice.objects.child_of(Board.objects.get(kind=Board.Kind.NEWS)).exists()
    call_command("seed_demo", stdout=io.StringIO())
    assert Notice.objects.count() == count
    head = Board.objects.get(department__code="sales").department.head
    assert head is not None
    assert head.user in Board.objects.get(department__code="sales").editors.user_set.all()
