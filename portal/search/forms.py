from django import forms
from django.utils.translation import gettext_lazy as _

# Long enough for any real question, short enough that a pasted document is refused.
MAX_QUERY_LENGTH = 200


class SearchForm(forms.Form):
    """The query of the search page. An unknown kind or page number is not an error: the
    search shows all kinds, or the nearest page."""

    q = forms.CharField(
        label=_("Search for"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": _(
                "Your search is too long (%(show_value)d characters). Use at most "
                "%(limit_value)d characters: a few words find more than a whole sentence."
            )
        },
    )
    kind = forms.CharField(required=False, max_length=50)
    page = forms.CharField(required=False, max_length=20)

    def clean_q(self):
        # Runs of spaces (also full-width ones from Chinese input methods) are one separator.
        return " ".join(self.cleaned_data["q"].split())
