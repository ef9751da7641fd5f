from django.urls import path

from . import views, views_decision, views_import

urlpatterns = [
    path("strategies/", views.strategy_list, name="strategy_list"),
    path("strategies/new/", views.strategy_create, name="strategy_create"),
    path("strategies/similar/", views.strategy_similar, name="strategy_similar"),
    path("strategies/review/", views.strategy_review_queue, name="strategy_review_queue"),
    path("strategies/matrix/", views.matrix_national, name="matrix_national"),
    path("strategies/matrix/clusters/<str:code>/", views.matrix_cluster, name="matrix_cluster"),
    path("strategies/matrix/provinces/<str:code>/", views.matrix_province, name="matrix_province"),
    path("strategies/<int:pk>/", views.strategy_detail, name="strategy_detail"),
    path("strategies/<int:pk>/edit/", views.strategy_edit, name="strategy_edit"),
    path("strategies/<int:pk>/propose/", views.strategy_propose, name="strategy_propose"),
    path("strategies/<int:pk>/endorse/", views.strategy_endorse, name="strategy_endorse"),
    path("strategies/<int:pk>/return/", views.strategy_return, name="strategy_return"),
    path("strategies/<int:pk>/status/", views.strategy_set_status, name="strategy_set_status"),
    path("strategies/<int:pk>/comment/", views.strategy_comment, name="strategy_comment"),
    path("strategies/<int:pk>/carry-forward/", views.strategy_carry_forward, name="strategy_carry_forward"),
    path("strategies/<int:pk>/override/", views.strategy_override, name="strategy_override"),
    path(
        "strategies/<int:pk>/override/withdraw/",
        views.strategy_override_withdraw,
        name="strategy_override_withdraw",
    ),
    path("strategies/<int:pk>/projects/new/", views.project_create, name="project_create"),
    path("projects/<int:pk>/edit/", views.project_edit, name="project_edit"),
    path("projects/<int:pk>/progress/", views.project_progress, name="project_progress"),
    path("strategies/import/", views_import.strategy_import, name="strategy_import"),
    # Decision support (issue 7): overlaps, budget reach, readiness gaps.
    path("strategies/decision/", views_decision.decision_national, name="decision_national"),
    path(
        "strategies/decision/clusters/<str:code>/", views_decision.decision_cluster, name="decision_cluster"
    ),
    path(
        "strategies/decision/clusters/<str:code>/overlaps/decide/",
        views_decision.decision_overlap_decide,
        name="decision_overlap_decide",
    ),
]
