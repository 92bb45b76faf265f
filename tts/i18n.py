"""Words of the charts, the report and the action plan, in English and Chinese.

One catalogue of keys, each with its English and Chinese text, so that a label is written once
for every place it appears. Names that come from the user's data (reps, customers, tasks,
obstacles) are never translated.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["LANGS", "check_lang", "finding_text", "fmt", "label", "standard_text", "t"]

LANGS = ("en", "zh")

#: key → (English, Chinese). ``{name}`` fields are filled by :func:`t`.
_TEXT: dict[str, tuple[str, str]] = {
    # activity groups of the charts
    "act.customer": ("customer", "客户时间"),
    "act.visit": ("visit", "拜访"),
    "act.merchandising": ("merchandising", "理货"),
    "act.pop": ("POP", "POP 布置"),
    "act.order_entry": ("order entry", "下单"),
    "act.competitor_check": ("competitor check", "竞品检查"),
    "act.refuel": ("refuel", "加油"),
    "act.trade_show": ("trade show", "展会"),
    "act.wait": ("wait", "等待"),
    "act.unexplained": ("unexplained", "无法解释"),
    "act.travel": ("travel", "路途"),
    "act.morning_meeting": ("morning meeting", "早会"),
    "act.admin": ("admin", "行政事务"),
    "act.lunch": ("lunch", "午餐"),
    "act.other": ("other", "其他"),
    "act.unaccounted": ("unaccounted", "未记录"),
    # metrics of the standards comparison
    "metric.customer_share": ("Customer time share of the working day", "客户时间占工作日比例"),
    "metric.avg_visit_min": ("Customer minutes per store visit", "每次拜访客户时间"),
    "metric.meeting_min": ("Morning meeting", "早会时长"),
    "metric.travel_share": ("Travel share of the working day", "路途时间占工作日比例"),
    "metric.day_h": ("Working day", "工作日时长"),
    "metric.visits": ("Store visits a day", "每日拜访门店数"),
    # units
    "unit.min": ("min", "分钟"),
    "unit.h": ("h", "小时"),
    "unit.visits": ("visits", "次"),
    "unit.customers": ("customers", "家客户"),
    "unit.answers": ("answers", "条回答"),
    "unit.obstacles": ("obstacles", "项障碍"),
    "unit.reps": ("reps", "名业代"),
    "unit.rows": ("rows", "行"),
    "unit.days": ("days", "天"),
    "unit.min a day": ("min a day", "分钟/天"),
    # capacity scenarios
    "scenario.observed": ("observed", "现状"),
    "scenario.standard_day": ("standard day", "标准工作日"),
    "scenario.meeting_cut": ("meeting cut", "缩短早会"),
    "scenario.travel_cut": ("travel cut", "减少路途"),
    "scenario.visit_time_raised": ("visit time raised", "延长拜访"),
    "scenario.all": ("all measures", "全部措施"),
    # traffic lights
    "light.green": ("green", "绿"),
    "light.amber": ("amber", "黄"),
    "light.red": ("red", "红"),
    # areas and severities of findings
    "area.efficiency": ("work efficiency", "工作效率"),
    "area.route": ("routes", "线路"),
    "area.role": ("roles", "职责"),
    "area.audit": ("data audit", "数据审计"),
    "severity.high": ("high", "高"),
    "severity.medium": ("medium", "中"),
    "severity.low": ("low", "低"),
    # roles
    "role.rep": ("rep", "业务代表"),
    "role.area_development_rep": ("area development rep", "区域开发代表"),
    "role.area_coordinator": ("area coordinator", "区域协调员"),
    "role.supervisor": ("supervisor", "主管"),
    "role.finance": ("finance", "财务"),
    "role.marketing": ("marketing", "市场部"),
    "role.logistics": ("logistics", "物流"),
    "role.customer_service": ("customer service", "客服"),
    "role.other": ("other", "其他"),
    "role.sales_manager": ("sales manager", "销售经理"),
    "role.route_planner": ("route planner", "线路规划员"),
    "role.sales_ops": ("sales operations analyst", "销售运营分析员"),
    # audit checks
    "check.overlapping_intervals": ("Overlapping intervals", "时间段重叠"),
    "check.zero_minute_visits": ("Zero-minute visits", "零分钟拜访"),
    "check.implausibly_long_visits": ("Implausibly long visits", "拜访时间过长"),
    "check.impossible_speed": ("Impossible speed between stores", "门店间移动速度不可能"),
    "check.copied_days": ("Copied days", "复制的工作日"),
    "check.round_number_heaping": ("Round-number durations", "时长多为整数"),
    "check.short_days": ("Short days", "工作日过短"),
    "check.unaccounted_time": ("Unaccounted time", "未记录时间"),
    "check.missing_days": ("Missing working days", "缺失的工作日"),
    # plan status
    "status.open": ("open", "未开始"),
    "status.in_progress": ("in progress", "进行中"),
    "status.done": ("done", "已完成"),
    "status.resolved": ("met", "已达标"),
    "status.improved": ("improving", "有改善"),
    "status.unchanged": ("no change", "无变化"),
    "status.worse": ("worse", "恶化"),
    "status.new": ("new", "新问题"),
    # chart text
    "chart.share_of_day": ("share of the working day (%)", "占工作日比例 (%)"),
    "chart.time_allocation": (
        "Time allocation per rep (share of the day, %)",
        "各业代时间分配 (占工作日比例, %)",
    ),
    "chart.lowest_reps": (
        "\nthe {n} of {total} reps with the lowest customer share",
        "\n{total} 名业代中客户时间占比最低的 {n} 名",
    ),
    "chart.highest_routes": (
        "\nthe {n} of {total} routes with the highest travel share",
        "\n{total} 条线路中路途占比最高的 {n} 条",
    ),
    "chart.standard_customer": ("standard {share} customer time", "标准: 客户时间 {share}"),
    "chart.visit_axis": (
        "customer minutes per visit (min; {max}+ in the last bin)",
        "每次拜访客户时间 (分钟; 最后一格为 {max} 及以上)",
    ),
    "chart.visits": ("visits", "拜访次数"),
    "chart.visit_distribution": ("Distribution of visit length (min)", "拜访时长分布 (分钟)"),
    "chart.standard_band": ("standard {lo}-{hi} min", "标准 {lo}-{hi} 分钟"),
    "chart.hour": ("hour of the day (h)", "时刻 (小时)"),
    "chart.day_of": ("Day of {rep}, {date} (h)", "{rep} 的一天, {date} (小时)"),
    "chart.travel_axis": ("travel, share of the working day (%)", "路途时间占工作日比例 (%)"),
    "chart.travel_share": ("Travel share per route (%)", "各线路路途时间占比 (%)"),
    "chart.standard_max": ("standard <= {share}", "标准 <= {share}"),
    "chart.logged_order": ("logged order", "原拜访顺序"),
    "chart.optimised_order": ("optimised order", "优化后顺序"),
    "chart.route_of": ("Route of {rep}, {date}", "{rep} 的线路, {date}"),
    "chart.route_drive": (
        "Route of {rep}, {date}: drive {before} -> {after} min",
        "{rep} 的线路, {date}: 车程 {before} -> {after} 分钟",
    ),
    "chart.lon": ("longitude (degrees)", "经度 (度)"),
    "chart.lat": ("latitude (degrees)", "纬度 (度)"),
    "chart.roles": (
        "Who does each task (reps answering; outlined: intended owner)",
        "各项工作由谁完成 (回答人数; 方框: 应负责角色)",
    ),
    "chart.obstacle_share": ("reps scoring 4-5 (%)", "打 4-5 分的业代 (%)"),
    "chart.mean_score": ("mean score (1-5)", "平均分 (1-5)"),
    "chart.obstacles": (
        "Obstacles to selling (share scoring 4-5, %; mean score)",
        "销售障碍 (打 4-5 分比例, %; 平均分)",
    ),
    "chart.visits_a_day": ("visits a day", "每日拜访数"),
    "chart.customer_share": ("customer share of the day (%)", "客户时间占比 (%)"),
    "chart.capacity": (
        "Capacity what-if (visits a day; customer share, %)",
        "产能模拟 (每日拜访数; 客户时间占比, %)",
    ),
}

#: Finding labels and countermeasures by the finding's ``metric`` (Chinese only; the English
#: text is the finding's own).
_FINDING_ZH: dict[str, tuple[str, str]] = {
    "customer_share": (
        "客户时间占工作日比例",
        "把时间还给客户: 同时落实早会、路途和行政事务的改进, 并围绕门店拜访安排每一天。",
    ),
    "avg_visit_min": (
        "每次拜访客户时间",
        "用固定的店内流程 (货架与冰柜检查、下单、POP、竞品检查) 把拜访时间提高到 8-9 分钟,"
        "并在线路上辅导。",
    ),
    "meeting_min": (
        "早会时长",
        "早会限制在 15 分钟内, 固定议程 (昨日结果、今日重点、库存与促销); 培训改为每周一次。",
    ),
    "travel_share": (
        "路途时间占工作日比例",
        "重新规划线路: 优化拜访顺序 (tts optimize), 收紧片区, 让首末家门店靠近仓库。",
    ),
    "day_h": (
        "工作日时长",
        "把工作日拉回标准: 减少报表和行政事务, 缩短早会, 只安排一天能完成的拜访。",
    ),
    "visits": (
        "每日拜访门店数",
        "重新平衡线路: 每天拜访过多就没有时间做好一次拜访;降低低价值客户的拜访频率或改用其他渠道。",
    ),
    "quarantine": (
        "加载时被剔除的数据行",
        "修正被剔除的数据行 (见剔除表) 后重新加载: 分析不包含这些行。",
    ),
    "ineffective_customers": (
        "低效客户",
        "调整低效客户: 降低拜访频率, 改为电话或经销商服务, 把时间留给有销量的客户。",
    ),
    "never_visited": (
        "计划内但从未拜访的客户",
        "去拜访, 或把它们从线路计划中删除, 让计划反映实际。",
    ),
    "under_visited": ("拜访次数低于计划的客户", "重新安排每周计划, 让每家客户达到计划频率。"),
    "over_visited": (
        "拜访次数高于计划的客户",
        "按计划频率拜访; 把多出的时间给拜访不足的客户。",
    ),
    "long_visit_customers": (
        "拜访时间远超标准的客户",
        "找出拜访过长的原因 (等待采购、单据) 并解决。",
    ),
    "time_balance": ("客户时间分配不均", "按客户价值而不是习惯分配拜访时间。"),
    "route_sequence": (
        "优化拜访顺序可节省的车程",
        "重新排列线路顺序 (tts optimize), 把新的拜访顺序交给业代。",
    ),
    "obstacles": ("多数业代打 4-5 分的障碍", "与业代一起解决最主要的障碍。"),
    "response_quality": (
        "需要核实的问卷回答",
        "补齐缺失的回答, 对所有题目打同一分的业代重新调查。",
    ),
    "overlapping_intervals": (
        "时间段重叠",
        "与业代核对重叠的记录; 修改表格或应用, 使活动不能在上一项结束前开始。",
    ),
    "zero_minute_visits": ("零分钟拜访", "核实这些拜访是否发生; 在门口打卡不算拜访。"),
    "implausibly_long_visits": ("拜访时间过长", "核查这些拜访: 通常是漏了签退。"),
    "impossible_speed": (
        "门店间移动速度不可能",
        "与 GPS 或签到位置核对: 业代不可能在记录的时间内在两店之间往返。",
    ),
    "copied_days": ("复制的工作日", "重新调查该业代: 与另一天完全相同的记录是复制的。"),
    "round_number_heaping": (
        "时长多为整数",
        "时长多为整数说明是事后估计。应在发生时记录 (应用或签到)。",
    ),
    "short_days": ("工作日过短", "记录提前结束: 调查未完成; 补齐或剔除。"),
    "unaccounted_time": ("未记录时间", "询问业代空档时间做了什么; 未记录时间计为非客户时间。"),
    "missing_days": ("缺失的工作日", "补收缺失的工作日, 或记录业代未工作的原因。"),
}


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is a supported language, else raise ``ValueError``."""
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}; got {lang!r}")
    return lang


