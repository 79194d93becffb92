"""Forms of surveys: the survey's settings and audience, a question, and a retailer's answers
(built from the survey's questions; the rules themselves are checked by services.answer_clean)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from extranet.models import DeliveryRoute, Retailer
from extranet.rules import LOWEST_GRADE
from extranet.surveys.models import Question, Survey
from extranet.surveys.services import LONG_TEXT_MAX, SHORT_TEXT_MAX, plain_number
from portal.figures import number_text

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class SurveyForm(forms.Form):
    title = forms.CharField(label=pgettext_lazy("survey", "Title"), max_length=200)
    introduction = forms.CharField(
        label=_("Introduction"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    opens_at = forms.DateTimeField(label=_("Opens at"), widget=DATETIME)
    closes_at = forms.DateTimeField(label=_("Closes at"), widget=DATETIME)
    audience = forms.ChoiceField(
        label=pgettext_lazy("survey", "Audience"),
        choices=Survey.Audience.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Chosen criteria combine: a retailer is addressed when it matches every part you "
            "fill in, for example grades 1 to 3 in one region."
        ),
    )
    grades = forms.TypedMultipleChoiceField(
        label=pgettext_lazy("survey", "Grades"),
        required=False,
        coerce=int,
        choices=[(grade, grade) for grade in range(1, LOWEST_GRADE + 1)],
        widget=forms.CheckboxSelectMultiple,
    )
    regions = forms.MultipleChoiceField(
        label=_("Regions"), required=False, widget=forms.CheckboxSelectMultiple
    )
    routes = forms.ModelMultipleChoiceField(
        label=pgettext_lazy("survey", "Delivery routes"),
        required=False,
        queryset=DeliveryRoute.objects.all(),
        widget=forms.CheckboxSelectMultiple,
    )
    licences = forms.CharField(
        label=pgettext_lazy("survey", "Retailers"),
        required=False,
        help_text=_("Licence numbers, one per line or separated by commas."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        regions = (
            Retailer.objects.exclude(region="")
            .order_by("region")
            .values_list("region", flat=True)
            .distinct()
        )
        self.fields["regions"].choices = [(region, region) for region in regions]

    def clean_licences(self):
        numbers = [
            item.strip()
            for item in self.cleaned_data["licences"].replace(",", "\n").splitlines()
            if item.strip()
        ]
        retailers = list(Retailer.objects.filter(licence_number__in=numbers))
        unknown = sorted(set(numbers) - {retailer.licence_number for retailer in retailers})
        if unknown:
            raise forms.ValidationError(
                _("Unknown licence numbers: %(numbers)s") % {"numbers": ", ".join(unknown[:20])}
            )
        return retailers

    def clean(self):
        data = super().clean()
        opens, closes = data.get("opens_at"), data.get("closes_at")
        if opens and closes and closes <= opens:
            self.add_error("closes_at", _("The survey must close after it opens."))
        criteria = ("grades", "regions", "routes", "licences")
        if (
            data.get("audience") == Survey.Audience.SELECTED
            and not any(name in self.errors for name in criteria)
            and not any(data.get(name) for name in criteria)
        ):
            self.add_error("audience", _("Choose at least one criterion of the audience."))
        return data

    @classmethod
    def initial_of(cls, survey):
        targets = list(survey.targets.select_related("retailer"))
        return {
            "title": survey.title,
            "introduction": survey.introduction,
            "opens_at": survey.opens_at,
            "closes_at": survey.closes_at,
            "audience": survey.audience,
            "grades": [t.grade for t in targets if t.grade is not None],
            "regions": [t.region for t in targets if t.region],
            "routes": [t.route_id for t in targets if t.route_id],
            "licences": "\n".join(t.retailer.licence_number for t in targets if t.retailer_id),
        }

    def service_arguments(self):
        data = self.cleaned_data
        return {
            "title": data["title"],
            "introduction": data["introduction"],
            "opens_at": data["opens_at"],
            "closes_at": data["closes_at"],
            "audience": data["audience"],
            "grades": data["grades"],
            "regions": data["regions"],
            "routes": list(data["routes"]),
            "retailers": data["licences"],
        }


class QuestionForm(forms.Form):
    text = forms.CharField(label=pgettext_lazy("survey", "Question"), max_length=300)
    kind = forms.ChoiceField(label=pgettext_lazy("survey", "Kind"), choices=Question.Kind.choices)
    help_text = forms.CharField(label=_("Help text"), max_length=300, required=False)
    required = forms.BooleanField(label=_("An answer is required"), required=False, initial=True)
    choices = forms.CharField(
        label=_("Choices"),
        required=False,
        help_text=_("For choice questions: one choice per line."),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    max_choices = forms.IntegerField(
        label=_("At most this many choices"),
        required=False,
        min_value=1,
        help_text=_("For multiple choice; empty for no limit."),
    )
    min_value = forms.DecimalField(
        label=_("Smallest number"), required=False, max_digits=12, decimal_places=2
    )
    max_value = forms.DecimalField(
        label=_("Largest number"), required=False, max_digits=12, decimal_places=2
    )

    def clean_choices(self):
        return [line.strip() for line in self.cleaned_data["choices"].splitlines() if line.strip()]

    @classmethod
    def initial_of(cls, question):
        return {
            "text": question.text,
            "kind": question.kind,
            "help_text": question.help_text,
            "required": question.required,
            "choices": "\n".join(choice.label for choice in question.choices.all()),
            "max_choices": question.max_choices,
            # 0 and 200, not 0.00 and 200.00.
            "min_value": None if question.min_value is None else plain_number(question.min_value),
            "max_value": None if question.max_value is None else plain_number(question.max_value),
        }


def answer_field(question):
    """The form field of one question. Every field is optional here (a draft may leave
    questions out); the question's rules, required included, are the service's."""
    label, help_text = question.text, question.help_text
    if question.kind == Question.Kind.SINGLE:
        return forms.ChoiceField(
            label=label,
            help_text=help_text,
            required=False,
            choices=[(choice.pk, choice.label) for choice in question.choices.all()],
            widget=forms.RadioSelect,
        )
    if question.kind == Question.Kind.MULTIPLE:
        if question.max_choices:
            extra = _("Choose at most %(count)d.") % {"count": question.max_choices}
            help_text = f"{help_text} {extra}".strip()
        return forms.MultipleChoiceField(
            label=label,
            help_text=help_text,
            required=False,
            choices=[(choice.pk, choice.label) for choice in question.choices.all()],
            widget=forms.CheckboxSelectMultiple,
        )
    if question.kind == Question.Kind.RATING:
        return forms.ChoiceField(
            label=label,
            help_text=help_text,
            required=False,
            choices=[(value, value) for value in range(1, 6)],
            widget=forms.RadioSelect(attrs={"class": "rating"}),
        )
    if question.kind == Question.Kind.NUMBER:
        attrs = {"inputmode": "decimal"}
        low, high = question.min_value, question.max_value
        if low is not None:
            attrs["min"] = plain_number(low)
        if high is not None:
            attrs["max"] = plain_number(high)
        bounds = ""
        if low is not None and high is not None:
            bounds = _("From %(low)s to %(high)s.") % {
                "low": number_text(low),
                "high": number_text(high),
            }
        elif low is not None:
            bounds = _("At least %(low)s.") % {"low": number_text(low)}
        elif high is not None:
            bounds = _("At most %(high)s.") % {"high": number_text(high)}
        help_text = f"{help_text} {bounds}".strip()
        return forms.CharField(
            label=label,
            help_text=help_text,
            required=False,
            max_length=20,
            widget=forms.TextInput(attrs=attrs),
        )
    if question.kind == Question.Kind.SHORT_TEXT:
        return forms.CharField(
            label=label, help_text=help_text, required=False, max_length=SHORT_TEXT_MAX
        )
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        max_length=LONG_TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class AnswersForm(forms.Form):
    """A retailer's answers: one field `q<id>` per question, in the survey's order."""

    def __init__(self, questions, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        for question in questions:
            field = answer_field(question)
            field.required_mark = question.required
            self.fields[f"q{question.pk}"] = field

    def values(self):
        """The typed values by question id (raw; the service cleans them)."""
        data = self.cleaned_data
        return {question.pk: data.get(f"q{question.pk}") for question in self.questions}

    def add_answer_errors(self, errors):
        for question_id, message in errors.items():
            self.add_error(f"q{question_id}", message)

    @staticmethod
    def initial_of(response, questions):
        if response is None:
            return {}
        kinds = {question.pk: question.kind for question in questions}
        initial = {}
        for answer in response.answers.all():
            key = f"q{answer.question_id}"
            chosen = [choice.pk for choice in answer.choices.all()]
            if kinds.get(answer.question_id) == Question.Kind.MULTIPLE:
                initial[key] = chosen
            elif chosen:
                initial[key] = chosen[0]
            elif answer.number is not None:
                initial[key] = plain_number(answer.number)
            else:
                initial[key] = answer.text
        return initial
