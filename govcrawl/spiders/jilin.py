"""吉林省应急管理厅 (yjt.jl.gov.cn, TRS WCM): the 政府信息公开年度报告 column.

The column keeps the reports of the former 吉林省安全生产监督管理局 (2008-2017, merged into the 厅
in 2018) beside the 厅's own. The older documents are GB2312/GBK pages, some served without a
charset in the Content-Type header or with a wrong one (the CharsetMiddleware re-decodes them).
A stored copy of the 2014 report: http://yjt.jl.gov.cn/zfxxgk/ndbg/201503/t20150331_6330238.html
"""

from govcrawl.cms import trs
from govcrawl.spiders.base import ReportSpider


class JilinSpider(ReportSpider):
    name = "jilin"
    family = trs.FAMILY
    allowed_domains = ["yjt.jl.gov.cn"]
    agency = "吉林省应急管理厅"
    region_code = "220000"
    start_urls = ["http://yjt.jl.gov.cn/zfxxgk/ndbg/"]
