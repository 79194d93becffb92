"""Which kinds each face's search knows, and which index each object may go to."""

from django.core.management import get_commands

from portal.directory.search_indexes import pinyin_runs
from portal.models import Employee, InformationPage
from portal.search.registry import (
    connections_for_model,
    face_of_connection,
    index_for_model,
    kinds_for_face,
)


def test_the_intranet_finds_people_and_pages_the_extranet_pages_only():
    # Feature apps add their kinds (knowledge, …) in between.
    intranet = [kind.key for kind in kinds_for_face("intranet")]
    extranet = [kind.key for kind in kinds_for_face("extranet")]
    assert intranet[0] == "people" and intranet[-1] == "pages"
    assert "people" not in extranet and extranet[-1] == "pages"


def test_employees_may_only_go_to_the_intranet_index():
    assert connections_for_model(Employee) == ["default"]
    assert index_for_model(Employee).index_queryset(using="extranet").query.is_empty()


def test_pages_may_go_to_either_face_index():
    assert sorted(connections_for_model(InformationPage)) == ["default", "extranet"]
    assert face_of_connection("extranet") == "extranet"
    assert face_of_connection("default") == "intranet"


def test_a_name_is_indexed_in_every_way_its_pinyin_may_be_split():
    assert pinyin_runs("ou yang na na") == [
        "ou", "ouyang", "ouyangna", "ouyangnana", "yang", "yangna", "yangnana", "na", "nana", "na",
    ]  # fmt: skip


def test_update_index_is_haystacks_so_that_rebuild_index_works():
    assert get_commands()["update_index"] == "portal"
    assert get_commands()["wagtail_update_index"] == "wagtail.search"
