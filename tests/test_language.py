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


SPANISH = ("Evaluamos cómo los sistemas de atención integrada en Inglaterra cambiaron la colaboración "
           "entre los hospitales y la atención primaria durante los dos primeros años.")
FRENCH = ("Nous avons étudié comment les systèmes de soins intégrés en Angleterre ont changé la "
          "collaboration entre les hôpitaux et les cabinets de médecine générale.")


def test_european_languages_are_told_by_their_function_words_without_langdetect():
    language._detector_factory.cache_clear()
    assert [language.detect(t) for t in (ENGLISH, GERMAN, SPANISH, FRENCH)] == ["en", "de", "es", "fr"]
    assert language._detector_factory.cache_info().misses == 0  # its profiles were never loaded


def test_a_title_alone_is_told_by_script_and_words_only():
    language._detector_factory.cache_clear()
    titles = {"Platform labour markets digital gig workers evidence survey": None,  # no function word
              "Heal thyself or heal thy system: can doctors help to improve medical care?": "en",
              "社区综合护理干预对老年2型糖尿病患者的影响": "zh",
              "Платформенная занятость: масштабы и признаки неустойчивости": "ru",
              "Зайнятість і мотивація праці в інформаційній економіці": "uk"}
    for title, expected in titles.items():
        record = Record(title=title)
        language.assign(record)
        assert record.language == expected, title
    assert language._detector_factory.cache_info().misses == 0


def test_a_stated_language_is_kept_and_not_detected():
    record = Record(title="Digital platform labour and gig work in Germany", language="de")
    language.assign(record)
    assert record.language == "de"
    record = Record(abstract=ENGLISH, language="es")
    language.assign(record)
    assert record.language == "es" and record.abstract == ENGLISH


def test_a_spanish_translation_is_split_off_by_its_words():
    record = Record(abstract=f"{ENGLISH}\n{SPANISH}")
    language.assign(record)
    assert record.abstract == ENGLISH and record.translations == {"es": SPANISH}


def test_langdetect_tells_a_long_paragraph_that_words_cannot():
    polish = ("Celem pracy była ocena wpływu zintegrowanej opieki na liczbę ponownych hospitalizacji "
              "osób starszych wypisanych ze szpitali klinicznych w dużym mieście, porównując grupę "
              "objętą programem z grupą otrzymującą zwykłą opiekę przez dziewięćdziesiąt dni.")
    assert language.detect(polish, langdetect=False) is None
    assert language.detect(polish) == "pl"


def test_words_are_cut_as_the_word_pattern_cuts_them() -> None:
    """`_words` cuts an ASCII text at its non-letters instead of running `_WORD`: the same words,
    on every line of the fixture exports (ASCII or not), lower-cased as `detect` reads them."""
    from litcorpus.language import _WORD, _words
    from tests.conftest import FIXTURES

    lines = {line.lower() for path in (FIXTURES / "formats").rglob("*") if path.is_file()
             for line in path.read_bytes().decode("utf-8", errors="replace").split("\n")}
    assert sum(line.isascii() for line in lines) > 1000
    assert [_words(line) for line in sorted(lines)] == [_WORD.findall(line) for line in sorted(lines)]
