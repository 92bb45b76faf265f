"""The findings catalogue: every kind of finding declared once, with its words in both languages.

A *finding* is a gap to a standard, a doubt about the data, or a problem the questionnaire or
the routes reveal. Each kind is one :class:`FindingKind` in :data:`KINDS`, keyed by the
``metric`` it carries in ``dx.findings``: its area, the unit of its size, how its severity is
graded, the role that owns the action, and its title, countermeasure, check measure and
evidence line in English and Chinese. The analyses fill in values (:mod:`tts.findings`); the
report, the action plan and the workbook only read words from here. A wording change touches
this file alone.

Words take ``{name}`` fields. A field whose value is itself :class:`Words` is put in the
language being written, so that a code (a channel, a role) reads in the reader's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

__all__ = [
    "AREAS",
    "BALANCE_BEYOND",
    "KINDS",
    "OBSTACLE_MEASURES",
    "QUALITY",
    "SEVERITY_RULES",
    "FindingKind",
    "Words",
    "kind",
]

#: The areas of the method a finding belongs to, in report order.
AREAS: tuple[str, ...] = ("efficiency", "route", "role", "audit")

#: How a kind's severity is graded: a fixed level, or a rule on what the analysis found.
SEVERITY_RULES: Mapping[str, str] = MappingProxyType(
    {
        "high": "always high",
        "medium": "always medium",
        "low": "always low",
        "red_light": (
            "high when any rep is red on the standard or the team is (half the reps or more "
            "miss it), else medium"
        ),
        "half_reps": "high when at least half of the reps are affected, else medium",
    }
)


@dataclass(frozen=True)
class Words:
    """A text in English and Chinese, with ``{name}`` fields.

    Examples
    --------
    >>> Words("{n} reps", "{n} 名业代").format("zh", n=3)
    '3 名业代'
    >>> Words("by {role}", "由{role}").format("zh", role=Words("finance", "财务"))
    '由财务'
    """

    en: str
    zh: str

    def text(self, lang: str) -> str:
        """The raw text in ``lang`` (``en`` or ``zh``), fields unfilled."""
        return self.zh if lang == "zh" else self.en

    def format(self, lang: str, **fields: object) -> str:
        """The text in ``lang`` with its fields filled; :class:`Words` fields in ``lang`` too."""
        values = {k: v.text(lang) if isinstance(v, Words) else v for k, v in fields.items()}
        return self.text(lang).format(**values)


@dataclass(frozen=True)
class FindingKind:
    """One kind of finding.

    Attributes
    ----------
    key : str
        The ``metric`` of the finding in ``dx.findings``.
    area : str
        One of :data:`AREAS`.
    unit : str
        Unit of the finding's size (``observed``): ``share``, ``min``, ``h``, ``visits``,
        ``customers``, ``reps``, ``rows``, ``days``, ``answers``, ``obstacles``, ``min a day``.
    severity : str
        How severity is graded: a key of :data:`SEVERITY_RULES`.
    owner : str
        Role code that owns the action (the questionnaire's role matrix wins when it names an
        owner for ``task``).
    title : Words
        What the finding is about.
    countermeasure : Words
        The action the plan proposes.
    check_measure : Words
        What the second diagnostic wave re-measures to tell whether the action worked.
    evidence : Words
        One line of evidence (a rep, a day, a customer …), with fields.
    standard : Words
        The standard the size is held against, where it is not a standard of the working day.
    root_cause : str
        Kinds sharing a root cause become one action of the PDCA plan.
    task : str or None
        The role-matrix task behind the finding, whose owner owns the action when the
        questionnaire names one.
    weight : float
        Weight of an audit check in the trust score (see :func:`tts.audit.audit`).
    message : Words or None
        What an audit flag says about one item, with the check's thresholds as fields.
    """

    key: str
    area: str
    unit: str
    severity: str
    owner: str
    title: Words
    countermeasure: Words
    check_measure: Words
    evidence: Words
    standard: Words = Words("0", "0")
    root_cause: str = ""
    task: str | None = None
    weight: float = 0.0
    message: Words | None = None

    def __post_init__(self) -> None:
        if not self.root_cause:
            object.__setattr__(self, "root_cause", self.key)


_EFFICIENCY_EVIDENCE = Words(
    "{rep}: {value} ({short} of {days} days)", "{rep}: {value} ({days} 天中 {short} 天)"
)
_AUDIT_EVIDENCE = Words("{rep} {date}{rows}", "{rep} {date}{rows}")
#: The file rows of an audit item, appended to its evidence line.
ROWS = Words(" rows {rows}", " 第 {rows} 行")
_FREQUENCY_EVIDENCE = Words(
    "{customer} ({route}, planned {planned}, visited {visited}/week)",
    "{customer} ({route}, 计划 {planned}, 实际 {visited} 次/周)",
)


def _efficiency(
    key: str,
    title: Words,
    measure: Words,
    check: Words,
    owner: str,
    *,
    unit: str,
    root_cause: str = "",
) -> FindingKind:
    """A standard of the working day: graded by the reps' lights."""
    return FindingKind(
        key,
        "efficiency",
        unit,
        "red_light",
        owner,
        title,
        measure,
        check,
        _EFFICIENCY_EVIDENCE,
        root_cause=root_cause,
    )