def t(key: str, lang: str = "en", **fields: object) -> str:
    """The text of ``key`` in ``lang``, with ``{name}`` fields filled.

    >>> t("chart.standard_band", "en", lo=8, hi=9)
    'standard 8-9 min'
    >>> t("light.red", "zh")
    '红'
    """
    en, zh = _TEXT[key]
    text = zh if check_lang(lang) == "zh" else en
    return text.format(**fields) if fields else text


def label(kind: str, code: object, lang: str = "en") -> str:
    """A code's label (``kind`` is ``act``, ``metric``, ``role``, ``check``, ``scenario`` …);
    a code the catalogue does not know is shown as written, underscores as spaces.

    >>> label("role", "area_coordinator", "zh")
    '区域协调员'
    >>> label("role", "store_owner")
    'store owner'
    """
    key = f"{kind}.{code}"
    if key in _TEXT:
        return t(key, lang)
    return str(code).replace("_", " ")


def finding_text(metric: str, label_en: str, countermeasure_en: str, lang: str) -> tuple[str, str]:
    """A finding's label and countermeasure in ``lang``.

    Findings carry English text; Chinese comes from the catalogue by the finding's ``metric``
    (``out_of_role_<role>`` findings are composed from the role's name).
    """
    if check_lang(lang) == "en":
        return label_en, countermeasure_en
    if metric.startswith("out_of_role_"):
        role = label("role", metric.removeprefix("out_of_role_"), "zh")
        return f"业代在做{role}的工作", f"把这些工作交还给{role}。"
    return _FINDING_ZH.get(metric, (label_en, countermeasure_en))


