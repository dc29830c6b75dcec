"""The document-type vocabulary, as data: CSL 1.0.2 item types with a few subtypes, and what every
source's own type labels mean in it. `normalize.doc_type` reads these tables; nothing else decides
a type.

A record keeps three values: `doc_type` (a CSL type, or None when the source states none or only
types these tables do not know), `doc_subtype` (one of SUBTYPES, or None) and `doc_type_original`
(the source's own labels, `; `-joined, as printed).
"""

from __future__ import annotations

CSL_TYPES = frozenset((
    "article", "article-journal", "article-magazine", "article-newspaper", "bill", "book",
    "broadcast", "chapter", "classic", "collection", "dataset", "document", "entry",
    "entry-dictionary", "entry-encyclopedia", "event", "figure", "graphic", "hearing", "interview",
    "legal_case", "legislation", "manuscript", "map", "motion_picture", "musical_score", "pamphlet",
    "paper-conference", "patent", "performance", "periodical", "personal_communication", "post",
    "post-weblog", "regulation", "report", "review", "review-book", "software", "song", "speech",
    "standard", "thesis", "treaty", "webpage",
))
"""https://docs.citationstyles.org/en/stable/specification.html#appendix-iii-types"""

SUBTYPES = ("retraction", "erratum", "comment", "editorial", "conference-abstract", "preprint")
"""Kinds of item that are not the research paper they resemble (a notice, a correction, a
commentary, an abstract or an early version of it). When a record's labels give several, the
first in this order wins."""

# Meanings are "csl-type" or "csl-type/subtype"; "/subtype" alone adds a subtype without deciding
# the type (PubMed's `Comment` beside `Journal Article`); "" is a label that says nothing of the type.

CODES: dict[str, str] = {
    # RIS TY codes (the specification, with the codes Zotero, EndNote and Mendeley write), matched
    # exactly: a code in capitals is not the word it abbreviates (`NEWS` is a newspaper article)
    "JOUR": "article-journal", "JFULL": "periodical", "EJOUR": "article-journal",
    "ABST": "article-journal/conference-abstract", "INPR": "article-journal", "MGZN": "article-magazine",
    "NEWS": "article-newspaper", "BOOK": "book", "EBOOK": "book", "EDBOOK": "book",
    "CHAP": "chapter", "ECHAP": "chapter", "CONF": "paper-conference",
    "CPAPER": "paper-conference", "THES": "thesis", "RPRT": "report", "GOVDOC": "report",
    "GEN": "document", "ELEC": "webpage", "WEB": "webpage", "BLOG": "post-weblog",
    "PAT": "patent", "SER": "periodical", "UNPB": "manuscript", "MANSCPT": "manuscript",
    "DATA": "dataset", "DBASE": "dataset", "AGGR": "dataset", "CASE": "legal_case",
    "STAT": "legislation", "LEGAL": "legislation", "BILL": "bill", "HEAR": "hearing",
    "MAP": "map", "ART": "graphic", "CHART": "graphic", "SLIDE": "graphic", "FIGURE": "figure",
    "ADVS": "motion_picture", "MPCT": "motion_picture", "VIDEO": "motion_picture",
    "SOUND": "song", "MUSIC": "musical_score", "COMP": "software", "PCOMM":
    "personal_communication", "ICOMM": "personal_communication", "PAMP": "pamphlet",
    "DICT": "entry-dictionary", "ENCYC": "entry-encyclopedia", "STAND": "standard",
    "CTLG": "document", "EQUA": "document", "GRANT": "document", "MULTI": "document",
    "ANCIENT": "classic", "CLSWK": "classic",
}

