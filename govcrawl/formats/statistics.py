"""The pre-2019 统计表 (国办发〔2014〕32号): 统计指标 | 单位 | 统计数 (docs/report-formats.md §5.1).

Labels of the older local 附表 (2008-2013: 指标名称 | 计量单位 | 2011年度 | 历年累计, with 主动公开信息数,
受理依申请公开信息总数, 对申请的答复数, 否决公开答复数) are aliases of the same rows; its rows with no
national counterpart (电子邮件申请数, 其它形式申请数, 行政申诉数) stay `other:`.

Rows are listed in table order: labels that repeat (（二）被依法纠错数 under both 四、行政复议 and
五、行政诉讼) are told apart by that order. Rows with code None are headings without numbers.
"""

from __future__ import annotations

from govcrawl.formats.base import Col, Format, Identity, Row, TableDef

R = Row

STATISTICS = TableDef(
    key="statistics",
    titles=("政府信息公开情况统计表", "政府信息公开工作情况统计表", "政府信息公开情况统计报表"),
    header_labels=("统计指标", "指标名称", "单位", "计量单位", "序号", "代码"),
    unit_column=True,
    code_headers=("代码",),
    id_row_labels=("甲", "乙", "丙", "丁"),
    cols=(Col("value", ("统计数", "数量", "本年度", "合计")),),
    rows=(
        R(None, ("主动公开情况",)),
        R("active.total", ("主动公开政府信息数", "主动公开信息数")),
        R("active.normative_docs", ("主动公开规范性文件数",)),
        R("active.normative_docs_issued", ("制发规范性文件总数",)),
        R(None, ("通过不同渠道和方式公开政府信息的情况",)),
        R("active.gazette", ("政府公报公开政府信息数",)),
        R("active.website", ("政府网站公开政府信息数", "网站公开")),
        R("active.weibo", ("政务微博公开政府信息数",)),
        R("active.wechat", ("政务微信公开政府信息数",)),
        R("active.other_channels", ("其他方式公开政府信息数",)),
        R(None, ("建议提案办理结果公开情况",)),
        R("proposals.npc", ("人大代表建议",)),
        R("proposals.cppcc", ("政协提案",)),
        R(None, ("政府信息动态管理情况",)),
        R("dynamic.converted", ("依申请公开信息转主动公开信息数",)),
        R("dynamic.declassified", ("解密公开信息数",)),
        R(None, ("重大决策预公开情况",)),
        R("consultation.count", ("重大决策征集公众意见次数",)),
        R("consultation.feedback", ("公众反馈意见次数",)),
        R("consultation.opinions", ("征集到意见数",)),
        R("consultation.rejected", ("不予采纳意见数",)),
        R(None, ("回应解读情况",)),
        R("response.hotspots", ("回应公众关注热点或重大舆情数",)),
        R(None, ("通过不同渠道和方式回应解读的情况",)),
        R("response.press", ("参加或举办新闻发布会总次数",)),
        R("response.press_head", ("主要负责同志参加新闻发布会次数",)),
        R("response.interviews", ("政府网站在线访谈次数",)),
        R("response.interviews_head", ("主要负责同志参加政府网站在线访谈次数",)),
        R("response.head_interpretations", ("主要负责同志解读政策数",)),
        R("response.articles", ("政策解读稿件发布数",)),
        R("response.weibo_wechat", ("微博微信回应事件数",)),
        R("response.other", ("其他方式回应事件数",)),
        R(None, ("会议开放情况",)),
        R("meetings.open", ("面向公众开放会议次数",)),
        R("meetings.attendees", ("参会公众代表人数",)),
        R(None, ("依申请公开情况",)),
        R("requests.received", ("收到申请数", "受理依申请公开信息总数", "受理申请总数")),
        R("requests.in_person", ("当面申请数",)),
        R("requests.fax", ("传真申请数",)),
        R("requests.online", ("网络申请数", "网上申请数")),
        R("requests.letter", ("信函申请数",)),
        R("requests.closed", ("申请办结数",)),
        R("requests.on_time", ("按时办结数",)),
        R("requests.extended", ("延期办结数",)),
        R("replies.total", ("申请答复数", "对申请的答复数", "对申请的答复总数")),
        R("replies.already_public", ("属于已主动公开范围数",)),
        R("replies.granted", ("同意公开答复数",)),
        R("replies.partial", ("同意部分公开答复数",)),
        R("replies.denied", ("不同意公开答复数", "否决公开答复数", "否决公开答复总数")),
        R("replies.denied.state_secret", ("涉及国家秘密",)),
        R("replies.denied.commercial_secret", ("涉及商业秘密",)),
        R("replies.denied.privacy", ("涉及个人隐私",)),
        R("replies.denied.security", ("危及国家安全、公共安全、经济安全和社会稳定", "危及国家安全")),
        R("replies.denied.not_gov_info", ("不是《条例》所指政府信息", "不是条例所指政府信息")),
        R("replies.denied.other_law", ("法律法规规定的其他情形",)),
        R("replies.not_this_agency", ("不属于本行政机关公开数", "不属于本行政机关公开")),
        R("replies.not_exist", ("申请信息不存在数", "申请信息不存在")),
        R("replies.needs_correction", ("告知作出更改补充数", "告知作出更改补充")),
        R("replies.other_channel", ("告知通过其他途径办理数", "告知通过其他途径办理")),
        R("review.total", ("行政复议数量", "行政复议数")),
        R("review.upheld", ("维持具体行政行为数",)),
        R("review.corrected", ("被依法纠错数",)),
        R("review.other", ("其他情形数",)),
        R("litigation.total", ("行政诉讼数量", "行政诉讼数")),
        R("litigation.upheld", ("维持具体行政行为或者驳回原告诉讼请求数",)),
        R("litigation.corrected", ("被依法纠错数",)),
        R("litigation.other", ("其他情形数",)),
        R("complaints", ("举报投诉数量", "举报投诉数")),
        R("fees", ("依申请公开信息收取的费用",)),
        R(None, ("机构建设和保障经费情况",)),
        R("org.bodies", ("政府信息公开工作专门机构数",)),
        R("org.reading_points", ("设置政府信息公开查阅点数",)),
        R("org.staff", ("从事政府信息公开工作人员数",)),
        R("org.staff_full_time", ("专职人员数", "专职人数")),
        R("org.staff_part_time", ("兼职人员数", "兼职人数")),
        R("org.budget", ("政府信息公开专项经费",)),
        R(None, ("政府信息公开会议和培训情况",)),
        R("training.meetings", ("召开政府信息公开工作会议或专题会议数",)),
        R("training.courses", ("举办各类培训班数",)),
        R("training.trainees", ("接受培训人员数",)),
    ),
)


