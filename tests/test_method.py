"""The method settings and the findings catalogue: one place each, complete, consistent."""

from __future__ import annotations

import inspect
import re
import string

import pytest

import tts
from tts import audit as audit_module
from tts.catalogue import AREAS, KINDS, OBSTACLE_MEASURES, QUALITY, SEVERITY_RULES, kind
from tts.i18n import label
from tts.method import Method, survey_weeks
from tts.schema import ROLE_CODES

CJK = re.compile(r"[\u4e00-\u9fff]")
UNITS = {"share", "min", "h", "visits", "customers", "reps", "rows", "days", "answers"}
UNITS |= {"obstacles", "min a day"}
OWNERS = set(ROLE_CODES) | {"sales_manager", "route_planner", "sales_ops", "{role}"}


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(KINDS))
def test_every_catalogue_entry_is_complete_in_both_languages(key):
    k = KINDS[key]
    assert k.area in AREAS and k.unit in UNITS and k.severity in SEVERITY_RULES
    assert k.owner in OWNERS, k.owner
    for words in (k.title, k.countermeasure, k.check_measure, k.evidence, k.standard):
        assert words.en.strip() and words.zh.strip()
        assert _fields(words.en) == _fields(words.zh), (key, words)
    for words in (k.title, k.countermeasure, k.check_measure):
        assert CJK.search(words.zh), (key, words.zh)  # Chinese, not English copied over
        assert not CJK.search(words.en), (key, words.en)
    if k.area == "audit" and key != "quarantine":
        assert k.weight > 0 and k.message is not None
        assert _fields(k.message.en) == _fields(k.message.zh)
    assert label("metric", key, "zh") != label("metric", key, "en") or k.area != "efficiency"


def test_role_specific_actions_and_the_other_words():
    assert kind("out_of_role_finance").owner == "finance"
    assert kind("out_of_role_logistics").countermeasure == KINDS["out_of_role"].countermeasure
    for keys, words in OBSTACLE_MEASURES:
        assert CJK.search(words.zh) and not CJK.search(words.en)
        assert any(CJK.search(k) for k in keys) and any(not CJK.search(k) for k in keys)
    for words in QUALITY.values():
        assert CJK.search(words.zh) and _fields(words.en) == _fields(words.zh)
    with pytest.raises(KeyError):
        kind("no_such_finding")


def test_the_packaged_template_holds_every_default():
    import tomllib
    from importlib import resources

    text = resources.files("tts").joinpath("data/method.toml").read_text("utf-8")
    assert Method.default() == Method()
    # every setting is in the template; the time zone is there as a comment (default: none)
    optional = {"timezone", "depot_lat", "depot_lon"}  # commented out: no default value
    assert set(tomllib.loads(text)) | optional == set(Method.__dataclass_fields__)
    assert '# timezone = "Asia/Shanghai"' in text


def test_check_functions_default_to_the_method():
    m = Method()
    defaults = {
        (audit_module.flag_zero_visits, "min_visit_min"): m.min_visit_min,
        (audit_module.flag_long_visits, "max_visit_min"): m.max_visit_min,
        (audit_module.flag_impossible_speed, "max_speed_kmh"): m.max_speed_kmh,
        (audit_module.flag_impossible_speed, "min_distance_m"): m.speed_min_distance_m,
        (audit_module.flag_copied_days, "min_rows"): m.copied_min_rows,
        (audit_module.flag_round_heaping, "base_min"): m.heaping_base_min,
        (audit_module.flag_round_heaping, "max_share"): m.heaping_max_share,
        (audit_module.flag_round_heaping, "min_rows"): m.heaping_min_rows,
        (audit_module.flag_short_days, "min_day_h"): m.min_day_h,
        (audit_module.flag_unaccounted_time, "max_unaccounted_min"): m.max_unaccounted_min,
        (audit_module.missing_days, "weekmask"): m.weekmask,
    }
    for (func, name), value in defaults.items():
        assert inspect.signature(func).parameters[name].default == value, (func, name)


def test_trust_lights():
    m = Method()
    assert [m.trust_light(s) for s in (100, 90, 89.9, 70, 69.9, 0)] == [
        "green",
        "green",
        "amber",
        "amber",
        "red",
        "red",
    ]
    assert Method(trust_green=95, trust_amber=50).trust_light(90) == "amber"


def test_settings_from_toml_and_their_errors(tmp_path):
    path = tmp_path / "m.toml"
    path.write_text(
        'weekdays = ["Mon", "Tue", "Wed", "Thu", "Fri"]\n[travel]\nspeed_kmh = 25\n',
        encoding="utf-8",
    )
    m = Method.from_toml(path)
    assert m.days_per_week == 5 and m.travel.speed_kmh == 25 and m.travel.circuity == 1.3
    path.write_text("weekdyas = []\n", encoding="utf-8")
    with pytest.raises(tts.InputError, match=r"unknown method setting\(s\) \['weekdyas'\]"):
        Method.from_toml(path)
    for bad in (
        {"gini_max": 1.5},
        {"weekdays": ["Mon", "Funday"]},
        {"trust_green": 60, "trust_amber": 70},
        {"peak_months": [0]},
        {"lunch_window": ["14:00", "11:00"]},
        {"timezone": "Mars/Olympus"},
        {"travel": {"speed_kmh": 0}},
        {"travel": {"speed": 20}},
        {"heaping_min_rows": 2.5},
    ):
        with pytest.raises(tts.InputError, match="method"):
            Method.from_dict(bad)


def test_survey_weeks_counts_calendar_weeks():
    import pandas as pd

    dates = pd.Series(pd.to_datetime(["2026-03-07", "2026-03-08", "2026-03-09"]))
    assert survey_weeks(dates) == 2  # Sat and Sun of one week, Mon of the next
    assert survey_weeks(pd.Series([], dtype="datetime64[ns]")) == 1
