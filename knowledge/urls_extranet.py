"""The external knowledge base on the extranet, included under `shop/knowledge/` in the
`shop` namespace (no namespace of its own, so `shop:knowledge` is its list)."""

from django.urls import path

from knowledge import views

urlpatterns = [
    path("", views.index, name="knowledge"),
    path("search/", views.search, name="knowledge_search"),
    path("articles/<int:pk>/vote/", views.vote, name="knowledge_vote"),
    path("attachments/<int:pk>/", views.attachment, name="knowledge_attachment"),
]
