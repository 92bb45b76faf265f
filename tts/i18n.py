"""Words of the charts, the report and the action plan, in English and Chinese.

One catalogue of keys, each with its English and Chinese text, so that a label is written once
for every place it appears. Names that come from the user's data (reps, customers, tasks,
obstacles) are never translated.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from ._options import one_of
from .catalogue import KINDS

__all__ = ["LANGS", "check_lang", "fmt", "label", "standard_text", "t"]

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
    # channels of the customers table
    "channel.KA": ("KA", "重点客户 (KA)"),
    "channel.BC": ("BC", "中小客户 (BC)"),
    "channel.convenience": ("convenience", "便利店"),
    "channel.distributor": ("distributor", "经销商"),
    "channel.other": ("other", "其他"),
    # tables of the data contract
    "table.activities": ("activities", "活动记录"),
    "table.visits": ("visits", "拜访记录"),
    "table.shifts": ("shifts", "班次"),
    "table.customers": ("customers", "客户"),
    "table.reps": ("reps", "业代"),
    "table.sales": ("sales", "销售"),
    "table.role_survey": ("role survey", "角色问卷"),
    "table.role_matrix": ("role matrix", "角色矩阵"),
    "table.obstacles": ("obstacles", "障碍问卷"),
    "table.gps": ("GPS track", "GPS 轨迹"),
    # currencies and units of sales
    "currency.CNY": ("CNY", "元"),
    "currency.RMB": ("CNY", "元"),
    "unit_volume.cases": ("cases", "箱"),
    # tasks of the role questionnaire (the sample's, and the method's own list)
    "task.order_taking": ("order taking", "下单"),
    "task.shelf_merchandising": ("shelf merchandising", "货架陈列"),
    "task.pop_placement": ("POP placement", "POP 布置"),
    "task.store_selling": ("selling in the store", "店内销售"),
    "task.complaint_handling": ("complaint handling", "客诉处理"),
    "task.cooler_placement": ("cooler placement", "冰柜投放"),
    "task.customer_agreement": ("customer agreement", "客户协议"),
    "task.delivery_follow_up": ("delivery follow-up", "送货跟进"),
    "task.market_survey": ("market survey", "市场调查"),
    "task.new_outlet_development": ("new outlet development", "新网点开发"),
    "task.payment_collection": ("payment collection", "收款"),
    "task.promotion_event": ("promotion event", "促销活动"),
    "task.promotion_settlement": ("promotion settlement", "促销结算"),
    "task.shelf_arrangement": ("shelf arrangement", "货架陈列"),
    "task.pop_posting": ("POP posting", "张贴 POP"),
    "task.sales_stock_registration": ("sales and stock registration", "销量和库存登记"),
    "task.competitor_check": ("competitor check", "竞品检查"),
    "task.new_customer_development": ("new customer development", "新客户开发"),
    "task.exclusive_sales_agreement": ("exclusive sales agreements", "专卖协议签订"),
    "task.equipment_delivery": ("equipment delivery", "设备投放"),
    "task.sales_data_support": ("sales data support", "销售数据支持"),
    "task.customer_file_maintenance": ("customer file maintenance", "客户档案维护"),
    "task.event_promoter": ("acting as promoter at events", "活动现场充当促销员"),
    "task.market_research": ("market research and feedback", "市场调查与反馈"),
    # obstacles of the questionnaire
    "obstacle.promotion_settlement_delay": ("promotion settlement delay", "促销结算延迟"),
    "obstacle.too_many_reports": ("too many reports", "报表太多"),
    "obstacle.long_morning_meeting": ("long morning meeting", "早会太长"),
    "obstacle.unclear_responsibilities": ("unclear responsibilities", "职责不清"),
    "obstacle.delivery_problems": ("delivery problems", "送货问题"),
    "obstacle.stock_outs": ("stock-outs", "缺货"),
    "obstacle.payment_collection_burden": ("payment collection burden", "收款负担"),
    "obstacle.route_too_spread": ("route too spread out", "线路太分散"),
    "scenario.standard_day": ("standard day", "标准工作日"),
    "scenario.meeting_cut": ("meeting cut", "缩短早会"),
    "scenario.admin_cut": ("admin cut", "减少行政事务"),
    "scenario.travel_cut": ("travel cut", "减少路途"),
    "scenario.visit_time_raised": ("visit time raised", "延长拜访"),
    "scenario.all": ("all measures", "全部措施"),
    # weekdays (the method's working week)
    "weekday.Mon": ("Mon", "周一"),
    "weekday.Tue": ("Tue", "周二"),
    "weekday.Wed": ("Wed", "周三"),
    "weekday.Thu": ("Thu", "周四"),
    "weekday.Fri": ("Fri", "周五"),
    "weekday.Sat": ("Sat", "周六"),
    "weekday.Sun": ("Sun", "周日"),
    "chart.first_weekday": ("first visit on {day}", "首次拜访: {day}"),
    # traffic lights
    "light.green": ("green", "绿"),
    "light.amber": ("amber", "黄"),
    "light.red": ("red", "红"),
    "light.not_measured": ("not measured", "未测量"),
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
    # plan status
    "status.open": ("open", "未开始"),
    "status.in_progress": ("in progress", "进行中"),
    "status.done": ("done", "已完成"),
    "status.resolved": ("met", "已达标"),
    "status.met": ("met", "已达标"),
    "status.improved": ("improved", "有改善"),
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
    "chart.first_stop": ("first logged stop", "原顺序第一家"),
    "chart.home": ("home (start and end)", "住处 (起点和终点)"),
    "chart.route_of": ("Route of {rep}, {date}", "{rep} 的线路, {date}"),
    "chart.route_drive": (
        "Route of {rep}, {date}: drive {before} -> {after} min (calibrated)",
        "{rep} 的线路, {date}: 车程 {before} -> {after} 分钟 (已校准)",
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
    # the weekly planner and route consolidation
    "chart.logged_week": ("logged weeks (mean)", "记录周 (平均)"),
    "chart.planned_week": ("planned week", "计划周"),
    "chart.drive_min_week": ("drive a week (min)", "每周车程 (分钟)"),
    "chart.week_drive": (
        "Drive a week on the same {n} routes: logged vs planned (min)",
        "同样 {n} 条线路的每周车程: 记录 vs 计划 (分钟)",
    ),
    "chart.unlogged_routes": (
        "\n{n} routes planned without a logged week are not shown",
        "\n另有 {n} 条线路无记录周, 未列出",
    ),
    "chart.logged_customers": ("logged customers ({n})", "原有客户 ({n})"),
    "chart.planned_customers": (
        "planned customers ({n}; colour: weekday)",
        "计划客户 ({n}; 颜色: 星期)",
    ),
    "chart.start": ("start and end of the day", "每日起止点"),
    # the console summary of tts diagnose and tts demo
    "console.customer_share": (
        "Customer time: {share} of the working day (standard {standard}); "
        "{short} of {days} rep-days short.",
        "客户时间: 占工作日 {share} (标准 {standard}); {days} 个业代日中 {short} 个未达标。",
    ),
    "console.loaded": (
        "Loaded {read} rows ({used} used, {aside} set aside).",
        "已读入 {read} 行 (使用 {used} 行, 剔除 {aside} 行)。",
    ),
    "console.optimising": (
        "Optimising the visit order of every rep-day ...",
        "正在优化每个业代日的拜访顺序 ...",
    ),
    "console.territory": (
        "Redrawing the territories and planning each rep's week ...",
        "正在重新划分片区并规划每位业代的一周 ...",
    ),
    "console.no_customers": (
        "No customers table: the route optimisation is skipped.",
        "没有客户表: 跳过线路优化。",
    ),
    "console.diagnosing": ("Diagnosing ...", "正在诊断 ..."),
    "console.writing": ("Writing {file} ...", "正在写入 {file} ..."),
    "console.losses": ("Biggest losses:", "最大的损失:"),
    "console.loss_min": (
        "{label}: {observed}; {minutes} min a day recoverable, {reps} reps",
        "{label}: {observed}; 每天可挽回 {minutes} 分钟, 涉及 {reps} 名业代",
    ),
    "console.loss": ("{label}: {observed}; {reps} reps", "{label}: {observed}; 涉及 {reps} 名业代"),
    "console.no_findings": ("No finding: the team meets the standards.", "无发现: 团队达到标准。"),
    "console.set_aside_none": (
        "Rows set aside: none of {read} rows read.",
        "剔除数据: 读入 {read} 行, 无剔除。",
    ),
    "console.set_aside": (
        "Rows set aside: {rows} of {read} rows read ({reasons}); `tts validate` lists them.",
        "剔除数据: 读入 {read} 行, 剔除 {rows} 行 ({reasons}); `tts validate` 可列出明细。",
    ),
    "console.wrote": ("Wrote {files}.", "已写入: {files}。"),
    "console.wrote_nothing": ("No file written.", "未写入文件。"),
    "console.drive_saved": (
        "Re-sequenced visits: drive {before} -> {after} min over {days} rep-days.",
        "优化拜访顺序: {days} 个业代日的车程 {before} -> {after} 分钟。",
    ),
    "territory.summary": (
        "Territory plan for {reps} reps and {customers} customers: drive {before} -> {after} "
        "min a week ({cut} less); customer share {share_before} -> {share_after}; workload "
        "balance (largest / smallest week) {balance_before} -> {balance_after}; rep-days over "
        "a limit {over_before} -> {over_after} a week; {moved} customers change rep.",
        "{reps} 名业代、{customers} 家客户的片区方案: 每周车程 {before} -> {after} 分钟 "
        "(减少 {cut}); 客户时间占比 {share_before} -> {share_after}; 工作量均衡 (最大/最小周) "
        "{balance_before} -> {balance_after}; 每周超限的业代日 {over_before} -> {over_after}; "
        "{moved} 家客户更换业代。",
    ),
    "territory.unbalanced": (
        " The workloads stay beyond the tolerance: largest / smallest week {balance} against "
        "{tolerance}; no territories searched met it.",
        " 工作量仍超出容差: 最大/最小周为 {balance}, 容差为 {tolerance}; 所搜索的片区方案都未"
        "达到。",
    ),
    "reason.unparseable_time": ("unparseable time", "时间无法解析"),
    "reason.impossible_time": ("impossible time", "时间不合理"),
    "reason.unknown_code": ("unknown code", "未知代码"),
    "reason.unknown_customer": ("unknown customer", "未知客户"),
    "reason.missing_value": ("missing value", "缺少数值"),
    "reason.malformed_row": ("malformed row", "行格式错误"),
    "reason.blank_row": ("blank row", "空行"),
    "reason.unparseable_number": ("unparseable number", "数字无法解析"),
    "reason.end_before_start": ("end before start", "结束早于开始"),
    "reason.duplicate_row": ("duplicate row", "重复行"),
    "reason.not_nullable": ("missing value", "缺少数值"),
    "chart.territory_of": (
        "Territory of {rep}: drive {before} -> {after} min a week",
        "{rep} 的片区: 每周车程 {before} -> {after} 分钟",
    ),
}


def check_lang(lang: str, where: str = "tts") -> str:
    """Return ``lang`` if it is a supported language, else raise :class:`tts.InputError`
    naming the function ``where`` it was given to.
    """
    one_of(where, "lang", lang, LANGS)
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
    a code the catalogue does not know is shown as written, underscores as spaces. Metrics
    and checks are finding kinds: their titles come from the findings catalogue.

    >>> label("role", "area_coordinator", "zh")
    '区域协调员'
    >>> label("role", "store_owner")
    'store owner'
    >>> label("metric", "meeting_min", "zh")
    '早会时长'
    """
    if kind in ("metric", "check") and str(code) in KINDS:
        return KINDS[str(code)].title.text(check_lang(lang))
    key = f"{kind}.{code}"
    if key in _TEXT:
        return t(key, lang)
    return str(code).replace("_", " ")


