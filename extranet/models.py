"""The extranet's models. Each domain keeps its models in its own package (`crm`,
`catalogue`, `ordering`, `feedback`, `market`, `surveys`); they are imported here so that
Django finds them in the `extranet` app. The extranet's home page is here."""

from django.utils.translation import gettext_lazy as _

from extranet.catalogue.models import (  # noqa: F401
    Allocation,
    AllocationUsage,
    Brand,
    DeliveryRoute,
    Product,
    RetailerAllocation,
    SalesPolicy,
    Stock,
)
from extranet.crm.models import (  # noqa: F401
    Retailer,
    RetailerImport,
    RetailerLogin,
    Visit,
    VisitCycle,
    Weekday,
)
from extranet.feedback.models import Feedback, FeedbackEvent, FeedbackPhoto  # noqa: F401
from extranet.ordering.models import Order, OrderLine, OrderStatusChange  # noqa: F401
from portal.models import FaceHomePage


class ExtranetHomePage(FaceHomePage):
    """The root of the retailers' site."""

    class Meta:
        verbose_name = _("extranet home page")
        verbose_name_plural = _("extranet home pages")

    def get_context(self, request, *args, **kwargs):
        from functools import partial

        from extranet.crm.selectors import retailer_of
        from portal import home

        context = super().get_context(request, *args, **kwargs)
        context["retailer"] = retailer_of(request.user)
        # A callable: the template calls it where the panels go, inside the page's rendering.
        context["panels"] = partial(home.render_panels, request, "extranet")
        return context


# Market information and grade history (extranet/market/) -------------------------------------

from extranet.market.models import (  # noqa: E402, F401
    GradeChange,
    MarketReport,
    MarketReportEvent,
    MarketReportPhoto,
    SalesSummary,
    SalesSummaryMonth,
)

# Surveys (models in extranet/surveys/models.py, imported here so that Django sees them).
from extranet.surveys.models import (  # noqa: E402, F401
    Answer,
    Choice,
    Question,
    Survey,
    SurveyResponse,
    SurveyTarget,
)
