"""The login form."""

from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


class LoginForm(AuthenticationForm):
    """Django's login form with the user name's length really checked. Django sets the field's max_length
    after the field is built, so only the HTML attribute had it: a longer name reached authenticate() and the
    log of failed log-ins (django-axes keeps at most 255 characters), where PostgreSQL refused it and the
    page failed with a server error. Now it is a form error like any other."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        field.validators.append(MaxLengthValidator(field.max_length))
