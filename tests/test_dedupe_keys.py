"""dedupe/keys: the match keys of records, compared only, never shown."""

from __future__ import annotations

from litcorpus.dedupe.keys import author_key, journal_words, keys, person, same_person
from litcorpus.models import Author, Record


def test_keys_fold_titles_names_and_pages():
    record = Record(id="a-1", title="Ageing in Place: A Review [Review article].",
                    authors=[Author(family="van Kessel", given="Anna"), Author(family="Müller", given="J.")],
                    journal="The Journal of Integrated Care", year=2020, volume="35 Suppl 1",
                    issue="(4)", pages="1019-27", doi="10.1000/x", pmid="123")
    found = keys(record, 0)
    assert found.title == "ageing in place a review"
    assert found.authors == ("kessel", "muller")
    assert found.journal == ("integrated", "care")
    assert (found.volume, found.first_page, found.pages) == ("35", "1019", "1019-1027")
    assert (found.doi, found.pmid, found.year) == ("10.1000/x", "123", 2020)
    assert not (found.erratum or found.comment or found.preprint)


def test_errata_comments_and_retractions_are_told_by_the_normalised_subtype_or_the_title():
    assert keys(Record(title="A study of care", doc_subtype="erratum"), 0).erratum
    assert keys(Record(title="Erratum: A study of care"), 0).erratum
    assert keys(Record(title="A study of care", doc_subtype="retraction"), 0).retraction
    assert keys(Record(title="A study of care", doc_subtype="comment"), 0).comment
    assert keys(Record(title="Re: A study of care"), 0).comment
    assert keys(Record(title="A study of care", doc_subtype="preprint"), 0).preprint
    plain = keys(Record(title="A study of care", doc_type="article-journal",
                        doc_type_original="Journal Article; Retracted Publication"), 0)
    assert not (plain.erratum or plain.retraction or plain.comment or plain.preprint)


def test_subtypes_come_from_the_normaliser():
    from litcorpus import normalize
    from litcorpus.models import RawRecord

    notice = normalize.record(RawRecord(title="A study of care",
                                        doc_type=["Retraction of Publication", "Journal Article"]))
    assert keys(notice, 0).retraction


def test_preprints_are_told_by_doi_prefix_or_venue():
    assert keys(Record(title="T", doi="10.1101/2020.01.01.123"), 0).preprint
    assert keys(Record(title="T", journal="medRxiv"), 0).preprint


def test_author_and_journal_keys():
    assert author_key("van Kessel") == author_key("Kessel") == "kessel"
    assert author_key("Si Hyun Kang") == "kang"
    assert journal_words("J. of Health & Care") == ("health", "care")
    swapped = (person("Carignani", "Andrea"), person("Andrea", "C."))
    assert same_person(*swapped)
    assert not same_person(person("Carignani", "Andrea"), person("Bianchi", "Andrea"))
