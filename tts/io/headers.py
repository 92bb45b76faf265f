"""Mapping users' headers and labels onto the canonical names of the data contract.

Two sources, the user's first:

1. a mapping file (TOML) given to :func:`tts.load_dataset`::

       [headers]                 # any table
       "业代工号" = "rep_id"

       [headers.activities]      # one table only
       "起" = "start"

       [labels.activity]         # activity labels → activity codes
       "店内拜访" = "visit"

       [labels.role]             # role labels, for performed_by and owner
       "区域开发" = "area_development_rep"

       date_format = "DMY"       # dates such as 03/02/2026 are day first ("MDY": month first)

2. the built-in alias tables below: common English and Chinese headers and labels.

Headers and labels are compared after :func:`normalise`: trimmed, lower-cased, a trailing unit in
brackets dropped, runs of spaces, dashes and dots turned into one underscore.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from collections.abc import Mapping as MappingABC
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

import pandas as pd

from .._exceptions import InputError
from ..schema import (
    ACTIVITY_CODES,
    AREA_CODES,
    CHANNEL_CODES,
    ROLE_CODES,
    TABLES,
    TableSpec,
)
from .files import read_toml
from .times import date_order_of

__all__ = [
    "CHINESE_SYSTEM_FIELDS",
    "Mapping",
    "check_date_format",
    "map_headers",
    "map_labels",
    "normalise",
]

# canonical column -> aliases, for every table that has the column
_HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "rep_id": (
        "rep",
        "rep_code",
        "salesman",
        "salesman_id",
        "sales_rep",
        "employee_id",
        "业务员",
        "业务员编号",
        "业务员id",
        "业务员工号",
        "业务员代码",
        "业务代表",
        "销售代表",
        "工号",
        "员工编号",
        "人员编号",
    ),
    "date": ("day", "visit_date", "work_date", "日期", "工作日期", "拜访日期"),
    "customer_id": (
        "customer",
        "customer_code",
        "store",
        "store_id",
        "store_code",
        "outlet",
        "outlet_id",
        "account_id",
        "客户编号",
        "客户代码",
        "客户id",
        "客户编码",
        "门店编号",
        "门店代码",
        "售点编号",
        "网点编号",
    ),
    "route_id": ("route", "route_code", "线路", "线路编号", "线路代码", "路线", "路线编号"),
    "name": ("customer_name", "store_name", "rep_name", "名称", "客户名称", "门店名称", "姓名"),
    "lat": ("latitude", "纬度"),
    "lon": ("lng", "long", "longitude", "经度"),
    "channel": ("channel_code", "渠道", "渠道类型", "业态"),
    "open_time": ("open", "opening_time", "opens", "开门时间", "营业开始时间", "营业开始"),
    "close_time": ("close", "closing_time", "closes", "关门时间", "营业结束时间", "营业结束"),
    "visits_per_week": (
        "frequency",
        "visit_frequency",
        "weekly_visits",
        "拜访频率",
        "每周拜访次数",
        "周拜访次数",
    ),
    "tier": ("grade", "class", "等级", "客户等级", "客户级别"),
    "start": ("start_time", "begin", "from", "time_from", "开始时间", "开始", "起始时间"),
    "end": ("end_time", "finish", "to", "time_to", "结束时间", "结束", "截止时间"),
    "activity": ("activity_code", "activity_type", "活动", "活动类型", "工作内容", "事项"),
    "check_in": (
        "checkin",
        "arrival",
        "arrival_time",
        "time_in",
        "到店时间",
        "进店时间",
        "签到时间",
    ),
    "check_out": (
        "checkout",
        "departure",
        "departure_time",
        "time_out",
        "离店时间",
        "出店时间",
        "签退时间",
    ),
    "sales_value": ("sales", "revenue", "amount", "销售额", "销售金额", "金额"),
    "sales_volume": ("volume", "cases", "qty", "quantity", "销量", "箱数", "数量"),
    "day_start": ("shift_start", "start_of_day", "上班时间", "出车时间", "开始工作时间"),
    "day_end": ("shift_end", "end_of_day", "下班时间", "收车时间", "结束工作时间"),
    "meeting_min": ("meeting_minutes", "meeting", "早会时长", "早会分钟"),
    "admin_min": ("admin_minutes", "admin", "行政时长", "内勤时长", "内勤分钟"),
    "region": ("区域", "大区", "片区"),
    "home_lat": ("home_latitude", "起点纬度", "住址纬度"),
    "home_lon": ("home_longitude", "home_lng", "起点经度", "住址经度"),
    "task": ("工作项目", "任务", "工作任务"),
    "performed_by": ("done_by", "actual_doer", "who", "实际执行人", "执行人", "实际负责"),
    "area": ("task_area", "工作领域", "职能领域", "领域"),
    "owner": ("intended_owner", "responsible", "应负责", "负责人", "责任人", "应由谁做"),
    "obstacle": ("barrier", "障碍", "阻碍", "障碍因素"),
    "score": ("rating", "分数", "评分", "得分"),
    "comment": ("comments", "note", "remark", "备注", "意见", "说明"),
}

# aliases that mean different things in different tables
_TABLE_ALIASES: dict[str, dict[str, tuple[str, ...]]] = {
    "activities": {"activity": ("task", "type")},
    "shifts": {
        "day_start": ("start", "start_time", "开始时间"),
        "day_end": ("end", "end_time", "结束时间"),
    },
    "reps": {"name": ("rep_name", "业务员姓名")},
    # field-sales systems' exports: Qince (勤策/外勤365) visit records and track logs, Fxiaoke
    # (纷享销客) check-ins, report layouts and CRM check-in logs; English API keys (camelCase is
    # split: customerId -> customer_id) and the Chinese display names
    "visits": {
        "rep_id": ("visitor", "open_user_id", "user_id", "拜访人", "签到人", "拜访人员"),
        "customer_id": ("customer_code", "checkable_id", "客户编码", "客户代码"),
        "check_in": (
            "arrive_time",
            "visit_time",
            "checkins_time_stamp",
            "checkin_time_stamp",
            "checkin_time",
            "created_at",
            "到达时间",
            "拜访时间",
        ),
        "check_out": (
            "leave_time",
            "checkout_time_stamp",
            "checkout_time",
            "离开时间",
        ),
        "date": ("visit_date", "拜访日期", "日期"),
        "duration_min": (
            "time_consume",
            "duration",
            "duration_min",
            "stay_min",
            "在店时长",
            "拜访时长",
            "停留时长",
        ),
        "checkin_offset_m": (
            "arrive_pos_offset",
            "checkins_distnace",  # sic: Fxiaoke's spelling
            "checkins_distance",
            "off_distance",
            "offset",
            "偏差距离",
            "签到偏差",
            "签到距离",
            "定位偏差",
        ),
    },
    "gps": {
        "timestamp": (
            "time",
            "datetime",
            "gps_time",
            "fix_time",
            "location_time",
            "recorded_at",
            "定位时间",
            "上报时间",
            "采集时间",
            "时间",
        ),
        "accuracy_m": ("accuracy", "horizontal_accuracy", "精度", "定位精度", "精度半径"),
        "speed_mps": ("speed", "velocity", "速度"),
    },
}

#: Field names only Chinese field-sales systems use (Qince, Fxiaoke): their times are China's
#: when nothing else says where the survey was.
CHINESE_SYSTEM_FIELDS: frozenset[str] = frozenset(
    {
        "visitor",
        "arrive_time",
        "leave_time",
        "arrive_pos_offset",
        "time_consume",
        "open_user_id",
        "checkins_time_stamp",
        "checkout_time_stamp",
        "checkins_distnace",
        "submit_time",
    }
)

#: Aliases that in exports often hold a name rather than an id: when one of them and another
#: header both map onto a column, the other is taken (Qince's ``customer`` is the store's name,
#: ``customer_code`` its id).
_NAME_LIKE = frozenset({"customer", "store", "outlet", "visitor", "客户", "门店"})

_LABEL_ALIASES: dict[str, dict[str, str]] = {
    "activity": {
        "store_visit": "visit",
        "customer_visit": "visit",
        "call": "visit",
        "拜访": "visit",
        "客户拜访": "visit",
        "门店拜访": "visit",
        "走访": "visit",
        "merchandise": "merchandising",
        "理货": "merchandising",
        "补货上架": "merchandising",
        "陈列": "pop",
        "生动化": "pop",
        "pop_布置": "pop",
        "张贴pop": "pop",
        "pop张贴": "pop",
        "order": "order_entry",
        "下单": "order_entry",
        "订单录入": "order_entry",
        "竞品调查": "competitor_check",
        "竞品检查": "competitor_check",
        "drive": "travel",
        "driving": "travel",
        "路程": "travel",
        "在途": "travel",
        "路途": "travel",
        "行驶": "travel",
        "交通": "travel",
        "meeting": "morning_meeting",
        "早会": "morning_meeting",
        "晨会": "morning_meeting",
        "行政": "admin",
        "行政事务": "admin",
        "内勤": "admin",
        "报表": "admin",
        "文书": "admin",
        "午餐": "lunch",
        "午饭": "lunch",
        "午休": "lunch",
        "fuel": "refuel",
        "加油": "refuel",
        "展会": "trade_show",
        "展销会": "trade_show",
        "waiting": "wait",
        "等待": "wait",
        "等候": "wait",
        "其他": "other",
        "其它": "other",
    },
    "channel": {
        "ka": "KA",
        "key_account": "KA",
        "大卖场": "KA",
        "重点客户": "KA",
        "bc": "BC",
        "中小超市": "BC",
        "c_store": "convenience",
        "cvs": "convenience",
        "便利店": "convenience",
        "经销商": "distributor",
        "批发": "distributor",
        "批发商": "distributor",
        "其他": "other",
        "其它": "other",
    },
    "role": {
        "sales_rep": "rep",
        "业务员": "rep",
        "业务代表": "rep",
        "销售代表": "rep",
        "本人": "rep",
        "adr": "area_development_rep",
        "区域开发代表": "area_development_rep",
        "区域协调员": "area_coordinator",
        "协调员": "area_coordinator",
        "主管": "supervisor",
        "销售主管": "supervisor",
        "财务": "finance",
        "财务部": "finance",
        "市场": "marketing",
        "市场部": "marketing",
        "物流": "logistics",
        "仓库": "logistics",
        "客服": "customer_service",
        "其他": "other",
        "其它": "other",
    },
    "area": {
        "店内": "in_store",
        "店内执行": "in_store",
        "客户开发": "customer_development",
        "协调": "coordination",
        "沟通协调": "coordination",
        "非销售": "non_sales",
        "outside_sales": "non_sales",
        "非销售事务": "non_sales",
    },
}

#: Which label table and code set serves each code column.
_CODE_COLUMNS: dict[str, tuple[str, tuple[str, ...]]] = {
    "activity": ("activity", ACTIVITY_CODES),
    "channel": ("channel", CHANNEL_CODES),
    "performed_by": ("role", ROLE_CODES),
    "owner": ("role", ROLE_CODES),
    "area": ("area", AREA_CODES),
}
_LABEL_KINDS: dict[str, tuple[str, ...]] = {
    "activity": ACTIVITY_CODES,
    "channel": CHANNEL_CODES,
    "role": ROLE_CODES,
    "area": AREA_CODES,
}

_UNIT_SUFFIX = re.compile(r"\s*[（(\[【][^）)\]】]*[）)\]】]\s*$")
_SEPARATORS = re.compile(r"[\s\-\.·/]+")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")


def normalise(text: str) -> str:
    """Normalise a header or a label for comparison.

    Examples
    --------
    >>> normalise(" Start Time (HH:MM) ")
    'start_time'
    >>> normalise("开始时间（时:分）")
    '开始时间'
    >>> normalise("checkinsTimeStamp"), normalise("RepID")
    ('checkins_time_stamp', 'rep_id')
    """
    text = text.replace("\ufeff", "").replace("\u200b", "").strip()
    text = _UNIT_SUFFIX.sub("", text)
    text = _CAMEL.sub("_", text)
    return _SEPARATORS.sub("_", text.lower()).strip("_")


def _normalised_keys(d: MappingABC[str, str]) -> dict[str, str]:
    return {normalise(k): v for k, v in d.items()}


@dataclass(frozen=True)
class Mapping:
    """A user's header and label mapping (see the module docstring for the file format).

    Attributes
    ----------
    headers : dict
        Raw header → canonical column, for every table.
    table_headers : dict
        Table name → (raw header → canonical column), for one table only.
    labels : dict
        ``activity``, ``channel``, ``role`` or ``area`` → (raw label → code).
    date_format : str or None
        ``DMY`` or ``MDY``: the order of day and month in dates such as ``03/02/2026``.
    """

    headers: MappingABC[str, str] = field(default_factory=lambda: MappingProxyType({}))
    table_headers: MappingABC[str, MappingABC[str, str]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    labels: MappingABC[str, MappingABC[str, str]] = field(
        default_factory=lambda: MappingProxyType({})
    )
    date_format: str | None = None

    @classmethod
    def from_dict(cls, data: MappingABC[str, object], *, source: str = "mapping") -> Mapping:
        """Build and check a mapping from the parsed TOML structure.

        Raises
        ------
        InputError
            On an unknown section, table, canonical column or code.
        """
        unknown = set(data) - {"headers", "labels", "date_format"}
        if unknown:
            raise InputError(
                f"{source}: unknown section(s) {sorted(unknown)}; expected 'headers' and 'labels' "
                "(and the key 'date_format').",
                file=source,
            )
        date_format = data.get("date_format")
        if date_format is not None:
            date_format = check_date_format(date_format, source=source)
        all_columns = {c for spec in TABLES.values() for c in spec.names}
        headers: dict[str, str] = {}
        table_headers: dict[str, dict[str, str]] = {}
        for key, value in dict(data.get("headers", {})).items():  # type: ignore[call-overload]
            if isinstance(value, dict):
                if key not in TABLES:
                    raise InputError(
                        f"{source}: [headers.{key}] names no table; tables are {sorted(TABLES)}.",
                        file=source,
                    )
                for raw, target in value.items():
                    _check_target(source, raw, target, set(TABLES[key].names))
                table_headers[key] = _normalised_keys(value)
            else:
                _check_target(source, key, value, all_columns)
                headers[normalise(key)] = value
        labels: dict[str, dict[str, str]] = {}
        for kind, table in dict(data.get("labels", {})).items():  # type: ignore[call-overload]
            if kind not in _LABEL_KINDS or not isinstance(table, dict):
                raise InputError(
                    f"{source}: [labels.{kind}] is not a label table; expected one of "
                    f"{sorted(_LABEL_KINDS)}.",
                    file=source,
                )
            for raw, code in table.items():
                if code not in _LABEL_KINDS[kind]:
                    raise InputError(
                        f"{source}: label {raw!r} maps to {code!r}, which is not a {kind} code; "
                        f"expected one of {list(_LABEL_KINDS[kind])}.",
                        file=source,
                    )
            labels[kind] = _normalised_keys(table)
        return cls(headers, table_headers, labels, date_format)

    @classmethod
    def from_toml(cls, path: str | Path) -> Mapping:
        """Read a mapping file.

        Raises
        ------
        InputError
            The file is missing, is not valid TOML, or maps onto unknown names.
        """
        data, name = read_toml(path, "mapping")
        return cls.from_dict(data, source=name)


def check_date_format(value: object, *, source: str = "load_dataset") -> str:
    """``DMY`` or ``MDY`` from a ``date_format`` option (also ``"%m/%d/%Y"`` and lower case).

    Raises
    ------
    InputError
        The value names no order of day and month.
    """
    try:
        order = date_order_of(value) if isinstance(value, str) else None
    except ValueError:
        order = None
    if order is None:
        raise InputError(
            f"{source}: date_format must be 'DMY' (day first, 03/02/2026 = 3 February) or 'MDY' "
            f"(month first, 03/02/2026 = 2 March), or a format such as '%d/%m/%Y'; got {value!r}.",
            file=None if source == "load_dataset" else source,
            column="date_format",
        )
    return order


def _check_target(source: str, raw: str, target: object, allowed: set[str]) -> None:
    if target not in allowed:
        raise InputError(
            f"{source}: header {raw!r} maps to {target!r}, which is not a canonical column; "
            f"expected one of {sorted(allowed)}.",
            file=source,
        )


def map_headers(
    columns: list[str],
    spec: TableSpec,
    mapping: Mapping,
    *,
    file: str,
    resolve: Callable[[str, list[str]], str | None] | None = None,
) -> dict[str, str]:
    """Decide which raw header becomes which canonical column of ``spec``.

    Parameters
    ----------
    columns : list of str
        The file's headers, as read.
    spec : TableSpec
        The canonical table.
    mapping : Mapping
        The user's mapping; it wins over the built-in aliases.
    file : str
        File name for the error messages.
    resolve : callable, optional
        Given a canonical column and the headers that map onto it equally well, the one to
        take, or None to report the clash (the loader picks the id column whose values are the
        customers file's).

    Returns
    -------
    dict
        Raw header → canonical column, for the headers that map onto ``spec``.

    Raises
    ------
    InputError
        A required column is missing (the message lists the headers found and how to map them),
        or two headers map onto the same column.
    """
    lookup: dict[str, str] = {}
    for canonical, aliases in _HEADER_ALIASES.items():
        for alias in aliases:
            lookup[normalise(alias)] = canonical
    for canonical, aliases in _TABLE_ALIASES.get(spec.name, {}).items():
        for alias in aliases:
            lookup[normalise(alias)] = canonical
    for name in spec.names:
        lookup[name] = name
    explicit = dict(mapping.headers)
    explicit.update(mapping.table_headers.get(spec.name, {}))

    wanted = set(spec.names)
    # canonical column -> [(raw header, how it matched)]: 0 the mapping file, 1 an alias or the
    # canonical name, 2 an alias that often holds a name
    matches: dict[str, list[tuple[str, int]]] = {}
    for raw in columns:
        key = normalise(str(raw))
        if key in explicit:
            canonical, rank = explicit[key], 0
        else:
            canonical = lookup.get(key, "")
            rank = 2 if key in _NAME_LIKE else 1
        if canonical in wanted:
            matches.setdefault(canonical, []).append((str(raw), rank))
    result: dict[str, str] = {}
    clashes: list[str] = []
    for canonical, found in matches.items():
        found.sort(key=lambda m: m[1])
        if len(found) > 1 and found[0][1] == found[1][1]:
            tied = [raw for raw, rank in found if rank == found[0][1]]
            pick = resolve(canonical, tied) if resolve is not None else None
            if pick is None:
                clashes.append(f"both {tied[0]!r} and {tied[1]!r} map to {canonical!r}")
                continue
            result[pick] = canonical
            continue
        result[found[0][0]] = canonical
    missing = [c for c in spec.required if c not in matches]
    if clashes or missing:
        parts = []
        if clashes:
            parts.append(
                f"{file}: {'; '.join(clashes)}. Map the one that holds the data explicitly in "
                f'the mapping file ([headers.{spec.name}] "your header" = "column") or rename '
                "the other."
            )
        if missing:
            hints = [_chinese_hint(c) for c in missing]
            parts.append(
                f"{file} has no column {', '.join(repr(m) for m in missing)} "
                f"({spec.name} needs {spec.required}). Found {[str(c) for c in columns]}. "
                f'Add the header to the mapping file ([headers] "your header" = "{missing[0]}"), '
                f"or rename the column{''.join(hints)}."
            )
        first = (clashes[0].rsplit("'", 2)[-2]) if clashes else missing[0]
        raise InputError(" ".join(parts), file=file, column=first)
    return result


def _chinese_hint(canonical: str) -> str:
    chinese = [a for a in _HEADER_ALIASES.get(canonical, ()) if not a.isascii()]
    return f"; {canonical!r} is also recognised as {chinese[0]}" if chinese else ""


def map_labels(values: pd.Series, column: str, mapping: Mapping) -> pd.Series:
    """Translate a code column's labels into canonical codes.

    Labels are normalised, then looked up in the user's mapping, the built-in labels and the
    codes themselves. Labels with no translation are returned normalised, so that validation
    reports them as unknown codes.

    Parameters
    ----------
    values : pandas.Series
        Raw labels (text).
    column : str
        Canonical column name: ``activity``, ``channel``, ``performed_by``, ``owner``, ``area``.
    mapping : Mapping
        The user's mapping.

    Returns
    -------
    pandas.Series
        Codes (text), NaN where empty.

    Examples
    --------
    >>> map_labels(pd.Series(["拜访", "Morning meeting", "ka"]), "activity", Mapping()).tolist()
    ['visit', 'morning_meeting', 'ka']
    """
    kind, codes = _CODE_COLUMNS[column]
    lookup = {normalise(c): c for c in codes}
    lookup.update(_LABEL_ALIASES.get(kind, {}))
    lookup.update(mapping.labels.get(kind, {}))
    codes_, uniques = pd.factorize(values, use_na_sentinel=True)
    keys = [normalise(str(u)) for u in uniques]  # one call per distinct label
    translated = pd.array([lookup.get(k, k) for k in keys] + [None], dtype="str")
    return pd.Series(translated.take(codes_), index=values.index, name=values.name)
