"""磐安县人民政府 (www.panan.gov.cn, Hanweb): 县应急管理局 (formerly 县安全生产监督管理局) annual reports.

The bureau's 政府信息公开年度报告 column sits under 政务公开 > 信息公开目录 > 县政府部门 > 县应急管理局 >
政府信息公开工作专题. Its reports from 2008 on were migrated into the current site in 2014 and
re-indexed in 2022; the 2017 report is served by the xxgk annual-report module.
"""

from govcrawl.cms import hanweb
from govcrawl.spiders.base import ReportSpider


class PananSpider(ReportSpider):
    name = "panan"
    family = hanweb.FAMILY
    allowed_domains = ["www.panan.gov.cn"]
    agency = "磐安县应急管理局"
    region_code = "330727"
    start_urls = ["http://www.panan.gov.cn/col/col1229147423/index.html"]
