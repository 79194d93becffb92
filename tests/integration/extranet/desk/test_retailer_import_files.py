"""The retailer import as a clerk uses it: Chinese column headings, a file kept between the
preview and the import (server-side, private, never re-uploaded) and a template to fill in."""

import io
import os
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from extranet.crm.imports import retailer_rows_from_excel
from extranet.models import Retailer, RetailerImport
from portal.import_files import import_files_sweep, imports_root
from portal.refusals import Refusal
from tests.conftest import make_role_user
from tests.factories.extranet import DeliveryRouteFactory, OrderingRetailerFactory
from tests.worker import run_worker

pytestmark = pytest.mark.django_db

CHINESE = ["许可证号", "店名", "行政区域", "送货线路", "订货日", "结算方式", "信用额度"]


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def administrator(client, intranet):
    client.force_login(make_role_user("sales_administrator"))
    return client


def workbook_bytes(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(rows, name="门店.xlsx"):
    return SimpleUploadedFile(name, workbook_bytes(rows))


def kept_files() -> list[Path]:
    folder = imports_root() / "retailers"
    return sorted(folder.iterdir()) if folder.is_dir() else []


def test_chinese_headings_are_read_like_the_english_codes():
    rows = [
        [" 许可证号 ", "店名", "注册资金(元)", "客户经理工号", "另一列"],
        ["330102000011", "中文店", 50000, "E00001", "不读"],
    ]
    parsed = retailer_rows_from_excel(io.BytesIO(workbook_bytes(rows)))
    assert parsed == [
        {
            "licence_number": "330102000011",
            "store_name": "中文店",
            "registered_capital": 50000,
            "account_manager": "E00001",
        }
    ]


def test_a_missing_column_is_named_in_chinese():
    with pytest.raises(Refusal) as refused:
        retailer_rows_from_excel(io.BytesIO(workbook_bytes([["店名"], ["店"]])))
    assert "许可证号" in refused.value.message


def test_preview_keeps_the_file_and_import_needs_no_second_upload(
    administrator, django_capture_on_commit_callbacks
):
    DeliveryRouteFactory(code="R1")
    rows = [
        CHINESE,
        ["330102000021", "文三路店", "西湖区", "R1", "星期二", "赊销", 2000],
        ["330102000022", "湖墅店", "拱墅区", "R1", 5, "现结", ""],
    ]
    url = reverse("sales:import")
    preview = administrator.post(url, {"file": upload(rows), "action": "preview"})
    assert preview.status_code == 200
    assert [row.action for row in preview.context["rows"]] == ["create", "create"]
    kept = preview.context["kept"]
    html = preview.content.decode()
    assert f'name="kept" value="{kept["token"]}"' in html and 'value="import"' in html
    # Kept privately under MEDIA_ROOT (never served by URL), not yet imported.
    (path,) = kept_files()
    assert path.name == kept["token"] and Path(settings.MEDIA_ROOT) in path.parents
    assert not settings.MEDIA_URL.startswith("/media/")
    assert Retailer.objects.count() == 0

    with django_capture_on_commit_callbacks(execute=True):
        response = administrator.post(url, {"kept": kept["token"], "action": "import"})
    job = RetailerImport.objects.get()
    assert response.status_code == 302 and job.name == "门店.xlsx"
    assert kept_files() == []  # the import keeps its own copy; the preview's is gone
    run_worker()
    job.refresh_from_db()
    assert (job.status, job.created_count) == ("done", 2)
    store = Retailer.objects.get(licence_number="330102000021")
    assert (store.order_day, store.settlement, store.region) == (1, "credit", "西湖区")
    assert Retailer.objects.get(licence_number="330102000022").settlement == "cash"


def test_a_token_of_another_session_imports_nothing(administrator, intranet):
    rows = [CHINESE, ["330102000031", "店"]]
    preview = administrator.post(
        reverse("sales:import"), {"file": upload(rows), "action": "preview"}
    )
    token = preview.context["kept"]["token"]
    other = Client()
    other.force_login(make_role_user("sales_administrator"))
    response = other.post(reverse("sales:import"), {"kept": token, "action": "import"})
    assert response.status_code == 400
    assert "upload it again" in response.content.decode()
    assert not RetailerImport.objects.exists()
    assert len(kept_files()) == 1


def test_discarding_the_preview_deletes_the_kept_file(administrator):
    rows = [CHINESE, ["330102000041", "店"]]
    preview = administrator.post(
        reverse("sales:import"), {"file": upload(rows), "action": "preview"}
    )
    token = preview.context["kept"]["token"]
    response = administrator.post(reverse("sales:import"), {"kept": token, "action": "cancel"})
    assert response.status_code == 302 and kept_files() == []


def test_unconfirmed_files_are_swept_after_a_day(administrator):
    administrator.post(
        reverse("sales:import"),
        {"file": upload([CHINESE, ["330102000051", "店"]]), "action": "preview"},
    )
    (path,) = kept_files()
    assert import_files_sweep() == 0 and path.exists()
    day_old = time.time() - 25 * 3600
    os.utime(path, (day_old, day_old))
    assert import_files_sweep() == 1 and not path.exists()


def test_the_template_has_chinese_headings_and_an_example_the_preview_accepts(administrator):
    DeliveryRouteFactory(code="R5")
    response = administrator.get(reverse("sales:import_template"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="retailers-template.xlsx"'
    workbook = load_workbook(io.BytesIO(response.content))
    heading, example = list(workbook.worksheets[0].iter_rows(values_only=True))[:2]
    assert heading[:3] == ("许可证号", "店名", "法定代表人")
    assert example[heading.index("送货线路")] == "R5"
    preview = administrator.post(
        reverse("sales:import"),
        {"file": SimpleUploadedFile("t.xlsx", response.content), "action": "preview"},
    )
    assert [row.action for row in preview.context["rows"]] == ["create"]
    assert (
        reverse("sales:import_template")
        in administrator.get(reverse("sales:import")).content.decode()
    )


def test_a_known_licence_in_chinese_headings_is_an_update(administrator):
    OrderingRetailerFactory(licence_number="330102000061", store_name="旧")
    preview = administrator.post(
        reverse("sales:import"),
        {"file": upload([["许可证号", "店名"], ["330102000061", "新"]]), "action": "preview"},
    )
    assert [row.action for row in preview.context["rows"]] == ["update"]


def test_the_sweep_of_unconfirmed_files_is_scheduled():
    from portal import scheduling, tasks_lease

    periodic = scheduling.REGISTRY["portal.import_files_sweep"]
    assert periodic.task_path == "portal.tasks.import_files_sweep_task"
    assert "portal.tasks.import_files_sweep_task" in tasks_lease.RECOVERIES
