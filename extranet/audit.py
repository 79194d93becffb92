"""What the extranet's audit codes mean (portal/audit.py): retailers and their logins, visits,
the catalogue's stock, orders, feedback, market reports and surveys."""

from django.utils.translation import gettext_lazy as _

from portal.audit import AuditAction

AUDIT_ACTIONS = (
    # Retailers (extranet/crm)
    AuditAction(
        "retailer.created", _("Retailer added"), _("%(actor)s added the retailer %(target)s")
    ),
    AuditAction(
        "retailer.static_changed",
        _("Retailer's registered details changed"),
        _("%(actor)s changed the registered details of %(target)s"),
    ),
    AuditAction(
        "retailer.dynamic_changed",
        _("Retailer's business details changed"),
        _("%(actor)s changed the business details of %(target)s"),
    ),
    AuditAction(
        "retailer.imported",
        _("Retailers imported"),
        _("%(actor)s imported %(rows)s retailers"),
    ),
    AuditAction(
        "retailer.import_queued",
        _("Retailer import queued"),
        _("%(actor)s queued the retailer import %(target)s"),
    ),
    AuditAction(
        "retailer.login_issued",
        _("Ordering login issued"),
        _("%(actor)s issued the ordering login %(username)s to %(target)s"),
    ),
    AuditAction(
        "retailer.login_password_reset",
        _("Ordering login password reset"),
        _("%(actor)s reset the password of the ordering login %(username)s of %(target)s"),
    ),
    AuditAction(
        "retailer.login_deactivated",
        _("Ordering login disabled"),
        _("%(actor)s disabled the ordering login %(username)s of %(target)s"),
    ),
    AuditAction(
        "retailer.grades_recomputed",
        _("Grades recomputed"),
        _("%(actor)s recomputed the retailers' grades: %(changed)s changed"),
    ),
    AuditAction(
        "retailer.grades_recompute_requested",
        _("Grade recomputation requested"),
        _("%(actor)s asked for the retailers' grades to be recomputed"),
    ),
    AuditAction(
        "retailer.visit_planned",
        _("Visit planned"),
        _("%(actor)s planned a visit to %(target)s on %(planned_on)s"),
    ),
    AuditAction(
        "retailer.visits_planned",
        _("Week's visits planned"),
        _("%(actor)s planned %(planned)s visits for %(target)s in the week of %(week)s"),
    ),
    AuditAction(
        "retailer.visit_recorded",
        _("Visit recorded"),
        _("%(actor)s recorded a visit to %(target)s"),
    ),
    AuditAction(
        "retailer.visit_corrected",
        _("Visit corrected"),
        _("%(actor)s corrected the record of a visit to %(target)s"),
    ),
    AuditAction(
        "retailer.visit_cancelled",
        _("Visit cancelled"),
        _("%(actor)s cancelled the visit to %(target)s planned on %(planned_on)s"),
    ),
    # Catalogue and orders
    AuditAction(
        "stock.adjusted",
        _("Stock adjusted"),
        _("%(actor)s changed the stock of %(target)s from %(old)s to %(new)s cartons"),
    ),
    AuditAction("order.placed", _("Order placed"), _("%(actor)s placed the order %(target)s")),
    AuditAction(
        "order.cancelled", _("Order cancelled"), _("%(actor)s cancelled the order %(target)s")
    ),
    AuditAction(
        "order.advanced",
        _("Orders moved on"),
        _("%(actor)s moved orders on to their next status"),
    ),
    AuditAction(
        "order.paid", _("Order paid"), _("%(actor)s recorded the payment of the order %(target)s")
    ),
    # Feedback
    AuditAction(
        "extranet.feedback_callback",
        _("Feedback called back"),
        _("%(actor)s recorded the call-back on the feedback %(target)s"),
    ),
    AuditAction(
        "extranet.feedback_resolve",
        _("Feedback resolved"),
        _("%(actor)s resolved the feedback %(target)s"),
    ),
    AuditAction(
        "extranet.feedback_reassign",
        _("Feedback reassigned"),
        _("%(actor)s passed the feedback %(target)s to someone else"),
    ),
    # Market reports
    AuditAction(
        "extranet.market_report_submit",
        _("Market report submitted"),
        _("%(actor)s submitted the market report %(target)s"),
    ),
    AuditAction(
        "extranet.market_report_resubmit",
        _("Market report resubmitted"),
        _("%(actor)s resubmitted the market report %(target)s"),
    ),
    AuditAction(
        "extranet.market_report_approve",
        _("Market report approved"),
        _("%(actor)s approved the market report %(target)s"),
    ),
    AuditAction(
        "extranet.market_report_reject",
        _("Market report rejected"),
        _("%(actor)s rejected the market report %(target)s"),
    ),
    AuditAction(
        "extranet.market_report_ask",
        _("More information asked for"),
        _("%(actor)s asked for more information on the market report %(target)s"),
    ),
    # Surveys
    AuditAction(
        "extranet.survey_create", _("Survey created"), _("%(actor)s created the survey %(target)s")
    ),
    AuditAction(
        "extranet.survey_update", _("Survey changed"), _("%(actor)s changed the survey %(target)s")
    ),
    AuditAction(
        "extranet.survey_publish",
        _("Survey published"),
        _("%(actor)s published the survey %(target)s"),
    ),
    AuditAction(
        "extranet.survey_unpublish",
        _("Survey withdrawn"),
        _("%(actor)s withdrew the survey %(target)s"),
    ),
    AuditAction(
        "extranet.survey_question_add",
        _("Survey question added"),
        _("%(actor)s added a question to the survey %(target)s"),
    ),
    AuditAction(
        "extranet.survey_question_update",
        _("Survey question changed"),
        _("%(actor)s changed a question of the survey %(target)s"),
    ),
    AuditAction(
        "extranet.survey_question_delete",
        _("Survey question removed"),
        _("%(actor)s removed the question “%(question)s” from the survey %(target)s"),
    ),
    AuditAction(
        "extranet.survey_question_move",
        _("Survey questions reordered"),
        _("%(actor)s reordered the questions of the survey %(target)s"),
    ),
)