def fmt(value: object, unit: str, lang: str = "en") -> str:
    """A figure as the report prints it: shares as whole percent, minutes to one decimal,
    hours to two, counts as they are.

    >>> fmt(0.4112, "share"), fmt(31.19, "min"), fmt(8.958, "h"), fmt(35.33, "visits")
    ('41%', '31.2 min', '8.96 h', '35.3')
    """
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return "–"
    x = float(value)  # type: ignore[arg-type]
    if unit == "share":
        return f"{x:.0%}"
    if unit in ("min", "min a day"):
        return f"{x:.1f} {label('unit', 'min', lang)}"
    if unit == "h":
        return f"{x:.2f} {label('unit', 'h', lang)}"
    if unit == "visits":
        return f"{x:.1f}"
    return f"{x:g} {label('unit', unit, lang)}"


def standard_text(lo: float, hi: float, unit: str, lang: str = "en") -> str:
    """A standard as a band, a floor or a ceiling.

    >>> standard_text(8, 9, "min"), standard_text(0.6, float("nan"), "share")
    ('8-9 min', '≥ 60%')
    """
    if pd.notna(lo) and pd.notna(hi):
        if unit == "share":
            return f"{lo:.0%}-{hi:.0%}"
        return f"{lo:g}-{hi:g} {label('unit', unit, lang)}"
    if pd.notna(lo):
        return f"≥ {fmt(lo, unit, lang)}"
    return f"≤ {fmt(hi, unit, lang)}"
