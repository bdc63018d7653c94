"""Words a program's catalog entry lacks, proposed for an officer to review (`catalog propose-words`).

Residents say 병구완 where the catalog says 간병, 쓸쓸하다 where it says 외롭다. kiwipiepy's CoNg
model knows which morphemes appear in like contexts, offline, so it can suggest such words.
It is noisy: words the model saw rarely have almost no meaning in it and come back "similar"
to anything (방범→무기고, 고독사→규방). So this is a review tool, never a matching signal: it
writes a list that an officer reads and copies from; nothing is added to the catalog, and the
bot and the matcher never call it (the command line imports it, which loads nothing).

kiwipiepy 0.24 already analyses text with CoNg by default (the matcher's analyser loads it
anyway); the tool asks for it by name so that a change of default cannot leave it without
neighbours.
"""

from __future__ import annotations

import sys
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from catalog.loader import Catalog, data_dir, load_catalog
from catalog.schema import Program, Status

# Parts of speech by family: a noun is proposed for a noun, a verb, adjective or adjective root
# (쓸쓸 of 쓸쓸하다) for any of those (외롭다→쓸쓸하다). Proper nouns, adverbs and the rest are
# never proposed: their neighbours are the model's noise (names, mimetic words).
_FAMILIES = {"NNG": "noun"} | {
    tag: "predicate" for tag in ("VV", "VA", "VV-I", "VA-I", "VV-R", "VA-R", "XR")
}
_VERB_TAGS = ("VV", "VA")

DEFAULT_TOP = 20
DEFAULT_MIN_SIMILARITY = 0.5
# How many neighbours the model is asked for per keyword morpheme, before filtering: enough
# that a program of 20 keywords yields far more than `top` candidates.
NEIGHBOURS_ASKED = 30
# A morpheme whose 20 nearest neighbours lie within this much similarity of each other is one
# the model hardly knows: its "neighbours" are a flat crowd of other rare words (고독사:
# 박애주의, 규방, 구시렁구시렁 …, all at 0.94), so it proposes nothing. Measured on the local
# programs' keywords, 0.03 keeps 간병, 도시락 and 골절 and drops most such crowds; the recall
# of hidden related words hardly moves between 0.02 and 0.05 (see `related_recall`).
FLAT_NEIGHBOURHOOD = 0.03
_FLATNESS_DEPTH = 20


class WordProposalError(Exception):
    """An expected failure of `catalog propose-words`: the command prints it on one line."""


class WordModelUnavailable(WordProposalError):
    """The CoNg model (kiwipiepy-model's cong.mdl) cannot be loaded; the message says how to get it."""


class UnknownProgramError(WordProposalError):
    """A program id the catalog does not have, or one that is not a local program."""


@dataclass(frozen=True)
class WordProposal:
    """One word for an officer to consider: `word` is `similarity` close to `keyword` of
    `program_id` (its nearest keyword), and a neighbour of `near` of the program's keywords."""

    program_id: str
    keyword: str
    word: str
    similarity: float
    near: int = 1  # how many of the program's keyword morphemes have it among their neighbours

    def tsv(self) -> str:
        return f"{self.program_id}\t{self.keyword}\t{self.word}\t{self.similarity:.3f}\t{self.near}"


TSV_HEADER = "program\tkeyword\tproposed\tsimilarity\tnear"


@dataclass(frozen=True)
class _Morpheme:
    form: str
    tag: str
    id: int

    @property
    def family(self) -> str | None:
        return _FAMILIES.get(self.tag)

    @property
    def word(self) -> str:
        """As an officer writes it in the catalog: verbs and adjectives in dictionary form, an
        adjective root with 하다 (쓸쓸 → 쓸쓸하다, which the analyser reads back as 쓸쓸)."""
        if self.tag.startswith(_VERB_TAGS):
            return self.form + "다"
        if self.tag == "XR":
            return self.form + "하다"
        return self.form


