"""Who may do what with retailers, the catalogue and orders: the one place that decides.

Sales administrators keep the catalogue, stock, allocations and the retailers' static data and
see every retailer and order; an account manager sees and serves the retailers assigned to them
(their orders, their dynamic data); any employee may look up the catalogue on the intranet but
only the sales roles see stock quantities and allocations. A retailer sees only its own orders
and profile, on the extranet.
"""

from extranet import rules
from extranet.ordering.models import Order
from portal.permissions import Role, has_role
from portal.selectors import employee_of

CATALOGUE_MODELS = [
    "brand",
    "product",
    "salespolicy",
    "stock",
    "allocation",
    "retailerallocation",
    "deliveryroute",
]

# Merged with the other apps' by portal.permissions.role_permissions().
ROLE_PERMISSIONS = {
    Role.SALES_ADMINISTRATOR: [
        *(
            f"extranet.{action}_{model}"
            for model in CATALOGUE_MODELS
            for action in ("add", "change", "delete", "view")
        ),
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
    ],
}


def is_sales_administrator(user) -> bool:
    return has_role(user, Role.SALES_ADMINISTRATOR) or has_role(user, Role.SYSTEM_ADMINISTRATOR)


def is_account_manager(user) -> bool:
    return has_role(user, Role.ACCOUNT_MANAGER)


def is_sales_staff(user) -> bool:
    """Account managers and sales administrators: the staff side of retailers and orders."""
    return is_sales_administrator(user) or is_account_manager(user)


def may_find_products(user) -> bool:
    """Products in the intranet's unified search: for whoever may open the product pages
    (/sales/products/, every employee: DESIGN's catalogue look-up); never retailers, whose
    catalogue is the shop's."""
    return user.is_authenticated and user.is_employee


def may_see_stock(user) -> bool:
    """Exact stock quantities and allocations are for the sales staff only."""
    return is_sales_staff(user)


def may_see_all_retailers(user) -> bool:
    return is_sales_administrator(user)


def may_edit_static(user) -> bool:
    return is_sales_administrator(user)


def may_edit_dynamic(user, retailer) -> bool:
    if is_sales_administrator(user):
        return True
    employee = employee_of(user)
    return (
        is_account_manager(user)
        and employee is not None
        and retailer.account_manager_id == employee.pk
    )


def may_import_retailers(user) -> bool:
    return is_sales_administrator(user)


def may_recompute_grades(user) -> bool:
    return is_sales_administrator(user)


def may_cancel_as_retailer(order) -> bool:
    """A retailer may cancel its order until it is confirmed."""
    return order.status == Order.Status.SUBMITTED


def may_cancel_as_staff(order) -> bool:
    """The sales staff may cancel an order until it is delivered."""
    return order.status not in (Order.Status.DELIVERED, Order.Status.CANCELLED)


# Feedback and complaints: an account manager handles the feedback of the retailers assigned to
# them; sales administrators and the head of the sales department see and manage all of it
# (reassignment, the "effective complaint" flag); a retailer sees only its own, without the
# internal notes.


def is_sales_department_head(user) -> bool:
    """Whether the user heads the sales department; read once per request (kept on the
    employee that `employee_of` keeps on the request's user), as a page asks several times."""
    employee = employee_of(user)
    if employee is None:
        return False
    code = rules.sales_department_code()
    known = _heads_known(employee)
    if code not in known:
        known[code] = employee.headed_departments.filter(code=code).exists()
    return known[code]


def _heads_known(employee) -> dict:
    # {department code: whether the employee heads it}, for the request's employee only.
    return employee.__dict__.setdefault("_portal_heads_department", {})


def sales_department_head_known(user) -> bool | None:
    """`is_sales_department_head`'s answer when this request has it already, else None (a
    reader may then ask it inside its own statement: extranet.feedback.desk_rows)."""
    employee = employee_of(user)
    if employee is None:
        return False
    return _heads_known(employee).get(rules.sales_department_code())


def sales_department_head_note(user, heads: bool) -> None:
    """Keep `is_sales_department_head`'s answer read inside another statement, by the same
    rule (the employee is the head of the department with the sales department's code)."""
    employee = employee_of(user)
    if employee is not None:
        _heads_known(employee)[rules.sales_department_code()] = heads


def may_see_all_feedback(user) -> bool:
    return is_sales_administrator(user) or is_sales_department_head(user)


def may_use_feedback_desk(user) -> bool:
    return is_account_manager(user) or may_see_all_feedback(user)


def may_handle_feedback(user, feedback) -> bool:
    """Record the call-back, the resolution and internal notes."""
    if may_see_all_feedback(user):
        return True
    employee = employee_of(user)
    return employee is not None and feedback.assigned_to_id == employee.pk


def may_manage_feedback(user) -> bool:
    """Reassign and flag effective complaints."""
    return may_see_all_feedback(user)


def may_adjust_stock(user) -> bool:
    """Stock is changed only through `stock_adjust`, by the sales administrators who keep it."""
    return is_sales_administrator(user)


def may_manage_logins(user, retailer) -> bool:
    """Issue, reset and deactivate a retailer's logins: sales administrators, and the
    retailer's own account manager."""
    return may_edit_dynamic(user, retailer)


def may_use_lookups(user) -> bool:
    """The JSON lookups behind the retailer, employee and route pickers."""
    return is_sales_staff(user)


# Visits and contacts (issue 16): an account manager plans, records and sees the contacts with
# the stores assigned to them; sales administrators see and correct all of them; retailers
# never see the log.


def may_use_visits(user) -> bool:
    return is_sales_staff(user)


def may_record_visit(user, retailer) -> bool:
    """Plan, record and correct a store's contacts: its account manager and the sales
    administrators."""
    return may_edit_dynamic(user, retailer)


def may_plan_week(user) -> bool:
    """Plan one's own week of visits: an account manager with an employee record."""
    return is_account_manager(user) and employee_of(user) is not None
