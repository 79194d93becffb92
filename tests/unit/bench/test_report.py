"""The bench's report (bench/report.py) carries each page's CPU ms per request in process beside
its requests/s, its ratio to the reference's CPU, the issue's CPU targets and the median page."""

from collections import Counter

from bench import report
from bench.load import LoadResult
from bench.pages import REFERENCE, Page
from bench.queries import QueryCount

PAGE = Page("directory", "intranet", "/directory/", "employee")
CHEAP = Page("shop-cart", "extranet", "/shop/cart/", "retailer")


def _result(page, rps, cpu_ms):
    load = LoadResult(
        duration=1.0, latencies=[0.01] * rps, statuses=Counter({page.expect: rps}), bytes_total=rps
    )
    cpu = None if cpu_ms is None else {"cpu_ms_median": cpu_ms, "cpu_ms_p95": cpu_ms * 1.2}
    queries = QueryCount(status=page.expect, first=3, steady=2)
    return report.page_result(page, load, {"status": page.expect}, queries, cpu)


def _report(results, reference):
    reference["rps_runs"] = [reference["rps"], reference["rps"]]
    report.add_ratios(results, reference)
    return {
        "scale": {"name": "small", "employees": 10, "retailers_with_logins": 5},
        "finished_at": "2026-12-05T00:00:00+00:00",
        "machine": {
            "cpus": 2,
            "cpu_model": "test",
            "memory_gib": 24,
            "platform": "linux",
            "load_average_before": [0.1, 0.1, 0.1],
        },
        "software": {"python": "3.11", "django": "5.2", "wagtail": "8", "gunicorn": "23"},
        "run": {
            "workers": 4,
            "worker_class": "sync",
            "settings_module": "portal.settings.production",
            "concurrency": 16,
            "duration_s": 10,
            "warmup_s": 2,
        },
        "git": "abc",
        "database": {"vendor": "postgresql", "version": "15"},
        "reference": reference,
        "pages": results,
    }


def test_a_page_over_the_cpu_target_is_flagged_with_its_ratio_to_the_reference():
    reference = _result(REFERENCE, 1000, 0.2)
    slow, cheap = _result(PAGE, 100, 9.0), _result(CHEAP, 300, 2.0)
    _report([slow, cheap], reference)
    assert slow["cpu_ms"] == 9.0 and slow["cpu_ratio_to_reference"] == 45.0
    assert "CPU > 8 ms" in slow["problems"]
    assert cheap["cpu_ratio_to_reference"] == 10.0
    assert not any("CPU" in problem for problem in cheap["problems"])
    assert reference["targets"]["cpu_ms"] is None and reference["cpu_ratio_to_reference"] == 1.0


def test_the_markdown_has_cpu_columns_and_the_median_page():
    reference = _result(REFERENCE, 1000, 0.2)
    pages = [_result(PAGE, 100, 9.0), _result(CHEAP, 300, 2.0), _result(PAGE, 200, 6.0)]
    text = report.markdown(_report(pages, reference))
    assert "| CPU ms | CPU × reference |" in text
    assert "| 9.00 | 45.0 |" in text
    assert "Median page: 6.00 ms of CPU per request (target at most 5 ms) – over target." in text
    assert report.median_cpu_ms(pages[:2]) == 5.5


def test_without_cpu_figures_the_report_still_renders():
    reference = _result(REFERENCE, 1000, None)
    page = _result(PAGE, 100, None)
    text = report.markdown(_report([page], reference))
    assert page["cpu_ratio_to_reference"] is None and report.median_cpu_ms([page]) is None
    assert "Median page: – ms" in text
