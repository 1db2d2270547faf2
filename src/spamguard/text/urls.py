"""What a link says about itself: scheme, host, registered domain, TLD, shortener, IP host, brand it is or imitates."""

from __future__ import annotations

import functools
import re
from typing import Any

from spamguard.text.brands import brands, lookalike_brand, official_brand, read_data_lines, registered_domain

__all__ = ["url_attrs", "url_tokens", "naked_tlds", "path_only_tlds", "is_shortener", "is_cheap_tld", "is_freemail"]

_SCHEME = re.compile(r"h ?([tx]) ?[tx] ?p( ?s)? ?: ?/ ?/ ?")
_WWW = re.compile(r"www ?(?:\.|\[\.\]|\(\.\)) ?")
_OBF_DOT = re.compile(r" \.|\[\.\]|\(\.\)")
_IPV4 = re.compile(r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}")
_HOST_END = re.compile(r"[/?#]")
_NOT_WORD = re.compile(r"[^a-z0-9]+")


@functools.cache
def _tld_table() -> dict[str, bool]:
    """TLD -> True if, without a scheme, it only counts when followed by a path."""
    table: dict[str, bool] = {}
    for line in read_data_lines("tlds.txt"):
        tld, _, flag = line.partition("\t")
        table[tld.strip()] = flag.strip() == "path"
    return table


@functools.cache
def naked_tlds() -> tuple[str, ...]:
    """TLDs recognised in links without a scheme, longest first (for a regex alternation)."""
    return tuple(sorted(_tld_table(), key=lambda t: (-len(t), t)))


@functools.cache
def path_only_tlds() -> frozenset[str]:
    return frozenset(t for t, p in _tld_table().items() if p)


@functools.cache
def _shorteners() -> frozenset[str]:
    return frozenset(read_data_lines("shorteners.txt"))


@functools.cache
def _cheap_tlds() -> frozenset[str]:
    return frozenset(read_data_lines("cheap_tlds.txt"))


@functools.cache
def _freemail() -> frozenset[str]:
    return frozenset(read_data_lines("freemail.txt"))


def is_freemail(domain: str) -> bool:
    return domain in _freemail()


def is_shortener(host: str) -> bool:
    return host in _shorteners() or registered_domain(host) in _shorteners()


def is_cheap_tld(tld: str) -> bool:
    return tld in _cheap_tlds()


def url_attrs(raw: str) -> dict[str, Any]:
    """Parse a lower-cased link as matched in a message (scheme optional, obfuscated dots allowed).

    >>> a = url_attrs("https://vietc0mbank-xacminh.top/login")
    >>> a["registered_domain"], a["tld"], a["lookalike_of"], a["cheap_tld"]
    ('vietc0mbank-xacminh.top', 'top', 'vietcombank', True)
    """
    return _url_attrs(raw).copy()  # a copy: the cached one must not change


@functools.lru_cache(maxsize=65536)
def _url_attrs(raw: str) -> dict[str, Any]:
    obfuscated = False
    scheme = None
    rest = raw
    m = _SCHEME.match(rest)
    if m:
        scheme = "https" if m.group(2) else "http"
        obfuscated = " " in m.group(0) or m.group(1) == "x"
        rest = rest[m.end():]
    m = _WWW.match(rest)
    if m:
        obfuscated = obfuscated or m.group(0) != "www."
        rest = "www." + rest[m.end():]
    cut = _HOST_END.search(rest)
    host, path = (rest[:cut.start()], rest[cut.start():]) if cut else (rest, "")
    if _OBF_DOT.search(host):
        obfuscated = True
        host = _OBF_DOT.sub(".", host)
    userinfo = "@" in host
    if userinfo:
        host = host.rpartition("@")[2]
    port = None
    if ":" in host:
        host, _, port_s = host.partition(":")
        port = int(port_s) if port_s.isdigit() else None
    host = host.strip(".")
    domain = host[4:] if host.startswith("www.") else host
    ip_host = bool(_IPV4.fullmatch(host))
    reg = host if ip_host else registered_domain(domain)
    tld = "" if ip_host else domain.rpartition(".")[2]
    official = None if ip_host else official_brand(domain)
    lookalike = None if (ip_host or official) else lookalike_brand(domain)
    attrs: dict[str, Any] = {
        "scheme": scheme, "host": host, "domain": domain, "registered_domain": reg, "tld": tld,
        "path": path, "port": port, "shortener": (not ip_host) and is_shortener(domain), "ip_host": ip_host,
        "cheap_tld": is_cheap_tld(tld), "official_of": official, "lookalike_of": lookalike,
        "obfuscated": obfuscated, "userinfo": userinfo,
    }
    return attrs


def url_tokens(attrs: dict[str, Any]) -> tuple[str, ...]:
    """Attribute tokens of a url entity (lower-case ascii, ``\\w`` only)."""
    get = attrs.get
    return _url_tokens(get("scheme"), get("tld") or "", bool(get("cheap_tld")), bool(get("shortener")),
                       bool(get("ip_host")), bool(get("obfuscated")), bool(get("userinfo")), get("official_of") or None,
                       get("lookalike_of") or None)


@functools.lru_cache(maxsize=4096)  # links of a campaign repeat: their tokens are made once
def _url_tokens(scheme: str | None, tld: str, cheap_tld: bool, shortener: bool, ip_host: bool, obfuscated: bool,
                userinfo: bool, official_of: str | None, lookalike_of: str | None) -> tuple[str, ...]:
    out = ["__url_noscheme__" if scheme is None else f"__url_{scheme}__"]
    tld = _NOT_WORD.sub("_", tld)
    if tld:
        out.append(f"__url_tld_{tld}__")
    if cheap_tld:
        out.append("__url_cheap_tld__")
    if shortener:
        out.append("__url_shortener__")
    if ip_host:
        out.append("__url_ip__")
    if obfuscated:
        out.append("__url_obfuscated__")
    if userinfo:
        out.append("__url_userinfo__")
    for bid, name in ((official_of, "official"), (lookalike_of, "lookalike")):
        if bid:
            out.append(f"__url_{name}__")
            brand = brands().get(bid)
            if brand is not None:
                out.append(f"__url_{name}_{brand.category}__")
    return tuple(out)
