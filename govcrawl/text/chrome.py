"""Page chrome that survives a generic extractor, as line rules shared by HTML and text input.

trafilatura (and any plain extractor) leaves the 索引号 block, 分享到, 扫一扫在手机打开当前页面,
breadcrumbs, byline/print/font-size bars and ICP/公网安备/网站标识码 footers in the text on many
templates (see the seeds in fixtures/seeds/). These rules remove them line by line.

Matching is done on a key (NFKC, Simplified, no whitespace) so that `掃一掃在手機上查看當前頁面`,
`索 引 号` and `字号:[ 大 中 小 ]` are caught whatever their spacing or script; lines are kept as
printed.
"""

from __future__ import annotations

import re

from govcrawl.text.normalize import clean_spaces, nfkc, normalize_label

# ---------------------------------------------------------------------------------------------
# 索引号 metadata block
# ---------------------------------------------------------------------------------------------

#: labels of the metadata block (simplified, no spaces). Longer labels first where one label is a
#: prefix of another, so `信息名称` wins over `名称` when splitting a line.
META_LABELS = (
    "索引号", "索取号", "统一编号", "发布机构", "发文机关", "发文单位", "所属机构", "信息来源", "来源",
    "生成日期", "成文日期", "发布日期", "发文日期", "产生日期", "上载日期", "公开日期", "失效日期",
    "实施日期", "废止日期", "发布时间", "印发日期",
    "文号", "发文字号", "发布文号", "文件编号",
    "公开形式", "公开方式", "公开时限", "公开范围", "公开属性",
    "主题分类", "组配分类", "信息分类", "体裁分类", "服务对象分类", "生命周期分类", "机构分类",
    "分类", "主题导航", "主题词", "关键词", "关键字",
    "信息名称", "名称", "标题", "内容概述", "摘要",
    "有效性", "时效", "有效期", "效力状态", "信息格式/语种", "语种", "文件下载",
    "公文种类", "文种", "体裁", "信息类别", "载体类型", "责任部门", "发布机关", "所属主题", "所属分类",
    "生效日期", "公开类型", "办文部门", "信息索引号", "是否有效",
)
_META_SET = frozenset(META_LABELS)
# labels that are ALSO ordinary byline words: on their own they do not prove a metadata block
_WEAK_LABELS = frozenset({"来源", "发布时间", "发布日期", "标题", "名称", "摘要", "关键词", "关键字",
                          "分类", "语种", "文件下载"})


def _spaced(label: str) -> str:
    # `索 引 号`, `发 布 机 构`: labels padded with spaces between characters
    return r"\s*".join(re.escape(ch) for ch in label)


_LABEL_ALT = "|".join(_spaced(lab) for lab in sorted(META_LABELS, key=len, reverse=True))
# a label inside a longer line, followed by a colon: `发布日期:2015-10-15 发布机构:市交通运输局`
_INLINE_LABEL = re.compile(r"(?:^|(?<=[\s|]))(" + _LABEL_ALT + r")\s*[:：]")
_BARE_LABEL = re.compile(r"(?:^|(?<=\s))(" + _LABEL_ALT + r")(?=\s)")
_LABEL_THEN_VALUE = re.compile(r"^(" + _LABEL_ALT + r")\s*[:：]?\s*(.*)$", re.S)


_OTHER_LABEL = re.compile(r"^[\u4e00-\u9fff/]{2,8}[:：]$")


def label_key(token: str) -> str | None:
    """The metadata label a token is (`索 引 号：` -> `索引号`), else None."""
    key = normalize_label(token).rstrip(":：").strip("【】[]")  # `【索引号】`
    return key if key in _META_SET else None


def block_label_key(token: str) -> str | None:
    """Inside a metadata block any short `XXXX:` cell is a label too (`公文种类：`, `载体类型：`), so an
    unknown label never ends up in the previous field's value."""
    key = label_key(token)
    if key:
        return key
    norm = normalize_label(token)
    return norm.rstrip(":：") if _OTHER_LABEL.match(norm) else None


def is_strong_label(key: str) -> bool:
    return key in _META_SET and key not in _WEAK_LABELS


