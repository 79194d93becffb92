from datetime import time, timedelta

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ExtranetConfig(AppConfig):
    name = "extranet"
    verbose_name = _("Extranet")

    def ready(self):
        from extranet.audit import AUDIT_ACTIONS
        from portal.audit import register as audit_register

        # What this app's audit codes mean, for the audit log's sentences.
        audit_register(*AUDIT_ACTIONS)
        # Receivers keeping the catalogue cache, the sales summary and the survey audiences'
        # notices current.
        from wagtail.models import ReferenceIndex

        from extranet import signals
        from extranet.catalogue import signals as catalogue_signals  # noqa: F401
        from extranet.catalogue.models import Product, SalesPolicy
        from extranet.market import signals as market_signals  # noqa: F401
        from extranet.surveys import signals as survey_signals  # noqa: F401
        from portal import home, scheduling, tasks_lease

        # A product's picture and the pictures of its policies belong to them for Wagtail's
        # reference index, which decides who may see the picture (portal/file_access.py), in
        # every process, not only where the admin's viewsets are registered.
        ReferenceIndex.register_model(Product)
        ReferenceIndex.register_model(SalesPolicy)

        post_migrate.connect(signals.set_up_after_migrate, sender=self)
        home.register(
            "extranet.surveys",
            face="extranet",
            order=10,
            template="extranet/surveys/home_block.html",
            context="extranet.surveys.home.home_panel",
        )
        home.register(
            "extranet.buying",
            face="extranet",
            order=5,
            template="extranet/home_buying.html",
            context="extranet.shop.warnings.home_panel",
        )
        # The account manager's work list on the intranet home (issue 16).
        home.register(
            "extranet.visits",
            face="intranet",
            order=20,
            template="extranet/staff/home_visits.html",
            context="extranet.crm.home.home_panel",
        )
        scheduling.register(
            "extranet.grades_recompute",
            "extranet.crm.tasks.grades_recompute_task",
            daily_at=time(2, 0),
        )
        scheduling.register(
            "extranet.feedback_alerts",
            "extranet.feedback.tasks.feedback_alerts_task",
            every=timedelta(minutes=15),
        )
        # Market analysis: the whole sales summary nightly, after the grades (which it groups
        # by); order changes queue their month's refresh as they happen.
        scheduling.register(
            "extranet.sales_summary_rebuild",
            "extranet.market.tasks.sales_summary_rebuild_task",
            daily_at=time(2, 30),
        )
        # Surveys: notify the addressed retailers of surveys that have opened.
        scheduling.register(
            "extranet.survey_notices",
            "extranet.surveys.tasks.survey_notices_due_task",
            every=timedelta(minutes=5),
        )
        # What the sweep does with these tasks when their worker died (portal/tasks_lease.py).
        for path, why in [
            ("extranet.crm.tasks.grades_recompute_task", "recomputes from the data: idempotent"),
            (
                "extranet.crm.tasks.retailer_import_task",
                "all rows or none: an interrupted import was rolled back and runs again",
            ),
            (
                "extranet.feedback.tasks.feedback_alerts_task",
                "each alert is recorded as sent; only a mail in flight may go twice",
            ),
            (
                "extranet.surveys.tasks.survey_notices_task",
                "each retailer is notified once; a rerun notifies the rest",
            ),
            (
                "extranet.surveys.tasks.survey_notices_due_task",
                "each retailer is notified once; a rerun notifies the rest",
            ),
            (
                "extranet.market.tasks.sales_summary_refresh_task",
                "rebuilds a month of the summary from the orders: idempotent",
            ),
            (
                "extranet.market.tasks.sales_summary_rebuild_task",
                "rebuilds the summary from the orders: idempotent",
            ),
        ]:
            tasks_lease.register(path, retry=True, why=why)
