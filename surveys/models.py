"""Surveys (Bedarfs- und Bestandsanalyse): questionnaire, recipients, responses, answers.

The questionnaire is Survey → SurveyPage → Question → Option. Answers point at questions and
options by their rows (stable identities): relabelling or translating a question or an option
changes its text columns only, never what was collected. `code` of a question and of an
option is the stable, human-readable identity used by exports (SPSS variable and value
names) and by the LimeSurvey import; it cannot change once answers exist.

Texts are written in the survey's language (`Survey.language`, German by default);
`translations` holds the other languages as {"en": {"text": "...", "help_text": "..."}}.

Two modes:
- invitation: each Recipient gets an unguessable token, stored only as its SHA-256 hash;
- open: signed-in residents answer once, or anonymously where `allow_anonymous` is set.

States of an answer set: invited (a Recipient without a Response), opened (a Response with no
page saved yet), partial (at least one page saved), complete (submitted). A Response copies
the recipient's group and municipality, so an anonymous survey can cut the link to the
recipient on completion while the counts per group stay exact.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class TranslatedTextMixin(models.Model):
    """Texts in further languages beside the survey's own: {"en": {"text": "..."}}."""

    translations = models.JSONField(_("translations"), default=dict, blank=True)

    class Meta:
        abstract = True

    def translated(self, field: str, language: str | None = None) -> str:
        """`field` in `language` (the active one by default), falling back to the original."""
        language = (language or get_language() or "").split("-")[0]
        value = (self.translations or {}).get(language, {}).get(field)
        return value or getattr(self, field)


class SurveyMode(models.TextChoices):
    INVITATION = "invitation", _("By invitation")
    OPEN = "open", _("Open to residents")


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    CLOSED = "closed", _("Closed")


class RetentionAction(models.TextChoices):
    ANONYMISE = "anonymise", _("Anonymise responses")
    DELETE = "delete", _("Delete responses")


class SurveyQuerySet(models.QuerySet):
    def listed(self) -> SurveyQuerySet:
        """Surveys shown on the public list: open ones and those with published results."""
        return self.exclude(status=SurveyStatus.DRAFT)


