"""Tables 三 and 四 and their identities, shared by the 2019 and 2021 formats (§2.2, §3.2, §3.3, §4)."""

from __future__ import annotations

from govcrawl.formats.base import Col, Identity, Row, TableDef

APPLICANT_COLS = (
    Col("natural_person", ("自然人",)),
    Col("org_subtotal", ("小计", "法人或其他组织小计", "法人或其他组织合计"), optional=True, group="org"),
    Col("commercial", ("商业企业", "企业"), group="org"),
    Col("research", ("科研机构",), group="org"),
    Col("nonprofit", ("社会公益组织", "公益组织"), group="org"),
    Col("legal_services", ("法律服务机构",), group="org"),
    Col("other_org", ("其他",), group="org"),
    Col("total", ("总计", "合计")),
)
APPLICANTS = ("natural_person", "commercial", "research", "nonprofit", "legal_services", "other_org")
ORGS = APPLICANTS[1:]

APPLICATIONS_TITLES = ("收到和处理政府信息公开申请情况",)
#: the 法人或其他组织 header cell stands over the org columns of the next header row
APPLICATIONS_GROUP_HEADERS = (("法人或其他组织", "org"),)
APPLICATIONS_HEADER_LABELS = (
    "申请人情况",
    "法人或其他组织",
    "本列数据的勾稽关系为",
    "本列数据的钩稽关系为",
    "勾稽关系",
    "钩稽关系",
)

ROWS_HEAD = (
    Row("new_received", ("本年新收政府信息公开申请数量", "本年新收政府信息公开申请")),
    Row("carried_over", ("上年结转政府信息公开申请数量", "上年结转政府信息公开申请")),
    Row(None, ("本年度办理结果",)),
    Row("granted", ("予以公开",)),
    Row("partial", ("部分公开",)),
    Row("denied", ("不予公开",), subtotal=True),
    Row("denied.state_secret", ("属于国家秘密", "国家秘密")),
    Row("denied.law_forbidden", ("其他法律行政法规禁止公开", "法律行政法规禁止公开")),
    Row("denied.security_stability", ("危及三安全一稳定", "危及“三安全一稳定”")),
    Row("denied.third_party", ("保护第三方合法权益",)),
    Row("denied.internal_affairs", ("属于三类内部事务信息", "三类内部事务信息")),
    Row("denied.process_info", ("属于四类过程性信息", "四类过程性信息")),
    Row("denied.enforcement_file", ("属于行政执法案卷", "行政执法案卷")),
    Row("denied.admin_query", ("属于行政查询事项", "行政查询事项")),
    Row("unable", ("无法提供",), subtotal=True),
    Row("unable.not_held", ("本机关不掌握相关政府信息", "本机关不掌握")),
    Row("unable.needs_creation", ("没有现成信息需要另行制作", "没有现成信息")),
    Row("unable.unclear", ("补正后申请内容仍不明确", "补正后申请内容不明确")),
    Row("not_processed", ("不予处理",), subtotal=True),
    Row("not_processed.complaint", ("信访举报投诉类申请",)),
    Row("not_processed.repeat", ("重复申请",)),
    Row("not_processed.publication", ("要求提供公开出版物",)),
    Row("not_processed.excessive", ("无正当理由大量反复申请",)),
    Row("not_processed.confirmation", ("要求行政机关确认或重新出具已获取信息",)),
)
ROWS_TAIL = (
    Row("total_processed", ("总计",)),
    Row("carried_forward", ("结转下年度继续办理",)),
)

BLOCKS = ("review", "suit_direct", "suit_after_review")
RESULT_COLS = ("upheld", "corrected", "other", "pending", "total")
_RESULT_LABELS = {
    "upheld": ("结果维持",),
    "corrected": ("结果纠正",),
    "other": ("其他结果",),
    "pending": ("尚未审结",),
    "total": ("总计",),
}
REVIEW_COLS = tuple(
    Col(f"{block}.{col}", _RESULT_LABELS[col]) for block in BLOCKS for col in RESULT_COLS
)
REVIEW_TITLES = (
    "政府信息公开行政复议、行政诉讼情况",
    "政府信息公开行政复议和行政诉讼情况",
    "政府信息公开行政复议行政诉讼情况",
    "因政府信息公开工作被申请行政复议",
)
REVIEW_HEADER_LABELS = ("行政复议", "行政诉讼", "未经复议直接起诉", "复议后起诉")
REVIEW_ROWS = (Row("cases", ("案件数量",)),)

#: table 四 is the same in the 2019 and 2021 formats
REVIEW = TableDef(
    key="review_litigation",
    titles=REVIEW_TITLES,
    header_labels=REVIEW_HEADER_LABELS,
    cols=REVIEW_COLS,
    rows=REVIEW_ROWS,
    default_row="cases",
)

APPLICATION_IDENTITIES = (
    Identity(
        "applications.balance", "applications",
        left=("new_received", "carried_over"), right=("total_processed", "carried_forward"),
        over="cols",
    ),
    Identity(
        "applications.results", "applications",
        left=("total_processed",),
        right=("granted", "partial", "denied.*", "unable.*", "not_processed.*", "other.*|other"),
        over="cols",
    ),
    Identity("applications.row_total", "applications", left=("total",), right=APPLICANTS, over="rows"),
    # local variants only (§4 T3-4, T3-5)
    Identity(
        "applications.org_subtotal", "applications", left=("org_subtotal",), right=ORGS,
        over="rows", optional=True,
    ),
    Identity("applications.subtotal", "applications", left=("denied",), right=("denied.*",),
             over="cols", at="denied/{col}", optional=True),
    Identity("applications.subtotal", "applications", left=("unable",), right=("unable.*",),
             over="cols", at="unable/{col}", optional=True),
    Identity("applications.subtotal", "applications", left=("not_processed",),
             right=("not_processed.*",), over="cols", at="not_processed/{col}", optional=True),
)
REVIEW_IDENTITIES = tuple(
    Identity(
        "review_litigation.total", "review_litigation",
        left=(f"cases@{b}.total",),
        right=tuple(f"cases@{b}.{c}" for c in ("upheld", "corrected", "other", "pending")),
        at=b,
    )
    for b in BLOCKS
)
