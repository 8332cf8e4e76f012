"""昆明市官渡区人民政府 (www.kmgd.gov.cn, Kunming site cluster): its departments' annual reports.

The 部门政府信息公开年报 column lists the reports of the district's bureaus (环保局, later
昆明市生态环境局官渡分局; 安监局; 人社局; ...). A stored copy of the district's own report:
http://www.kmgd.gov.cn/c/2025-02-19/6968368.shtml
"""

from govcrawl.cms import kunming
from govcrawl.spiders.base import ReportSpider


class GuanduSpider(ReportSpider):
    name = "guandu"
    family = kunming.FAMILY
    allowed_domains = ["www.kmgd.gov.cn"]
    # no agency hint: the column holds many bureaus' reports, each naming its own agency
    agency = None
    region_code = "530111"
    start_urls = ["http://www.kmgd.gov.cn/zfxxgk/zfxxgknb/bmndbg/index.shtml"]
