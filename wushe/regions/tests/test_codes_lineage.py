from wushe.regions.codes import ROOT_CODE, lineage


def test_lineage_is_the_code_and_its_ancestors_nearest_first():
    assert lineage("440305007003") == [
        "440305007003",
        "440305007000",
        "440305000000",
        "440300000000",
        "440000000000",
        ROOT_CODE,
    ]


def test_lineage_folds_a_townships_two_forms_and_a_city_without_counties():
    assert lineage("441900003000") == [
        "441900003000",
        "441900000000",
        "440000000000",
        ROOT_CODE,
    ]