#: What the second wave re-measures for every audit check.
_AUDIT_CHECK = Words(
    "The same check on the second wave's data: items flagged per rep.",
    "对第二轮数据做同样的检查: 各业代被标记的条目数。",
)


def _audit(
    key: str,
    unit: str,
    severity: str,
    weight: float,
    title: Words,
    measure: Words,
    message: Words,
    evidence: Words = _AUDIT_EVIDENCE,
) -> FindingKind:
    """An audit check, owned by the supervisor who collects the survey."""
    return FindingKind(
        key,
        "audit",
        unit,
        severity,
        "supervisor",
        title,
        measure,
        _AUDIT_CHECK,
        evidence,
        weight=weight,
        message=message,
    )


_KINDS: tuple[FindingKind, ...] = (
    # -- work efficiency: one kind per standard of the working day ---------------------------
    _efficiency(
        "customer_share",
        Words("Customer time share of the working day", "客户时间占工作日比例"),
        Words(
            "Give the day back to customers: act on the meeting, travel and admin findings "
            "together, and plan each day around its store visits.",
            "把时间还给客户: 同时落实早会、路途和行政事务的改进, 并围绕门店拜访安排每一天。",
        ),
        Words(
            "Customer share of the working day per rep in the second wave.",
            "第二轮调查中各业代客户时间占工作日的比例。",
        ),
        "sales_manager",
        unit="share",
    ),
    _efficiency(
        "avg_visit_min",
        Words("Customer minutes per store visit", "每次拜访客户时间"),
        Words(
            "Raise visit time toward 8-9 minutes with a fixed in-store routine (shelf and "
            "cooler check, order, POP, competitor check) and coach it on the route.",
            "用固定的店内流程 (货架与冰柜检查、下单、POP、竞品检查) 把拜访时间提高到 8-9 "
            "分钟, 并在线路上辅导。",
        ),
        Words(
            "Customer minutes per store visit per rep in the second wave.",
            "第二轮调查中各业代每次拜访的客户时间。",
        ),
        "supervisor",
        unit="min",
    ),
    _efficiency(
        "meeting_min",
        Words("Morning meeting", "早会时长"),
        Words(
            "Cap the morning meeting at 15 minutes with a fixed agenda (yesterday's results, "
            "today's focus, stock and promotions); move training to a weekly slot.",
            "早会限制在 15 分钟内, 固定议程 (昨日结果、今日重点、库存与促销); 培训改为每周一次。",
        ),
        Words(
            "Minutes of morning meeting a day per rep in the second wave.",
            "第二轮调查中各业代每天的早会分钟数。",
        ),
        "supervisor",
        unit="min",
    ),
    _efficiency(
        "travel_share",
        Words("Travel share of the working day", "路途时间占工作日比例"),
        Words(
            "Re-plan routes: give the reps the optimised visit order, tighten territories and "
            "move the first and last calls closer to the depot.",
            "重新规划线路: 把优化后的拜访顺序交给业代, 收紧片区, 让首末家门店靠近仓库。",
        ),
        Words(
            "Travel share of the working day per rep in the second wave.",
            "第二轮调查中各业代路途时间占工作日的比例。",
        ),
        "route_planner",
        unit="share",
        root_cause="route_plan",
    ),
    _efficiency(
        "admin_min",
        Words("Admin time a day", "每日行政事务时间"),
        Words(
            "Take admin off the route: order keying and reports on the handheld during the "
            "visit, stock counts and returns at the depot by the warehouse, and one weekly "
            "report instead of daily sheets.",
            "把行政事务移出线路: 订单和报表在拜访时用手持终端完成, 库存盘点和退货由仓库在仓库处理, "
            "用一份周报代替每日报表。",
        ),
        Words(
            "Minutes of admin a day per rep in the second wave.",
            "第二轮调查中各业代每天的行政事务分钟数。",
        ),
        "sales_manager",
        unit="min",
        root_cause="fixed_time",
    ),
    _efficiency(
        "day_h",
        Words("Working day", "工作日时长"),
        Words(
            "Bring the day back to the standard: cut reports and admin, shorten the meeting, "
            "and plan no more visits than fit in the day.",
            "把工作日拉回标准: 减少报表和行政事务, 缩短早会, 只安排一天能完成的拜访。",
        ),
        Words(
            "Length of the working day per rep in the second wave.",
            "第二轮调查中各业代的工作日时长。",
        ),
        "sales_manager",
        unit="h",
    ),
    _efficiency(
        "visits",
        Words("Store visits a day", "每日拜访门店数"),
        Words(
            "Re-balance the routes: too many calls a day leave no time for a real visit; move "
            "low-value customers to a lower frequency or another channel.",
            "重新平衡线路: 每天拜访过多就没有时间做好一次拜访; 降低低价值客户的拜访频率或改用"
            "其他渠道。",
        ),
        Words(
            "Store visits a day per rep in the second wave.", "第二轮调查中各业代每天的拜访门店数。"
        ),
        "route_planner",
        unit="visits",
        root_cause="route_plan",
    ),
    # -- route performance --------------------------------------------------------------------
    FindingKind(
        "ineffective_customers",
        "route",
        "customers",
        "high",
        "sales_manager",
        Words("Ineffective customers", "低效客户"),
        Words(
            "Drop or re-tier the ineffective customers: lower their visit frequency, serve "
            "them by phone or through the distributor, and give the minutes to customers that "
            "buy.",
            "调整低效客户: 降低拜访频率, 改为电话或经销商服务, 把时间留给有销量的客户。",
        ),
        Words(
            "Ineffective customers and the minutes a week they absorb in the second wave.",
            "第二轮调查中低效客户的数量及其每周占用的分钟数。",
        ),
        Words(
            "{customer} ({channel}, {route}): {cost} min/week for {sales} sales/week",
            "{customer} ({channel}, {route}): 每周 {cost} 分钟, 销售额 {sales}/周",
        ),
    ),
    FindingKind(
        "never_visited",
        "route",
        "customers",
        "medium",
        "route_planner",
        Words("Customers on the plan never visited", "计划内但从未拜访的客户"),
        Words(
            "Visit them, or take them off the route plan so the plan is the truth.",
            "去拜访, 或把它们从线路计划中删除, 让计划反映实际。",
        ),
        Words(
            "Customers on the plan with no visit in the second wave.",
            "第二轮调查中计划内但没有拜访的客户数。",
        ),
        _FREQUENCY_EVIDENCE,
        root_cause="visit_frequency",
        task="customer_file_maintenance",
    ),
    FindingKind(
        "under_visited",
        "route",
        "customers",
        "medium",
        "route_planner",
        Words("Customers visited less than planned", "拜访次数低于计划的客户"),
        Words(
            "Re-plan the week so every customer gets its planned frequency.",
            "重新安排每周计划, 让每家客户达到计划频率。",
        ),
        Words(
            "Customers visited less often than planned in the second wave.",
            "第二轮调查中拜访次数低于计划的客户数。",
        ),
        _FREQUENCY_EVIDENCE,
        root_cause="visit_frequency",
    ),
    FindingKind(
        "over_visited",
        "route",
        "customers",
        "medium",
        "route_planner",
        Words("Customers visited more than planned", "拜访次数高于计划的客户"),
        Words(
            "Hold visits to the planned frequency; give the time to under-served customers.",
            "按计划频率拜访; 把多出的时间给拜访不足的客户。",
        ),
        Words(
            "Customers visited more often than planned in the second wave.",
            "第二轮调查中拜访次数高于计划的客户数。",
        ),
        _FREQUENCY_EVIDENCE,
        root_cause="visit_frequency",
    ),
    FindingKind(
        "long_visit_customers",
        "route",
        "customers",
        "medium",
        "supervisor",
        Words("Customers taking far longer than the standard visit", "拜访时间远超标准的客户"),
        Words(
            "Find out why these visits take so long (waiting for the buyer, paperwork) and "
            "fix the cause.",
            "找出拜访过长的原因 (等待采购、单据) 并解决。",
        ),
        Words(
            "Average visit minutes at these customers in the second wave.",
            "第二轮调查中这些客户的平均拜访分钟数。",
        ),
        Words(
            "{customer} ({route}): {minutes} min a visit",
            "{customer} ({route}): 每次 {minutes} 分钟",
        ),
    ),
    FindingKind(
        "time_balance",
        "route",
        "reps",
        "medium",
        "supervisor",
        Words("Customer time spread unevenly", "客户时间分配不均"),
        Words(
            "Plan visit time by customer value, not by habit.", "按客户价值而不是习惯分配拜访时间。"
        ),
        Words(
            "Gini coefficient of customer minutes per rep in the second wave.",
            "第二轮调查中各业代客户分钟数的基尼系数。",
        ),
        Words(
            "{rep}: Gini {gini}, top 10 % of customers take {top} of the time",
            "{rep}: 基尼系数 {gini}, 前 10% 的客户占用 {top} 的时间",
        ),
        standard=Words("Gini ≤ {gini_max}", "基尼系数 ≤ {gini_max}"),
    ),
    FindingKind(
        "route_sequence",
        "route",
        "min a day",
        "high",
        "route_planner",
        Words("Drive time the optimised visit order saves", "优化拜访顺序可节省的车程"),
        Words(
            "Re-sequence the routes and give the reps the new visit order.",
            "重新排列线路顺序, 把新的拜访顺序交给业代。",
        ),
        Words(
            "Logged travel minutes a day per rep in the second wave.",
            "第二轮调查中各业代每天记录的路途分钟数。",
        ),
        Words("{route}: {minutes} min a day", "{route}: 每天 {minutes} 分钟"),
        root_cause="route_plan",
    ),
    FindingKind(
        "territory_drive",
        "route",
        "min a day",
        "high",
        "sales_manager",
        Words(
            "Drive time redrawing the territories saves beyond re-planning today's",
            "重新划分片区比在现有片区内重新规划多节省的车程",
        ),
        Words(
            "Redraw the territories as planned: hand the {moved} customers that change rep to "
            "their new rep and weekdays, then give every rep the new day routes.",
            "按方案重新划分片区: 把 {moved} 家更换业代的客户交给新的业代并按新的拜访日拜访, "
            "再把新的每日线路交给每位业代。",
        ),
        Words(
            "Logged travel minutes a day per rep in the second wave, and customers per rep.",
            "第二轮调查中各业代每天记录的路途分钟数, 以及各业代的客户数。",
        ),
        Words(
            "{rep}: drive {before} → {after} min a week (today's territory re-planned → "
            "redrawn), {customers} customers",
            "{rep}: 每周车程 {before} → {after} 分钟 (现有片区重新规划 → 重新划分), "
            "{customers} 家客户",
        ),
        root_cause="territory",
    ),
    FindingKind(
        "territory_balance",
        "route",
        "reps",
        "medium",
        "sales_manager",
        Words("Weekly workloads out of balance across reps", "各业代每周工作量不均衡"),
        Words(
            "Move customers from the busiest reps to the lightest (the plan reaches {planned}).",
            "把客户从最忙的业代调给最轻的业代 (方案可达 {planned})。",
        ),
        Words(
            "Each rep's weekly hours in the second wave: largest ÷ smallest.",
            "第二轮调查中各业代每周工时: 最大 ÷ 最小。",
        ),
        Words(
            "{rep}: {hours} h a week (lightest rep {lightest} h)",
            "{rep}: 每周 {hours} 小时 (最轻的业代 {lightest} 小时)",
        ),
        standard=Words("largest ÷ smallest ≤ {tolerance}", "最大 ÷ 最小 ≤ {tolerance}"),
        root_cause="territory",
    ),
    # -- the questionnaire --------------------------------------------------------------------
    FindingKind(
        "out_of_role",
        "role",
        "answers",
        "half_reps",
        "{role}",
        Words("Reps do the {role}'s work", "业代在做{role}的工作"),
        Words("Give these tasks back to the {role}.", "把这些工作交还给{role}。"),
        Words(
            "Answers in the second questionnaire that say reps still do the {role}'s tasks.",
            "第二轮问卷中业代仍在做{role}工作的回答数。",
        ),
        Words("tasks: {tasks}", "工作: {tasks}"),
    ),
    FindingKind(
        "obstacles",
        "role",
        "obstacles",
        "medium",
        "sales_manager",
        Words("Obstacles most reps score 4-5", "多数业代打 4-5 分的障碍"),
        Words("Remove the top obstacles: {measures}.", "消除主要障碍: {measures}。"),
        Words(
            "Share of reps scoring these obstacles 4-5 in the second questionnaire.",
            "第二轮问卷中给这些障碍打 4-5 分的业代比例。",
        ),
        Words(
            "{obstacle}: mean {mean}, {share} score 4-5{comments}",
            "{obstacle}: 平均 {mean} 分, {share} 打 4-5 分{comments}",
        ),
    ),
    FindingKind(
        "response_quality",
        "role",
        "reps",
        "low",
        "sales_ops",
        Words("Questionnaire answers to check", "需要核实的问卷回答"),
        Words(
            "Collect the missing answers and re-ask reps who scored everything the same.",
            "补齐缺失的回答, 对所有题目打同一分的业代重新调查。",
        ),
        Words(
            "Reps with missing or straight-lined answers in the second questionnaire.",
            "第二轮问卷中回答缺失或全部同分的业代数。",
        ),
        Words("{rep}: {detail}", "{rep}: {detail}"),
    ),
    # -- the data audit -----------------------------------------------------------------------
    _audit(
        "overlapping_intervals",
        "rows",
        "high",
        2.0,
        Words("Overlapping intervals", "时间段重叠"),
        Words(
            "Correct the overlapping entries with the rep; fix the form or app so an activity "
            "cannot start before the previous one ends.",
            "与业代核对重叠的记录; 修改表格或应用, 使活动不能在上一项结束前开始。",
        ),
        Words("activity starts before the previous one ended", "活动在上一项结束前开始"),
    ),
    _audit(
        "zero_minute_visits",
        "visits",
        "medium",
        1.0,
        Words("Zero-minute visits", "零分钟拜访"),
        Words(
            "Check whether these visits happened; a visit logged at the door is not a visit.",
            "核实这些拜访是否发生; 在门口打卡不算拜访。",
        ),
        Words("store visit under {min_visit_min} min", "门店拜访不足 {min_visit_min} 分钟"),
    ),
    _audit(
        "implausibly_long_visits",
        "visits",
        "medium",
        1.0,
        Words("Implausibly long visits", "拜访时间过长"),
        Words(
            "Check these visits: a missing check-out usually explains them.",
            "核查这些拜访: 通常是漏了签退。",
        ),
        Words("store visit over {max_visit_min} min", "门店拜访超过 {max_visit_min} 分钟"),
    ),
    _audit(
        "impossible_speed",
        "visits",
        "high",
        2.0,
        Words("Impossible speed between stores", "门店间移动速度不可能"),
        Words(
            "Compare these visits with the GPS or check-in positions; the rep could not have "
            "driven between the stores in the time logged.",
            "与 GPS 或签到位置核对: 业代不可能在记录的时间内在两店之间往返。",
        ),
        Words(
            "reached from the previous store faster than {max_speed_kmh} km/h",
            "从上一家门店到达的速度超过每小时 {max_speed_kmh} 公里",
        ),
    ),
    _audit(
        "checkin_not_at_store",
        "visits",
        "high",
        2.0,
        Words("Check-ins the position contradicts", "位置与签到不符的拜访"),
        Words(
            "Go through these visits with the rep and the GPS track: a check-in followed by "
            "leaving the store is not a visit. Require check-out at the store and "
            "coach the visit routine.",
            "与业代一起对照 GPS 轨迹核查这些拜访: 签到后离开门店 (断点打卡) 不算拜访。要求在门店"
            "签退, 并辅导拜访流程。",
        ),
        Words(
            "the position puts the rep more than {checkin_radius_m} m from the store for most "
            "of the logged visit (track at the store under {presence_share} of the claimed "
            "minutes, or the check-in made that far away)",
            "位置显示业代在记录的拜访期间大部分时间距门店超过 {checkin_radius_m} 米 (轨迹在店"
            "时间不足记录分钟数的 {presence_share}, 或签到位置就在这么远处)",
        ),
        Words(
            "{rep} {date}{rows}: {value} min at the store (track / logged)",
            "{rep} {date}{rows}: 在店 {value} 分钟 (轨迹 / 记录)",
        ),
    ),
    _audit(
        "copied_days",
        "days",
        "high",
        3.0,
        Words("Copied days", "复制的工作日"),
        Words(
            "Re-survey the rep: a day identical to another one was copied, not recorded.",
            "重新调查该业代: 与另一天完全相同的记录是复制的。",
        ),
        Words(
            "the day repeats an earlier day of the rep entry for entry",
            "这一天与该业代之前某天的记录逐条相同",
        ),
    ),
    _audit(
        "round_number_heaping",
        "rows",
        "low",
        1.0,
        Words("Round-number durations", "时长多为整数"),
        Words(
            "Durations are mostly round numbers: the rep estimated them afterwards. Record "
            "times as they happen (app or check-in).",
            "时长多为整数说明是事后估计。应在发生时记录 (应用或签到)。",
        ),
        Words(
            "durations in multiples of {heaping_base_min} min",
            "时长为 {heaping_base_min} 分钟的整数倍",
        ),
    ),
    _audit(
        "short_days",
        "days",
        "medium",
        1.0,
        Words("Short days", "工作日过短"),
        Words(
            "The day stops early: the survey was not finished; complete or drop it.",
            "记录提前结束: 调查未完成; 补齐或剔除。",
        ),
        Words("logged day shorter than {min_day_h} h", "记录的工作日短于 {min_day_h} 小时"),
    ),
    _audit(
        "unaccounted_time",
        "days",
        "medium",
        1.0,
        Words("Unaccounted time", "未记录时间"),
        Words(
            "Ask the rep what filled the gaps; unaccounted time counts as non-customer time.",
            "询问业代空档时间做了什么; 未记录时间计为非客户时间。",
        ),
        Words(
            "more than {max_unaccounted_min} min of the day unaccounted for",
            "一天中超过 {max_unaccounted_min} 分钟没有记录",
        ),
    ),
    _audit(
        "missing_days",
        "days",
        "low",
        1.0,
        Words("Missing working days", "缺失的工作日"),
        Words(
            "Collect the missing working days, or record why the rep did not work.",
            "补收缺失的工作日, 或记录业代未工作的原因。",
        ),
        Words("working day with no activity logged", "工作日没有任何活动记录"),
    ),
    FindingKind(
        "quarantine",
        "audit",
        "rows",
        "medium",
        "sales_ops",
        Words("Rows set aside at loading", "加载时被剔除的数据行"),
        Words(
            "Fix the rows set aside (see the quarantine table) and reload: the analysis runs "
            "without them.",
            "修正被剔除的数据行 (见剔除表) 后重新加载: 分析不包含这些行。",
        ),
        Words(
            "Rows set aside when the second wave's files are loaded.",
            "加载第二轮数据时被剔除的行数。",
        ),
        Words("{file}: {n} {reason}", "{file}: {n} 行 {reason}"),
    ),
)

