from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cercles.core.uploads import allowed_extensions_label, validate_upload

from .models import MAX_BODY_CHARS
from .services import (
    MAX_ATTACHMENTS,
    MAX_TITLE_CHARS,
    default_session_dates,
    session_date_problems,
)

MESSAGE = _("Message")
BODY_HELP = _(
    "Markdown: **bold**, *italics*, [link](https://…), “> ” to quote. "
    "Type @ followed by a member's username to mention them."
)
TOO_LONG = _("A post holds at most %(limit_value)s characters; this one has %(show_value)s.")


def body_field(label=MESSAGE, rows=6, help_text=BODY_HELP, required=True):
    return forms.CharField(
        label=label,
        max_length=MAX_BODY_CHARS,
        required=required,
        strip=True,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": _("Write something before posting."),
            "max_length": TOO_LONG,
        },
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class AttachmentsField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Attach files"))
        kwargs.setdefault(
            "help_text",
            _("Up to %(count)s files. Accepted: %(kinds)s.")
            % {"count": MAX_ATTACHMENTS, "kinds": allowed_extensions_label()},
        )
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_ATTACHMENTS:
            raise ValidationError(
                _("At most %(count)s files per post.") % {"count": MAX_ATTACHMENTS}
            )
        errors = []
        for upload in files:
            try:
                validate_upload(upload)
            except ValidationError as error:
                errors.extend(f"{upload.name}: {message}" for message in error.messages)
        if errors:
            raise ValidationError(errors)
        return files


class ThreadForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=MAX_TITLE_CHARS)
    body = body_field(rows=10)
    attachments = AttachmentsField()


class CodevForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=MAX_TITLE_CHARS,
        help_text=_("The problem in a few words."),
    )
    context = body_field(
        _("Context"),
        rows=6,
        help_text=_("The situation, the people involved, what is at stake."),
    )
    question = body_field(
        _("My question to the group"),
        rows=3,
        help_text=_("What you would like your peers to help you with."),
    )
    tried = body_field(
        _("What I already tried"),
        rows=4,
        required=False,
        help_text=_("So that suggestions go further."),
    )
    suggestions_close_on = forms.DateField(
        label=_("Suggestions close on"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text=_("Peers post their suggestions until this day included."),
    )
    follow_up_on = forms.DateField(
        label=_("Follow-up on"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        help_text=_("The day you tell your peers what you did and what came of it."),
    )
    attachments = AttachmentsField()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        close, follow_up = default_session_dates()
        self.fields["suggestions_close_on"].initial = close
        self.fields["follow_up_on"].initial = follow_up

    def clean(self):
        data = super().clean()
        problems = session_date_problems(data.get("suggestions_close_on"), data.get("follow_up_on"))
        for field, field_messages in problems.items():
            self.add_error(field, field_messages)
        return data


class ReplyForm(forms.Form):
    body = body_field(_("Your reply"))
    quoted = forms.IntegerField(required=False, widget=forms.HiddenInput)
    attachments = AttachmentsField()


class EditPostForm(forms.Form):
    body = body_field(rows=10)


class FollowUpForm(forms.Form):
    body = body_field(
        _("What I did and what came of it"),
        rows=8,
        help_text=_("Posting it closes the session; your peers are told."),
    )
    attachments = AttachmentsField()


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give a reason.")},
    )
