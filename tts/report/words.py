"""The report's own words (headings, sentences, column titles) in English and Chinese."""

from __future__ import annotations

from ..i18n import check_lang

__all__ = ["skipped_text", "w"]

_WORDS: dict[str, tuple[str, str]] = {
    # cover
    "title": ("Time to Sell diagnostic", "销售时间 (TTS) 诊断报告"),
    "subtitle": (
        "How much of the route reps' day goes to customers, and how to give them more",
        "业务代表的一天有多少时间用在客户身上, 以及如何增加",
    ),
    "cover.team": (
        "{reps} reps on {routes} routes, {regions}",
        "{reps} 名业代, {routes} 条线路, {regions}",
    ),
    "cover.period": (
        "Survey period {start} to {end}: {days} rep-days, {rows} activity rows",
        "调查期 {start} 至 {end}: {days} 个业代工作日, {rows} 条活动记录",
    ),
    "cover.contents": ("Contents", "目录"),
    "cover.made": (
        "Made with tts {version} from the survey data alone.",
        "由 tts {version} 根据调查数据生成。",
    ),
    "footer": ("Time to Sell diagnostic, {start} to {end}", "销售时间诊断, {start} 至 {end}"),
    # section headings
    "h.summary": ("1 Executive summary", "1 管理摘要"),
    "h.efficiency": ("2 Work efficiency", "2 工作效率"),
    "h.routes": ("3 Route performance", "3 线路绩效"),
    "h.survey": ("4 Questionnaire: roles and obstacles", "4 问卷: 职责与障碍"),
    "h.audit": ("5 Data audit", "5 数据审计"),
    "h.check": ("6 Check: the second wave against the first", "6 检查: 第二轮与第一轮对比"),
    "h.plan": ("7 PDCA action plan", "7 PDCA 行动计划"),
    "h.appendix": ("Appendix: method and standards", "附录: 方法与标准"),
    # executive summary
    "summary.intro": (
        "{reps} reps were surveyed over {days} working days ({rep_days} rep-days). Customer "
        "time is {share} of their working day against a standard of at least {standard}; a "
        "visit gives the customer {visit} against {band}.",
        "共调查 {reps} 名业代、{days} 个工作日 ({rep_days} 个业代工作日)。客户时间占工作日的 "
        "{share}, 标准为不低于 {standard}; 每次拜访给客户 {visit}, 标准为 {band}。",
    ),
    "summary.headline": ("Headline figures against the standards", "主要指标与标准对比"),
    "summary.losses": ("The three biggest recoverable time losses", "可收回时间最多的三项损失"),
    "summary.losses_few": (
        "Only {n} finding(s) measure a loss of time in minutes a day; the others are listed in "
        "the sections that follow.",
        "只有 {n} 项发现可以按每天分钟数计算时间损失; 其余发现见后续章节。",
    ),
    "summary.no_losses": (
        "No finding measures a loss of time in minutes a day: every time standard is met.",
        "没有按每天分钟数计算的时间损失: 各项时间标准均已达到。",
    ),
    "summary.capacity": (
        "With every measure in place (a {day} h day, a {meeting} min meeting, {travel} less "
        "travel per visit, {visit} min visits) a rep's customer time rises from {share0} to "
        "{share1} of the day, at {visits1} visits a day instead of {visits0}.",
        "如果全部措施到位 ({day} 小时工作日、{meeting} 分钟早会、每次拜访路途减少 {travel}、"
        "拜访 {visit} 分钟), 客户时间占比从 {share0} 提高到 {share1}, 每天拜访 {visits1} 家"
        " (现为 {visits0} 家)。",
    ),
    "summary.routes": (
        "Re-sequencing the visits cuts drive time by {share} ({minutes} min per rep-day, "
        "{days} rep-days optimised).",
        "优化拜访顺序可减少 {share} 的车程"
        " (每个业代工作日 {minutes} 分钟, 共优化 {days} 个业代工作日)。",
    ),
    "summary.data": (
        "Data: {read} rows read, {used} used, {aside} set aside (see section 5); mean trust "
        "score {trust} of 100.",
        "数据: 读取 {read} 行, 使用 {used} 行, 剔除 {aside} 行 (见第 5 节);"
        " 平均可信度 {trust}/100。",
    ),
    "col.metric": ("Metric", "指标"),
    "col.team": ("Team", "团队"),
    "col.standard": ("Standard", "标准"),
    "col.light": ("Light", "信号灯"),
    "col.reps_off": ("Reps off standard", "未达标业代"),
    "col.rank": ("#", "#"),
    "col.finding": ("Finding", "发现"),
    "col.min_day": ("Min a day", "分钟/天"),
    "col.reps": ("Reps", "业代"),
    "col.action": ("Action", "行动"),
    "col.id": ("ID", "编号"),
    "col.observed": ("Observed", "实际"),
    "col.evidence": ("Evidence", "依据"),
    "col.severity": ("Severity", "严重度"),
    "col.rep": ("Rep", "业代"),
    "col.days": ("Days", "天数"),
    "col.day_h": ("Day (h)", "工作日 (小时)"),
    "col.customer": ("Customer", "客户时间"),
    "col.travel": ("Travel", "路途"),
    "col.meeting": ("Meeting (min)", "早会 (分钟)"),
    "col.visits_day": ("Visits a day", "每日拜访"),
    "col.min_visit": ("Min a visit", "每次拜访分钟"),
    "col.scenario": ("Scenario", "情景"),
    "col.customer_min": ("Customer min a day", "每日客户分钟"),
    "col.route": ("Route", "线路"),
    "col.customers": ("Customers", "客户数"),
    "col.visits_week": ("Visits a week", "每周拜访"),
    "col.travel_visit": ("Travel min a visit", "每次拜访路途分钟"),
    "col.km_visit": ("Km a visit", "每次拜访公里"),
    "col.sales_visit": ("Sales a visit", "每次拜访销量"),
    "col.ineffective": ("Ineffective", "低效客户"),
    "col.drive_before": ("Drive before (min)", "优化前车程 (分钟)"),
    "col.drive_after": ("Drive after (min)", "优化后车程 (分钟)"),
    "col.saving_day": ("Saving (min a day)", "节省 (分钟/天)"),
    "col.saving_share": ("Saving", "节省比例"),
    "col.role": ("Intended owner", "应负责角色"),
    "col.tasks": ("Tasks reps do instead", "由业代代做的工作"),
    "col.answers": ("Answers", "回答数"),
    "col.obstacle": ("Obstacle", "障碍"),
    "col.mean": ("Mean score", "平均分"),
    "col.high": ("Scoring 4-5", "打 4-5 分"),
    "col.comments": ("Comments", "意见"),
    "col.table": ("Table", "数据表"),
    "col.file": ("File", "文件"),
    "col.encoding": ("Encoding", "编码"),
    "col.read": ("Read", "读取"),
    "col.used": ("Used", "使用"),
    "col.aside": ("Set aside", "剔除"),
    "col.reason": ("Reason", "原因"),
    "col.rows": ("Rows", "行数"),
    "col.example": ("Example", "示例"),
    "col.check": ("Check", "检查项"),
    "col.rep_days": ("Rep-days", "业代工作日"),
    "col.what_to_do": ("What to do", "处理办法"),
    "col.trust": ("Trust score", "可信度"),
    "col.flags": ("Flags", "标记"),
    "col.before": ("First wave", "第一轮"),
    "col.after": ("Second wave", "第二轮"),
    "col.status": ("Status", "状态"),
    "col.problem": ("Problem", "问题"),
    "col.target": ("Target", "目标"),
    "col.owner": ("Owner", "负责人"),
    "col.deadline": ("Deadline", "期限"),
    "col.name": ("Standard", "标准"),
    "col.value": ("Value", "数值"),
    # work efficiency
    "eff.intro": (
        "Each rep-day is split into customer time (in the store: {customer}) and non-customer "
        "time; the two add up to the working day, from the first to the last activity.",
        "每个业代工作日分为客户时间 (店内: {customer}) 和非客户时间; 两者之和等于工作日"
        " (从第一项活动到最后一项活动)。",
    ),
    "eff.per_rep": ("Per rep", "各业代"),
    "eff.capped": (
        "The {n} reps with the lowest customer share of {total}; every rep is in "
        "dx.comparison.table.",
        "客户时间占比最低的 {n} 名业代 (共 {total} 名); 全部业代见 dx.comparison.table。",
    ),
    "eff.visits": ("Store visits", "门店拜访"),
    "eff.day": ("A day on the route", "线路上的一天"),
    "eff.day_note": (
        "The rep-day with the lowest customer share ({rep}, {date}: {share}).",
        "客户时间占比最低的业代工作日 ({rep}, {date}: {share})。",
    ),
    "eff.capacity": ("Capacity: what the day could hold", "产能: 一天能容纳多少拜访"),
    "eff.findings": ("Findings on work efficiency", "工作效率方面的发现"),
    "eff.none": (
        "Every rep meets every work-efficiency standard: no finding.",
        "所有业代均达到全部工作效率标准: 没有发现。",
    ),
    # routes
    "routes.performance": ("Routes compared", "线路对比"),
    "routes.optimised": ("Optimised visit order", "优化后的拜访顺序"),
    "routes.map_note": (
        "The most improved rep-day of the {n} reps the optimiser helps most: grey the logged "
        "order, green the optimised one, from the first stop to the last.",
        "优化效果最大的 {n} 名业代各自改进最多的一天: 灰色为原顺序, 绿色为优化后顺序"
        " (从第一家门店到最后一家)。",
    ),
    "routes.no_plan": (
        "The route optimisation was not run, so there is no before/after order here. Run "
        "tts diagnose with --optimize, or pass plan=tts.optimize_routes(ds) to write_report.",
        "未运行线路优化, 因此没有优化前后的对比。请使用 tts diagnose --optimize,"
        " 或向 write_report 传入 plan=tts.optimize_routes(ds)。",
    ),
    "routes.skipped": (
        "Route performance was not analysed: {why}.",
        "未分析线路绩效: {why}。",
    ),
    "routes.capped": (
        "The {n} routes with the most travel a visit, of {total}; every route is in "
        "dx.routes.by_route.",
        "每次拜访路途最长的 {n} 条线路 (共 {total} 条); 全部线路见 dx.routes.by_route。",
    ),
    "routes.plan_capped": (
        "The first {n} reps of {total}; every rep is in plan.by_rep().",
        "前 {n} 名业代 (共 {total} 名); 全部业代见 plan.by_rep()。",
    ),
    "routes.findings": ("Findings on routes", "线路方面的发现"),
    "routes.no_findings": (
        "The route analysis found nothing to act on.",
        "线路分析没有需要处理的发现。",
    ),
    # survey
    "survey.skipped": (
        "The questionnaire was not analysed: {why}.",
        "未分析问卷: {why}。",
    ),
    "survey.roles": ("Who does what", "谁在做什么"),
    "survey.no_roles": (
        "No role answers: the role-clarity matrix cannot be drawn.",
        "没有职责问卷回答: 无法绘制职责矩阵。",
    ),
    "survey.landed": ("Work that lands on the reps", "落到业代身上的工作"),
    "survey.no_landed": (
        "No rep reports doing another role's task.",
        "没有业代报告在做其他角色的工作。",
    ),
    "survey.obstacles": ("Obstacles", "障碍"),
    "survey.no_obstacles": (
        "No obstacle scores: the obstacle ranking is empty.",
        "没有障碍评分: 无法排序。",
    ),
    "survey.findings": ("Findings on roles and obstacles", "职责与障碍方面的发现"),
    "survey.no_findings": (
        "The questionnaire found nothing to act on.",
        "问卷没有需要处理的发现。",
    ),
    # audit
    "audit.intro": (
        "Every input row is either used or set aside with a reason. The checks below look for "
        "data that may not be true; the trust score (100 = nothing suspicious) tells how far "
        "each rep's figures can be relied on.",
        "每一行输入数据要么被使用, 要么注明原因后剔除。以下检查寻找可能不真实的数据;"
        " 可信度 (100 = 没有可疑之处) 说明每名业代的数据可以信赖到什么程度。",
    ),
    "audit.rows": ("Rows read, used and set aside", "读取、使用和剔除的行数"),
    "audit.aside": ("Rows set aside, and why", "剔除的行及原因"),
    "audit.none_aside": (
        "No row was set aside: every row read was used.",
        "没有剔除任何行: 读取的每一行都已使用。",
    ),
    "audit.checks": ("Checks on the truth of the data", "数据真实性检查"),
    "audit.no_flags": ("No check flagged anything.", "所有检查均未发现问题。"),
    "audit.trust": ("Trust score per rep", "各业代可信度"),
    "audit.skipped": ("Analyses skipped", "跳过的分析"),
    # check
    "check.none": (
        "There is no second wave yet. After the actions have run (4-8 weeks), survey again, "
        "diagnose the new data and pass before=<first diagnosis> to write_report: this "
        "section then shows, finding by finding, where the team stands.",
        "尚无第二轮数据。行动实施 4-8 周后再次调查, 诊断新数据, 并向 write_report 传入"
        " before=<第一轮诊断>: 本节将逐项显示团队的进展。",
    ),
    "check.metrics": ("Standards, first and second wave", "标准指标: 第一轮与第二轮"),
    "check.findings": ("Findings of the first wave", "第一轮的发现"),
    "check.counts": (
        "Of the first wave's findings: {resolved} met, {improved} improving, {unchanged} no "
        "change, {worse} worse; {new} new in the second wave.",
        "第一轮的发现中: {resolved} 项已达标, {improved} 项有改善, {unchanged} 项无变化, "
        "{worse} 项恶化; 第二轮新出现 {new} 项。",
    ),
    # plan
    "plan.intro": (
        "One action per finding. Deadlines count from {start}: 30 days for high severity, 60 "
        "for medium, 90 for low. The same table is exported to Excel/CSV for the team to fill "
        "in (tts diagnose --excel plan.xlsx).",
        "每项发现对应一项行动。期限从 {start} 起算: 高严重度 30 天, 中 60 天, 低 90 天。"
        "同一表格可导出为 Excel/CSV 供团队填写 (tts diagnose --excel plan.xlsx)。",
    ),
    "plan.none": ("No finding, so no action is needed.", "没有发现, 无需行动。"),
    # appendix
    "app.method": ("Method", "方法"),
    "app.method.text": (
        "Customer time is the time in the store with the customer: {customer}. Everything "
        "else in the working day is non-customer time: {non_customer}. The working day runs "
        "from the first activity to the last. Gaps between logged activities count as "
        "unaccounted (non-customer) time; overlapping activities are counted once, for the "
        "earlier one. A standard is green when met, amber when missed by at most 10 % of its "
        "value, red beyond. Recoverable minutes a day are the mean, over the rep-days that "
        "miss a standard, of the minutes beyond it.",
        "客户时间是在店内与客户相处的时间: {customer}。工作日内其他时间均为非客户时间:"
        " {non_customer}。工作日从第一项活动开始到最后一项活动结束。记录之间的空档计为未记录"
        " (非客户) 时间; 重叠的活动只计一次, 计入较早的一项。达到标准为绿灯, 偏离不超过标准值"
        " 10% 为黄灯, 超过为红灯。可收回分钟数为未达标业代工作日超出标准部分的平均值。",
    ),
    "app.standards": ("Standards used", "使用的标准"),
    "app.std.customer_share_min": (
        "Customer time, share of the working day",
        "客户时间占工作日比例",
    ),
    "app.std.visit_min": ("Customer minutes per store visit", "每次拜访客户时间"),
    "app.std.meeting_max_min": ("Morning meeting", "早会时长"),
    "app.std.travel_share": ("Travel, share of the working day", "路途时间占工作日比例"),
    "app.std.day_max_h": ("Working day", "工作日时长"),
    "app.std.visits_max": ("Store visits a day", "每日拜访门店数"),
    "app.std.channel": ("Visit band of channel {channel}", "{channel} 渠道拜访时间"),
    "app.std.region": ("Region {region}: {what}", "{region} 区域: {what}"),
    "app.skipped": ("Analyses that could not run", "未能运行的分析"),
    "app.none_skipped": ("Every analysis ran.", "所有分析均已运行。"),
    "app.findings": ("All findings with their evidence", "全部发现及依据"),
}


