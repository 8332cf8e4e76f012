"""Page metadata: <meta name/content> tags, title candidates and headings, byline dates, and the
links to attachment files.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urljoin, urlsplit

from govcrawl.extract.tree import in_chrome
from govcrawl.text.chrome import byline_dates_in
from govcrawl.text.links import attachment_type
from govcrawl.text.normalize import clean_spaces, compact, nfkc
from govcrawl.text.vocabulary import REPORT_MENTION

# blocks listing other articles: their file links are not this report's attachments
_RELATED_ATTR = re.compile(r"(^|[\s_-])(relat\w*|xglj|xgwz|xgxx|xgwj|xgwd|recommend\w*|tuijian|hot|"
                           r"newlist|news[-_]?list|zxxx|latest|sidebar|side)([\s_-]|\d|$)", re.I)
_TITLE_ATTR = re.compile(r"title|biaoti|bt|tit|headline|art_tit|zwbt|xxgk_tit", re.I)


def meta_tags(root) -> dict[str, str]:
    meta: dict[str, str] = {}
    for el in root.iter("meta"):
        name = el.get("name") or el.get("property") or el.get("itemprop")
        content = el.get("content")
        if name and content and content.strip():
            meta.setdefault(name.strip(), clean_spaces(content))
    return meta


def title_candidates(page_meta: dict, headings: list[str], page_title: str) -> list[str]:
    lowered = {k.lower(): v for k, v in page_meta.items()}
    out: list[str] = []
    for key in ("articletitle", "title", "og:title", "dc.title"):
        if lowered.get(key):
            out.append(lowered[key])
            break
    reportish = [h for h in headings if REPORT_MENTION.search(h)]
    out.extend(reportish)
    if page_title:
        out.append(page_title)
    out.extend(h for h in headings if h not in reportish)
    seen, unique = set(), []
    for t in out:
        k = compact(nfkc(t))
        if k and k not in seen:
            seen.add(k)
            unique.append(t)
    return unique


def heading_texts(root) -> list[str]:
    """Heading texts of the page: h1-h3 and elements whose class/id says title, in page order."""
    found = []
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        attrs = f"{el.get('class', '')} {el.get('id', '')}"
        if el.tag in ("h1", "h2", "h3") or (el.tag in ("div", "p", "td", "span", "strong")
                                            and _TITLE_ATTR.search(attrs)):
            if in_chrome(el):
                continue
            text = clean_spaces(el.text_content())
            if 4 <= len(text) <= 120 and re.search(r"[\u4e00-\u9fff]", text):
                found.append(text)
    return found


def byline_dates(root) -> list[str]:
    """Dates of the page's byline: 发布时间/发布日期 first, then bare 时间/日期, each in page order.
    Entries of link lists (sidebars' 最新信息 with their own dates) are not the byline."""
    strong: list[str] = []
    weak: list[str] = []
    for el in root.iter("div", "p", "span", "li", "td", "font", "em", "h4", "h5", "h6", "dd",
                        "label", "small", "i", "b", "strong"):
        own = (el.text or "") + "".join(c.tail or "" for c in el)
        if not re.search(r"时间|日期|時間", own):
            continue  # (text_content of every element would be quadratic on big pages)
        if _in_link_list(el) or in_chrome(el):
            continue
        text = el.text_content()
        if len(text) > 300:
            text = own
        for date in byline_dates_in(text, strong_only=True):
            if date not in strong:
                strong.append(date)
        for date in byline_dates_in(text):
            if date not in weak:
                weak.append(date)
    return strong + [d for d in weak if d not in strong]


def _in_link_list(el) -> bool:
    """Inside an <aside>, or a list item that links elsewhere (a listing entry)."""
    for node in [el, *el.iterancestors()]:
        if node.tag == "aside":
            return True
        if node.tag == "li" and node.find(".//a") is not None:
            return True
    return False


def attachment_links(root, url: str) -> list[dict]:
    out: list[dict] = []
    seen: set[str] = set()
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "#", "tel:")):
            continue
        name = clean_spaces(a.text_content()) or clean_spaces(a.get("title") or "")
        kind = attachment_type(urlsplit(href).path) or attachment_type(href) or attachment_type(name)
        if not kind or in_chrome(a) or any(
                x.tag == "aside" or _RELATED_ATTR.search(f"{x.get('class', '')} {x.get('id', '')}")
                for x in a.iterancestors()):
            continue  # files linked from menus, sidebars and 相关链接 are other documents
        try:
            absolute = urljoin(url, href)
        except ValueError:
            continue
        if absolute in seen:
            continue
        seen.add(absolute)
        if not name:
            name = unquote(urlsplit(absolute).path.rsplit("/", 1)[-1])
        out.append({"url": absolute, "name": name, "type": kind})
    return out