_CJK = "\u3400-\u9fff\uf900-\ufaff"
_PAREN = re.compile(rf" ?\(([^()]*[{_CJK}][^()]*)\)")
_AFTER_CJK = re.compile(rf"([{_CJK}）》”])\s*([,;:!?])(?!\d) ?")
_BEFORE_CJK = re.compile(rf"([,;:]) ?(?=[{_CJK}（])")
_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}
#: A space between full-width punctuation and Chinese text, which Chinese does not set.
_SPACE_AFTER_FULL = re.compile(rf"(?<=[）；：，。]) +(?=[{_CJK}（])")


def fullwidth(text: str) -> str:
    """Chinese sentences with Chinese punctuation: a comma, semicolon, colon, ``!`` or ``?``
    after a Chinese character, or a comma, semicolon or colon before one, becomes full-width,
    and so do parentheses around Chinese text; the space after them goes, and so does a space
    between such punctuation and the Chinese that follows it. Latin text (names, ids,
    figures) is left as it is.

    >>> fullwidth("每天 5 分钟, 共 3 天 (见第 5 节); 完成: REP01, REP02")
    '每天 5 分钟，共 3 天（见第 5 节）；完成：REP01, REP02'
    >>> fullwidth("在 20 个路段 (相邻门店之间) 上")
    '在 20 个路段（相邻门店之间）上'
    """
    text = _PAREN.sub(lambda m: f"（{m.group(1)}）", text)
    text = _AFTER_CJK.sub(lambda m: m.group(1) + _FULL[m.group(2)], text)
    text = _BEFORE_CJK.sub(lambda m: _FULL[m.group(1)], text)
    return _SPACE_AFTER_FULL.sub("", text)


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
