from django.urls import path

from portal.search.views import search

urlpatterns = [path("", search, name="search")]