class Survey(TranslatedTextMixin):
    """A questionnaire with its recipients, e.g. the Bedarfsanalyse of a consultation."""

    consultation = models.ForeignKey(
        "foundation.Consultation",
        verbose_name=_("consultation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="surveys",
    )
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    intro = models.TextField(_("introduction"), blank=True)
    closing_text = models.TextField(
        _("text after submission"), blank=True, help_text=_("Shown after the last page")
    )
    language = models.CharField(
        _("language of the texts"), max_length=10, choices=settings.LANGUAGES, default="de"
    )
    mode = models.CharField(
        _("mode"), max_length=20, choices=SurveyMode.choices, default=SurveyMode.INVITATION
    )
    allow_anonymous = models.BooleanField(
        _("answers without an account"),
        default=False,
        help_text=_("Open surveys only: visitors may answer without signing in"),
    )
    anonymous = models.BooleanField(
        _("anonymous responses"),
        default=False,
        help_text=_(
            "On completion the link between the answers and the recipient or account is "
            "removed; the counts per recipient group stay exact"
        ),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    opens_at = models.DateTimeField(_("answers accepted from"), null=True, blank=True)
    closes_at = models.DateTimeField(_("answers accepted until"), null=True, blank=True)
    reminder_days = models.CharField(
        _("reminders (days after the invitation)"),
        max_length=100,
        blank=True,
        help_text=_("Comma-separated, e.g. “7, 14”; only recipients not yet complete get one"),
    )
    reminder_cap = models.PositiveSmallIntegerField(_("reminders per recipient at most"), default=2)
    results_published_at = models.DateTimeField(
        _("results published"), null=True, blank=True, editable=False
    )
    retention_days = models.PositiveIntegerField(
        _("keep responses for (days after closing)"),
        null=True,
        blank=True,
        help_text=_("Empty keeps them until the survey is deleted"),
    )
    retention_action = models.CharField(
        _("after the retention period"),
        max_length=20,
        choices=RetentionAction.choices,
        default=RetentionAction.ANONYMISE,
    )
    retention_done_at = models.DateTimeField(
        _("retention applied"), null=True, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed"), auto_now=True)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("survey")
        verbose_name_plural = _("surveys")
        constraints = [
            models.CheckConstraint(
                condition=Q(closes_at__isnull=True)
                | Q(opens_at__isnull=True)
                | Q(closes_at__gt=models.F("opens_at")),
                name="survey_closes_after_opening",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("surveys:detail", kwargs={"slug": self.slug})

    @property
    def is_invitation(self) -> bool:
        return self.mode == SurveyMode.INVITATION

    @property
    def results_published(self) -> bool:
        return self.results_published_at is not None

    def answering_refusal(self, moment=None) -> str | None:
        """Why answers are not accepted now, or None: the one rule for open/closed."""
        moment = moment or timezone.now()
        if self.status == SurveyStatus.DRAFT:
            return str(_("This survey has not started yet."))
        if self.status == SurveyStatus.CLOSED:
            return str(_("This survey is closed; answers are no longer accepted."))
        if self.opens_at and moment < self.opens_at:
            return str(_("This survey has not started yet."))
        if self.closes_at and moment >= self.closes_at:
            return str(_("This survey is closed; answers are no longer accepted."))
        return None

    def reminder_schedule(self) -> list[int]:
        """The reminder days as sorted unique positive integers (invalid parts ignored)."""
        days: set[int] = set()
        for part in self.reminder_days.replace(";", ",").split(","):
            part = part.strip()
            if part.isdigit() and int(part) > 0:
                days.add(int(part))
        return sorted(days)


class SurveyPage(TranslatedTextMixin):
    """A section of the questionnaire, answered and saved as one page."""

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="pages", verbose_name=_("survey")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    title = models.CharField(_("title"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)

    class Meta:
        ordering = ["survey", "position", "pk"]
        verbose_name = _("survey page")
        verbose_name_plural = _("survey pages")

    def __str__(self) -> str:
        return self.title


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("Single choice")
    MULTIPLE = "multiple", _("Multiple choice")
    DROPDOWN = "dropdown", _("Dropdown")
    MATRIX = "matrix", _("Matrix (rows × scale)")
    SHORT_TEXT = "short_text", _("Short text")
    LONG_TEXT = "long_text", _("Long text")
    NUMBER = "number", _("Number")
    DATE = "date", _("Date")
    RANKING = "ranking", _("Ranking")
    YES_NO = "yes_no", _("Yes/no")
    DISPLAY = "display", _("Text only (no answer)")


#: Kinds whose answers are options (rows of Option with role CHOICE).
CHOICE_KINDS = frozenset(
    {QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.DROPDOWN, QuestionKind.RANKING}
)
#: Kinds that take no answer at all.
NO_ANSWER_KINDS = frozenset({QuestionKind.DISPLAY})


class Question(TranslatedTextMixin):
    """One question; `code` is its stable name (SPSS variable, LimeSurvey question code)."""

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="questions", verbose_name=_("survey")
    )
    page = models.ForeignKey(
        SurveyPage, on_delete=models.CASCADE, related_name="questions", verbose_name=_("page")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    code = models.SlugField(
        _("code"),
        max_length=40,
        help_text=_("Stable short name used in exports, e.g. “Q1” or “angebote”"),
    )
    kind = models.CharField(_("type"), max_length=20, choices=QuestionKind.choices)
    text = models.TextField(_("question"))
    help_text = models.TextField(_("help text"), blank=True)
    required = models.BooleanField(_("answer required"), default=False)
    allow_other = models.BooleanField(
        _("“Other” with a text field"),
        default=False,
        help_text=_("Single and multiple choice only"),
    )
    min_value = models.DecimalField(
        _("smallest number"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    max_value = models.DecimalField(
        _("largest number"), max_digits=14, decimal_places=4, null=True, blank=True
    )
    integer_only = models.BooleanField(_("whole numbers only"), default=False)
    max_length = models.PositiveIntegerField(
        _("longest answer (characters)"), null=True, blank=True
    )
    handlungsfelder = models.ManyToManyField(
        "foundation.Handlungsfeld",
        verbose_name=_("Handlungsfelder"),
        blank=True,
        related_name="survey_questions",
    )

    class Meta:
        ordering = ["survey", "page__position", "position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.UniqueConstraint(fields=["survey", "code"], name="survey_question_code_unique"),
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(max_value__gte=models.F("min_value")),
                name="survey_question_range_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.text[:60]}"

    @property
    def takes_answer(self) -> bool:
        return self.kind not in NO_ANSWER_KINDS


class OptionRole(models.TextChoices):
    CHOICE = "choice", _("Answer option")
    ROW = "row", _("Matrix row")
    SCALE = "scale", _("Matrix scale point")


class Option(TranslatedTextMixin):
    """An answer option, a matrix row or a matrix scale point; `code` is its stable value."""

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="options", verbose_name=_("question")
    )
    role = models.CharField(
        _("role"), max_length=10, choices=OptionRole.choices, default=OptionRole.CHOICE
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    code = models.SlugField(_("code"), max_length=40, help_text=_("Stable value, e.g. “1” or “A”"))
    text = models.CharField(_("label"), max_length=500)

    class Meta:
        ordering = ["question", "role", "position", "pk"]
        verbose_name = _("option")
        verbose_name_plural = _("options")
        constraints = [
            models.UniqueConstraint(
                fields=["question", "role", "code"], name="survey_option_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.text


class ConditionOperator(models.TextChoices):
    ANY_OF = "any_of", _("is one of")
    NONE_OF = "none_of", _("is none of")
    ANSWERED = "answered", _("was answered")
    NOT_ANSWERED = "not_answered", _("was not answered")
    EQUALS = "equals", _("equals")
    GREATER = "greater", _("is greater than")
    LESS = "less", _("is less than")


class Condition(models.Model):
    """Show a page or a question only if an earlier answer matches (all conditions of a
    target must hold). `options` serve any_of/none_of (choice, dropdown, yes/no answers as
    option codes "Y"/"N"); `value` serves equals/greater/less (numbers, text)."""

    page = models.ForeignKey(
        SurveyPage,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="conditions",
        verbose_name=_("page shown if"),
    )
    question = models.ForeignKey(
        Question,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="conditions",
        verbose_name=_("question shown if"),
    )
    source = models.ForeignKey(
        Question,
        on_delete=models.CASCADE,
        related_name="dependent_conditions",
        verbose_name=_("earlier question"),
    )
    operator = models.CharField(_("operator"), max_length=20, choices=ConditionOperator.choices)
    options = models.ManyToManyField(Option, verbose_name=_("options"), blank=True)
    value = models.CharField(_("value"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("condition")
        verbose_name_plural = _("conditions")
        constraints = [
            models.CheckConstraint(
                condition=(Q(page__isnull=False) & Q(question__isnull=True))
                | (Q(page__isnull=True) & Q(question__isnull=False)),
                name="survey_condition_one_target",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source.code} {self.get_operator_display()} {self.value}".strip()


class RecipientGroup(models.Model):
    """A kind of recipient, e.g. "Beratungsstellen"; results are counted per group."""

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="groups", verbose_name=_("survey")
    )
    name = models.CharField(_("name"), max_length=200)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["survey", "position", "name"]
        verbose_name = _("recipient group")
        verbose_name_plural = _("recipient groups")
        constraints = [
            models.UniqueConstraint(fields=["survey", "name"], name="survey_group_name_unique"),
        ]

    def __str__(self) -> str:
        return self.name


class RecipientKind(models.TextChoices):
    ORGANISATION = "organisation", _("Organisation")
    PERSON = "person", _("Person")


class RecipientQuerySet(models.QuerySet):
    def for_token(self, token: str) -> RecipientQuerySet:
        """The recipient whose invitation or reminder mail carried `token` (at most one).

        Every mail carries a fresh token (the clear token exists only while the mail is
        rendered); `token_hash` holds the latest, RecipientMail the earlier ones, which stay
        valid so that an older mail's link still opens the survey."""
        from .tokens import token_hash

        digest = token_hash(token)
        return self.filter(Q(token_hash=digest) | Q(mails__token_hash=digest)).distinct()


class Recipient(models.Model):
    """An invited organisation or person (LimeSurvey: a participant row with its token)."""

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="recipients", verbose_name=_("survey")
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=RecipientKind.choices, default=RecipientKind.ORGANISATION
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    group = models.ForeignKey(
        RecipientGroup,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="recipients",
        verbose_name=_("recipient group"),
    )
    municipality = models.ForeignKey(
        "foundation.Municipality",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_recipients",
        verbose_name=_("municipality"),
    )
    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="de"
    )
    token_hash = models.CharField(_("token (hash)"), max_length=64, unique=True, editable=False)
    valid_from = models.DateTimeField(_("valid from"), null=True, blank=True)
    valid_until = models.DateTimeField(_("valid until"), null=True, blank=True)
    invited_at = models.DateTimeField(_("invited"), null=True, blank=True, editable=False)
    reminders_sent = models.PositiveSmallIntegerField(_("reminders sent"), default=0)
    last_reminded_at = models.DateTimeField(_("last reminder"), null=True, blank=True)
    opted_out_at = models.DateTimeField(_("opted out"), null=True, blank=True)
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True, editable=False)
    is_demo = models.BooleanField(_("demo data"), default=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = RecipientQuerySet.as_manager()

    class Meta:
        ordering = ["survey", "name"]
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "email"], name="survey_recipient_email_unique"
            ),
        ]
        indexes = [
            models.Index(fields=["survey", "completed_at"], name="survey_recipient_done_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class ResponseState(models.TextChoices):
    OPENED = "opened", _("Opened")
    PARTIAL = "partial", _("Partly answered")
    COMPLETE = "complete", _("Complete")


class Response(models.Model):
    """One respondent's answer set. `recipient` and `user` are cleared on completion of an
    anonymous survey; `group`, `municipality` and `language` are copied and stay."""

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="responses", verbose_name=_("survey")
    )
    recipient = models.OneToOneField(
        Recipient,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="response",
        verbose_name=_("recipient"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_responses",
        verbose_name=_("account"),
    )
    group = models.ForeignKey(
        RecipientGroup,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="responses",
        verbose_name=_("recipient group"),
    )
    municipality = models.ForeignKey(
        "foundation.Municipality",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_responses",
        verbose_name=_("municipality"),
    )
    language = models.CharField(_("language"), max_length=10, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=ResponseState.choices, default=ResponseState.OPENED
    )
    last_page = models.ForeignKey(
        SurveyPage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("last page reached"),
    )
    started_at = models.DateTimeField(_("opened"), default=timezone.now)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    is_demo = models.BooleanField(_("demo data"), default=False)

    class Meta:
        ordering = ["survey", "started_at"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "user"],
                condition=Q(user__isnull=False),
                name="survey_response_once_per_account",
            ),
        ]
        indexes = [
            models.Index(fields=["survey", "state"], name="survey_response_state_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.survey} #{self.pk}"

    @property
    def is_complete(self) -> bool:
        return self.state == ResponseState.COMPLETE


class Answer(models.Model):
    """One stored value of a response to a question.

    - single, dropdown, yes/no: one row with `option` (yes/no: the options coded "Y"/"N");
    - multiple: one row per chosen option; "other": a row without option and with `text`;
    - ranking: one row per ranked option with `rank` (1 = first);
    - matrix: one row per answered row (`option`, role ROW) with `scale` (role SCALE);
    - short/long text: `text`; number: `number`; date: `date`.
    """

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers", verbose_name=_("response")
    )
    question = models.ForeignKey(
        Question,
        on_delete=models.RESTRICT,
        related_name="answers",
        verbose_name=_("question"),
        db_index=False,  # the two indexes below start with the question
    )
    option = models.ForeignKey(
        Option,
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="answers",
        verbose_name=_("option or matrix row"),
    )
    scale = models.ForeignKey(
        Option,
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="scale_answers",
        verbose_name=_("scale point"),
    )
    rank = models.PositiveSmallIntegerField(_("rank"), null=True, blank=True)
    text = models.TextField(_("text"), blank=True)
    number = models.DecimalField(
        _("number"), max_digits=18, decimal_places=4, null=True, blank=True
    )
    date = models.DateField(_("date"), null=True, blank=True)

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question", "option"],
                condition=Q(option__isnull=False),
                name="survey_answer_option_once",
            ),
            models.UniqueConstraint(
                fields=["response", "question"],
                condition=Q(option__isnull=True),
                name="survey_answer_value_once",
            ),
        ]
        indexes = [
            # The results count rows per question, option and scale (with the rank sums):
            # read from this index alone, without the table.
            models.Index(
                fields=["question", "option", "scale", "rank"], name="survey_answer_count_idx"
            ),
            # ... and the distinct respondents per question, from this one.
            models.Index(fields=["question", "response"], name="survey_answer_respondent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.question.code}={self.option_id or self.text or self.number or self.date}"


class Participation(models.Model):
    """That an account has answered an open survey — kept apart from its answers.

    An anonymous survey clears Response.user on completion; this row still says "this
    account has taken part" (so that it answers once), without saying which response is
    its own. The day is all it keeps of the time.
    """

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="participations", verbose_name=_("survey")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="survey_participations",
        verbose_name=_("account"),
    )
    completed_on = models.DateField(_("completed on"))

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(fields=["survey", "user"], name="survey_participation_once"),
        ]

    def __str__(self) -> str:
        return f"{self.survey} – {self.user}"


# --- Invitations: imports, mailings and the mails sent ------------------------------------------
class ImportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for the worker")
    DONE = "done", _("Imported")
    REJECTED = "rejected", _("Rejected, nothing imported")


class RecipientImport(models.Model):
    """One uploaded recipient file and its row-by-row report (all or nothing)."""

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="imports", verbose_name=_("survey")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    filename = models.CharField(_("file name"), max_length=255)
    #: The uploaded bytes until the worker has read them (then emptied).
    content = models.BinaryField(_("file content"), blank=True, editable=False)
    create_groups = models.BooleanField(_("create unknown recipient groups"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.PENDING
    )
    #: {"rows": n, "created": n, "errors": [{"line": n, "message": "..."}],
    #:  "duplicates": [{"line": n, "email": "...", "message": "..."}], "groups_created": [...]}
    report = models.JSONField(_("report"), default=dict, blank=True)
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("recipient import")
        verbose_name_plural = _("recipient imports")

    def __str__(self) -> str:
        return self.filename


class MailingKind(models.TextChoices):
    INVITATION = "invitation", _("Invitation")
    REMINDER = "reminder", _("Reminder")


class Mailing(models.Model):
    """One run of invitations or reminders, sent by the worker in throttled batches."""

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="mailings", verbose_name=_("survey")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MailingKind.choices)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("started by"),
    )
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    sent = models.PositiveIntegerField(_("mails sent"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.survey} ({self.created_at:%Y-%m-%d})"


class RecipientMail(models.Model):
    """A mail sent to a recipient: the invitation (step 0) or reminder number `step`.

    The unique constraint is the guard that no recipient gets the same mail twice, whoever
    sends it (beat, a person, a task delivered twice). `token_hash` is the hash of the token
    in that mail's link."""

    recipient = models.ForeignKey(
        Recipient, on_delete=models.CASCADE, related_name="mails", verbose_name=_("recipient")
    )
    mailing = models.ForeignKey(
        Mailing,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="mails",
        verbose_name=_("mailing"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=MailingKind.choices)
    step = models.PositiveSmallIntegerField(_("reminder number"), default=0)
    token_hash = models.CharField(_("token (hash)"), max_length=64, unique=True, editable=False)
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)

    class Meta:
        ordering = ["recipient", "sent_at"]
        verbose_name = _("mail to a recipient")
        verbose_name_plural = _("mails to recipients")
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "step"], name="survey_recipient_mail_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} {self.kind} {self.step}"


class SurveyExportFormat(models.TextChoices):
    CSV = "csv", _("CSV (semicolon-separated) with a codebook file, as ZIP")
    XLSX = "xlsx", _("Excel workbook (XLSX) with a codebook sheet")
    SAV = "sav", _("SPSS data file (.sav) with variable and value labels")
    PDF = "pdf", _("PDF report with the charts")


class SurveyExportStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Being built")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class SurveyExport(models.Model):
    """A file of a survey's responses (or its report), built in the background by the worker.

    The file holds personal data (free texts): it is served only through a view that checks
    the role, and the retention run deletes it together with the responses."""

    survey = models.ForeignKey(
        Survey, on_delete=models.CASCADE, related_name="exports", verbose_name=_("survey")
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="survey_exports",
        verbose_name=_("requested by"),
    )
    format = models.CharField(_("format"), max_length=10, choices=SurveyExportFormat.choices)
    complete_only = models.BooleanField(_("complete responses only"), default=False)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=SurveyExportStatus.choices,
        default=SurveyExportStatus.PENDING,
    )
    file = models.FileField(_("file"), upload_to="survey-exports/%Y/%m/", blank=True)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("requested"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)

    # The person's own export lists the jobs they requested, not what the files hold.
    personal_data_export_exclude = ("file", "error")

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("survey export")
        verbose_name_plural = _("survey exports")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(finished_at__isnull=False),
                name="survey_export_done_has_finish_time",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.survey_id} {self.format} ({self.status})"

    @property
    def is_ready(self) -> bool:
        return self.status == SurveyExportStatus.DONE and bool(self.file)