#: Every finding kind, by its key.
KINDS: Mapping[str, FindingKind] = MappingProxyType({k.key: k for k in _KINDS})

#: Role-specific actions for ``out_of_role_<role>`` findings (the generic one serves the rest).
_ROLE_MEASURES: Mapping[str, Words] = MappingProxyType(
    {
        "finance": Words(
            "Move promotion settlement and payment collection back to finance, and speed up "
            "promotion settlement so customers stop chasing the rep for refunds.",
            "把促销结算和货款回收交还财务, 并加快促销结算, 让客户不再找业代催要返利。",
        ),
        "marketing": Words(
            "Let marketing run promotion events; the rep only informs the store.",
            "促销活动由市场部执行; 业代只负责通知门店。",
        ),
        "area_development_rep": Words(
            "Give new-outlet development and cooler placement back to the area development rep.",
            "把新网点开发和冰柜投放交还区域开发代表。",
        ),
        "area_coordinator": Words(
            "Route delivery follow-up and complaints to the area coordinator.",
            "把送货跟进和投诉处理转给区域协调员。",
        ),
    }
)

#: Measures against obstacles, by the words (English or Chinese) an obstacle's code, its labels or
#: the text a questionnaire gave for it contains.
OBSTACLE_MEASURES: tuple[tuple[tuple[str, ...], Words], ...] = (
    (
        ("settlement", "结算", "核销", "返利"),
        Words("speed up promotion settlement", "加快促销结算"),
    ),
    (
        ("report", "报表", "报告"),
        Words("consolidate the daily reports into one", "把每日报表合并为一份"),
    ),
    (
        ("meeting", "早会", "例会"),
        Words("cap the morning meeting at 15 minutes", "早会限制在 15 分钟内"),
    ),
    (
        ("responsib", "职责", "分工"),
        Words("publish who owns which task (the role matrix) and hold to it", "公布职责矩阵并执行"),
    ),
    (
        ("deliver", "送货", "配送"),
        Words("fix delivery follow-up with logistics", "与物流一起解决送货跟进问题"),
    ),
    (("route", "线路", "路线"), Words("re-plan the routes", "重新规划线路")),
)
#: The countermeasure of the obstacles finding when no measure above matches.
OBSTACLES_GENERIC = Words("Act on the top obstacles with the reps.", "与业代一起解决最主要的障碍。")