def w(key: str, lang: str = "en", **fields: object) -> str:
    """The report's text for ``key`` in ``lang``, ``{name}`` fields filled.

    >>> w("h.plan", "en")
    '7 PDCA action plan'
    """
    en, zh = _WORDS[key]
    text = zh if check_lang(lang) == "zh" else en
    return text.format(**fields) if fields else text


#: Chinese for what ``diagnose`` skipped, by its key in ``dx.skipped``.
_SKIPPED_ZH = {
    "impossible_speed": "没有客户表, 因而没有坐标: 跳过门店间速度检查",
    "routes": "没有客户表: 跳过线路绩效",
    "routes: comparison": "只有一条线路: 不做线路对比",
    "routes: sales": "没有销售表, 拜访记录中也没有销售列: 跳过销售指标",
    "routes: seasons": "调查只覆盖一个季节: 不比较旺季与淡季",
    "survey": "没有问卷 (role_survey、role_matrix、obstacles)",
    "survey: roles": "没有 role_survey 或 role_matrix 表: 跳过职责分析",
    "survey: obstacles": "没有 obstacles 表: 跳过障碍分析",
}


def skipped_text(key: str, message: str, lang: str = "en") -> str:
    """Why an analysis was skipped, in ``lang`` (a message without a translation stays as
    ``diagnose`` wrote it).

    >>> skipped_text("routes", "no customers table: route performance skipped", "zh")
    '没有客户表: 跳过线路绩效'
    """
    return _SKIPPED_ZH.get(key, message) if check_lang(lang) == "zh" else message