# Each source's labels, matched case-insensitively with white space and a final period ignored.
# A label may appear in several sources only with the same meaning (checked when the table is built).
SOURCES: dict[str, dict[str, str]] = {
    "bibtex": {  # entry types (BibTeX and biblatex)
        "article": "article-journal", "inproceedings": "paper-conference",
        "conference": "paper-conference", "proceedings": "book", "book": "book",
        "inbook": "chapter", "incollection": "chapter", "booklet": "pamphlet",
        "phdthesis": "thesis", "mastersthesis": "thesis", "techreport": "report",
        "manual": "report", "unpublished": "manuscript", "misc": "document", "online": "webpage",
        "electronic": "webpage", "www": "webpage", "dataset": "dataset", "software": "software",
        "patent": "patent", "collection": "book", "mvbook": "book", "periodical": "periodical",
    },
    "crossref": {  # work types (api.crossref.org/types), also OpenAlex's
        "journal-article": "article-journal", "proceedings-article": "paper-conference",
        "book-chapter": "chapter", "book-section": "chapter", "book-part": "chapter",
        "monograph": "book", "edited-book": "book", "reference-book": "book",
        "book-series": "book", "book-set": "book", "reference-entry": "entry", "posted-content":
        "article/preprint", "dissertation": "thesis", "report-series": "report",
        "peer-review": "review", "journal-issue": "periodical", "journal-volume": "periodical",
        "journal": "periodical", "component": "document", "other": "document",
        "grant": "document", "paratext": "document", "erratum": "article-journal/erratum",
        "retraction": "article-journal/retraction", "preprint": "article/preprint",
        "letter": "article-journal", "review": "article-journal",
    },
    "jats": {  # article-type attribute values (JATS tag library, PMC)
        "research-article": "article-journal", "review-article": "article-journal",
        "case-report": "article-journal", "brief-report": "article-journal",
        "systematic-review": "article-journal", "rapid-communication": "article-journal",
        "correction": "article-journal/erratum", "retraction": "article-journal/retraction",
        "expression-of-concern": "article-journal/retraction",
        "article-commentary": "article-journal/comment", "reply": "article-journal/comment",
        "discussion": "article-journal/comment", "editorial": "article-journal/editorial",
        "abstract": "article-journal/conference-abstract",
        "meeting-report": "article-journal", "book-review": "review-book",
        "product-review": "review", "news": "article-journal", "obituary": "article-journal",
        "methods-article": "article-journal", "data-paper": "article-journal",
        "announcement": "article-journal", "calendar": "article-journal",
        "in-brief": "article-journal", "introduction": "article-journal/editorial",
        "dissertation": "thesis", "oration": "speech",
    },
    "pubmed": {  # PubMed / MEDLINE publication types (PT, PublicationType)
        "Journal Article": "article-journal", "Review": "article-journal",
        "Systematic Review": "article-journal", "Meta-Analysis": "article-journal",
        "Comparative Study": "article-journal", "Evaluation Study": "article-journal",
        "Evaluation Studies": "article-journal", "Validation Study": "article-journal",
        "Validation Studies": "article-journal", "Guideline": "article-journal",
        "Practice Guideline": "article-journal", "Case Reports": "article-journal",
        "Clinical Trial": "article-journal", "Clinical Trial, Phase I": "article-journal",
        "Clinical Trial, Phase II": "article-journal",
        "Clinical Trial, Phase III": "article-journal",
        "Clinical Trial, Phase IV": "article-journal",
        "Randomized Controlled Trial": "article-journal",
        "Controlled Clinical Trial": "article-journal", "Multicenter Study": "article-journal",
        "Observational Study": "article-journal", "Twin Study": "article-journal",
        "Clinical Study": "article-journal", "Historical Article": "article-journal",
        "Biography": "article-journal", "Portrait": "article-journal",
        "Research Support, N.I.H., Extramural": "article-journal",
        "Research Support, N.I.H., Intramural": "article-journal",
        "Research Support, Non-U.S. Gov't": "article-journal",
        "Research Support, U.S. Gov't, P.H.S.": "article-journal",
        "Research Support, U.S. Gov't, Non-P.H.S.": "article-journal",
        "Research Support, American Recovery and Reinvestment Act": "article-journal",
        "English Abstract": "article-journal", "Technical Report": "report",
        "Letter": "article-journal", "News": "article-journal", "Newspaper Article":
        "article-newspaper", "Interview": "interview", "Lecture": "speech",
        "Address": "speech", "Congress": "paper-conference", "Dataset": "dataset",
        "Published Erratum": "article-journal/erratum", "Erratum": "article-journal/erratum",
        "Corrected and Republished Article": "article-journal",
        "Retraction of Publication": "article-journal/retraction",
        "Retracted Publication": "article-journal", "Expression of Concern":
        "article-journal/retraction", "Comment": "/comment", "Editorial":
        "article-journal/editorial", "Preprint": "article/preprint",
        "Introductory Journal Article": "article-journal/editorial",
        "Book": "book", "Book Chapter": "chapter", "Consensus Development Conference":
        "paper-conference", "Consensus Development Conference, NIH": "paper-conference",
    },
    "wos": {  # Web of Science document types (DT) and publication types (PT)
        "Article": "article-journal", "Proceedings Paper": "paper-conference",
        "Meeting Abstract": "paper-conference/conference-abstract",
        "Editorial Material": "article-journal/editorial", "Correction": "article-journal/erratum",
        "Correction, Addition": "article-journal/erratum", "Retraction": "article-journal/retraction",
        "Retracted Publication": "article-journal", "Book Review": "review-book",
        "Book Chapter": "chapter", "News Item": "article-journal",
        "Biographical-Item": "article-journal", "Data Paper": "article-journal",
        "Early Access": "", "Reprint": "article-journal", "Note": "article-journal",
        "Discussion": "article-journal/comment", "Item About an Individual": "article-journal",
        "Bibliography": "article-journal", "Software Review": "review", "Poetry": "article",
        "J": "article-journal", "B": "book", "S": "book", "P": "patent",
    },
    "scopus": {  # Scopus, Embase, Ovid, Lens, IEEE and Springer document / publication types
        "Conference Paper": "paper-conference", "Conference Review": "paper-conference",
        "Conference Proceeding": "paper-conference", "Conference Abstract":
        "paper-conference/conference-abstract", "Conference Poster":
        "paper-conference/conference-abstract", "Conference Proceedings": "paper-conference",
        "Conference": "paper-conference", "Conferences": "paper-conference",
        "Article in Press": "article-journal", "Short Survey": "article-journal",
        "Note": "article-journal", "Survey": "article-journal",
        "Journals": "article-journal", "Magazines": "article-magazine",
        "Early Access Articles": "article-journal", "Books": "book", "Standards": "standard",
        "Courses": "document", "Data Paper": "article-journal", "Retracted": "article-journal",
        "Research Articles": "article-journal", "Research Article": "article-journal",
        "Journal: Article": "article-journal", "Journal: Review": "article-journal",
        "Journal: Conference Abstract": "paper-conference/conference-abstract",
        "Journal: Conference Paper": "paper-conference", "Journal: Editorial":
        "article-journal/editorial", "Journal: Erratum": "article-journal/erratum",
        "Journal: Letter": "article-journal", "Journal: Note": "article-journal",
        "Chapter": "chapter", "ConferencePaper": "paper-conference",
        "ReferenceWorkEntry": "entry", "Book-Chapter": "chapter", "Proceedings": "book",
        "Journal Issue": "periodical", "Report": "report", "IEEE Journals": "article-journal",
        "IEEE Conferences": "paper-conference", "IEEE Magazines": "article-magazine",
        "IBM Journals": "article-journal", "IET Journals": "article-journal",
        "IET Conferences": "paper-conference", "IEEE Standards": "standard",
        "IEEE Early Access Articles": "article-journal", "Magazine": "article-magazine",
        "Conference Publication": "paper-conference",
    },
    "endnote": {  # EndNote reference types (tagged %0, XML ref-type names), also NoteExpress's
        "Journal Article": "article-journal", "Electronic Article": "article-journal",
        "Magazine Article": "article-magazine", "Newspaper Article": "article-newspaper",
        "Book": "book", "Edited Book": "book", "Electronic Book": "book", "Book Section":
        "chapter", "Electronic Book Section": "chapter", "Conference Proceedings":
        "paper-conference", "Conference Paper": "paper-conference", "Thesis": "thesis",
        "Dissertation": "thesis", "Report": "report", "Government Document": "report",
        "Generic": "document", "Web Page": "webpage", "Blog": "post-weblog", "Patent": "patent",
        "Standard": "standard", "Dataset": "dataset", "Manuscript": "manuscript",
        "Unpublished Work": "manuscript", "Case": "legal_case", "Statute": "legislation",
        "Bill": "bill", "Hearing": "hearing", "Map": "map", "Chart or Table": "graphic",
        "Figure": "figure", "Artwork": "graphic", "Computer Program": "software",
        "Film or Broadcast": "motion_picture", "Audiovisual Material": "motion_picture",
        "Music": "musical_score", "Personal Communication": "personal_communication",
        "Pamphlet": "pamphlet", "Encyclopedia": "entry-encyclopedia", "Dictionary":
        "entry-dictionary", "Serial": "periodical", "Ancient Text": "classic",
        "Classical Work": "classic", "Interview": "interview", "Grant": "document",
        "Catalog": "document", "Aggregated Database": "dataset", "Online Database": "dataset",
        "Online Multimedia": "webpage", "Legal Rule or Regulation": "regulation",
        "Press Release": "article-newspaper", "Equation": "document", "Review": "article-journal",
        "Editorial": "article-journal/editorial", "Erratum": "article-journal/erratum",
        "Letter": "article-journal", "Preprint": "article/preprint",
    },
    "cnki": {  # CNKI's source databases (SrcDatabase-来源库) and DataType names
        "期刊": "article-journal", "学术期刊": "article-journal", "特色期刊": "article-journal",
        "外文期刊": "article-journal", "硕士": "thesis", "博士": "thesis", "学位论文": "thesis",
        "会议": "paper-conference", "中国会议": "paper-conference", "国际会议": "paper-conference",
        "报纸": "article-newspaper", "年鉴": "book", "图书": "book", "专利": "patent",
        "标准": "standard", "国家标准": "standard", "行业标准": "standard", "成果": "report",
    },
    "litcorpus": {  # the labels older litcorpus versions stored (read when a corpus is migrated)
        "book chapter": "chapter", "conference paper":
        "paper-conference", "web page": "webpage", "unpublished work": "manuscript",
        "magazine article": "article-magazine", "newspaper article": "article-newspaper",
        "serial": "periodical", "generic": "document",
    },
}

