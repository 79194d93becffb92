"""Who may do what with market information and the market analysis dashboards.

- Retailers submit on the extranet and see only their own reports.
- Account managers submit on the intranet and see the reports they submitted.
- Reviewers (sales administrators, the head of the sales department, system administrators)
  see and review every report, except restricted ones (suspected counterfeit or smuggled goods),
  which only the sales department head and system administrators see and review. Anyone else
  gets 404 for a restricted report (as for one that does not exist); its submitter still sees
  it in their own list.
- The dashboards are for the sales department (sales administrators and its head) and
  system administrators.
"""

from extranet.permissions import (
    is_account_manager,
    is_sales_administrator,
    is_sales_department_head,
)
from portal.permissions import Role, has_role


def may_see_restricted(user) -> bool:
    return has_role(user, Role.SYSTEM_ADMINISTRATOR) or is_sales_department_head(user)


def may_review(user) -> bool:
    return is_sales_administrator(user) or may_see_restricted(user)


def may_review_report(user, report) -> bool:
    if report.is_restricted:
        return may_see_restricted(user)
    return may_review(user)


def may_use_market_desk(user) -> bool:
    """The intranet's market information pages: submitters and reviewers."""
    return is_account_manager(user) or may_review(user)


def may_see_analysis(user) -> bool:
    return is_sales_administrator(user) or is_sales_department_head(user)
