"""The units money is written in: 1亿 and 1万 in yuan (money itself is always integer yuan)."""

YI = 100_000_000
WAN = 10_000
