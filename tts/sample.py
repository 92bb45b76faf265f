"""A deterministic synthetic region that reproduces the case the TTS diagnostic was built for.

A bottler's area of six routes, one rep each, about 240 stores (KA, BC, convenience,
distributor, other) around a depot, surveyed for two working weeks (Monday to Saturday).
Four reps show the classic picture: a 35–45 minute morning meeting, visits of about five
minutes, travel near 30 % of a working day of ten hours, and an hour of reports after the last
store. Two reps (``REP05``, ``REP06``) work to the standards: a 15-minute meeting, visits of
8–9 minutes, a dense route, days under nine hours. Visit orders are human-like: a sweep around
the route with the odd swap and backtrack, neither random nor optimal.

The questionnaire shows the four reps doing work that belongs to the area development rep,
the area coordinator, finance and marketing; the obstacles rank promotion settlement and
reports highest. Two distributors per route are visited three times a week for little sales
(the ineffective customers), and one store per non-compliant route is never visited.

:func:`make_sample` returns the tables as text frames, exactly as written;
:func:`write_sample` writes them as CSV files (English, UTF-8) or with Chinese headers and
labels in GBK plus the ``mapping.toml`` they need (``lang="zh"``).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ._exceptions import InputError
from ._options import instance_of, one_of
from .schema import CUSTOMER_ACTIVITIES
from .travel import TravelModel, haversine_m

__all__ = ["SAMPLE_START", "make_sample", "write_sample"]

#: First day of the synthetic survey (a Monday).
SAMPLE_START = "2026-03-02"
_DEPOT = (34.7570, 113.6650)
_WEEKDAYS = 6
_WEEKS = 2

_HOURS = {  # channel: (open, close), minutes after midnight
    "KA": (9 * 60, 22 * 60),
    "BC": (8 * 60, 21 * 60 + 30),
    "convenience": (7 * 60, 23 * 60),
    "distributor": (8 * 60 + 30, 17 * 60 + 30),
    "other": (8 * 60, 20 * 60),
}
_SALES = {  # channel: (low, high) sales value per visit, CNY
    "KA": (900.0, 2600.0),
    "BC": (250.0, 800.0),
    "convenience": (60.0, 320.0),
    "distributor": (10.0, 70.0),
    "other": (0.0, 120.0),
}
_CASE_VALUE = 42.0  # CNY per case of 24 bottles


@dataclass(frozen=True)
class _Profile:
    """How one rep works (all durations in minutes)."""

    compliant: bool
    spread_km: float  # half-width of the route's square
    offset_km: float  # route centre's distance from the depot
    meeting: tuple[int, int]
    visit: tuple[float, float]  # mean, sd of the visit itself
    extra_customer_p: float  # chance of merchandising/order entry after a visit
    speed_kmh: float
    parking_min: float
    lunch: tuple[int, int]
    admin_end: tuple[int, int]


_NON_COMPLIANT = _Profile(
    False, 1.2, 4.0, (35, 45), (4.2, 1.2), 0.35, 16.0, 1.0, (50, 65), (65, 85)
)
_COMPLIANT = _Profile(True, 0.8, 2.0, (12, 15), (6.4, 0.9), 0.9, 22.0, 0.5, (30, 35), (12, 18))

_REPS = (
    ("REP01", "Wang Lei", "王磊", _NON_COMPLIANT),
    ("REP02", "Li Na", "李娜", _NON_COMPLIANT),
    ("REP03", "Zhang Wei", "张伟", _NON_COMPLIANT),
    ("REP04", "Liu Yang", "刘洋", _NON_COMPLIANT),
    ("REP05", "Chen Jing", "陈静", _COMPLIANT),
    ("REP06", "Zhao Min", "赵敏", _COMPLIANT),
)
_STREETS = (
    ("Jinshui Rd", "金水路"),
    ("Huayuan Rd", "花园路"),
    ("Nongye Rd", "农业路"),
    ("Weiwu Rd", "纬五路"),
    ("Jingsan Rd", "经三路"),
    ("Dongfeng Rd", "东风路"),
    ("Wenhua Rd", "文化路"),
    ("Renmin Rd", "人民路"),
    ("Zijingshan Rd", "紫荆山路"),
    ("Chengdong Rd", "城东路"),
    ("Hanghai Rd", "航海路"),
    ("Songshan Rd", "嵩山路"),
)
_CHANNEL_NAMES = {
    "KA": ("Hypermarket", "大卖场"),
    "BC": ("Supermarket", "超市"),
    "convenience": ("Convenience", "便利店"),
    "distributor": ("Wholesale", "批发部"),
    "other": ("Canteen", "食堂"),
}

# task, area, owner, Chinese task name; reps of the classic picture do the starred ones
_TASKS = (
    ("store_selling", "in_store", "rep", "店内销售", False),
    ("shelf_merchandising", "in_store", "rep", "货架理货", False),
    ("order_taking", "in_store", "rep", "订单录入", False),
    ("pop_placement", "in_store", "rep", "POP张贴", False),
    ("new_outlet_development", "customer_development", "area_development_rep", "新店开发", True),
    ("cooler_placement", "customer_development", "area_development_rep", "冰柜投放", True),
    ("customer_agreement", "customer_development", "area_development_rep", "客户协议谈判", False),
    ("delivery_follow_up", "coordination", "area_coordinator", "配送跟进", True),
    ("complaint_handling", "coordination", "area_coordinator", "客诉处理", True),
    ("promotion_settlement", "non_sales", "finance", "促销核销", True),
    ("payment_collection", "non_sales", "finance", "货款回收", True),
    ("promotion_event", "non_sales", "marketing", "促销活动执行", True),
    ("market_survey", "non_sales", "marketing", "市场调查", False),
)
_OBSTACLES = (  # obstacle, Chinese, score range for the classic reps, for compliant reps
    ("promotion_settlement_delay", "促销核销慢", (4, 5), (2, 4)),
    ("too_many_reports", "报表太多", (4, 5), (2, 3)),
    ("long_morning_meeting", "早会太长", (3, 5), (1, 2)),
    ("unclear_responsibilities", "职责不清", (3, 5), (2, 3)),
    ("delivery_problems", "配送问题", (3, 4), (2, 4)),
    ("route_too_spread", "线路太分散", (3, 4), (1, 2)),
    ("stock_outs", "断货", (2, 4), (2, 3)),
    ("payment_collection_burden", "收款负担", (2, 4), (1, 2)),
)
_COMMENTS = {
    "promotion_settlement_delay": (
        "Customers chase me for promotion refunds every visit",
        "客户每次拜访都追问促销返利",
    ),
    "too_many_reports": ("Three reports a day, partly the same figures", "每天三份报表，数据重复"),
    "long_morning_meeting": ("Meeting often runs past 8:40", "早会经常超过8点40"),
}

ACTIVITY_ZH = {
    "visit": "店内拜访",
    "merchandising": "理货",
    "pop": "张贴海报",
    "order_entry": "录单",
    "travel": "路程",
    "morning_meeting": "早会",
    "admin": "行政",
    "lunch": "午餐",
    "refuel": "加油",
    "wait": "等待",
}
_CHANNEL_ZH = {
    "KA": "KA",
    "BC": "BC",
    "convenience": "便利店",
    "distributor": "经销商",
    "other": "其他",
}
_ROLE_ZH = {
    "rep": "业务员",
    "area_development_rep": "区域开发代表",
    "area_coordinator": "区域协调员",
    "finance": "财务",
    "marketing": "市场部",
}
_AREA_ZH = {
    "in_store": "店内",
    "customer_development": "客户开发",
    "coordination": "协调",
    "non_sales": "非销售",
}
_HEADERS_ZH = {
    "activities": {
        "rep_id": "业务员",
        "date": "日期",
        "start": "开始时间",
        "end": "结束时间",
        "activity": "活动",
        "customer_id": "客户编号",
        "route_id": "线路",
    },
    "customers": {
        "customer_id": "客户编号",
        "name": "客户名称",
        "lat": "纬度",
        "lon": "经度",
        "channel": "渠道",
        "route_id": "线路",
        "open_time": "开门时间",
        "close_time": "关门时间",
        "visits_per_week": "每周拜访次数",
        "tier": "客户等级",
    },
    "reps": {
        "rep_id": "业务员",
        "name": "姓名",
        "region": "区域",
        "home_lat": "出发点纬度",
        "home_lon": "出发点经度",
    },
    "sales": {
        "rep_id": "业务员",
        "date": "日期",
        "customer_id": "客户编号",
        "sales_value": "销售额（元）",
        "sales_volume": "销量（箱）",
    },
    "role_survey": {"rep_id": "业务员", "task": "工作项目", "performed_by": "实际执行人"},
    "role_matrix": {"task": "工作项目", "area": "工作领域", "owner": "应负责"},
    "obstacles": {"rep_id": "业务员", "obstacle": "障碍", "score": "评分", "comment": "备注"},
    "gps": {
        "rep_id": "业务员",
        "timestamp": "定位时间",
        "lat": "纬度",
        "lon": "经度",
        "accuracy_m": "精度（米）",
    },
}
MAPPING_ZH = """\
# Header and label mapping for the Chinese sample (GBK CSV files).
# Headers and labels the built-in alias tables already know need no line here.

