"""Who may do what with surveys: sales administrators (and system administrators) build
surveys and read their results on the intranet; a retailer answers the surveys addressed to it
on the extranet (anything else answers 404, decided by the selectors)."""

from extranet.permissions import is_sales_administrator


def may_manage_surveys(user) -> bool:
    return is_sales_administrator(user)
