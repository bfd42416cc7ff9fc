from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from cercles.communities.forms_catalogue import ThemeChoiceField
from cercles.communities.models import ProductionKind
from cercles.core.uploads import allowed_extensions_label, validate_upload
from cercles.taxonomy.models import Territory, Theme

from .models import ItemKind, Production, ProductionStatus, Sharing, web_address_validator
from .services import parse_tags


def upload_help():
    return _("Accepted: %(kinds)s; up to %(limit)s.") % {
        "kinds": allowed_extensions_label(),
        "limit": filesizeformat(settings.UPLOAD_MAX_BYTES),
    }


class WebAddressField(forms.URLField):
    default_validators = [web_address_validator]

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


class UploadField(forms.FileField):
    """A file checked by its content and size (cercles.core.uploads)."""

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if upload and upload is not initial and hasattr(upload, "size"):
            validate_upload(upload)
        return upload


class TagsMixin:
    def clean_tags(self):
        return parse_tags(self.cleaned_data.get("tags", ""))


def tags_field():
    return forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=400,
        help_text=_("Separated by commas, for example: guide, water committees."),
    )


def legacy_field():
    return forms.BooleanField(
        label=_("Keep in the legacy"),
        required=False,
        help_text=_("Kept in the network's library when the community closes."),
    )


def sharing_field():
    return forms.ChoiceField(
        label=_("Who may read it"),
        choices=Sharing.choices,
        initial=Sharing.COMMUNITY,
        required=False,
        widget=forms.RadioSelect,
        help_text=_(
            "The community is private: by default only its members read this. Share it with the "
            "network or the public to let the organisation benefit from it; nothing else of the "
            "community becomes visible, and discussions always stay private."
        ),
    )


class SharingMixin:
    """The audience field, offered only in a private community (`sharing=True`)."""

    def _setup_sharing(self, sharing):
        if sharing:
            self.fields["shared_with"] = sharing_field()
        else:
            self.fields.pop("shared_with", None)


def initial_tags(item):
    return ", ".join(tag.name for tag in item.tags.all()) if item else ""


class NoteForm(SharingMixin, TagsMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("Markdown: **bold**, *italics*, lists with -, links as [text](https://…)."),
        max_length=100_000,
    )
    comment = forms.CharField(
        label=_("What changed"),
        required=False,
        max_length=200,
        help_text=_("A few words kept in the history (optional)."),
    )
    tags = tags_field()
    keep_in_legacy = legacy_field()

    def __init__(self, *args, creating=False, sharing=False, **kwargs):
        super().__init__(*args, **kwargs)
        if creating:
            del self.fields["comment"]
        self._setup_sharing(sharing)


class FileForm(SharingMixin, TagsMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    file = UploadField(label=_("File"))
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    tags = tags_field()
    keep_in_legacy = legacy_field()

    def __init__(self, *args, replacing=False, sharing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = upload_help()
        self._setup_sharing(sharing)
        if replacing:
            self.fields["file"].required = False
            self.fields["file"].label = _("Replace the file")


class LinkForm(SharingMixin, TagsMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    url = WebAddressField(label=_("Address"), max_length=500)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    tags = tags_field()
    keep_in_legacy = legacy_field()

    def __init__(self, *args, sharing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self._setup_sharing(sharing)


class LibraryFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Everything")), *ItemKind.choices]
    )
    tag = forms.ChoiceField(label=_("Tag"), required=False)

    def __init__(self, *args, tags=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tag"].choices = [("", _("All tags"))] + [(t.slug, t.name) for t in tags]

    def filters(self):
        """The valid filters; an invalid one is shown with its error and ignored."""
        self.is_valid()
        return {key: value for key, value in self.cleaned_data.items() if value}


class ShareForm(forms.Form):
    """Only the audience, from the detail page of an item or a production."""

    shared_with = sharing_field()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shared_with"].required = True


class ProductionForm(SharingMixin, forms.ModelForm):
    file = UploadField(label=_("File"), required=False)
    url = WebAddressField(label=_("Link"), required=False, max_length=500)
    remove_file = forms.BooleanField(label=_("Remove the current file"), required=False)

    class Meta:
        model = Production
        fields = ["title", "kind", "audience", "audience_detail", "status", "due_date",
                  "summary", "url"]  # fmt: skip
        widgets = {
            "due_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "summary": forms.Textarea(attrs={"rows": 8}),
        }
        help_texts = {"summary": _("Markdown. What it is, for whom, what it brings.")}

    def __init__(self, *args, sharing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = upload_help()
        if not (self.instance.pk and self.instance.file):
            del self.fields["remove_file"]
        self._setup_sharing(sharing)
        if sharing and self.instance.pk:
            self.fields["shared_with"].initial = self.instance.shared_with

    def service_fields(self):
        fields = {name: self.cleaned_data[name] for name in self._meta.fields}
        if "shared_with" in self.fields:
            fields["shared_with"] = self.cleaned_data["shared_with"]
        return fields


class NetworkLibraryFilterForm(forms.Form):
    theme = ThemeChoiceField(
        label=_("Theme"),
        queryset=Theme.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("All themes"),
    )
    territory = forms.ModelChoiceField(
        label=_("Territory"),
        queryset=Territory.objects.all(),
        required=False,
        to_field_name="slug",
        empty_label=_("All territories"),
    )
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *ProductionKind.choices]
    )

    filters = LibraryFilterForm.filters


class LegacyFilterForm(forms.Form):
    theme = NetworkLibraryFilterForm.base_fields["theme"]
    territory = NetworkLibraryFilterForm.base_fields["territory"]

    filters = LibraryFilterForm.filters


class ProductionFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status")), *ProductionStatus.choices],
    )

    filters = LibraryFilterForm.filters