[headers.reps]
"出发点纬度" = "home_lat"
"出发点经度" = "home_lon"

[labels.activity]
"店内拜访" = "visit"
"录单" = "order_entry"
"张贴海报" = "pop"
"""


def _hhmm(minutes: np.ndarray) -> np.ndarray:
    m = np.asarray(minutes, dtype=np.int64)
    return np.char.add(
        np.char.add(np.char.zfill((m // 60).astype(str), 2), ":"),
        np.char.zfill((m % 60).astype(str), 2),
    )


def _customers(rng: np.random.Generator) -> pd.DataFrame:
    parts = []
    km_lat = 1 / 111.2
    km_lon = 1 / (111.2 * np.cos(np.radians(_DEPOT[0])))
    mix = ["KA"] * 2 + ["BC"] * 7 + ["convenience"] * 25 + ["distributor"] * 2 + ["other"] * 4
    for i, (rep_id, _, _, prof) in enumerate(_REPS):
        route = f"R{i + 1:02d}"
        angle = 2 * np.pi * i / len(_REPS) + 0.3
        cx = _DEPOT[1] + prof.offset_km * np.cos(angle) * km_lon
        cy = _DEPOT[0] + prof.offset_km * np.sin(angle) * km_lat
        n = len(mix)
        channel = np.array(rng.permutation(mix))
        lat = cy + rng.uniform(-prof.spread_km, prof.spread_km, n) * km_lat
        lon = cx + rng.uniform(-prof.spread_km, prof.spread_km, n) * km_lon
        tier = np.where(
            np.isin(channel, ["KA", "BC"]), "A", np.where(rng.random(n) < 0.7, "B", "C")
        )
        if prof.compliant:
            vpw = np.full(n, 6)
        else:
            vpw = np.where(tier == "A", 6, np.where(tier == "B", 6, 3))
            vpw = np.where(channel == "distributor", 3, vpw)
        street = rng.integers(0, len(_STREETS), n)
        number = np.arange(1, n + 1)
        parts.append(
            pd.DataFrame(
                {
                    "customer_id": [f"C{i + 1}{k:03d}" for k in number],
                    "name_en": [
                        f"{_STREETS[s][0]} {_CHANNEL_NAMES[c][0]} {k}"
                        for s, c, k in zip(street, channel, number, strict=True)
                    ],
                    "name_zh": [
                        f"{_STREETS[s][1]}{_CHANNEL_NAMES[c][1]}{k}号"
                        for s, c, k in zip(street, channel, number, strict=True)
                    ],
                    "lat": lat.round(6),
                    "lon": lon.round(6),
                    "channel": channel,
                    "route_id": route,
                    "open_time": _hhmm(np.array([_HOURS[c][0] for c in channel])),
                    "close_time": _hhmm(np.array([_HOURS[c][1] for c in channel])),
                    "visits_per_week": vpw,
                    "tier": tier,
                    "rep_id": rep_id,
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def _weekdays_for(vpw: int, slot: int | np.integer) -> set[int]:
    """Weekdays (0 = Monday) on which a customer with ``vpw`` visits a week is planned."""
    if vpw >= 6:
        return set(range(6))
    if vpw == 3:
        return {0, 2, 4} if slot % 2 == 0 else {1, 3, 5}
    return {int(slot) % 6}


def _human_order(lat: np.ndarray, lon: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A sweep around the stops' centre from near the depot, with swaps and a backtrack."""
    angle = np.arctan2(lat - lat.mean(), lon - lon.mean())
    nearest = int(np.argmin(haversine_m(_DEPOT[0], _DEPOT[1], lat, lon)))
    start = angle[nearest] + rng.uniform(-0.6, 0.6)
    order = np.argsort((angle - start) % (2 * np.pi), kind="stable")
    n = len(order)
    for _ in range(max(1, n // 6)):
        k = int(rng.integers(0, n - 1))
        order[k], order[k + 1] = order[k + 1], order[k]
    if n > 8:
        k = int(rng.integers(0, n - 6))
        moved = order[k]
        order = np.insert(np.delete(order, k), k + int(rng.integers(3, 6)), moved)
    return order


def _day(
    rep_id: str, prof: _Profile, stops: pd.DataFrame, date: pd.Timestamp, rng: np.random.Generator
) -> tuple[list[tuple], list[tuple]]:
    """The activity rows and sales rows of one rep-day."""
    acts: list[tuple] = []
    sales: list[tuple] = []
    t = int(rng.integers(7 * 60 + 50, 8 * 60 + 6)) if not prof.compliant else 8 * 60

    def add(activity: str, minutes: float | np.integer, customer: str = "") -> None:
        nonlocal t
        m = max(1, int(round(minutes)))
        acts.append((rep_id, date, t, t + m, activity, customer))
        t += m

    add("morning_meeting", rng.integers(prof.meeting[0], prof.meeting[1] + 1))
    if not prof.compliant:
        add("admin", rng.integers(10, 21))  # collecting orders and promotion paperwork
    order = _human_order(stops["lat"].to_numpy(), stops["lon"].to_numpy(), rng)
    s = stops.iloc[order]
    lat, lon = s["lat"].to_numpy(), s["lon"].to_numpy()
    model = TravelModel(speed_kmh=prof.speed_kmh, circuity=1.35)
    depot_leg = model.minutes(haversine_m(_DEPOT[0], _DEPOT[1], lat[[0, -1]], lon[[0, -1]]))
    legs = model.minutes(haversine_m(lat[:-1], lon[:-1], lat[1:], lon[1:])) + prof.parking_min
    add("travel", depot_leg[0] + prof.parking_min + rng.uniform(0, 4))
    lunch_done = False
    refuel_at = int(rng.integers(5, len(s) - 5)) if rng.random() < 0.3 else -1
    # settling promotions and collecting payments for finance, in the afternoon
    paperwork_at = -1 if prof.compliant else int(len(s) * 2 // 3)
    for k, (cid, channel) in enumerate(zip(s["customer_id"], s["channel"], strict=True)):
        if channel == "KA" and not prof.compliant and rng.random() < 0.5:
            add("wait", rng.integers(8, 20), cid)  # waiting for the KA buyer: not customer time
        add("visit", max(2.0, rng.normal(*prof.visit)), cid)
        if rng.random() < prof.extra_customer_p:
            kind = rng.choice(["merchandising", "order_entry", "pop"], p=[0.5, 0.35, 0.15])
            add(
                str(kind),
                rng.uniform(1.0, 3.0) if not prof.compliant else rng.uniform(1.5, 3.0),
                cid,
            )
        low, high = _SALES[channel]
        value = 0.0 if rng.random() < 0.12 else round(float(rng.uniform(low, high)), 2)
        sales.append((rep_id, date, cid, value, round(value / _CASE_VALUE, 1)))
        if not lunch_done and t >= 12 * 60:
            add("lunch", rng.integers(prof.lunch[0], prof.lunch[1] + 1))
            lunch_done = True
        if k == refuel_at:
            add("refuel", rng.integers(12, 20))
        if k == paperwork_at:
            add("admin", rng.integers(25, 41))
        if k < len(s) - 1:
            add("travel", legs[k] * rng.uniform(0.9, 1.25))
    add("travel", depot_leg[1] + prof.parking_min + rng.uniform(0, 4))
    add("admin", rng.integers(prof.admin_end[0], prof.admin_end[1] + 1))
    return acts, sales


def make_sample(*, seed: int = 20260302) -> dict[str, pd.DataFrame]:
    """Generate the synthetic region (see the module docstring).

    Parameters
    ----------
    seed : int
        Seed of the random generator; the same seed gives the same tables.

    Returns
    -------
    dict of pandas.DataFrame
        ``activities``, ``customers``, ``reps``, ``sales``, ``role_survey``, ``role_matrix``,
        ``obstacles``, ``gps`` with canonical English headers, as text, ready to write.
        Customers carry ``name_zh`` beside ``name``, obstacles ``comment_zh`` beside
        ``comment``, for the Chinese variant.
    """
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise InputError(
            f"The 'seed' parameter of make_sample must be a whole number >= 0; got {seed!r}."
        )
    rng = np.random.default_rng(seed)
    customers = _customers(rng)
    days = pd.bdate_range(
        SAMPLE_START, periods=_WEEKS * 7, freq="C", weekmask="Mon Tue Wed Thu Fri Sat"
    )
    days = days[: _WEEKS * _WEEKDAYS]
    acts: list[tuple] = []
    sales: list[tuple] = []
    for i, (rep_id, _, _, prof) in enumerate(_REPS):
        mine = customers[customers["rep_id"] == rep_id].reset_index(drop=True)
        slots = np.arange(len(mine))
        never = -1 if prof.compliant else int(rng.integers(0, len(mine)))
        for date in days:
            planned = [
                k
                for k in slots
                if date.weekday() in _weekdays_for(int(mine.at[k, "visits_per_week"]), k + i)
                and k != never
            ]
            day_acts, day_sales = _day(rep_id, prof, mine.iloc[planned], date, rng)
            acts += [(*a, f"R{i + 1:02d}") for a in day_acts]
            sales += day_sales
    a = pd.DataFrame(
        acts, columns=["rep_id", "date", "start", "end", "activity", "customer_id", "route_id"]
    )
    activities = a.assign(
        date=a["date"].dt.strftime("%Y-%m-%d"), start=_hhmm(a["start"]), end=_hhmm(a["end"])
    )
    sales_df = pd.DataFrame(
        sales, columns=["rep_id", "date", "customer_id", "sales_value", "sales_volume"]
    )
    sales_df["date"] = sales_df["date"].dt.strftime("%Y-%m-%d")
    reps = pd.DataFrame(
        {
            "rep_id": [r[0] for r in _REPS],
            "name": [r[1] for r in _REPS],
            "name_zh": [r[2] for r in _REPS],
            "region": "Zhengzhou East",
            "home_lat": _DEPOT[0],
            "home_lon": _DEPOT[1],
        }
    )
    role_matrix = pd.DataFrame(
        [(t, area, owner) for t, area, owner, _, _ in _TASKS], columns=["task", "area", "owner"]
    )
    survey = []
    obstacles = []
    for rep_id, _, _, prof in _REPS:
        for task, _, owner, _, landed in _TASKS:
            doer = owner if prof.compliant or not landed or rng.random() < 0.2 else "rep"
            survey.append((rep_id, task, doer))
        for obstacle, _, classic, good in _OBSTACLES:
            low, high = good if prof.compliant else classic
            comment = _COMMENTS.get(obstacle, ("", ""))
            has_comment = not prof.compliant and rng.random() < 0.6
            obstacles.append(
                (
                    rep_id,
                    obstacle,
                    int(rng.integers(low, high + 1)),
                    comment[0] if has_comment else "",
                    comment[1] if has_comment else "",
                )
            )
    cust = customers.rename(columns={"name_en": "name"}).drop(columns="rep_id")
    gps = _track(a, customers, np.random.default_rng(seed + 16))
    return {
        "activities": activities,
        "customers": cust[
            [
                "customer_id",
                "name",
                "name_zh",
                "lat",
                "lon",
                "channel",
                "route_id",
                "open_time",
                "close_time",
                "visits_per_week",
                "tier",
            ]
        ],
        "reps": reps,
        "sales": sales_df,
        "role_survey": pd.DataFrame(survey, columns=["rep_id", "task", "performed_by"]),
        "role_matrix": role_matrix,
        "obstacles": pd.DataFrame(
            obstacles, columns=["rep_id", "obstacle", "score", "comment", "comment_zh"]
        ),
        "gps": gps,
    }


def _to_chinese(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    task_zh = {t: zh for t, _, _, zh, _ in _TASKS}
    obstacle_zh = {o: zh for o, zh, _, _ in _OBSTACLES}
    t = {k: v.copy() for k, v in tables.items()}
    a = t["activities"]
    a["activity"] = a["activity"].map(ACTIVITY_ZH)
    a["date"] = pd.to_datetime(a["date"]).dt.strftime("%Y/%-m/%-d")
    t["sales"]["date"] = pd.to_datetime(t["sales"]["date"]).dt.strftime("%Y/%-m/%-d")
    c = t["customers"]
    c["name"] = c.pop("name_zh")
    c["channel"] = c["channel"].map(_CHANNEL_ZH)
    t["reps"]["name"] = t["reps"].pop("name_zh")
    t["reps"]["region"] = "郑州东区"
    for name in ("role_survey", "role_matrix"):
        t[name]["task"] = t[name]["task"].map(task_zh)
    t["role_survey"]["performed_by"] = t["role_survey"]["performed_by"].map(_ROLE_ZH)
    t["role_matrix"]["owner"] = t["role_matrix"]["owner"].map(_ROLE_ZH)
    t["role_matrix"]["area"] = t["role_matrix"]["area"].map(_AREA_ZH)
    o = t["obstacles"]
    o["obstacle"] = o["obstacle"].map(obstacle_zh)
    o["comment"] = o.pop("comment_zh")
    return {name: frame.rename(columns=_HEADERS_ZH[name]) for name, frame in t.items()}


def write_sample(out_dir: str | Path, *, lang: str = "en", seed: int = 20260302) -> list[Path]:
    """Write the synthetic region as CSV files.

    Parameters
    ----------
    out_dir : str or pathlib.Path
        Folder to write into (created if missing).
    lang : {"en", "zh"}
        ``en``: canonical English headers, UTF-8. ``zh``: Chinese headers, labels, names and
        dates like ``2026/3/2``, GBK-encoded, plus ``mapping.toml``.
    seed : int
        Seed of the random generator.

    Returns
    -------
    list of pathlib.Path
        The files written.
    """
    one_of("write_sample", "lang", lang, ["en", "zh"])
    instance_of("write_sample", "out_dir", out_dir, (str, Path))
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{out}: cannot create the folder ({exc.strerror or exc}).") from exc
    tables = make_sample(seed=seed)
    if lang == "zh":
        tables = _to_chinese(tables)
        encoding = "gbk"
    else:
        tables["customers"] = tables["customers"].drop(columns="name_zh")
        tables["reps"] = tables["reps"].drop(columns="name_zh")
        tables["obstacles"] = tables["obstacles"].drop(columns="comment_zh")
        encoding = "utf-8"
    written = []
    for name, frame in tables.items():
        path = out / f"{name}.csv"
        frame.to_csv(path, index=False, encoding=encoding, lineterminator="\n")
        written.append(path)
    if lang == "zh":
        path = out / "mapping.toml"
        path.write_text(MAPPING_ZH, encoding="utf-8")
        written.append(path)
    return written


#: The rep-day, store visit and minutes of the planted check-in-then-leave case (断点打卡):
#: REP05 checks in at its 10th stop of Tuesday 3 March, and the phone leaves after 3 minutes.
PLANTED_LEAVE = ("REP05", "2026-03-03", 10, 3.0)
#: Days of the survey the sample's GPS track covers (the first week), and its interval, s.
_GPS_DAYS = 6
_GPS_INTERVAL_S = 60


def _track(a: pd.DataFrame, customers: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """The phones' positions over the first week: the rep at the store during customer
    activities, at the depot for the meeting and the day's end, where the previous activity
    left it otherwise, on a straight line at constant speed while travelling; 10 m of noise.
    One planted case (:data:`PLANTED_LEAVE`): the phone drives 1 km away 3 minutes into a
    visit the survey logs in full.
    """
    where = customers.set_index("customer_id")[["lat", "lon"]]
    days = sorted(a["date"].unique())[:_GPS_DAYS]
    parts = []
    rep_p, date_p, stop_p, after_p = PLANTED_LEAVE
    for (rep_id, date), d in a[a["date"].isin(days)].groupby(["rep_id", "date"], sort=True):
        d = d.sort_values("start", kind="stable")
        act = d["activity"].to_numpy()
        cust = d["customer_id"].to_numpy()
        is_cust = cust != ""  # customer activities, and waiting for the KA buyer in the store
        last_cust = np.flatnonzero(np.isin(act, CUSTOMER_ACTIVITIES)).max()
        lat = where["lat"].reindex(cust).to_numpy().copy()
        lon = where["lon"].reindex(cust).to_numpy().copy()
        lat[~is_cust], lon[~is_cust] = np.nan, np.nan
        home = (act == "morning_meeting") | ((np.arange(len(d)) > last_cust) & (act != "travel"))
        lat[home], lon[home] = _DEPOT
        keep = act != "travel"
        loc = pd.DataFrame({"lat": lat, "lon": lon}).ffill().to_numpy()
        start = d["start"].to_numpy(float)[keep]
        end = d["end"].to_numpy(float)[keep]
        k_t = np.column_stack([start, end]).ravel()
        k_lat = np.repeat(loc[keep, 0], 2)
        k_lon = np.repeat(loc[keep, 1], 2)
        if rep_id == rep_p and str(date.date()) == date_p:
            # the visit of the planted stop: 3 minutes at the store, a minute's drive, then
            # 1 km north for the rest of the logged visit
            visits = np.flatnonzero(act[keep] == "visit")
            k = int(visits[stop_p - 1])
            at = cust[keep]
            j = k  # the stop runs on while the rep logs activities at the same store
            while j + 1 < len(at) and at[j + 1] == at[k]:
                j += 1
            s_, e_ = k_t[2 * k], k_t[2 * j + 1]
            here_lat, here_lon = k_lat[2 * k], k_lon[2 * k]
            far = here_lat + 1000.0 / 111_195.0
            k_t = np.r_[k_t[: 2 * k], s_, s_ + after_p, s_ + after_p + 1, e_, k_t[2 * j + 2 :]]
            k_lat = np.r_[k_lat[: 2 * k], here_lat, here_lat, far, far, k_lat[2 * j + 2 :]]
            k_lon = np.r_[k_lon[: 2 * k], [here_lon] * 4, k_lon[2 * j + 2 :]]
        minutes = np.arange(k_t[0], k_t[-1] + 1e-9, _GPS_INTERVAL_S / 60.0)
        n = len(minutes)
        noise = rng.normal(0.0, 10.0, (2, n)) / 111_195.0
        p_lat = np.interp(minutes, k_t, k_lat) + noise[0]
        p_lon = np.interp(minutes, k_t, k_lon) + noise[1] / np.cos(np.radians(_DEPOT[0]))
        when = date + pd.to_timedelta(minutes, unit="min")
        parts.append(
            pd.DataFrame(
                {
                    "rep_id": rep_id,
                    "timestamp": when.strftime("%Y-%m-%d %H:%M:%S"),
                    "lat": np.round(p_lat, 6),
                    "lon": np.round(p_lon, 6),
                    "accuracy_m": rng.integers(4, 26, n),
                }
            )
        )
    return pd.concat(parts, ignore_index=True)
