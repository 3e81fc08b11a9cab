"""The learning-from-choices benchmark: which questions a resident's pick would add, and where."""

from __future__ import annotations

from bench.learning import picked, with_phrasings
from knowledge.matcher import FaqMatcher
from tests.conftest_chat import chat_kb


def test_a_question_whose_right_entry_was_offered_becomes_its_phrasing() -> None:
    kb = chat_kb()
    matcher = FaqMatcher(kb)
    rows = [{"text": "cara mengurus ktp-el", "faq_id": "ktp-el-hilang"},  # a menu offering it
            {"text": "Bagaimana cara mengurus KTP-el yang hilang?", "faq_id": "ktp-el-hilang"},  # answered at once
            {"text": "cara mengurus ktp-el", "faq_id": None}]  # off-topic: nobody picks for it
    assert matcher.match(rows[0]["text"]).decision == "suggest"
    extra = picked(matcher, rows)
    assert extra == {"ktp-el-hilang": ["cara mengurus ktp-el"]}
    learned = with_phrasings(kb, extra)
    assert learned.faq("ktp-el-hilang").alternatives[-1] == "cara mengurus ktp-el"
    assert learned.faq("ktp-el-rusak").alternatives == kb.faq("ktp-el-rusak").alternatives
    after = FaqMatcher(learned).match("cara mengurus ktp-el")
    assert after.decision == "answer" and after.faq.id == "ktp-el-hilang"
