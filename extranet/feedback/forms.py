"""Forms of feedback and complaints: the retailer's and the sales desk's."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from PIL import Image

from extranet.crm.forms import account_manager_field
from extranet.feedback.models import Feedback
from portal.files import validate_upload

PHOTO_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".gif"}
# What the bytes of a photo must be (Pillow's format names), whatever its name says.
PHOTO_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
MAX_PHOTOS = 5


def verify_photo(upload) -> None:
    """The file is an image of an accepted format by its content, not only by its name: a text
    or HTML file named `.png` is refused."""
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        image_format = None
    finally:
        upload.seek(0)
    if image_format not in PHOTO_FORMATS:
        raise forms.ValidationError(
            _("%(name)s is not a JPEG, PNG, WebP or GIF image.") % {"name": upload.name},
            code="not_an_image",
        )


class MultiplePhotoInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultiplePhotoField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultiplePhotoInput(attrs={"accept": "image/*"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        if len(files) > MAX_PHOTOS:
            raise forms.ValidationError(
                _("Attach at most %(count)d photos.") % {"count": MAX_PHOTOS}
            )
        cleaned = [super(MultiplePhotoField, self).clean(f, initial) for f in files]
        for upload in cleaned:
            validate_upload(upload, allowed_suffixes=PHOTO_SUFFIXES)
            verify_photo(upload)
        return cleaned


class FeedbackForm(forms.Form):
    kind = forms.ChoiceField(label=pgettext_lazy("feedback", "Kind"), choices=[])
    text = forms.CharField(
        label=_("Your message"), max_length=4000, widget=forms.Textarea(attrs={"rows": 6})
    )
    photos = MultiplePhotoField(
        label=pgettext_lazy("feedback", "Photos (optional)"),
        required=False,
        help_text=_("Up to 5 images (JPEG, PNG, WebP or GIF)."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = Feedback.Kind.choices

    def clean_text(self):
        text = self.cleaned_data["text"].strip()
        if not text:
            raise forms.ValidationError(_("Please write your message."))
        return text


class FeedbackRatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How well was your feedback handled?"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
    )


class FeedbackFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=pgettext_lazy("feedback", "Status"), required=False, choices=[]
    )
    kind = forms.ChoiceField(label=pgettext_lazy("feedback", "Kind"), required=False, choices=[])
    overdue = forms.BooleanField(label=_("Overdue call-backs only"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            ("", pgettext_lazy("feedback", "All")),
            *Feedback.Status.choices,
        ]
        self.fields["kind"].choices = [
            ("", pgettext_lazy("feedback", "All")),
            *Feedback.Kind.choices,
        ]


class CallbackForm(forms.Form):
    called_at = forms.DateTimeField(
        label=_("Called back at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
    )
    method = forms.ChoiceField(label=pgettext_lazy("feedback", "By"), choices=[])
    summary = forms.CharField(
        label=_("What was said"), max_length=4000, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["method"].choices = Feedback.Method.choices


class ResolutionForm(forms.Form):
    resolution = forms.CharField(
        label=pgettext_lazy("feedback", "Resolution"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("Internal note"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Never shown to the retailer."),
    )


class ReassignForm(forms.Form):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A picker, not a select of every account manager.
        self.fields["employee"] = account_manager_field(label=_("Assign to"))


class EffectiveForm(forms.Form):
    effective = forms.BooleanField(
        label=pgettext_lazy("feedback", "Effective complaint"), required=False
    )


class EffectiveFilterForm(forms.Form):
    start = forms.DateField(
        label=pgettext_lazy("date filter", "From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    end = forms.DateField(
        label=pgettext_lazy("date filter", "To"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
