from django.urls import path

from webforms.views import tilda_webhook

urlpatterns = [
    path("hooks/tilda/<str:secret>/", tilda_webhook, name="tilda_webhook"),
]
