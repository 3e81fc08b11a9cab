"""The knowledge-base loader's problems (English, for `tanyakota kb validate`) in Indonesian for OPD admins.

An admin uploading their OPD's file reads these on the import page; each names what is wrong and,
where it helps, what to do. A message with no translation here is shown as the loader wrote it.
"""

from __future__ import annotations

import re

_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(p), r) for p, r in (
    (r"^cannot read file: .*", "File tidak dapat dibaca. Simpan sebagai teks UTF-8 berformat YAML (.yaml), bukan "
                               "dokumen Word, PDF atau gambar."),
    (r"^not valid YAML: ([^\n]*)[\s\S]*", r"Format YAML tidak valid (\1). Periksa indentasi dan tanda titik dua."),
    (r"^slug '(.*)' must equal the file name '(.*)'", r"File ini berisi OPD '\1', bukan '\2'. Unggah file OPD Anda "
                                                      r"sendiri (ekspor dulu untuk contohnya)."),
    (r"^slug '(.*)' must use only a-z, 0-9 and '-'", r"slug '\1' hanya boleh berisi huruf kecil a-z, angka dan '-'."),
    (r"^unknown key '(.*)' in (.*) \(allowed: (.*)\)", r"Kunci '\1' tidak dikenal di \2 (yang boleh: \3)."),
    (r"^duplicate FAQ id '(.*)' \(already used in .*\)", r"ID FAQ '\1' dipakai lebih dari sekali."),
    (r"^duplicate category code '(.*)' \(already used in .*\)", r"Kode kategori '\1' dipakai lebih dari sekali."),
    (r"^duplicate key '(.*)' in (.*)", r"Kunci '\1' muncul dua kali di \2."),
    (r"^(.*): '(.*)' is missing or empty$", r"\1: '\2' wajib diisi."),
    (r"^(.*): '(.*)' must be a list of texts$", r"\1: '\2' harus berupa daftar teks (satu butir per baris '- ')."),
    (r"^'(.*)' must be a list$", r"'\1' harus berupa daftar (satu butir per baris '- ')."),
    (r"^(.*): '(.*)' must be text$", r"\1: '\2' harus berupa teks."),
    (r"^(.*): '(.*)' has an empty or non-text item$", r"\1: '\2' berisi butir yang kosong atau bukan teks."),
    (r"^(.*): '(.*)' must be a whole number of days ≥ 1$", r"\1: '\2' harus berupa jumlah hari (bilangan bulat, "
                                                           r"minimal 1)."),
    (r"^(.*): review_by must be a date like 2027-06-30$", r"\1: review_by harus berupa tanggal, mis. 2027-06-30."),
    (r"^(.*): review_by (.*) has passed; the entry needs review$", r"\1: tanggal tinjau ulang \2 sudah lewat; "
                                                                   r"periksa lagi isi FAQ ini."),
    (r"^(.*): (id|code) must use only a-z, 0-9 and '-'$", r"\1: \2 hanya boleh berisi huruf kecil a-z, angka dan '-'."),
    (r"^(.*): 'contact' must be a mapping$", r"\1: 'contact' harus berisi baris 'kunci: nilai' (mis. phone: ...)."),
))
_NAMES = ((re.compile(r"\bcomplaint category '"), "kategori pengaduan '"),)


def indonesian(message: str) -> str:
    """Return a loader problem in Indonesian (unchanged when there is no rule for it)."""
    for pattern, replacement in _RULES:
        if pattern.search(message):
            message = pattern.sub(replacement, message)
            break
    for pattern, replacement in _NAMES:
        message = pattern.sub(replacement, message)
    return message
