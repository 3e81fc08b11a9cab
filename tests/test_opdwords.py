"""OPD words: the share of a complaint's specific words that belongs to each OPD."""

import pytest

from knowledge.indextypes import Term
from knowledge.kb import Category, Faq, KnowledgeBase, Opd
from knowledge.normalize import Normalizer
from knowledge.opdwords import OpdWords
from knowledge.router import ComplaintRouter


def opds() -> tuple[Opd, ...]:
    dinkes = Opd(slug="dinkes", name="Dinas Kesehatan", description="Puskesmas dan kesehatan warga", faqs=(
        Faq("jadwal-posyandu", "dinkes", "Kapan jadwal posyandu dan imunisasi balita?",
            "Tanyakan kepada kader posyandu di kelurahan Anda.", keywords=("posyandu",)),
    ))
    dpmptsp = Opd(slug="dpmptsp", name="Dinas Penanaman Modal dan PTSP", description="Perizinan usaha", categories=(
        Category("perizinan-lambat", "Pengurusan izin lambat", "dpmptsp", keywords=("izin", "lambat"),
                 examples=("izin usaha sudah tiga bulan tidak ada kabar",)),
    ))
    dishub = Opd(slug="dishub", name="Dinas Perhubungan", description="Halte, bus dan parkir warga")
    return dinkes, dpmptsp, dishub


@pytest.fixture(scope="module")
def normalizer() -> Normalizer:
    return Normalizer.default()


def terms(normalizer: Normalizer, text: str) -> list[Term]:
    return [Term(token, token, 1.0, 1.0) for token in normalizer.tokens(text)]


def test_a_word_only_one_opd_uses_counts_for_that_opd(normalizer):
    shares = OpdWords(opds(), normalizer).shares(terms(normalizer, "posyandu halte"))
    assert shares["dinkes"] == pytest.approx(0.5)
    assert shares["dishub"] == pytest.approx(0.5)
    assert shares["dpmptsp"] == 0.0


def test_a_word_every_opd_uses_says_nothing(normalizer):
    words = OpdWords(opds(), normalizer)
    assert words.shares(terms(normalizer, "dinas")) == {}  # in all three names
    assert words.shares(terms(normalizer, "kata asing sekali")) == {}  # in none


def test_one_opd_has_no_specific_words(normalizer):
    assert OpdWords(opds()[:1], normalizer).shares(terms(normalizer, "posyandu")) == {}


def test_a_word_specific_to_one_opd_breaks_a_tie_between_two_categories(normalizer):
    slow = ("Pelayanan lambat", ("lambat", "antre"))
    izin = Opd(slug="dpmptsp", name="Dinas Perizinan", description="Perizinan usaha", categories=(
        Category("izin-lambat", slow[0], "dpmptsp", keywords=slow[1]),))
    kesehatan = Opd(slug="dinkes", name="Dinas Kesehatan", description="Puskesmas dan posyandu", categories=(
        Category("puskesmas-lambat", slow[0], "dinkes", keywords=slow[1]),))
    router = ComplaintRouter(KnowledgeBase(opds=(izin, kesehatan)), normalizer)
    r = router.route("pelayanan di puskesmas lambat sekali, antre dari pagi")
    assert (r.opd, r.category) == ("dinkes", "puskesmas-lambat")
    assert router.route("pelayanan izin usaha lambat sekali, antre dari pagi").opd == "dpmptsp"