def split_labels(token: str) -> list[str]:
    """`发布日期:2015-10-15 发布机构:市交通运输局` -> ['发布日期:', '2015-10-15', '发布机构:', '市交通运输局']."""
    token = nfkc(token)
    marks = list(_INLINE_LABEL.finditer(token))
    if not marks:
        stripped = token.strip()
        m = _LABEL_THEN_VALUE.match(stripped)
        # `索   引   号 20191202-189769 分        类 其他`: labels padded with spaces and followed by
        # whitespace instead of a colon (qqhr.gov.cn); only when the token starts with a label
        if m and label_key(m.group(1)) and m.group(2) and re.match(r"\s", stripped[len(m.group(1)):] or "x"):
            bare = list(_BARE_LABEL.finditer(stripped))
            out = []
            for i, b in enumerate(bare):
                end = bare[i + 1].start() if i + 1 < len(bare) else len(stripped)
                out.append(b.group(1) + ":")
                value = stripped[b.end():end].strip()
                if value:
                    out.append(value)
            return out
        return [token]
    out = []
    if token[: marks[0].start()].strip():
        out.append(token[: marks[0].start()])
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(token)
        out.append(m.group(1) + ":")
        value = token[m.end():end]
        if value.strip():
            out.append(value)
    return out


def pair_labels(tokens: list[str]) -> dict[str, str]:
    """Label/value pairs from a token sequence (table cells, <li>/<span> texts, `|` fields).

    A token that is a label starts a field; the tokens up to the next label are its value (empty
    when the next token is a label: `文号: | | 公开时限:`). Labels lose inner spaces and colons.
    """
    pieces: list[str] = []
    for tok in tokens:
        pieces.extend(split_labels(tok))
    meta: dict[str, str] = {}
    current: str | None = None
    values: list[str] = []
    for piece in pieces:
        text = clean_spaces(piece)
        if not text:
            continue
        key = block_label_key(text)
        if key:
            if current is not None:
                meta.setdefault(current, clean_spaces(" ".join(values)))
            current, values = key, []
        elif current is not None:
            values.append(text)
    if current is not None:
        meta.setdefault(current, clean_spaces(" ".join(values)))
    return meta


def meta_from_line(line: str, *, weak_ok: bool = False) -> dict[str, str] | None:
    """A text line of the 索引号 block (`索引号: | 1133.../2022-56162 | 公开形式: | 主动公开 |`) as a
    dict, or None when the line is not one. The line must start with a label."""
    fields = [f for f in re.split(r"\|", line) if f.strip()]
    if not fields:
        return None
    first = split_labels(fields[0])
    if not first or not label_key(first[0]):
        return None
    meta = pair_labels(fields)
    if not meta:
        return None
    # weak labels only (`发布时间: ... 来源: ...`) make a byline, not the metadata block -- unless
    # the line continues a block already started (`分类 信息公开年报` after `索引号 ...`)
    if not weak_ok and not any(is_strong_label(k) for k in meta):
        return None
    return meta


# ---------------------------------------------------------------------------------------------
# chrome lines
# ---------------------------------------------------------------------------------------------

_QR = re.compile(r"扫一扫.{0,6}(手机|移动端|微信)|(手机|移动端).{0,4}(打开|查看|浏览)当前页")
_SHARE = re.compile(r"^(分享到|分享至|一键分享|分享:)")
_CRUMB_START = re.compile(r"^(您|你)?(当前|现在)?(所在)?的?(位置|页面|栏目)[:：]")
_CRUMB_SEP = re.compile(r"(>>|>|»|›|→)")
_ICP = re.compile(r"ICP(备|证)\s*\d|公网安备|网站标识码|网站识别码|政府网站标识")
_FOOTER_START = re.compile(
    r"^(主办|承办|协办|主办单位|承办单位|主管单位|协办单位|技术支持|技术服务|网站维护|维护单位|"
    r"运行维护|版权所有|Copyright|copyright|COPYRIGHT|©|\(c\)|地址|联系地址|办公地址|通讯地址|邮编|"
    r"邮政编码|联系电话|电话|传真|E-?mail|电子邮箱|邮箱|访问量|访问量统计|总访问量|今日访问|网站访问量|"
    r"您是第|本站访问|建议使用|最佳浏览|推荐使用)")
_FOOTER_WORDS = re.compile(r"主办|承办|ICP|公网安备|网站标识码|地址[:：]|邮编|电话[:：]|传真|访问量|"
                           r"技术支持|版权所有|网站地图|联系我们|关于我们|隐私|免责声明|微信公众号|无障碍")
