"""The public submission form: anyone may send a practice in; it waits for the editors."""

from django.conf import settings
from django.shortcuts import redirect, render
from django.views.generic import FormView, TemplateView

from core.ratelimit import client_address, rate_limit_hit
from practices.forms import PracticeSubmissionForm
from practices.services import practice_submit


class PracticeSubmitView(FormView):
    """ "Zgłoś dobrą praktykę": anyone may send a practice in; it waits for the editors."""

    template_name = "practices/practice_submit.html"
    form_class = PracticeSubmissionForm

    def post(self, request, *args, **kwargs):
        allowed, retry_after = rate_limit_hit(
            "submit",
            client_address(request),
            limit=settings.SUBMISSIONS_PER_HOUR,
            window_seconds=3600,
        )
        if not allowed:
            response = render(
                request,
                "practices/practice_submit_limited.html",
                {"minutes": max(1, retry_after // 60)},
                status=429,
            )
            response["Retry-After"] = str(retry_after)
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form):
        if form.is_bot:
            # Look successful to the bot; store nothing.
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
