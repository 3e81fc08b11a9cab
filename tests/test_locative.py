"""Place phrases in complaints ("di dekat kantor lurah") are told apart from what the complaint is about."""

import pytest

from knowledge.kb import Category, KnowledgeBase, Opd
from knowledge.locative import split_place_phrases
from knowledge.normalize import Normalizer
from knowledge.router import ComplaintRouter


@pytest.mark.parametrize(("text", "what", "where"), [
    ("taman kota di dekat kantor lurah terbengkalai", "taman kota , terbengkalai", "di dekat kantor lurah"),
    ("puskesmas di kelurahan kami tutup jam 11", "puskesmas , tutup jam 11", "di kelurahan kami"),
    ("TPS di dekat SMP 7 udah meluber", "TPS , udah meluber", "di dekat SMP 7"),
    ("rmh kmi di Gandus rusak kena puting beliung", "rmh kmi , rusak kena puting beliung", "di Gandus"),
    ("saluran di jl. perintis kemerdekaan mampet", "saluran , kemerdekaan mampet", "di jl. perintis"),
    ("got depan rmh mampet, air ga ngalir", "got , mampet , air ga ngalir", "depan rmh"),
    ("kiosk on the footpath outside our house", "kiosk on the footpath ,", "outside our house"),
])
def test_place_phrases_are_split_off(text, what, where):
    assert split_place_phrases(text) == (what, where)


@pytest.mark.parametrize("text", [
    "jalan berlubang besar dan aspal terkelupas",  # no place phrase
    "sampah di tps tidak diangkut",  # "di" + a word that is neither an address nor a name
    "pungli di sekolah anak saya",
    "makam di TPU Kandang Kawat ditimpa makam baru",  # an acronym after "di" is the subject, not a place name
])
def test_a_text_without_place_phrases_is_kept_whole(text):
    assert split_place_phrases(text) == (text, "")


def test_a_landmark_does_not_decide_the_route():
    kb = KnowledgeBase(opds=(
        Opd(slug="perkim", name="Dinas Perumahan dan Kawasan Permukiman", categories=(
            Category("taman-rusak", "Taman kota rusak atau tidak terawat", "perkim", keywords=("taman", "rumput")),)),
        Opd(slug="kecamatan", name="Kecamatan dan Kelurahan", categories=(
            Category("pelayanan-kelurahan", "Pelayanan kantor lurah", "kecamatan",
                     keywords=("kantor lurah", "kelurahan", "pelayanan")),)),
    ))
    router = ComplaintRouter(kb, Normalizer.default())
    # Read as topic words, "kantor lurah" and "kelurahan" sent these to the kelurahan
    # (0.51 and 0.34 against 0.50 and 0.31).
    assert router.route("taman rusak di dekat kantor lurah").opd == "perkim"
    assert router.route("ayunan taman patah di kelurahan kami").opd == "perkim"
    assert router.route("pelayanan di kantor lurah lambat sekali").opd == "kecamatan"
