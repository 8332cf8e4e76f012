"""The 2019 format (国办公开办函〔2019〕60号, report years 2019-2020): docs/report-formats.md §2."""

from __future__ import annotations

from govcrawl.formats.base import Col, Format, Row, TableDef
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

DOCS = ("new_made", "new_published", "total_published")
ITEMS = ("prev_items", "change", "decisions")

ACTIVE = TableDef(
    key="active",
    titles=("主动公开政府信息情况",),
    part_labels=("第二十条第(一)项", "第二十条第(五)项", "第二十条第(六)项", "第二十条第(八)项",
                 "第二十条第(九)项", "第二十条第(十)项"),
    header_labels=("信息内容",),
    cols=(
        # `本年新` is what a wrapped header leaves when split by line (seed 001): the two
        # `本年新…` columns are told apart by their order.
        Col("new_made", ("本年新制作数量", "本年制作数量", "本年新")),
        Col("new_published", ("本年新公开数量", "本年公开数量", "本年新")),
        Col("total_published", ("对外公开总数量", "公开总数量")),
        Col("prev_items", ("上一年项目数量", "上年项目数量")),
        Col("change", ("本年增/减", "本年增减", "增/减")),
        Col("decisions", ("处理决定数量", "本年处理决定数量")),
        Col("items", ("采购项目数量",)),
        Col("amount", ("采购总金额", "采购金额")),
    ),
    rows=(
        Row("regulations", ("规章",), cols=DOCS),
        Row("normative_docs", ("规范性文件", "行政规范性文件", "规范性档案"), cols=DOCS),
        Row("licensing", ("行政许可",), cols=ITEMS),
        Row("other_services", ("其他对外管理服务事项",), cols=ITEMS),
        Row("punishment", ("行政处罚",), cols=ITEMS),
        Row("coercion", ("行政强制",), cols=ITEMS),
        Row("fees", ("行政事业性收费",), cols=("prev_items", "change")),
        Row("procurement", ("政府集中采购",), cols=("items", "amount")),
    ),
)

APPLICATIONS = TableDef(
    key="applications",
    titles=APPLICATIONS_TITLES,
    header_labels=APPLICATIONS_HEADER_LABELS,
    group_headers=APPLICATIONS_GROUP_HEADERS,
    cols=APPLICANT_COLS,
    rows=ROWS_HEAD + (Row("other", ("其他处理",)),) + ROWS_TAIL,
)

FORMAT = Format(
    name="2019",
    tables=(ACTIVE, APPLICATIONS, REVIEW),
    identities=APPLICATION_IDENTITIES + REVIEW_IDENTITIES,
    tie_rows=(("applications", "other"), ("active", "other_services"), ("active", "procurement")),
    years=(2019, 2020),
)
