from django.urls import path

from . import views, views_excel

urlpatterns = [
    path("readiness/", views.readiness_home, name="readiness_home"),
    path("readiness/method/", views.about_method, name="readiness_method"),
    path("readiness/national/", views.national_rollup, name="national_rollup"),
    path("readiness/review/", views.review_queue, name="review_queue"),
    path("readiness/clusters/<str:code>/", views.cluster_rollup, name="cluster_rollup"),
    path("readiness/clusters/<str:code>/review/", views.cluster_review, name="cluster_review"),
    path(
        "readiness/provinces/<str:code>/<int:fiscal_year>/", views.assessment_detail, name="assessment_detail"
    ),
    path(
        "readiness/provinces/<str:code>/<int:fiscal_year>/start/",
        views.assessment_start,
        name="assessment_start",
    ),
    path("readiness/assessments/<int:pk>/answers/<int:answer_pk>/", views.answer_save, name="answer_save"),
    path(
        "readiness/assessments/<int:pk>/answers/<int:answer_pk>/evidence/",
        views.evidence_add,
        name="evidence_add",
    ),
    path(
        "readiness/assessments/<int:pk>/copy-forward/",
        views.assessment_copy_forward,
        name="assessment_copy_forward",
    ),
    path("readiness/assessments/<int:pk>/submit/", views.assessment_submit, name="assessment_submit"),
    path("readiness/assessments/<int:pk>/approve/", views.assessment_approve, name="assessment_approve"),
    path("readiness/assessments/<int:pk>/return/", views.assessment_return, name="assessment_return"),
    path("readiness/evidence/<int:pk>/", views.evidence_download, name="evidence_download"),
    path("readiness/evidence/<int:pk>/delete/", views.evidence_delete, name="evidence_delete"),
    # Excel round-trip of an assessment and the roll-ups as XLSX (readiness/views_excel.py)
    path("readiness/assessments/<int:pk>/xlsx/", views_excel.assessment_xlsx, name="assessment_xlsx"),
    path(
        "readiness/assessments/<int:pk>/xlsx/upload/",
        views_excel.assessment_xlsx_upload,
        name="assessment_xlsx_upload",
    ),
    path("readiness/clusters/<str:code>/xlsx/", views_excel.cluster_rollup_xlsx, name="cluster_rollup_xlsx"),
    path("readiness/national/xlsx/", views_excel.national_rollup_xlsx, name="national_rollup_xlsx"),
]
