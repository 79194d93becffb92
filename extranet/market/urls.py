"""Market information on the extranet (included under shop/market/)."""

from django.urls import path

from extranet.market import views

urlpatterns = [
    path("", views.shop_list, name="market"),
    path("new/", views.shop_new, name="market_new"),
    path("<int:report_id>/", views.shop_report, name="market_report"),
    path("<int:report_id>/info/", views.shop_add_info, name="market_add_info"),
    path("<int:report_id>/photos/<int:photo_id>/", views.shop_photo, name="market_photo"),
]
