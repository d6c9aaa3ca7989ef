"""The public submission form: anyone may send a practice in; it waits for the editors."""

from django.shortcuts import redirect
from django.views.generic import FormView, TemplateView

from practices.forms import PracticeSubmissionForm
from practices.limits import (
    limited,
    submission_limit_message,
    submission_slot_release,
    submission_slot_take,
)
from practices.services import practice_submit


class PracticeSubmitView(FormView):
    """ "Zgłoś dobrą praktykę": anyone may send a practice in; it waits for the editors.

    Only accepted submissions count against the address's hourly limit; over it,
    the form comes back with what was typed (practices.limits).
    """

    template_name = "practices/practice_submit.html"
    form_class = PracticeSubmissionForm

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        retry_after = submission_slot_take(request)
        if retry_after is not None:
            form.is_valid()  # its own errors too, so one round trip shows everything
            form.add_error(None, submission_limit_message(retry_after))
            return limited(self.form_invalid(form), retry_after)
        accepted = False
        try:
            if not form.is_valid():
                return self.form_invalid(form)
            response = self.form_valid(form)
            accepted = True
            return response
        finally:
            if not accepted:
                submission_slot_release(request)

    def form_valid(self, form):
        if form.is_bot:
            # Look successful to the bot; store nothing (the slot counts all the same).
            return redirect("practices:practice-submit-thanks")
        data = form.cleaned_data
        practice_submit(
            title=data["title"],
            practice_type=data["practice_type"],
            topics=data["topics"],
            summary=data["summary"],
            description=data["description"],
            started_year=data["started_year"],
            ended_year=data["ended_year"],
            total_value=data["total_value"],
            currency=data["currency"],
            organisation_name=data["organisation_name"],
            organisation_kind=data["organisation_kind"],
            organisation_country=data["organisation_country"],
            organisation_locality=data["organisation_locality"],
            contact_name=data["contact_name"],
            contact_email=data["contact_email"],
            contact_phone=data["contact_phone"],
            attachment=data.get("attachment"),
            attachment_type=getattr(form, "attachment_type", ""),
        )
        return redirect("practices:practice-submit-thanks")


class PracticeSubmitThanksView(TemplateView):
    template_name = "practices/practice_submit_thanks.html"