class WordNeighbours:
    """kiwipiepy's CoNg model: the content morphemes of a phrase and their nearest neighbours."""

    def __init__(self, model_path: Path | None = None) -> None:
        try:
            from kiwipiepy import Kiwi

            if model_path is None:
                import kiwipiepy_model

                model_path = Path(kiwipiepy_model.get_model_path())
        except ImportError as error:
            raise WordModelUnavailable(
                f"kiwipiepy or kiwipiepy-model is not installed ({error.name})"
            ) from error
        if not (model_path / "cong.mdl").is_file():
            raise WordModelUnavailable(
                f"the CoNg word model (cong.mdl) is missing from {model_path}; "
                "install kiwipiepy-model 0.21 or later"
            )
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)  # num_workers=0: see morphology
                self._kiwi = Kiwi(
                    num_workers=0,
                    model_path=str(model_path),
                    model_type="cong",
                    load_default_dict=False,
                    load_typo_dict=False,
                    load_multi_dict=False,
                )
        except Exception as error:  # kiwipiepy's "Cannot open …" is a bare Exception
            raise WordModelUnavailable(f"the CoNg word model cannot be loaded: {error}") from error

    def content_morphemes(self, phrase: str) -> list[_Morpheme]:
        tokens = self._kiwi.tokenize(phrase)
        return [_Morpheme(t.form, t.tag, t.id) for t in tokens if t.tag in _CONTENT_TAGS]

    def neighbours(self, morpheme: _Morpheme, count: int) -> list[tuple[_Morpheme, float]]:
        """The `count` nearest morphemes, nearest first; none for a morpheme the model knows too
        little (see FLAT_NEIGHBOURHOOD) or not at all (kiwipiepy returns an empty list)."""
        found = self._kiwi.most_similar_morphemes(morpheme.id, top_n=max(count, _FLATNESS_DEPTH))
        if len(found) < _FLATNESS_DEPTH:
            return []
        if found[0].score - found[_FLATNESS_DEPTH - 1].score < FLAT_NEIGHBOURHOOD:
            return []
        return [(_Morpheme(s.form, s.tag, s.id), float(s.score)) for s in found[:count]]


# Every part of speech that can carry a word's meaning: existing words are read with all of
# them, so that a proposal already in the catalog under another tag is still recognised.
_CONTENT_TAGS = frozenset(_FAMILIES) | {"NNP", "NR", "MAG", "SL"}


def generic_words() -> frozenset[str]:
    """The lexicon's words that fit every request (하다, 지원, 서비스): never worth proposing."""
    lines = (data_dir() / "lexicon" / "generic-words.txt").read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def local_programs(
    catalog: Catalog, *, district: str | None = None, program_id: str | None = None
) -> list[Program]:
    """The programs an officer tunes by hand: active, not national; of `district` (named in its
    area) or the one `program_id`. Unknown codes raise with the valid ones named."""
    programs = [
        p for p in catalog.programs.values() if p.status is Status.ACTIVE and not catalog.is_national(p)
    ]
    if district is not None:
        catalog.area_codes(district)  # raises UnknownDistrictError listing the districts
        programs = [p for p in programs if district in p.area]
    if program_id is not None:
        if program_id not in {p.id for p in programs}:
            if program_id in catalog.programs and catalog.is_national(catalog.programs[program_id]):
                raise UnknownProgramError(
                    f"'{program_id}' is a national program: its words come from the booklet, not officers"
                )
            where = f" of district '{district}'" if district else ""
            valid = ", ".join(sorted(p.id for p in programs))
            raise UnknownProgramError(f"unknown local program '{program_id}'{where}; local programs: {valid}")
        programs = [p for p in programs if p.id == program_id]
    return sorted(programs, key=lambda p: p.id)


def propose_words(
    programs: Iterable[Program],
    model: WordNeighbours,
    *,
    top: int = DEFAULT_TOP,
    min_similarity: float = DEFAULT_MIN_SIMILARITY,
    keep_related: bool = True,
    generic: frozenset[str] | None = None,
) -> list[WordProposal]:
    """For each program, its `top` nearest new words: neighbours of its Korean keywords' content
    morphemes, of the same family, at least `min_similarity` close, and neither a keyword, a
    related word (unless `keep_related` is False, to measure how many come back) nor a generic
    word. A word near several keywords is listed once, with the keyword it is nearest to."""
    generic = generic_words() if generic is None else generic
    proposals = []
    for program in programs:
        phrases = set(program.keywords.ko) | (set(program.related.ko) if keep_related else set())
        morphemes = [m for phrase in phrases for m in model.content_morphemes(phrase)]
        # By dictionary word and by bare form: 우울하다 is read as the noun 우울, and the model's
        # root 우울 (XR) must count as known too.
        known = phrases | {m.word for m in morphemes} | {m.form for m in morphemes}
        nearest: dict[str, WordProposal] = {}
        closeness: dict[str, float] = {}  # summed over the keyword morphemes it is near
        near: dict[str, int] = {}
        for source, keyword in _keyword_morphemes(program, model).items():
            if source.family is None or source.word in generic:
                continue
            for neighbour, similarity in model.neighbours(source, NEIGHBOURS_ASKED):
                word = neighbour.word
                if (
                    neighbour.family != source.family
                    or similarity < min_similarity
                    or word in known
                    or neighbour.form in known
                    or word in generic
                ):
                    continue
                closeness[word] = closeness.get(word, 0.0) + similarity
                near[word] = near.get(word, 0) + 1
                if word not in nearest or similarity > nearest[word].similarity:
                    nearest[word] = WordProposal(program.id, keyword, word, round(similarity, 3))
        # A word near several of the program's keywords first: one keyword's neighbours are
        # often its noise (방범→무기고), several keywords rarely share the same noise. Ranked by
        # summed closeness, 9 hidden related words came back in the top 20, against 4 ranked by
        # the single nearest similarity (see `related_recall`).
        ranked = sorted(nearest.values(), key=lambda p: (-closeness[p.word], p.word))
        ranked = [replace(p, near=near[p.word]) for p in ranked]
        proposals.extend(ranked[:top])
    return proposals