_BYLINE_WORDS = re.compile(r"发布时间|发布日期|发表时间|更新时间|日期[:：]|时间[:：]|来源[:：]|信息来源|"
                           r"文章来源|作者[:：]|责任编辑|编辑[:：]|浏览次数|浏览量|阅读次数|阅读量|点击数|点击量|"
                           r"点击率|访问次数|字号|字体|打印|关闭|分享|收藏|\[大|大中小|纠错|责任编辑")
_BYLINE_START = re.compile(r"^(发布时间|发布日期|发表时间|更新时间|发文时间|浏览次数|阅读次数|点击数|点击量|"
                           r"选择阅读字号|文章字号|【字体|【字号)|"
                           r"^(时间|日期|来源|信息来源|文章来源|作者|责任编辑|编辑|字号|字体)[:：]")
_CHROME_TOKENS = re.compile(
    r"打印本页|打印此页|打印文章|打印正文|打印|关闭本页|关闭窗口|关闭|返回顶部|返回首页|返回列表|返回|"
    r"加入收藏|收藏本页|收藏|我要纠错|纠错|保存本页|保存|下载本页|字号|字体|默认|繁体|简体|"
    r"无障碍浏览|无障碍|长者模式|关怀模式|登录|注册|设为首页|English|分享到|分享|视力保护色|"
    r"大|中|小|[\[\]【】()|:：/、,。·•\-—_>»<«]")
# at least one real word: a flattened table cell `—— |` or `- |` is made of the same punctuation
_CHROME_WORD = re.compile(r"打印|关闭|返回|收藏|纠错|保存|下载本页|字号|字体|默认|繁体|简体|无障碍|长者|关怀|"
                          r"登录|注册|首页|English|分享|大中小|视力")
_WELCOME = re.compile(r"^(您好|你好)?[!！,，]?欢迎(您)?(访问|来到|光临|进入)")
_NAV_PREV_NEXT = re.compile(r"^(上一篇|下一篇|上一条|下一条|上篇|下篇)[:：]?")
_RELATED = re.compile(r"^【?(相关链接|相关文章|相关稿件|相关阅读|相关信息|相关新闻|相关解读|相关政策|"
                      r"相关文件|热点推荐|推荐阅读|猜你喜欢)】?[:：]?$")
_BULLET_ONLY = re.compile(r"^[•·●◆■□▪▶►\s]+$")
_TEMPLATE = re.compile(r"\{\{.*?\}\}|\$\{.*?\}")
# the page marker of a flipbook's text view (`P. 9`, basic-html/pageN.html)
_FLIPBOOK_PAGE = re.compile(r"^P\.\d{1,4}$")


def line_key(line: str) -> str:
    return normalize_label(line)


def is_related_marker(line: str) -> bool:
    return bool(_RELATED.match(line_key(line)))


_EXACT_CHROME = frozenset({
    "微信公众号", "官方微信", "官方微博", "政务微博", "网站地图", "联系我们", "关于我们", "返回顶部", "返回首页",
    "打印", "关闭", "打印本页", "关闭窗口", "收藏", "分享", "纠错", "我要纠错", "无障碍", "无障碍浏览", "长者模式",
    "登录", "注册", "登录注册", "English", "繁体", "简体", "繁體", "搜索", "首页", "网站首页", "访问量统计",
    "手机版", "移动版", "邮箱", "网站声明", "版权声明", "隐私声明", "使用帮助", "站点地图",
})


