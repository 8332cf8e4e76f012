"""CMS families and their registry.

One `Family` object per CMS family (govcrawl/cms/family.py describes the protocol): `trs.FAMILY`,
`hanweb.FAMILY`, `kunming.FAMILY`, and `plain.FAMILY` for a plain list of dated links. Agency
spiders declare theirs (`family = trs.FAMILY`); the generic `column` spider asks `detect_family`
for every listing page.

How to use:

#. `family_named("trs")` for a name given on the command line (`-a family=trs`).
#. `detect_family(response)` for a page of unknown origin.
#. A new family: write it as govcrawl/cms/family.py says, then add its `FAMILY` to `FAMILIES`.
"""

from __future__ import annotations

from govcrawl.cms import hanweb, kunming, plain, trs
from govcrawl.cms.family import Family, same_host_links

#: every family, in detection order: the first whose `detect` sees its evidence on a page wins.
#: Most specific evidence first: Hanweb's datastore, jpage script and `/col/colN/` paths name
#: nothing else, while TRS's editor class names also travel in content pasted into other CMSs;
#: `plain`, which has no evidence of its own, last
FAMILIES: tuple[Family, ...] = (hanweb.FAMILY, trs.FAMILY, kunming.FAMILY, plain.FAMILY)


def family_names() -> list[str]:
    return [family.name for family in FAMILIES]


def family_named(name: str) -> Family:
    """The family called `name`; ValueError naming the known ones otherwise."""
    for family in FAMILIES:
        if family.name == name:
            return family
    raise ValueError(f"family must be one of {', '.join(family_names())}, not {name!r}")


def detect_family(response) -> Family:
    """The family of a listing page.

    First the family whose own machinery or markup the page shows (`Family.detect`, in `FAMILIES`
    order). A page without any (a template with no paging script, a year sub-column) goes to the
    family with the most votes, mostly its document links on the page's host (`Family.vote`;
    ties to the earlier family). A page nothing recognises is a plain list.
    """
    for family in FAMILIES:
        if family.detect(response):
            return family
    links = same_host_links(response)
    best: Family = plain.FAMILY
    best_vote = 0.0
    for family in FAMILIES:
        vote = family.vote(response, links)
        if vote > best_vote:
            best, best_vote = family, vote
    return best
