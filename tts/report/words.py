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
    # a change of a share, in percentage points
    "pp": ("{change} pp", "{change} 个百分点"),
    "pt": ("{change} pt", "{change} 个百分点"),
    "footer": ("Time to Sell diagnostic, {start} to {end}", "销售时间诊断, {start} 至 {end}"),
    # section headings
    "h.summary": ("1 Executive summary", "1 管理摘要"),
    "h.efficiency": ("2 Work efficiency", "2 工作效率"),
    "h.routes": ("3 Route performance", "3 线路绩效"),
    "h.survey": ("4 Questionnaire: roles and obstacles", "4 问卷：职责与障碍"),
    "h.audit": ("5 Data audit", "5 数据审计"),
    "h.check": ("6 Check: the second wave against the first", "6 检查：第二轮与第一轮对比"),
    "h.plan": ("7 PDCA action plan", "7 PDCA 行动计划"),
    "h.appendix": ("Appendix: method and standards", "附录：方法与标准"),
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
        "{days} rep-days optimised; drive minutes calibrated on the logged travel).",
        "优化拜访顺序可减少 {share} 的车程"
        " (每个业代工作日 {minutes} 分钟, 共优化 {days} 个业代工作日; 车程按记录的路途时间校准)。",
    ),
    "summary.light_rule": (
        "A team light counts people: red when {red} or more of the reps miss the standard, amber "
        "when any rep or more than {amber} of the rep-days miss it, green only when none does; "
        "grey where the data does not record what the standard measures.",
        "团队信号灯按人计: {red} 及以上的业代未达标为红, 任一业代或超过 {amber} 的工作日未达标"
        "为黄, 都没有时才为绿; 数据未记录该项时为灰 (未测量)。",
    ),
    "summary.low_trust": (
        "Trust below {amber} of 100: {reps}. Their figures are in every table, but check their "
        "survey (section 5) before acting on them.",
        "可信度低于 {amber}/100 的业代: {reps}。他们的数据仍计入各表, 但在据此行动前请先核查其"
        "调查数据 (见第 5 节)。",
    ),
    "summary.data": (
        "Data: {read} rows read, {used} used, {aside} set aside (see section 5); mean trust "
        "score {trust} of 100.",
        "数据: 读取 {read} 行, 使用 {used} 行, 剔除 {aside} 行 (见第 5 节);"
        " 平均可信度 {trust}/100。",
    ),
    "worst_rep": (
        " (observed: the worst rep, {rep}; the team's {team} meets the standard)",
        " (实际值为最差业代 {rep} 的数值; 团队 {team}已达标)",
    ),
    "findings.columns": (
        "Observed is the team's figure over its {reps} reps and {days} rep-days (the worst "
        "rep's where the team meets the standard). Recoverable minutes a day are what a "
        "rep-day that misses the standard loses beyond it, averaged over those rep-days "
        "only, so they can exceed the team's figure.",
        "实际值为团队 {reps} 名业代、{days} 个业代日的数值 (团队已达标时为最差业代的数值)。"
        "每天可挽回分钟数是未达标的业代日超出标准的分钟数, 只在这些业代日上平均, 因此可能大于"
        "团队数值。",
    ),
    "findings.columns_example": (
        " So {id}: {recoverable} a day beyond the {standard} standard, on average over the "
        "{short} rep-days of the {reps} reps that miss it, against a team mean of {observed} "
        "over all {days} rep-days.",
        " 例如 {id}: 未达标的 {reps} 名业代的 {short} 个业代日平均每天超出标准 ({standard}) "
        "{recoverable}, 而全部 {days} 个业代日的团队平均为 {observed}。",
    ),
    "summary.losses_note": (
        "Recoverable minutes a day: the minutes beyond the standard on an average rep-day that "
        "misses it, over those rep-days only (the findings tables of each section say more).",
        "每天可挽回分钟数: 未达标的业代日平均超出标准的分钟数, 只在这些业代日上平均 (详见各节的"
        "发现表)。",
    ),
    "col.metric": ("Metric", "指标"),
    "col.team": ("Team", "团队"),
    "col.standard": ("Standard", "标准"),
    "col.light": ("Light", "信号灯"),
    "col.reps_off": ("Reps off standard", "未达标业代"),
    "col.days_off": ("Rep-days off standard", "未达标工作日"),
    "col.change_ci": ("Change [95 % interval]", "变化 [95% 区间]"),
    "col.baseline": ("Baseline", "基线"),
    "col.dates": ("Deadline, check, status", "期限、复测、状态"),
    "col.rank": ("#", "#"),
    "col.finding": ("Finding", "发现"),
    "col.min_day": ("Min a day to recover", "每天可挽回分钟"),
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
    "col.admin": ("Admin (min)", "行政 (分钟)"),
    "col.non_customer": ("Non-customer", "非客户时间"),
    "col.rest": ("The rest", "其余"),
    "col.meeting_short": ("Meeting", "早会"),
    "col.fit_observed": ("Fit at observed travel", "按实际路途可容纳"),
    "col.fit_optimised": ("Fit at optimised travel", "按优化路途可容纳"),
    "col.travel_visit_min": ("Travel a visit (min)", "每次拜访路途 (分钟)"),
    "col.ceiling": ("Ceiling", "上限"),
    "col.visits_day": ("Visits a day", "每日拜访"),
    "col.min_visit": ("Min a visit", "每次拜访分钟"),
    "col.scenario": ("Scenario", "情景"),
    "col.customer_min": ("Customer min a day", "每日客户分钟"),
    "col.route": ("Route", "线路"),
    "col.customers": ("Customers on the list", "名单客户数"),
    "col.visits_week": ("Visits a week", "每周拜访"),
    "col.travel_visit": ("Travel min a visit", "每次拜访路途分钟"),
    "col.km_visit": ("Km a visit", "每次拜访公里"),
    "col.sales_visit": ("Sales a visit ({currency})", "每次拜访销售额 ({currency})"),
    "col.ineffective": ("Ineffective", "低效客户"),
    "col.drive_before": ("Drive before (min)", "优化前车程 (分钟)"),
    "col.drive_after": ("Drive after (min)", "优化后车程 (分钟)"),
    "col.measure": ("Measure", "指标"),
    "col.logged_week": ("Logged territory", "现有片区"),
    "col.kept_week": ("Today's territories re-planned", "现有片区重新规划"),
    "col.plan_week": ("Plan", "方案"),
    "col.change": ("Change", "变化"),
    "col.customers_logged": ("Customers visited now", "现拜访客户数"),
    "col.customers_plan": ("Customers in plan", "方案客户数"),
    "col.drive_week_logged": ("Drive a week now (min)", "现每周车程 (分钟)"),
    "col.drive_week_plan": ("Drive a week in plan (min)", "方案每周车程 (分钟)"),
    "col.hours_week_logged": ("Hours a week now", "现每周工时"),
    "col.hours_week_plan": ("Hours a week in plan", "方案每周工时"),
    "col.days_over_plan": ("Days over a limit in plan", "方案超限天数"),
    "col.logged_travel": ("Logged travel (min)", "记录的路途 (分钟)"),
    "col.factor": ("Factor", "校准系数"),
    "col.hops": ("Hops", "路段数"),
    "col.spread": ("Middle half of hops", "中间一半路段"),
    "col.fit_level": ("From", "来源"),
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
        "The {n} reps with the lowest customer share of {total}; every rep is in the workbook.",
        "客户时间占比最低的 {n} 名业代 (共 {total} 名); 全部业代见工作簿。",
    ),
    "eff.visits": ("Store visits", "门店拜访"),
    "eff.day": ("A day on the route", "线路上的一天"),
    "eff.day_note": (
        "The rep-day with the lowest customer share ({rep}, {date}: {share}).",
        "客户时间占比最低的业代工作日 ({rep}, {date}: {share})。",
    ),
    "eff.capacity": ("Capacity: what the day could hold", "产能: 一天能容纳多少拜访"),
    "eff.non_customer": (
        "Where the non-customer minutes go (minutes a day)",
        "非客户时间去了哪里 (每天分钟数)",
    ),
    "eff.non_customer_note": (
        "Every non-customer minute of the day, per rep: the columns add up to the last one. "
        "Admin is held to {admin} min a day, an assumption of this report (the method sets no "
        "figure; a company sets its own).",
        "每名业代每天的全部非客户时间, 各列之和等于最后一列。行政事务按每天 {admin} 分钟衡量,"
        "这是本报告的假设 (方法本身未规定, 公司可自行设定)。",
    ),
    "eff.capacity_fixed": (
        "Under every measure the customer share reaches {share}: {fixed} min a day of other "
        "non-customer time ({parts}) stays, since no measure touches it. Visits a day move "
        "from {visits0} to {visits1} because each visit is raised from {visit0} to {visit1} "
        "min while travel a visit falls from {travel0} to {travel1} min and the meeting and "
        "admin give back {freed} min.",
        "全部措施到位后客户时间占比为 {share}: 每天仍有 {fixed} 分钟其他非客户时间 ({parts}),"
        "任何措施都不涉及这部分。每日拜访从 {visits0} 家变为 {visits1} 家, 因为每次拜访从 "
        "{visit0} 分钟延长到 {visit1} 分钟, 而每次拜访路途从 {travel0} 分钟降到 {travel1} 分钟,"
        "早会和行政事务共腾出 {freed} 分钟。",
    ),
    "summary.line": (
        "Capacity line: at the standard {visit} min a visit, a {day} h day less the meeting and "
        "admin standards ({available} min) holds {fit} visits at today's travel of {travel} min "
        "a visit and {fit_opt} at the optimised travel, against a ceiling of {ceiling} and "
        "{observed} visits made today.",
        "产能线: 按标准每次拜访 {visit} 分钟, {day} 小时工作日扣除早会和行政事务标准后 "
        "({available} 分钟), 按目前每次拜访路途 {travel} 分钟可容纳 {fit} 家, 按优化后路途可容纳 "
        "{fit_opt} 家; 上限 {ceiling} 家, 目前每天拜访 {observed} 家。",
    ),
    "summary.long_days": (
        "{days} of {rep_days} rep-days ({share}) ran longer than {limit} h, on {reps} of {n_reps} "
        "reps.",
        "{rep_days} 个业代工作日中有 {days} 个 ({share}) 超过 {limit} 小时, "
        "涉及 {n_reps} 名业代中的 {reps} 名。",
    ),
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
    "routes.calibration": (
        "Drive minutes here are calibrated on the logged travel: the travel model (straight "
        "line × {circuity} at {speed} km/h) predicts {ratio} of what the reps logged over "
        "{hops} hops between consecutive stops and from and to home, so each rep's drive "
        "times are multiplied by its factor (logged ÷ modelled minutes over its hops; its "
        "route's, region's or the team's where it has fewer than {min_hops}). The logged "
        "order's drive then matches the logged travel, and the saving is in minutes the reps "
        "recognise.",
        "此处车程按记录的路途时间校准: 路途模型 (直线距离 × {circuity}, 时速 {speed} 公里) "
        "在 {hops} 个路段 (相邻门店之间及往返住处) 上只预测了业代记录时间的 {ratio}, "
        "因此每名业代的车程乘以其校准系数 (其路段记录分钟数 ÷ 模型分钟数; 路段少于 {min_hops} "
        "个时用其线路、区域或团队的系数)。这样原顺序的车程与记录的路途时间一致, "
        "节省的时间也是业代认得的分钟数。",
    ),
    "routes.calibration_default": (
        "Drive minutes here are the travel model's (straight line × {circuity} at {speed} "
        "km/h), not calibrated: {why}.",
        "此处车程为路途模型的估计 (直线距离 × {circuity}, 时速 {speed} 公里), 未校准: {why}。",
    ),
    "routes.not_calibrated": ("the calibration is turned off", "校准已关闭"),
    "routes.few_hops": (
        "only {n} logged hops, fewer than the {need} a fit needs",
        "只有 {n} 个有记录的路段, 少于校准所需的 {need} 个",
    ),
    "routes.no_plan": (
        "The route optimisation was not run, so there is no before/after order here. Run "
        "the route optimiser with the diagnosis.",
        "未运行线路优化, 因此没有优化前后的对比。请在诊断时一并运行线路优化。",
    ),
    "routes.skipped": (
        "Route performance was not analysed: {why}.",
        "未分析线路绩效: {why}。",
    ),
    "routes.capped": (
        "The {n} routes with the most travel a visit, of {total}; every route is in the workbook.",
        "每次拜访路途最长的 {n} 条线路 (共 {total} 条); 全部线路见工作簿。",
    ),
    "routes.plan_capped": (
        "The first {n} reps of {total}; every rep is in the workbook.",
        "前 {n} 名业代 (共 {total} 名); 全部业代见工作簿。",
    ),
    "routes.territory": (
        "Route consolidation: the territories redrawn",
        "线路整合: 重新划分片区",
    ),
    "routes.territory_note": (
        "The plan gives every customer to one rep and to weekdays, keeping its visits a week, "
        "its visit time and its opening hours; it aims to keep every rep-day within {day_h} h "
        "with the meeting and admin and within {visits} visits, every rep starting and ending "
        "the day at home, and the reps' weekly workloads within {tolerance} × of each other. "
        "It is held against the same rules applied to today's territories (each rep keeps "
        "today's customers, the week re-planned), so the difference is what redrawing adds. "
        "Drive minutes come from one calibrated travel model; the logged side is an average "
        "week of the survey.",
        "方案把每家客户分给一名业代和固定的拜访日, 保持其每周拜访次数、拜访时长和营业时间; "
        "目标是每个业代日含早会和行政不超过 {day_h} 小时、拜访不超过 {visits} 家, 每位业代从家"
        "出发并回家, 各业代每周工作量相差不超过 {tolerance} 倍。方案与按同样规则重新规划的现有"
        "片区 (每位业代保留现有客户, 重新安排一周) 对比, 差额就是重新划分带来的改进。车程都按"
        "同一个校准后的行车模型计算; 现有片区取调查期的平均一周。",
    ),
    "routes.territory_redraw": (
        "Redrawing saves {saved} drive minutes a week against re-planning today's territories "
        "({kept} → {plan}).",
        "与在现有片区内重新规划相比, 重新划分每周再节省 {saved} 分钟车程 ({kept} → {plan})。",
    ),
    "routes.territory_trade": (
        "Moving {moved} customers between reps brings the rep-days over a limit from "
        "{over_kept} to {over_plan} a week and the workload balance from {balance_kept} to "
        "{balance_plan}, for {extra} more drive minutes a week ({kept} → {plan}).",
        "在业代之间调整 {moved} 家客户, 使每周超限的业代日从 {over_kept} 降到 {over_plan}, "
        "工作量均衡从 {balance_kept} 变为 {balance_plan}, 代价是每周多 {extra} 分钟车程 "
        "({kept} → {plan})。",
    ),
    "routes.territory_keep": (
        "Redrawing finds nothing better than today's territories: keep them and re-plan each "
        "rep's week ({plan} drive minutes a week).",
        "重新划分找不到比现有片区更好的方案: 保留现有片区, 重新规划每位业代的一周 (每周车程 "
        "{plan} 分钟)。",
    ),
    "routes.territory_over": (
        " Even so, {n} rep-days a week stay over a limit: at the plan's {fixed} minutes of "
        "meeting and admin a day the team's work does not fit its days; cut that time or add "
        "a rep (tts.reps_needed works out how many).",
        " 即便如此, 每周仍有 {n} 个业代日超限: 按方案每天 {fixed} 分钟的早会和行政时间, 团队的"
        "工作量装不进现有工作日; 需压缩这部分时间或增加业代 (所需业代人数可由 tts 测算)。",
    ),
    "routes.territory_over_parts": (
        " Even so, {n} rep-days a week stay over a limit: the plan counts the meeting at its "
        "{meeting} min standard (today {meeting_now} min) and today's {admin} min of admin, "
        "{fixed} min a day in all, and at that the team's work does not fit its days; cut "
        "the admin or add a rep (tts.reps_needed works out how many).",
        " 即便如此, 每周仍有 {n} 个业代日超限: 方案按标准 {meeting} 分钟计早会 (目前 "
        "{meeting_now} 分钟), 加上目前每天 {admin} 分钟的行政事务, 合计每天 {fixed} 分钟; "
        "照此团队的工作量装不进现有工作日, 需压缩行政事务或增加业代 (所需业代人数可由 tts "
        "测算)。",
    ),
    "routes.territory_unbalanced": (
        " The reps' weekly workloads stay beyond the tolerance ({balance} against {tolerance} "
        "× from the lightest to the heaviest week): no territories searched met it, so hand "
        "customers from the heaviest reps before adopting the plan.",
        " 各业代每周工作量仍超出容差 (最重与最轻一周之比为 {balance}, 容差为 {tolerance} 倍): "
        "所搜索的片区方案都未达到, 采用方案前需先把最忙业代的部分客户调出。",
    ),
    "routes.territory_customers": (
        "Customers visited now counts the customers each rep visited in the survey ({now} in "
        "all); the plan gives a rep every customer of the customer list with coordinates "
        "({plan}); the routes table above counts the whole list ({listed}).",
        "现拜访客户数为调查期内各业代实际拜访的客户 (共 {now} 家); 方案把客户名单中有坐标的每家"
        "客户都分给一名业代 (共 {plan} 家); 上面的线路对比表统计的是整份名单 ({listed} 家)。",
    ),
    "routes.territory_never": (
        " Customers of the list never visited in the survey are in the plan too: {never}.",
        " 名单中调查期内从未拜访的客户也在方案之内: {never} 家。",
    ),
    "routes.territory_maps": (
        "The {n} reps whose territory changes most: grey rings are the customers the rep "
        "visits today, dots the customers of the plan, coloured by their first weekday; the "
        "star is home.",
        "片区变化最大的 {n} 位业代: 灰色圆圈是业代现在拜访的客户, 圆点是方案中的客户 "
        "(颜色表示第一个拜访日); 星号是家。",
    ),
    "territory.reps": ("Reps", "业代人数"),
    "territory.drive_min_per_week": ("Drive minutes a week", "每周车程 (分钟)"),
    "territory.customer_share": ("Customer time share", "客户时间占比"),
    "territory.days_over_limit": ("Rep-days over a limit, a week", "每周超限的业代日"),
    "territory.workload_balance": (
        "Workload balance (largest ÷ smallest week)",
        "工作量均衡 (最大 ÷ 最小周)",
    ),
    "territory.customers_changing_rep": ("Customers changing rep", "更换业代的客户"),
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
    "audit.no_flags": (
        "No check flagged anything; every check the audit ran is listed below.",
        "所有检查均未发现问题; 下表列出了审计所做的每项检查。",
    ),
    "audit.passed": ("Nothing flagged.", "未发现问题。"),
    "audit.trust": ("Trust score per rep", "各业代可信度"),
    "audit.skipped": ("Analyses skipped", "跳过的分析"),
    # check
    "check.none": (
        "No second wave yet: survey again after the actions have run (4-8 weeks) and this "
        "section shows each standard before and after, with the change and whether it is "
        "more than chance.",
        "尚无第二轮数据: 行动实施 4-8 周后再次调查, 本节将显示每项标准前后的数值、变化幅度, "
        "以及变化是否超出偶然波动。",
    ),
    "check.rule": (
        "Change: second wave minus first over the {reps} reps surveyed in both, with its 95 % "
        "interval (rep-days resampled within each rep, 9,999 times, fixed seed). Improved or "
        "worse only when the interval excludes zero and the change exceeds {share} of the "
        "standard; met when every rep meets it.",
        "变化: 两轮都调查到的 {reps} 名业代第二轮减第一轮, 附 95% 区间 (在每名业代内重抽工作日 "
        "9,999 次, 固定随机种子)。只有区间不含零且变化超过标准的 {share} 时才算改善或恶化; "
        "每名业代都达标时为已达标。",
    ),
    "check.metrics": ("Standards, first and second wave", "标准指标: 第一轮与第二轮"),
    "check.findings": ("Findings of the first wave", "第一轮的发现"),
    "check.counts": (
        "Of the first wave's findings: {resolved} met, {improved} improved, {unchanged} no "
        "change beyond chance, {worse} worse; {new} new in the second wave.",
        "第一轮的发现中: {resolved} 项已达标, {improved} 项有改善, {unchanged} 项无变化, "
        "{worse} 项恶化; 第二轮新出现 {new} 项。",
    ),
    # plan
    "plan.intro": (
        "One action per root cause: findings with the same cause share one action. Each has "
        "the baseline the survey measured, the target to reach by its deadline (counted from "
        "{start}: 30 days for high severity, 60 for medium, 90 for low), the owner, and what "
        "the second wave re-measures four weeks after the deadline. The same plan, with Do, "
        "Check and Act columns for the team, is in the workbook.",
        "每个根本原因一项行动: 原因相同的发现合并为一项。每项行动列出调查测得的基线、期限内要"
        "达到的目标 (从 {start} 起算: 高严重度 30 天, 中 60 天, 低 90 天)、负责人, 以及期限后"
        "四周第二轮调查要复测的指标。同一计划连同供团队填写的执行、检查、处置栏位见工作簿。",
    ),
    "plan.check": ("Check", "复测"),
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
    "app.std.admin_max_min": (
        "Admin a day (an assumption of this report; the method sets none)",
        "每天行政事务 (本报告的假设; 方法本身未规定)",
    ),
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
    "survey": "没有问卷 (角色问卷、角色矩阵、障碍问卷)",
    "survey: roles": "没有角色问卷或角色矩阵表: 跳过职责分析",
    "survey: obstacles": "没有障碍问卷表: 跳过障碍分析",
}


def skipped_text(key: str, message: str, lang: str = "en") -> str:
    """Why an analysis was skipped, in ``lang`` (a message without a translation stays as
    ``diagnose`` wrote it).

    >>> skipped_text("routes", "no customers table: route performance skipped", "zh")
    '没有客户表: 跳过线路绩效'
    """
    return _SKIPPED_ZH.get(key, message) if check_lang(lang) == "zh" else message
