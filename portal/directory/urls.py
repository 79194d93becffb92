from django.urls import path

from portal.directory import views

app_name = "directory"

urlpatterns = [
    path("", views.index, name="index"),
    path("results/", views.results, name="results"),
    path("people/<int:pk>/", views.person, name="person"),
    path("people/<int:pk>/vcard/", views.person_vcard, name="person_vcard"),
    path("departments/<slug:code>/", views.department, name="department"),
    path("export.<str:fmt>", views.export, name="export"),
    path("import/", views.import_upload, name="import"),
    path("import/template/", views.import_template_download, name="import_template"),
    path("import/preview/", views.import_preview, name="import_preview"),
    path("import/confirm/", views.import_confirm, name="import_confirm"),
]
