"""Online entry during the call for entries, for an applicant without an account:
start (name and e-mail; the private link is e-mailed and opened at once), the entry
form (save and come back, or send), and "send me my link again".

The form's address carries the private key: the pages say `noindex`, are never
cached, and send no referrer to other sites.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from competitions.forms import ApplicationForm, ApplicationResendForm, ApplicationStartForm
from competitions.models import Application, Edition
from competitions.selectors import edition_by_path
from competitions.services.applications import (
    MAX_APPLICATION_ATTACHMENTS,
    ApplicationRefused,
    Upload,
    application_resend_links,
    application_save,
    application_start,
    application_submit,
    call_refusal,
    token_hash,
)
from practices.limits import (
    limited,
    submission_limit_message,
    submission_slot_release,
    submission_slot_take,
)


@method_decorator(never_cache, name="dispatch")
class ApplicationMixin(View):
    def dispatch(self, request, *args, **kwargs):
        self.edition: Edition = get_object_or_404(
            edition_by_path(competition_slug=kwargs["competition_slug"], year=kwargs["year"])
        )
        return super().dispatch(request, *args, **kwargs)

    def edition_url(self, name: str, **kwargs) -> str:
        return reverse(
            f"competitions:{name}",
            kwargs={
                "competition_slug": self.edition.competition.slug,
                "year": self.edition.year,
                **kwargs,
            },
        )

    def context(self, **extra) -> dict:
        return {"edition": self.edition, "closed": call_refusal(self.edition), **extra}


class ApplicationStartView(ApplicationMixin):
    """ "Zgłoś się do konkursu": what the call asks for, and the start form."""

    template_name = "competitions/apply/start.html"

    def render(self, form, status=200):
        context = self.context(
            form=form,
            resend_form=ApplicationResendForm(),
            categories=self.edition.categories.order_by("order", "id"),
            questions=self.edition.questions.all(),
            max_attachments=MAX_APPLICATION_ATTACHMENTS,
        )
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        return self.render(ApplicationStartForm())

    def post(self, request, *args, **kwargs):
        form = ApplicationStartForm(request.POST)
        retry_after = submission_slot_take(request)
        if retry_after is not None:
            form.is_valid()
            form.add_error(None, submission_limit_message(retry_after))
            return limited(self.render(form), retry_after)
        if not form.is_valid():
            submission_slot_release(request)
            return self.render(form, status=400)
        if form.is_bot:
            # Look successful to the bot; store nothing (the slot counts all the same).
            return redirect(self.edition_url("application-sent-link"))
        try:
            _application, token = application_start(
                edition=self.edition,
                contact_name=form.cleaned_data["contact_name"],
                email=form.cleaned_data["email"],
            )
        except ApplicationRefused as refusal:
            submission_slot_release(request)
            form.add_error(None, str(refusal))
            return self.render(form, status=403)
        messages.success(
            request,
            _(
                "Formularz jest gotowy. Link do niego wysłaliśmy też na %(email)s: "
                "dzięki niemu wrócisz do zapisanego zgłoszenia."
            )
            % {"email": form.cleaned_data["email"]},
        )
        return redirect(self.edition_url("application-form", token=token))


class ApplicationResendView(ApplicationMixin):
    """ "Nie masz linku?": new private links to the address's unsent applications."""

    template_name = "competitions/apply/resend.html"

    def get(self, request, *args, **kwargs):
        context = self.context(form=ApplicationResendForm())
        return TemplateResponse(request, self.template_name, context)

    def post(self, request, *args, **kwargs):
        form = ApplicationResendForm(request.POST)
        retry_after = submission_slot_take(request)
        if retry_after is not None:
            form.is_valid()
            form.add_error(None, submission_limit_message(retry_after))
            response = TemplateResponse(request, self.template_name, self.context(form=form))
            return limited(response, retry_after)
        if not form.is_valid():
            submission_slot_release(request)
            context = self.context(form=form)
            return TemplateResponse(request, self.template_name, context, status=400)
        if not form.data.get("website"):
            application_resend_links(edition=self.edition, email=form.cleaned_data["email"])
        # The same answer whether or not the address has an application.
        return redirect(self.edition_url("application-sent-link"))


class ApplicationLinkSentView(ApplicationMixin):
    template_name = "competitions/apply/link_sent.html"

    def get(self, request, *args, **kwargs):
        return TemplateResponse(request, self.template_name, self.context())


class ApplicationFormView(ApplicationMixin):
    """The entry form behind the private link: save and come back, or send."""

    template_name = "competitions/apply/form.html"

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        # Never to another site. ("no-referrer" would also make Chromium send
        # "Origin: null" with the form, which CSRF protection rightly refuses.)
        response["Referrer-Policy"] = "same-origin"
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    def application(self) -> Application:
        application = (
            Application.objects.filter(
                edition=self.edition, token_hash=token_hash(self.kwargs["token"])
            )
            .select_related("entry__category", "entry__practice")
            .first()
        )
        if application is None:
            raise Http404(_("Ten link do zgłoszenia nie działa. Poproś o nowy."))
        return application

    def form(self, application: Application, data=None, files=None, submitting=False):
        return ApplicationForm(
            data,
            files,
            edition=self.edition,
            questions=self.edition.questions.all(),
            attachments=application.attachments.all(),
            submitting=submitting,
            initial=ApplicationForm.initial_from(application.data),
        )

    def render(self, application, form=None, status=200):
        context = self.context(
            application=application,
            form=form,
            attachments=list(application.attachments.all()),
            max_attachments=MAX_APPLICATION_ATTACHMENTS,
            answers=application.entry.answers.select_related("question")
            if application.entry
            else (),
        )
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        application = self.application()
        if application.submitted_at:
            return self.render(application)
        return self.render(application, self.form(application, submitting=True))

    def post(self, request, *args, **kwargs):
        application = self.application()
        if application.submitted_at:
            return self.already_sent(application)
        submitting = "submit" in request.POST
        form = self.form(application, request.POST, request.FILES, submitting=submitting)
        valid = form.is_valid() if submitting else form.is_valid_draft()
        if form.is_bot:
            return redirect(request.path)
        if not valid:
            return self.render(application, form, status=400)
        upload = form.cleaned_data.get("new_attachment")
        uploads = [Upload(upload, form.attachment_type)] if upload else []
        remove = form.cleaned_data.get("remove_attachments") or []
        if submitting:
            service = application_submit
            done = _("Zgłoszenie wysłane. Potwierdzenie wysłaliśmy na %(email)s.") % {
                "email": application.email
            }
        else:
            service = application_save
            done = _(
                "Zapisano. Wrócisz tu przez link z e-maila; zgłoszenie trzeba jeszcze "
                "wysłać przed końcem naboru."
            )
        try:
            service(
                application=application,
                data=form.stored_data(),
                uploads=uploads,
                remove_attachments=remove,
            )
        except ApplicationRefused as refusal:
            application.refresh_from_db()
            if refusal.reason == "submitted":  # a second click, or another tab
                return self.already_sent(application)
            form.add_error(None, str(refusal))
            return self.render(application, form, status=403)
        messages.success(request, done)
        return redirect(request.path)

    def already_sent(self, application: Application):
        messages.info(
            self.request,
            _("To zgłoszenie zostało już wysłane; drugi raz nie trzeba. Poniżej to, co wysłano."),
        )
        return redirect(self.request.path)
