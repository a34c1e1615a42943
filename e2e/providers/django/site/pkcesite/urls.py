"""URLs of the pkcecheck test site: DOT under /o/ (its discovery document at
/o/.well-known/openid-configuration, so the issuer is http://HOST/o) and the
admin, whose login page DOT sends users to."""
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
]