#: The countermeasure of ``territory_balance`` when the territory plan itself stays beyond the
#: tolerance: the plan alone does not balance the workloads.
BALANCE_BEYOND = Words(
    "Move customers from the busiest reps to the lightest: the plan gets to {planned}, still "
    "beyond the {tolerance} tolerance, so hand more customers over from the heaviest reps "
    "than the plan does.",
    "把客户从最忙的业代调给最轻的业代: 方案只能达到 {planned}, 仍超出 {tolerance} 的容差, "
    "因此需要从最忙的业代调出比方案更多的客户。",
)

#: Response-quality issues of the questionnaire.
QUALITY: Mapping[str, Words] = MappingProxyType(
    {
        "no_role_answers": Words("the rep answered no role question", "没有职责问卷回答"),
        "no_obstacle_answers": Words("the rep scored no obstacle", "没有障碍评分"),
        "straight_lining": Words("every obstacle scored {score}", "所有障碍都打 {score} 分"),
    }
)


def kind(metric: str) -> FindingKind:
    """The kind of a finding by its ``metric``.

    ``out_of_role_<role>`` findings take the ``out_of_role`` kind, with the role's own action
    where the catalogue has one; their owner is that role.

    Examples
    --------
    >>> kind("meeting_min").owner
    'supervisor'
    >>> k = kind("out_of_role_finance")
    >>> k.owner, k.countermeasure.en.startswith("Move promotion settlement")
    ('finance', True)
    """
    if metric in KINDS:
        return KINDS[metric]
    if metric.startswith("out_of_role_"):
        role = metric.removeprefix("out_of_role_")
        base = KINDS["out_of_role"]
        return FindingKind(
            metric,
            base.area,
            base.unit,
            base.severity,
            role,
            base.title,
            _ROLE_MEASURES.get(role, base.countermeasure),
            base.check_measure,
            base.evidence,
            root_cause=metric,
        )
    raise KeyError(f"no finding kind {metric!r} in the catalogue")
