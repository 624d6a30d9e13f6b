"""Synthetic Chinese names, GB 11643 ID numbers and phone numbers (vectorised)."""

from __future__ import annotations

import numpy as np

SURNAMES = list(
    "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程"
    "苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝"
)
GIVEN = list(
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰凤春红玲建国福海林波宇飞鹏亮志"
    "文博俊峰辉成新立民永德昌宏云雪梅晶颖淑珍荣贵宝山金凤喜东旭斌彬琳红双广庆"
)
ID_WEIGHTS = np.array([7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2])
CHECK_CHARS = np.array(list("10X98765432"))
PHONE_PREFIXES = np.array(
    [130, 131, 132, 133, 135, 136, 137, 138, 139, 150, 151, 152, 155, 156, 157, 158, 159,
     166, 176, 177, 180, 181, 182, 183, 185, 186, 187, 188, 189, 191, 198, 199]
)
# Places of first registration for people born elsewhere (GB/T 2260 county codes).
ELSEWHERE = np.array(["230103", "230104", "230602", "230604", "230203", "220102", "370102",
                      "210102", "232700", "230904", "231002", "230502"])


def check_digit(first17: str) -> str:
    """GB 11643 check character of the first 17 digits."""
    total = sum(int(c) * w for c, w in zip(first17, ID_WEIGHTS))
    return "10X98765432"[total % 11]


def is_valid_id(number: str) -> bool:
    """True when an 18-character ID number has a valid GB 11643 check character."""
    return (
        len(number) == 18 and number[:17].isdigit() and check_digit(number[:17]) == number[17]
    )


def surnames(rng: np.random.Generator, n: int) -> np.ndarray:
    """n surnames, the common ones more often."""
    weights = 1.0 / np.arange(1, len(SURNAMES) + 1) ** 0.6
    return rng.choice(np.array(SURNAMES), size=n, p=weights / weights.sum())


def given_names(rng: np.random.Generator, n: int) -> np.ndarray:
    """n one- or two-character given names."""
    pool = np.array(GIVEN)
    first = rng.choice(pool, size=n)
    second = rng.choice(pool, size=n)
    two = rng.random(n) < 0.7
    return np.where(two, np.char.add(first, second), first)


def id_numbers(
    rng: np.random.Generator, region: np.ndarray, birth: np.ndarray, male: np.ndarray
) -> np.ndarray:
    """ID numbers from 6-digit registration codes, birth dates (datetime64[D]) and sex."""
    n = len(region)
    ymd = np.datetime_as_string(birth, unit="D")
    ymd = np.char.replace(ymd, "-", "")
    seq = rng.integers(0, 500, size=n) * 2 + np.where(male, 1, 0)
    seq_s = np.char.zfill(seq.astype(str), 3)
    body = np.char.add(np.char.add(region.astype(str), ymd), seq_s)
    digits = np.frombuffer(body.astype("S17").tobytes(), dtype=np.uint8).reshape(n, 17) - 48
    checks = CHECK_CHARS[(digits * ID_WEIGHTS).sum(axis=1) % 11]
    return np.char.add(body, checks)


def phones(rng: np.random.Generator, n: int) -> np.ndarray:
    """n mobile numbers."""
    prefix = rng.choice(PHONE_PREFIXES, size=n).astype(str)
    rest = np.char.zfill(rng.integers(0, 10**8, size=n).astype(str), 8)
    return np.char.add(prefix, rest)
