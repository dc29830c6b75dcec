"""CNKI E-Study field-label exports (fixtures/formats/cnki-estudy, written from issue 17's
description): every record, its Chinese kept, its labels read whole."""

from __future__ import annotations

from litcorpus.intake import read
from litcorpus.models import Status
from tests.conftest import FIXTURES

FOLDER = FIXTURES / "formats" / "cnki-estudy"


def _read(name: str):
    outcome, result = read(name, (FOLDER / name).read_bytes())
    assert outcome.format == "cnki-estudy", outcome.message
    assert outcome.status is Status.PARSED and not result.failures, outcome.message
    return result.records


def test_twenty_records_with_title_authors_journal_year_pages_and_abstract():
    records = _read("estudy_journals_20.txt")
    assert len(records) == 20
    assert all(r.title and r.authors and r.journal and r.year and r.pages and r.abstract
               for r in records)
    first = records[0]
    assert first.title == "社区综合护理干预对老年2型糖尿病患者血糖控制及生活质量的影响"
    assert [a.family for a in first.authors] == ["陈晓红", "刘伟", "张丽娟"]
    assert (first.journal, first.year, first.volume, first.issue) == ("中国全科医学", 2021, "24", "07")
    assert first.pages == "845-849"  # Page-页码, not PageCount-页数 (5)
    assert first.abstract.startswith("目的探讨社区综合护理干预")
    assert first.keywords == ["2型糖尿病", "老年人", "社区护理", "综合干预", "生活质量"]
    assert first.affiliations == ["首都医科大学附属北京朝阳医院护理部", "北京市朝阳区双井社区卫生服务中心"]
    assert first.url.endswith("FileName=QKYX202107012&DbName=CJFDLAST2021")
    assert first.language == "zh" and first.doc_type == "article-journal"
    assert first.doc_type_original == "期刊"
    assert [r.origins[0].line for r in records[:3]] == [1, 16, 31]


def test_a_record_may_lack_any_label():
    records = _read("estudy_journals_20.txt")
    guideline = records[4]  # online first: no Year, Roll or Period; a time in PubTime
    assert guideline.volume is None and guideline.issue is None
    assert guideline.year == 2021 and guideline.date == "2021-04-12"
    assert guideline.abstract.startswith("高血压是老年人")  # CNKI's `<正>` marker left out
    assert [a.family for a in guideline.authors] == ["中华医学会老年医学分会"]
    assert records[8].pages == "88-90+94"
    unsigned = _read("estudy_labels2_types.txt")[3]
    assert unsigned.authors == [] and unsigned.year == 2021 and unsigned.pages == "1-3"
    english = records[10]
    assert english.title.startswith("Effect of a community-based integrated care program")
    assert english.language == "en" and len(english.authors) == 3


def test_the_second_label_set_in_a_custom_export():
    records = _read("custom_export_labels2.txt")
    assert len(records) == 5
    first = records[0]
    assert (first.journal, first.year, first.volume, first.issue) == ("中华全科医师杂志", 2021, "20", "05")
    assert first.doi == "10.3760/cma.j.cn114798-20201105-01128"
    assert first.date == "2021-05-04"
    assert first.affiliations[0] == "上海市静安区卫生健康委员会"
    assert first.url.startswith("https://kns.cnki.net/")
    assert all(r.pages is None for r in records)  # only PageCount-页码, a count of pages
    assert records[1].keywords == ["医疗联合体", "检查检验", "结果互认", "信息平台"]  # `;;`
    assert records[2].doc_type == "thesis" and records[2].doc_type_original == "硕士"
    assert records[2].journal == "山东大学"
    assert [r.origins[0].line for r in records] == [1, 19, 35, 48, 66]


def test_data_types_and_doubled_separators():
    records = _read("estudy_labels2_types.txt")
    assert [r.doc_type_original for r in records] == ["期刊", "硕士", "中国会议", "期刊"]
    assert [r.doc_type for r in records] == ["article-journal", "thesis", "paper-conference",
                                             "article-journal"]
    assert [a.family for a in records[0].authors] == ["魏琳", "杜鹃"]
    assert records[0].keywords == ["社区护士", "慢性病管理", "核心能力", "德尔菲法"]
    assert records[0].doi == "10.3969/j.issn.1672-1756.2021.04.011"
    assert records[1].pages is None and records[2].pages == "211-214"


def test_a_continued_value_and_an_unknown_label():
    text = ("DataType: 1\nTitle-题名: 标题一\nSummary-摘要: 第一段。\n第二段。\n"
            "Fund-基金: 国家自然科学基金;\nPageCount-页数: 9\n"
            "DataType: 1\nTitle-题名: 标题二\nPage-页码: 5-9\n")
    outcome, result = read("export.txt", text.encode())
    assert outcome.format == "cnki-estudy" and outcome.records == 2
    assert result.records[0].abstract == "第一段。 第二段。"
    assert result.records[0].pages is None and result.records[1].pages == "5-9"
