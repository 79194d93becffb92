"""Results come in the order a reader expects, on a fixed corpus of articles, documents,
notices and a page: the query's words standing together (a phrase) and in the title first,
then text that merely holds every word somewhere, in Chinese and in English."""

import re

import pytest

from bulletins.models import Board
from portal.search.selectors import search_for
from tests.factories.bulletins import NoticeFactory, channel
from tests.factories.documents import PolicyDocumentFactory
from tests.factories.knowledge import ArticlePageFactory
from tests.factories.pages import InformationPageFactory
from tests.factories.people import DepartmentFactory

pytestmark = pytest.mark.django_db


def text(value):
    return [{"type": "text", "value": f"<p>{value}</p>"}]


@pytest.fixture
def corpus(intranet, indexed):
    with indexed():
        production = DepartmentFactory(name="生产科", name_en="Production Section")
        office = DepartmentFactory(name="办公室", name_en="General Office")
        news = channel(Board.Kind.NEWS)
        # The phrase 安全生产, in the title, of longer texts.
        ArticlePageFactory(
            title="安全生产管理办法",
            department=office,
            body=text("本办法规定各部门、各车间和各班组的职责，以及检查、考核与奖惩的程序。"),
        )
        PolicyDocumentFactory(
            title="安全生产责任制规定",
            issuing_department=office,
            summary="明确厂长、分管领导、部门负责人和各岗位员工的责任，以及追究的办法。",
        )
        NoticeFactory(
            title="关于开展安全生产月活动的通知",
            body="<p>六月全厂开展主题活动，各部门组织学习、演练和隐患排查，月底前报送总结。</p>",
            board=news,
        )
        # 安全 and 生产 apart, in short texts saying 安全 often: 生产 from the department
        # 生产科, or further on in the text.
        ArticlePageFactory(
            title="设备巡检记录",
            department=production,
            body=text("安全第一：巡检注意安全，戴好安全帽。"),
        )
        ArticlePageFactory(
            title="仓库防火须知",
            department=office,
            body=text("安全！严禁烟火，消防安全；生产用料登记。"),
        )
        # 烟叶 in the title of longer texts, or said twice in a short text.
        InformationPageFactory(
            title="烟叶收购指南", body="<p>收购站的定级标准、检验流程、结算方式与运输要求。</p>"
        )
        ArticlePageFactory(
            title="烟叶含水率检测",
            department=office,
            body=text("取样、称重、烘干和计算的方法，以及仪器的校准与记录。"),
        )
        ArticlePageFactory(
            title="仓储温湿度控制", department=office, body=text("烟叶霉变：烟叶防潮。")
        )
        # English.
        ArticlePageFactory(
            title="Safety management rules",
            department=office,
            body=text("Rules every team follows in the workshop, the stores and the yard."),
        )
        ArticlePageFactory(
            title="Workshop cleaning",
            department=office,
            body=text("Safety first, safety always: tool management."),
        )
        PolicyDocumentFactory(
            title="Quality inspection procedure",
            issuing_department=office,
            summary="How the workshop inspects the quality of tobacco leaf.",
        )
        NoticeFactory(title="食堂开放时间调整", body="<p>午餐时间调整为十一点半。</p>", board=news)


def ranked(user, query):
    outcome = search_for(user=user, face="intranet", query=query)
    titles = [re.sub(r"</?mark>", "", str(hit.title)) for hit in outcome.hits]
    # A document's title starts with its number (厂办〔2026〕1号).
    return [re.sub(r"^\S+号 ", "", title) for title in titles]


PHRASE_TITLES = {"安全生产管理办法", "安全生产责任制规定", "关于开展安全生产月活动的通知"}
WORDS_APART = {"设备巡检记录", "仓库防火须知"}


@pytest.mark.parametrize("query", ["安全生产", "安全 生产"])
def test_the_phrase_in_titles_ranks_above_its_words_apart(corpus, employee, query):
    titles = ranked(employee, query)
    assert set(titles[:3]) == PHRASE_TITLES
    assert set(titles[3:]) == WORDS_APART


def test_a_word_in_the_title_ranks_above_the_word_in_the_text(corpus, employee):
    titles = ranked(employee, "烟叶")
    assert set(titles[:2]) == {"烟叶收购指南", "烟叶含水率检测"}
    assert titles[2:] == ["仓储温湿度控制"]


def test_a_compound_word_in_the_title_ranks_first(corpus, employee):
    assert ranked(employee, "烟叶含水率")[0] == "烟叶含水率检测"


def test_english_words_together_in_the_title_rank_above_the_words_apart(corpus, employee):
    assert ranked(employee, "safety management") == ["Safety management rules", "Workshop cleaning"]


def test_an_english_word_in_the_title_ranks_above_the_word_in_the_text(corpus, employee):
    titles = ranked(employee, "workshop")
    assert titles[0] == "Workshop cleaning"
    assert set(titles[1:]) == {"Safety management rules", "Quality inspection procedure"}


def test_every_word_is_still_required(corpus, employee):
    assert ranked(employee, "安全 食堂") == []
    assert ranked(employee, "食堂") == ["食堂开放时间调整"]
