"""`portal.paging.total_told_by_page`: the number of rows a page read with one row more tells,
and when a kept number may stand in for a count."""

from portal.paging import total_told_by_page


def told(offset, fetched, kept=None, per_page=30):
    asked = []

    def keeper():
        asked.append(True)
        return kept

    return total_told_by_page(offset=offset, per_page=per_page, fetched=fetched, kept=keeper), bool(
        asked
    )


def test_the_last_page_tells_the_number_without_the_kept_one():
    assert told(0, 0, kept=99) == (0, False)  # an empty list
    assert told(0, 12, kept=99) == (12, False)
    assert told(60, 30, kept=5) == (90, False)  # exactly full, nothing after it


def test_a_page_with_more_after_it_takes_a_kept_number_that_goes_beyond_it():
    assert told(0, 31, kept=75) == (75, True)
    assert told(30, 31, kept=61) == (61, True)


def test_a_kept_number_the_page_contradicts_or_none_means_counting():
    assert told(0, 31, kept=30) == (None, True)  # the page shows more than 30
    assert told(0, 31, kept=3) == (None, True)
    assert told(0, 31, kept=None) == (None, True)


def test_a_page_past_the_end_tells_nothing():
    assert told(300, 0, kept=40) == (None, False)
