from bot.text import fold, is_cyrillic, stems


def test_fold_strips_diacritics_and_case():
    assert fold("Ile KOSZTUJE karta pobytu? Łódź") == "ile kosztuje karta pobytu? lodz"


def test_fold_romanises_polish_terms_typed_in_cyrillic():
    assert fold("карта побиту") == fold("karta pobytu")
    assert fold("карта побыту") == fold("Karta pobytu")
    assert fold("песель") == "pesel"


def test_fold_drops_urls():
    assert fold("see https://infoopt.pl/oplaty/ now") == "see now"


def test_stems_cut_inflection():
    assert stems("zezwolenia zezwoleniem") == ["zezwol", "zezwol"]
    assert stems("Уповноваження уповноваженням") == ["upowno", "upowno"]


def test_is_cyrillic():
    assert is_cyrillic("карта pobytu карта")
    assert not is_cyrillic("karta pobytu")
