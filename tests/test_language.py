"""Language of abstracts: bilingual abstracts are split by language, headings are not."""

from litcorpus import language
from litcorpus.models import Record

ENGLISH = ("We assessed how integrated care systems in England changed the way hospitals and "
           "general practices work together over the first two years.")
GERMAN = ("Wir untersuchten, wie die integrierten Versorgungssysteme in England die "
          "Zusammenarbeit zwischen Krankenhäusern und Hausarztpraxen verändert haben.")
CHINESE = "我们评估了英格兰综合护理系统如何改变医院与全科诊所之间的合作方式。"


def test_structured_abstract_headings_stay_with_the_abstract():
    record = Record(abstract="\n".join(["Objective", ENGLISH, "Methods:", ENGLISH, "Conclusions.",
                                        ENGLISH, "Design and setting", ENGLISH]))
    language.assign(record)
    assert record.translations == {}
    assert record.abstract.split("\n")[0] == "Objective"
    assert record.language == "en"


def test_a_translated_paragraph_moves_to_translations():
    record = Record(abstract=f"{ENGLISH}\n{GERMAN}\n{CHINESE}")
    language.assign(record)
    assert record.abstract == ENGLISH
    assert record.translations == {"de": GERMAN, "zh": CHINESE}
    assert record.language == "en"


def test_a_short_chinese_line_is_still_told_by_its_script():
    record = Record(abstract=f"{ENGLISH}\n中文摘要")
    language.assign(record)
    assert record.translations == {"zh": "中文摘要"}
