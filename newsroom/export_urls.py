from django.urls import path

from .export_views import export_view

urlpatterns = [
    path("claims.csv", export_view("csv", "text/csv"), name="export-claims-csv"),
    path("claims.jsonl", export_view("jsonl", "application/jsonl"), name="export-claims-jsonl"),
]
