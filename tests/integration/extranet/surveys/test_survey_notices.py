"""Survey notices: when a survey opens (published while open, or its opening time reached by the
scheduled job), each addressed retailer gets a notice on the extranet home and one mail to its
logins with an address, through the task queue; never twice for the same survey."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from extranet.models import Retailer
from extranet.surveys.models import Survey, SurveyNotice
from extranet.surveys.notices import survey_notices_due, survey_notices_send
from extranet.surveys.services import survey_create, survey_publish, survey_update
from portal import scheduling
from portal.models import User
from tests.conftest import make_role_user
from tests.factories.people import RetailerFactory, RetailerLoginFactory, UserFactory
from tests.factories.surveys import QuestionFactory
from tests.worker import run_worker

pytestmark = pytest.mark.django_db


def shop_login(retailer, **user):
    user = UserFactory(kind=User.Kind.RETAILER, **user)
    return RetailerLoginFactory(retailer=retailer, user=user)


@pytest.fixture
def stores():
    west = RetailerFactory(region="西湖区")
    logins = [shop_login(west) for _ in range(2)]
    shop_login(west, email="")
    east = RetailerFactory(region="上城区")
    shop_login(east)
    return {"west": west, "east": east, "west_emails": sorted(x.user.email for x in logins)}


def west_survey(*, opens_in=timedelta(hours=-1), title="门店经营情况调查"):
    now = timezone.now()
    survey = survey_create(
        actor=make_role_user("sales_administrator"),
        title=title,
        opens_at=now + opens_in,
        closes_at=now + opens_in + timedelta(days=7),
        audience=Survey.Audience.SELECTED,
        regions=["西湖区"],
    )
    QuestionFactory(survey=survey)
    return survey


def notice_tasks():
    return DBTaskResult.objects.filter(
        task_path="extranet.surveys.tasks.survey_notices_task", status="READY"
    )


def run_tasks(capture):
    """The notice task, which queues the mails on commit, then the mails."""
    with capture(execute=True):
        run_worker("default")
    run_worker("default")


def test_publishing_an_open_survey_mails_each_addressed_retailer_once(
    stores, django_capture_on_commit_callbacks, settings
):
    survey = west_survey()
    admin = make_role_user("sales_administrator")
    with django_capture_on_commit_callbacks(execute=True):
        survey_publish(survey=survey, actor=admin)
    assert [t.args_kwargs["kwargs"] for t in notice_tasks()] == [{"survey_id": survey.pk}]
    assert not mail.outbox and not SurveyNotice.objects.exists()  # nothing inline
    run_tasks(django_capture_on_commit_callbacks)
    # One mail for the west store, to both its logins with an address; none for the east.
    assert [sorted(m.to) for m in mail.outbox] == [stores["west_emails"]]
    message = mail.outbox[0]
    assert survey.title in message.subject and survey.title in message.body
    path = reverse("shop:survey", args=[survey.pk], urlconf=settings.PORTAL_URLCONFS["extranet"])
    assert settings.EXTRANET_BASE_URL + path in message.body
    notice = SurveyNotice.objects.get()
    assert (notice.retailer, notice.emailed_to, notice.seen_at) == (stores["west"], 2, None)
    # Never twice: the task again, unpublishing and publishing again, the scheduled job.
    assert survey_notices_send(survey_id=survey.pk) == 0
    with django_capture_on_commit_callbacks(execute=True):
        survey_publish(survey=survey, actor=admin, publish=False)
        survey_publish(survey=survey, actor=admin)
        survey_notices_due()
    run_tasks(django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1 and SurveyNotice.objects.count() == 1


def test_a_survey_is_notified_by_the_scheduled_job_when_it_opens(
    stores, django_capture_on_commit_callbacks
):
    survey = west_survey(opens_in=timedelta(hours=2))
    with django_capture_on_commit_callbacks(execute=True):
        survey_publish(survey=survey, actor=make_role_user("sales_administrator"))
    assert not notice_tasks().exists()  # not open yet
    with django_capture_on_commit_callbacks(execute=True):
        assert survey_notices_due(now=timezone.now() + timedelta(hours=1)) == 0
    assert (
        not SurveyNotice.objects.exists()
        and not DBTaskResult.objects.filter(task_path="portal.tasks.email_send").exists()
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert survey_notices_due(now=timezone.now() + timedelta(hours=2, minutes=5)) == 1
        assert survey_notices_due(now=timezone.now() + timedelta(hours=2, minutes=10)) == 0
    run_worker("default")
    assert [sorted(m.to) for m in mail.outbox] == [stores["west_emails"]]
    periodic = scheduling.REGISTRY["extranet.survey_notices"]
    assert periodic.every == timedelta(minutes=5)
    assert periodic.task_path == "extranet.surveys.tasks.survey_notices_due_task"


def test_the_scheduled_task_runs_in_the_worker(stores, django_capture_on_commit_callbacks):
    survey = west_survey()
    Survey.objects.filter(pk=survey.pk).update(is_published=True)  # published, never notified
    with django_capture_on_commit_callbacks(execute=True):
        scheduling.REGISTRY["extranet.survey_notices"].enqueue()
    run_tasks(django_capture_on_commit_callbacks)
    assert [sorted(m.to) for m in mail.outbox] == [stores["west_emails"]]


def test_a_wider_audience_notifies_only_its_new_members(stores, django_capture_on_commit_callbacks):
    survey = west_survey()
    admin = make_role_user("sales_administrator")
    with django_capture_on_commit_callbacks(execute=True):
        survey_publish(survey=survey, actor=admin)
    run_tasks(django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        survey_update(
            survey=survey,
            actor=admin,
            title=survey.title,
            opens_at=survey.opens_at,
            closes_at=survey.closes_at,
            audience=Survey.Audience.SELECTED,
            regions=["西湖区", "上城区"],
        )
    run_tasks(django_capture_on_commit_callbacks)
    east_login_email = stores["east"].logins.get().user.email
    assert [sorted(m.to) for m in mail.outbox] == [stores["west_emails"], [east_login_email]]
    assert SurveyNotice.objects.filter(survey=survey).count() == 2


def test_retailers_that_join_an_audience_later_are_notified_by_the_scheduled_job(
    stores, django_capture_on_commit_callbacks
):
    from extranet.crm.services import retailer_update
    from extranet.market.services import grade_changes_record

    survey = west_survey()
    by_grade = survey_create(
        actor=make_role_user("sales_administrator"),
        title="一档客户调查",
        opens_at=survey.opens_at,
        closes_at=survey.closes_at,
        audience=Survey.Audience.SELECTED,
        grades=[1],
    )
    QuestionFactory(survey=by_grade)
    Survey.objects.update(is_published=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert survey_notices_due() == 2
    run_tasks(django_capture_on_commit_callbacks)
    assert SurveyNotice.objects.filter(survey=by_grade).count() == 0  # nobody is in grade 1
    assert SurveyNotice.objects.filter(survey=survey).count() == 1  # the west store
    # The east store moves to 西湖区 through its profile: the region survey is handed back to
    # the job, which notifies the east store only; the grade survey is left alone.
    east = stores["east"]
    retailer_update(
        retailer=east,
        actor=make_role_user("sales_administrator"),
        group="static",
        changes={"region": "西湖区"},
    )
    assert Survey.objects.get(pk=survey.pk).notified_at is None
    assert Survey.objects.get(pk=by_grade.pk).notified_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        assert survey_notices_due() == 1
    run_tasks(django_capture_on_commit_callbacks)
    assert set(SurveyNotice.objects.filter(survey=survey).values_list("retailer", flat=True)) == {
        stores["west"].pk,
        east.pk,
    }
    # The grade recomputation moves the west store to grade 1: the grade survey follows.
    Retailer.objects.filter(pk=stores["west"].pk).update(grade=1)
    grade_changes_record(changes=[(stores["west"].pk, 8, 1)], at=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        assert survey_notices_due() == 1
    run_tasks(django_capture_on_commit_callbacks)
    assert list(
        SurveyNotice.objects.filter(survey=by_grade).values_list("retailer", flat=True)
    ) == [stores["west"].pk]
    # Nobody was notified twice: two mails for the region survey, one for the grade survey.
    assert len(mail.outbox) == 3


def test_the_home_shows_the_notice_until_the_retailer_opens_the_survey(
    client, extranet, stores, settings
):
    survey = west_survey()
    Survey.objects.filter(pk=survey.pk).update(is_published=True)
    other = west_survey(title="新品试销反馈")
    Survey.objects.filter(pk=other.pk).update(is_published=True)
    login = stores["west"].logins.exclude(user__email="").first()
    client.force_login(login.user)
    page = client.get("/").content.decode()
    assert survey.title in page and "new survey" not in page.lower()  # listed, not notified
    survey_notices_send(survey_id=survey.pk)
    survey_notices_send(survey_id=other.pk)
    page = client.get("/").content.decode()
    assert "2 new surveys are open for your store." in page
    assert page.count('class="badge badge-new"') == 2
    assert client.get(reverse("shop:survey", args=[survey.pk])).status_code == 200
    page = client.get("/").content.decode()
    assert "A new survey is open for your store." in page
    assert page.count('class="badge badge-new"') == 1
    assert SurveyNotice.objects.get(survey=survey).seen_at is not None
    # Another store's page does not show the west's notices.
    client.force_login(stores["east"].logins.get().user)
    assert "new survey" not in client.get("/").content.decode().lower()
