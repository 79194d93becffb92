"""The intranet home's panel of an account manager's visits: today's and this week's planned
visits not yet recorded, and how many of their stores are not visited this cycle — the work
list that leads to /sales/visits/. Nobody else gets the panel."""

from datetime import timedelta

from django.utils import timezone

from extranet.crm.selectors import retailers_due_a_visit_count, visits_visible_to
from extranet.crm.visits import week_start_of
from extranet.permissions import is_account_manager
from portal.selectors import employee_of

HOME_LIMIT = 5


def home_panel(request) -> dict | None:
    user = request.user
    if not (user.is_authenticated and user.is_employee and is_account_manager(user)):
        return None
    employee = employee_of(user)
    if employee is None:
        return None
    today = timezone.localdate()
    sunday = week_start_of(today) + timedelta(days=6)
    planned = list(
        visits_visible_to(user)
        .filter(
            account_manager=employee,
            done_at__isnull=True,
            planned_on__gte=today,
            planned_on__lte=sunday,
        )
        .order_by("planned_on", "retailer__licence_number")[: HOME_LIMIT + 1]
    )
    not_visited = retailers_due_a_visit_count(user=user, today=today, manager=employee)
    return {
        "planned": planned[:HOME_LIMIT],
        "more": len(planned) > HOME_LIMIT,
        "not_visited": not_visited,
        "today": today,
    }
