"""Pseudonyms: each employee chooses one of the fresh names offered (no free typing, so a name
cannot give its holder away), once; an administrator grants a holder's request for a new name
at most once a year, seeing only the pseudonym."""

import secrets

from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _

from forum.models import Identity, Pseudonym, RenameRequest
from forum.permissions import may_rename_pseudonyms, rename_interval
from portal.refusals import Refusal
from portal.services import audit_record

# Two-character words, so that a name reads as adjective + creature, e.g. 安静苍鹭101: short,
# readable, and in the language of the people who use the forum.
ADJECTIVES = [
    "安静", "勇敢", "沉稳", "机灵", "温和", "金色", "诚实", "翠绿", "敏锐", "和善",
    "幸运", "悠然", "朦胧", "灵巧", "耐心", "宁静", "迅捷", "银色", "稳重", "晴朗",
    "飞快", "整洁", "鲜亮", "睿智", "明亮", "辽阔", "隐秘", "谦逊", "快乐", "淡定",
]  # fmt: skip
NOUNS = [
    "竹子", "丹鹤", "青龙", "猎隼", "苍鹭", "灯笼", "莲花", "喜鹊", "枫树", "水獭",
    "熊猫", "青松", "江河", "麻雀", "老虎", "垂柳", "彗星", "港湾", "风筝", "兰花",
    "山峰", "茶树", "海龟", "白云", "草原", "石子", "燕子", "白鹭", "松鼠", "锦鲤",
]  # fmt: skip


def pseudonym_suggestions(*, count: int = 5) -> list[str]:
    """Fresh, unused names to choose from (no free typing: a chosen name can't be one's own)."""
    found: list[str] = []
    for _attempt in range(count * 10):
        name = f"{secrets.choice(ADJECTIVES)}{secrets.choice(NOUNS)}{secrets.randbelow(900) + 100}"
        if name not in found:
            found.append(name)
        if len(found) >= count * 2:
            break
    taken = set(
        Pseudonym.objects.annotate(lower=Lower("name"))
        .filter(lower__in=[name.lower() for name in found])
        .values_list("lower", flat=True)
    )
    return [name for name in found if name.lower() not in taken][:count]


def pseudonym_choose(*, user, name: str, offered: list[str]) -> Pseudonym:
    """Give `user` the pseudonym `name`, one of the suggestions `offered` to them. Once only."""
    if name not in offered:
        raise Refusal(_("Choose one of the names offered."))
    with transaction.atomic():
        if Identity.objects.select_for_update().filter(user=user).exists():
            raise Refusal(_("You already have a pseudonym."))
        if Pseudonym.objects.filter(name__iexact=name).exists():
            raise Refusal(_("That name was just taken. Choose another."))
        try:
            with transaction.atomic():
                pseudonym = Pseudonym.objects.create(name=name)
                Identity.objects.create(user=user, pseudonym=pseudonym)
        except IntegrityError as error:
            raise Refusal(_("That name was just taken. Choose another.")) from error
    user._forum_pseudonym = pseudonym
    return pseudonym


def _check_rename_interval(pseudonym: Pseudonym, now) -> None:
    if pseudonym.renamed_at is not None and now - pseudonym.renamed_at < rename_interval():
        raise Refusal(
            _("This pseudonym was renamed on %(date)s; it may be renamed once a year.")
            % {"date": f"{pseudonym.renamed_at:%Y-%m-%d}"}
        )


def pseudonym_rename_request(*, pseudonym: Pseudonym, now=None) -> RenameRequest:
    """The holder asks for a new pseudonym (one open request; at most one rename a year)."""
    now = now or timezone.now()
    if pseudonym is None:
        raise Refusal(_("Choose a pseudonym before posting."))
    _check_rename_interval(pseudonym, now)
    with transaction.atomic():
        request, _created = RenameRequest.objects.get_or_create(
            pseudonym=pseudonym, resolved_at__isnull=True, defaults={"requested_at": now}
        )
    return request


def pseudonym_rename(*, actor, pseudonym: Pseudonym, new_name: str, now=None) -> Pseudonym:
    """An administrator grants the holder's open rename request (at most once a year), knowing
    only the pseudonym."""
    now = now or timezone.now()
    if not may_rename_pseudonyms(actor):
        raise Refusal(_("Only an administrator may rename a pseudonym."), status=403)
    with transaction.atomic():
        pseudonym = Pseudonym.objects.select_for_update().get(pk=pseudonym.pk)
        request = RenameRequest.objects.filter(
            pseudonym=pseudonym, resolved_at__isnull=True
        ).first()
        if request is None:
            raise Refusal(_("Its holder has not asked for a new pseudonym."))
        _check_rename_interval(pseudonym, now)
        if Pseudonym.objects.filter(name__iexact=new_name).exclude(pk=pseudonym.pk).exists():
            raise Refusal(_("That name is taken."))
        old_name = pseudonym.name
        pseudonym.name = new_name
        pseudonym.renamed_at = now
        pseudonym.save(update_fields=["name", "renamed_at"])
        request.resolved_at, request.granted = now, True
        request.save(update_fields=["resolved_at", "granted"])
        audit_record(
            actor=actor,
            action="forum.pseudonym_rename",
            target=pseudonym,
            data={"from": old_name, "to": new_name},
        )
    return pseudonym


def pseudonym_rename_decline(*, actor, request: RenameRequest) -> RenameRequest:
    """An administrator declines the holder's request; the pseudonym keeps its name."""
    if not may_rename_pseudonyms(actor):
        raise Refusal(_("Only an administrator may rename a pseudonym."), status=403)
    with transaction.atomic():
        request.resolved_at, request.granted = timezone.now(), False
        request.save(update_fields=["resolved_at", "granted"])
        audit_record(actor=actor, action="forum.pseudonym_rename_decline", target=request.pseudonym)
    return request


def pseudonym_set_preferences(*, pseudonym: Pseudonym, email_notifications: bool) -> Pseudonym:
    """Whether the holder is told of notifications by email too (the address is looked up by
    the worker when it sends, never stored with the pseudonym)."""
    pseudonym.email_notifications = email_notifications
    pseudonym.save(update_fields=["email_notifications"])
    return pseudonym
