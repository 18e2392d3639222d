from django.contrib.auth.decorators import login_required

from zhunru.intake.queries import application_for

from .exports import application_form_response


@login_required
def application_docx(request, pk):
    """R-DOC-1: the filled official form, as the seed's table."""
    return application_form_response(application_for(request.user, pk))
