"""Receivers of surveys (connected in `ExtranetConfig.ready()`)."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from extranet.surveys.notices import survey_audiences_changed
from extranet.surveys.selectors import QUESTIONS_GENERATION, SURVEYS_GENERATION


@receiver(post_save, sender="extranet.Retailer", dispatch_uid="extranet_survey_audiences_retailer")
def retailer_moved(sender, instance, created, update_fields=None, **kwargs):
    """A retailer's grade, region or route changed through its profile: it may have joined the
    audience of an open survey, which the scheduled job then notifies it of."""
    if kwargs.get("raw"):  # a fixture loaded by loaddata: see the README
        return
    if not created and update_fields:
        survey_audiences_changed(fields=update_fields)


@receiver(post_save, sender="extranet.Survey", dispatch_uid="extranet_surveys_survey_saved")
@receiver(post_delete, sender="extranet.Survey", dispatch_uid="extranet_surveys_survey_deleted")
@receiver(post_save, sender="extranet.SurveyTarget", dispatch_uid="extranet_surveys_target_saved")
@receiver(
    post_delete, sender="extranet.SurveyTarget", dispatch_uid="extranet_surveys_target_deleted"
)
def surveys_changed(**kwargs):
    """A survey or a criterion of its audience was saved or deleted: the cached list of open
    surveys is stale. (The services write criteria with bulk_create, which sends no signal, in
    the transaction that saves the survey: the bump runs again when it commits.)"""
    if kwargs.get("raw"):  # a fixture loaded by loaddata: see the README
        return
    SURVEYS_GENERATION.bump()


@receiver(post_save, sender="extranet.Question", dispatch_uid="extranet_surveys_question_saved")
@receiver(post_delete, sender="extranet.Question", dispatch_uid="extranet_surveys_question_gone")
@receiver(post_save, sender="extranet.Choice", dispatch_uid="extranet_surveys_choice_saved")
@receiver(post_delete, sender="extranet.Choice", dispatch_uid="extranet_surveys_choice_deleted")
def questions_changed(**kwargs):
    """A question or a choice was saved or deleted: the kept HTML of blank answer forms is
    stale (extranet.surveys.fragments). The services' bulk writes, which send no signal, bump
    it when they lock the survey's structure."""
    if kwargs.get("raw"):  # a fixture loaded by loaddata: see the README
        return
    QUESTIONS_GENERATION.bump()
