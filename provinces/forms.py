"""The login form, and form fields every app uses."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator
from django.forms.models import ModelChoiceIterator

from .parsing import parse_id
from .thai import thai_sorted


class LoginForm(AuthenticationForm):
    """Django's login form with the user name's length really checked. Django sets the field's max_length
    after the field is built, so only the HTML attribute had it: a longer name reached authenticate() and the
    log of failed log-ins (django-axes keeps at most 255 characters), where PostgreSQL refused it and the
    page failed with a server error. Now it is a form error like any other."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))


class ModelIdsField(forms.ModelMultipleChoiceField):
    """Django's choice of several rows by id, each id read by provinces.parsing first: Django checks the ids by
    querying them, and an id past the column's range (10**30) failed the page with OverflowError."""

    def _check_values(self, value):
        if isinstance(value, (list, tuple)):
            for pk in value:
                text = str(pk) if isinstance(pk, int) else pk  # a form filled in code may pass ints
                if isinstance(text, str) and parse_id(text) is None:
                    raise forms.ValidationError(
                        self.error_messages["invalid_pk_value"], code="invalid_pk_value", params={"pk": pk}
                    )
        return super()._check_values(value)


class NameOrderIterator(ModelChoiceIterator):
    """A model field's choices in Thai dictionary order of their names (English order in English): SQL cannot
    sort Thai names so, and the lists (a cluster's provinces) are short. Still one query."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in thai_sorted(self.queryset):
            yield self.choice(obj)


class NameOrderedModelIdsField(ModelIdsField):
    iterator = NameOrderIterator
