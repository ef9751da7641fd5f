from django.urls import path

from . import views, views_mentions

urlpatterns = [
    path("notifications/", views.inbox, name="notification_inbox"),
    path("notifications/read-all/", views.mark_all_read, name="notification_mark_all_read"),
    path("notifications/preferences/", views.preferences, name="notification_preferences"),
    path("notifications/unsubscribe/<str:token>/", views.unsubscribe, name="notification_unsubscribe"),
    path("notifications/<int:pk>/", views.open_notification, name="notification_open"),
    path("notifications/<int:pk>/read/", views.mark_read, name="notification_mark_read"),
    path(
        "notifications/mentions/strategies/<int:pk>/",
        views_mentions.mention_suggestions,
        name="notification_mention_suggestions",
    ),
]
