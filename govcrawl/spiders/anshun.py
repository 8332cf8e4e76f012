"""安顺市人民政府 (www.anshun.gov.cn): the 政府信息公开年报 column of a Guizhou 集约化 TRS site.

The column holds one sub-column per report year (`2016year/` ... `2021year/`), each paged
`index.html`, `index_1.html`, ... It lists the city government's own reports and those of the
city's departments and districts (安全生产监督管理局, 安顺经济技术开发区, 普定县, ...), some
published only as a PDF attached to a near-empty page.

The stored copies of the site are served over http (e.g.
http://www.anshun.gov.cn/zfxxgk/zfxxgknb/2020year/202101/t20210129_66608151.html); Scrapy follows
a redirect should the site move to https.
"""

from govcrawl.cms import trs
from govcrawl.spiders.base import ReportSpider


class AnshunSpider(ReportSpider):
    name = "anshun"
    family = trs.FAMILY
    # department and district sites of the city live under anshun.gov.cn too
    allowed_domains = ["anshun.gov.cn"]
    start_urls = ["http://www.anshun.gov.cn/zfxxgk/zfxxgknb/"]
    agency = "安顺市人民政府"
    region_code = "520400"
