"""The 2021 format (国办公开办函〔2021〕30号, report years 2021+): docs/report-formats.md §3."""

from __future__ import annotations

from govcrawl.formats.base import Col, Format, Identity, Row, TableDef
from govcrawl.formats.common import (
    APPLICANT_COLS,
    APPLICATION_IDENTITIES,
    APPLICATIONS_GROUP_HEADERS,
    APPLICATIONS_HEADER_LABELS,
    APPLICATIONS_TITLES,
    REVIEW,
    REVIEW_IDENTITIES,
    ROWS_HEAD,
    ROWS_TAIL,
)

DOCS = ("issued", "repealed", "in_force")

ACTIVE = TableDef(
    key="active",
    titles=("主动公开政府信息情况",),
    part_labels=("第二十条第(一)项", "第二十条第(五)项", "第二十条第(六)项", "第二十条第(八)项"),
    header_labels=("信息内容",),
    cols=(
        Col("issued", ("本年制发件数", "本年制发")),
        Col("repealed", ("本年废止件数", "本年废止")),
        Col("in_force", ("现行有效件数", "现行有效")),
        Col("decisions", ("本年处理决定数量", "处理决定数量")),
        Col("amount", ("本年收费金额", "收费金额")),
    ),
    rows=(
        Row("regulations", ("规章",), cols=DOCS),
        Row("normative_docs", ("行政规范性文件", "规范性文件", "规范性档案"), cols=DOCS),
        Row("licensing", ("行政许可",), cols=("decisions",)),
        Row("punishment", ("行政处罚",), cols=("decisions",)),
        Row("coercion", ("行政强制",), cols=("decisions",)),
        Row("fees", ("行政事业性收费",), cols=("amount",)),
    ),
)

APPLICATIONS = TableDef(
    key="applications",
    titles=APPLICATIONS_TITLES,
    header_labels=APPLICATIONS_HEADER_LABELS,
    group_headers=APPLICATIONS_GROUP_HEADERS,
    cols=APPLICANT_COLS,
    rows=ROWS_HEAD
    + (
        Row("other", ("其他处理",), subtotal=True),
        Row("other.overdue_correction", ("申请人无正当理由逾期不补正", "逾期不补正")),
        Row("other.overdue_fee", ("申请人逾期未按收费通知要求缴纳费用", "逾期未按收费通知要求缴纳费用")),
        Row("other.other", ("其他",)),
    )
    + ROWS_TAIL,
)

FORMAT = Format(
    name="2021",
    tables=(ACTIVE, APPLICATIONS, REVIEW),
    identities=APPLICATION_IDENTITIES
    + (
        # only where a table prints numbers on the （六）其他处理 group row itself
        Identity("applications.subtotal", "applications", left=("other",), right=("other.*",),
                 over="cols", at="other/{col}", optional=True),
    )
    + REVIEW_IDENTITIES,
    tie_rows=(("applications", "other.overdue_correction"), ("applications", "other.overdue_fee")),
    years=(2021, None),
)