def _fixed(rule: str, total: str, parts: tuple[str, ...]) -> Identity:
    return Identity(
        rule, "statistics", left=(f"{total}@value",), right=tuple(f"{p}@value" for p in parts),
        at=total,
    )


IDENTITIES = (
    _fixed("statistics.requests", "requests.received",
           ("requests.in_person", "requests.fax", "requests.online", "requests.letter")),
    _fixed("statistics.closed", "requests.closed", ("requests.on_time", "requests.extended")),
    _fixed("statistics.replies", "replies.total", (
        "replies.already_public", "replies.granted", "replies.partial", "replies.denied",
        "replies.not_this_agency", "replies.not_exist", "replies.needs_correction",
        "replies.other_channel",
    )),
    _fixed("statistics.denied", "replies.denied", (
        "replies.denied.state_secret", "replies.denied.commercial_secret", "replies.denied.privacy",
        "replies.denied.security", "replies.denied.not_gov_info", "replies.denied.other_law",
    )),
    _fixed("statistics.review", "review.total", ("review.upheld", "review.corrected", "review.other")),
    _fixed("statistics.litigation", "litigation.total",
           ("litigation.upheld", "litigation.corrected", "litigation.other")),
    _fixed("statistics.staff", "org.staff", ("org.staff_full_time", "org.staff_part_time")),
)

FORMAT = Format(name="statistics", tables=(STATISTICS,), identities=IDENTITIES, years=(None, 2018))