def _keyword_morphemes(program: Program, model: WordNeighbours) -> dict[_Morpheme, str]:
    """Each content morpheme of the program's Korean keywords, once, with the first keyword that
    has it: 가사 in 가사, 가사지원 and 가사도우미 is one piece of evidence, not three."""
    found: dict[_Morpheme, str] = {}
    for keyword in program.keywords.ko:
        for morpheme in model.content_morphemes(keyword):
            found.setdefault(morpheme, keyword)
    return found


@dataclass(frozen=True)
class RelatedRecall:
    """How many of the programs' related words come back as proposals when they are hidden."""

    found: int
    hidden: int
    left_out: int  # related words that cannot come back (several words, generic, also a keyword)
    found_words: tuple[str, ...]

    @property
    def recall(self) -> float:
        return self.found / self.hidden if self.hidden else 0.0


def related_recall(
    programs: Sequence[Program],
    model: WordNeighbours,
    *,
    top: int = DEFAULT_TOP,
    min_similarity: float = DEFAULT_MIN_SIMILARITY,
) -> RelatedRecall:
    """The tool's honest figure: hide each program's related words, propose from its keywords,
    count the related words among its `top` proposals. Only related words that are one noun or
    one predicate and not generic or a keyword can come back; the rest are counted aside."""
    generic = generic_words()
    proposals = propose_words(programs, model, top=top, min_similarity=min_similarity, keep_related=False)
    proposed = {(p.program_id, p.word) for p in proposals}
    found, hidden, left_out, found_words = 0, 0, 0, []
    for program in programs:
        keyword_words = {m.word for phrase in program.keywords.ko for m in model.content_morphemes(phrase)}
        for phrase in program.related.ko:
            morphemes = model.content_morphemes(phrase)
            if len(morphemes) != 1 or morphemes[0].family is None:
                left_out += 1
                continue
            word = morphemes[0].word
            if word in generic or word in keyword_words or phrase in program.keywords.ko:
                left_out += 1
                continue
            hidden += 1
            if (program.id, word) in proposed:
                found += 1
                found_words.append(f"{program.id}:{word}")
    return RelatedRecall(found, hidden, left_out, tuple(found_words))


def run_propose_words(args) -> int:
    """`ddokddok catalog propose-words`: the review list as TSV (stdout or --out), or with
    --measure the related-word recall. The arguments are checked before the model loads."""
    if args.top < 1:
        raise WordProposalError("--top must be 1 or more")
    catalog = load_catalog(args.catalog)
    programs = local_programs(catalog, district=args.district, program_id=args.program)
    model = WordNeighbours()
    if args.measure:
        figure = related_recall(programs, model, top=args.top, min_similarity=args.min_similarity)
        print(
            f"hidden related words back among the top {args.top} proposals: {figure.found}/{figure.hidden} "
            f"= {figure.recall:.3f} (programs: {len(programs)}; related words left out as several words, "
            f"generic or also a keyword: {figure.left_out})"
        )
        print("  " + " ".join(figure.found_words))
        return 0
    proposals = propose_words(programs, model, top=args.top, min_similarity=args.min_similarity)
    text = "\n".join([TSV_HEADER, *(proposal.tsv() for proposal in proposals)]) + "\n"
    if args.out:
        args.out.write_text(text, encoding="utf-8")
        print(
            f"wrote {len(proposals)} proposed words for {len(programs)} programs to {args.out} "
            "(nothing added to the catalog)"
        )
    else:
        sys.stdout.write(text)
    return 0