def is_chrome(line: str, *, keep_pipes: bool = False) -> bool:
    """True for a line of page chrome (not report content).

    `keep_pipes`: text input keeps pipe-only lines (`|`, `||||`): they are row breaks of a
    flattened table, which the statistics parser reads.
    """
    key = line_key(line)
    if not key:
        return True
    if set(key) <= {"|"}:
        return not keep_pipes
    if _BULLET_ONLY.match(line):
        return True
    if _TEMPLATE.search(line):
        return True  # AngularJS/Vue template residue of a JavaScript-rendered page
    n = len(key)
    if key in _EXACT_CHROME:
        return True
    if not keep_pipes and not re.search(r"[\w\u4e00-\u9fff]", key):
        return True  # `>`, `»`, `|` left of a breadcrumb or menu split into pieces
    if n <= 40 and _WELCOME.match(key):
        return True
    if _QR.search(key) and n <= 40:
        return True
    if _SHARE.match(key) and n <= 60:
        return True
    if _CRUMB_START.match(key) and n <= 120:
        return True
    if n <= 120 and (key.startswith(("首页>", "首页»", "首页›", "网站首页>", ">>", "»"))
                     or (("首页" in key) and len(_CRUMB_SEP.findall(key)) >= 2)):
        return True
    if key.startswith(">>") or (n <= 150 and key.count(">>") >= 2):
        return True
    if n <= 30 and key[0] in ">»›" and not re.search(r"[。,;；:：]", key):
        return True  # a breadcrumb printed one piece per line: `当前位置:首页` / `> 政府信息公开` / `> 2022年`
    if _FLIPBOOK_PAGE.match(key):
        return True
    if _ICP.search(key) and n <= 200:
        return True
    if n <= 120 and _FOOTER_START.match(key) and not re.search(r"[。;；]", key):
        return True
    if n <= 160 and len(_FOOTER_WORDS.findall(key)) >= 2 and not re.search(r"[。;；]", key):
        return True
    if n <= 80 and _DATE_THEN_SOURCE.match(nfkc(line)):
        return True
    if _NAV_PREV_NEXT.match(key) and n <= 120:
        return True
    if n <= 30 and _RELATED.match(key):
        return True
    if n <= 140 and not re.search(r"[。;；]", key):
        words = _BYLINE_WORDS.findall(key)
        if len(words) >= 2 or (_BYLINE_START.match(key) and n <= 60):
            return True
    # a line made only of print/close/font-size/login tokens: 【打印本页】【关闭窗口】, 字号:[大 中 小]
    if n <= 60 and _CHROME_WORD.search(key) and not _CHROME_TOKENS.sub("", key):
        return True
    return False


# ---------------------------------------------------------------------------------------------
# breadcrumb
# ---------------------------------------------------------------------------------------------

_CRUMB_LABEL = re.compile(r"^\s*(?:您|你)?\s*(?:当前|现在|目前)?\s*(?:所在|所处)?\s*的?\s*(?:位置|页面|栏目)"
                          r"\s*[:：]?\s*")
_CRUMB_LEAD = re.compile(r"^\s*(?:>>|>|»|›|→|＞)")
_CRUMB_SPLIT = re.compile(r"\s*(?:>>|>|»|›|→|＞)\s*")
_CRUMB_HOME = frozenset({"首页", "网站首页", "主页", "返回首页"})


def is_breadcrumb(line: str) -> bool:
    """`当前位置:首页 > 政府信息公开 > 年报`, `您当前所在位置:首页 > …`, `首页 > A > B`."""
    key = line_key(line)
    if not key or len(key) > 160:
        return False
    if _CRUMB_START.match(key) or re.match(r"^(您|你)?(当前|现在|目前)(所在|所处)?的?(位置|页面)", key):
        return True
    return "首页" in key[:12] and len(_CRUMB_SEP.findall(key)) >= 1


def breadcrumb_items(lines: list[str], window: int = 15) -> list[str]:
    """The items of the first breadcrumb in the first lines, as printed, without its label and
    the home item: `当前位置 > 首页 > 张家港市凤凰镇 > 政府信息公开年报` -> ['张家港市凤凰镇',
    '政府信息公开年报']. A breadcrumb printed one piece per line (`当前位置:首页` / `> 政府信息公开`)
    is joined first. [] when there is none."""
    for i, raw in enumerate(lines[:window]):
        line = clean_spaces(nfkc(raw or ""))
        if not line or "|" in line or not is_breadcrumb(line):
            continue
        text = line
        for nxt in lines[i + 1:i + 8]:
            nxt = clean_spaces(nfkc(nxt or ""))
            if not _CRUMB_LEAD.match(nxt) or len(nxt) > 40:
                break
            text += " " + nxt
        text = _CRUMB_LABEL.sub("", text)
        items = [clean_spaces(p).strip("-—:： ") for p in _CRUMB_SPLIT.split(text)]
        return [p for p in items if p and p not in _CRUMB_HOME]
    return []


# ---------------------------------------------------------------------------------------------
# byline dates
# ---------------------------------------------------------------------------------------------

BYLINE_DATE = re.compile(
    r"(发布时间|发布日期|发表时间|发文日期|時間|日期|时间|生成日期|更新时间)\s*[:：]?\s*"
    r"((?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?)")
_STRONG_BYLINE = frozenset({"发布时间", "发布日期", "发表时间", "发文日期"})