# CSL type -> what the writers put (types not listed: the writer's default).
RIS_CODES = {
    "article-journal": "JOUR", "article": "JOUR", "article-magazine": "MGZN",
    "article-newspaper": "NEWS", "book": "BOOK", "chapter": "CHAP", "paper-conference": "CPAPER",
    "thesis": "THES", "report": "RPRT", "webpage": "ELEC", "post-weblog": "BLOG",
    "dataset": "DATA", "patent": "PAT", "manuscript": "UNPB", "standard": "STAND",
    "software": "COMP", "periodical": "JFULL", "document": "GEN",
}
BIBTEX_TYPES = {
    "article-journal": "article", "article": "article", "book": "book", "chapter": "incollection",
    "paper-conference": "inproceedings", "thesis": "phdthesis", "report": "techreport",
    "manuscript": "unpublished", "document": "misc", "webpage": "misc", "dataset": "misc",
}


def fold_label(label: str) -> str:
    """How labels are compared: lower case, single spaces, no final period."""
    return " ".join(label.lower().split()).rstrip(".").strip()


Meaning = tuple[str | None, str | None]
"""(CSL type or None, subtype or None)"""


def _meaning(source: str, label: str, meaning: str) -> Meaning:
    kind, _, subtype = meaning.partition("/")
    if kind and kind not in CSL_TYPES:
        raise ValueError(f"{source} label {label!r}: {kind!r} is not a CSL type")
    if subtype and subtype not in SUBTYPES:
        raise ValueError(f"{source} label {label!r}: {subtype!r} is not a subtype")
    return kind or None, subtype or None


def _table() -> dict[str, Meaning]:
    table: dict[str, Meaning] = {}
    for source, labels in SOURCES.items():
        for label, meaning in labels.items():
            value = _meaning(source, label, meaning)
            key = fold_label(label)
            if table.get(key, value) != value:
                raise ValueError(f"label {label!r} means {table[key]} elsewhere, {value} in {source}")
            table[key] = value
    for kind in CSL_TYPES:  # a corpus already in the vocabulary reads as itself
        table.setdefault(kind, (kind, None))
    return table


LABELS = _table()
"""Folded label -> its meaning."""
CODE_MEANINGS = {code: _meaning("ris", code, meaning) for code, meaning in CODES.items()}
"""RIS code, exactly as written -> its meaning."""
