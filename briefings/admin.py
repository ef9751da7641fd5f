from django import forms
from django.contrib import admin
from django.core.files.uploadedfile import UploadedFile
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from provinces.admin_dates import BEDatesAdmin

from .logos import MAX_LOGO_BYTES, LogoRefused, check_logo
from .models import Briefing, BriefingLogo


@admin.register(Briefing)
class BriefingAdmin(BEDatesAdmin):
    """Jobs are made by the request form and the workers; administrators watch them and may delete them.
    The file is linked through the download view (access-checked), never through a media URL."""

    list_display = ["pk", "kind", "subject", "fiscal_year", "language", "status", "requested_by", "queued_at",
                    "render_seconds", "pages"]  # fmt: skip
    list_filter = ["status", "kind", "language", "fiscal_year", "includes_unapproved"]
    search_fields = ["subject", "requested_by__username"]
    # No date_hierarchy: its drill-down links show Gregorian years; the fiscal-year filter does that job.
    exclude = ["file"]
    readonly_fields = [f.name for f in Briefing._meta.fields if f.name != "file"] + ["download"]

    def has_add_permission(self, request):
        return False

    @admin.display(description=_("file"))
    def download(self, obj: Briefing):
        if not obj.is_done:
            return "–"
        return format_html(
            '<a href="{}">{}</a>', reverse("briefing_download", args=[obj.pk]), obj.download_name
        )


class BriefingLogoForm(forms.ModelForm):
    class Meta:
        model = BriefingLogo
        fields = ["name", "image", "active"]

    def clean_image(self):
        image = self.cleaned_data.get("image")
        if isinstance(image, UploadedFile):  # a new upload (an unchanged one was checked when it came)
            image.seek(0)
            content = image.read(MAX_LOGO_BYTES + 1)
            image.seek(0)
            try:
                check_logo(content)
            except LogoRefused as exc:
                raise forms.ValidationError(exc.message) from None
        return image


@admin.register(BriefingLogo)
class BriefingLogoAdmin(BEDatesAdmin):
    """The cover logo: uploaded by an administrator, checked to be a small real PNG or JPEG."""

    form = BriefingLogoForm
    list_display = ["name", "active", "uploaded_at"]