# a byline that starts with the bare date: `2022年01月18日来源:1`, `2021-03-05 10:00 来源:市政府办`
_DATE_THEN_SOURCE = re.compile(
    r"^\s*((?:19|20)\d{2}\s*[-/.年]\s*\d{1,2}\s*[-/.月]\s*\d{1,2}\s*日?)\s*(?:\d{1,2}:\d{2}(?::\d{2})?)?\s*"
    r"(?:来源|來源|信息来源|作者|浏览次数)\s*[:：]")


def byline_dates_in(line: str, *, strong_only: bool = False) -> list[str]:
    """Dates after 发布时间/发布日期/时间/日期 labels; `strong_only`: 发布时间/发布日期 only (a bare
    `时间：` also dates the entries of sidebar lists). A bare date opening a `来源:` byline counts
    as a strong one."""
    text = nfkc(line)
    found = [clean_spaces(m.group(2)) for m in BYLINE_DATE.finditer(text)
             if not strong_only or m.group(1) in _STRONG_BYLINE]
    m = _DATE_THEN_SOURCE.match(text)
    if m and len(text) <= 80:
        found.insert(0, clean_spaces(m.group(1)))
    return found


# ---------------------------------------------------------------------------------------------
# attachments
# ---------------------------------------------------------------------------------------------

# ---------------------------------------------------------------------------------------------
# the whole pass
# ---------------------------------------------------------------------------------------------

def _is_nav_line(line: str) -> bool:
    """A menu bar flattened to one line: `中国政府网 黑龙江省政府网 English 市人大 市政协`,
    `首 页 政 务 公 开 网 上 办 事`: many short space-separated items, no punctuation."""
    items = line.split()
    if len(items) < 4 or re.search(r"[。,，;；:：、()（）《》“”\d]", line):
        return False
    return all(len(item) <= 8 for item in items) and not re.search(r"报告|年报", line)


def _next_is_meta(lines: list[str], index: int) -> bool:
    """The next non-blank line is a row of the 索引号 block: a weak label right before it
    (`名称 宿迁市2017年...报告` above `索引号 00000001/2018-00042`) opens the block."""
    for raw in lines[index + 1:index + 3]:
        line = clean_spaces(raw)
        if line:
            return meta_from_line(line) is not None
    return False


def strip_chrome(lines: list[str], *, keep_pipes: bool = False
                 ) -> tuple[list[str], dict[str, str], list[str]]:
    """Remove page chrome from extracted lines.

    Returns (clean lines, the 索引号 block found in the header lines, byline dates). Metadata rows
    are only read in the header (before the first narrative paragraph), so a report sentence that
    happens to start with `文号` is never taken for one. A `相关链接`-style block in the second half
    of the page ends the body.
    """
    out: list[str] = []
    meta: dict[str, str] = {}
    dates: list[str] = []
    in_header = True
    pending: str | None = None
    prev_was_meta = False
    total = len(lines)
    for index, raw in enumerate(lines):
        line = clean_spaces(raw)
        if not line:
            continue
        plain = "|" not in line
        if in_header and plain and len(line) >= 60 and re.search(r"[。,，;；]", line):
            in_header = False
        if in_header or len(line) <= 160:
            for date in byline_dates_in(line):
                if date not in dates and (in_header or is_chrome(line, keep_pipes=keep_pipes)):
                    dates.append(date)
        if in_header:
            if pending and plain and len(line) <= 30 and not label_key(line) \
                    and not re.search(r"[。;；]|报告|年报", line) and not meta_from_line(line) \
                    and line not in meta.values():  # the 信息名称 repeated as the heading
                # `索引号:` on one line, its value on the next (a table flattened cell by cell)
                meta[pending] = line
                pending = None
                continue
            pending = None
            found = meta_from_line(line, weak_ok=bool(meta) and prev_was_meta)
            if not found and _next_is_meta(lines, index):
                found = meta_from_line(line, weak_ok=True)
                if found and not any(found.values()):
                    found = None  # a lone label (`名称`) of a block flattened cell by cell
            prev_was_meta = bool(found)
            if found:
                for key, value in found.items():
                    meta.setdefault(key, value)
                last_key = list(found)[-1]
                if not found[last_key] and meta.get(last_key) == "":
                    pending = last_key
                continue
            if plain and label_key(line) and len(line) <= 12:
                continue  # a lone label of the block (`名称`, `文件下载`, `时效`)
        if in_header and plain and _is_nav_line(line):
            continue
        if is_related_marker(line) and index >= total // 2:
            break
        if is_chrome(line, keep_pipes=keep_pipes):
            continue
        out.append(line)
    return out, meta, dates
