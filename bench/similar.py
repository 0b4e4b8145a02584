"""Look-alike proposals at 100,000: lookup latency against a full scan, and precision.

The index holds 100,000 generated proposal titles plus 40 hand-written ones. Each of the
hand-written ones has queries a citizen might type for the same idea: reworded, reordered,
respaced, with typos inside syllables. A query counts as found when its proposal is among
the 3 shown. The baseline, in the same run, is rapidfuzz's `WRatio` over every title.
Goals: p95 <= 50 ms and >= 20x the baseline; on the labelled pair set best-threshold
F1 >= 0.96 with the shipped cutoff within 0.01 of it; held-out paraphrases recall >= 0.9.

Then one index over a long day: 100,000 searches (each with the catch-up query a turn
runs) on 10,000 proposals of the city's vocabulary, against its own first 1,000 searches.

    python bench/similar.py [--size 100000] [--searches 100000 --search-size 10000]
    python bench/similar.py --only-searches
"""

import argparse
import csv
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rapidfuzz import fuzz, process

from bench.common import fresh_database
from bench.console import load
from conversations.similar import CUTOFF, SimilarIndex, similarity
from runtime.desk import ProposalIndex
from storage import proposals
from storage.db import make_engine

DONGS = [
    "매탄",
    "영통",
    "인계",
    "정자",
    "권선",
    "세류",
    "광교",
    "화서",
    "조원",
    "율천",
    "평",
    "지",
]
PLACES = [
    "버스정류장",
    "공원",
    "놀이터",
    "도서관",
    "횡단보도",
    "주차장",
    "하천 산책로",
    "경로당",
    "학교 앞",
    "시장",
    "지하차도",
    "자전거도로",
    "체육관",
    "보건소",
    "주민센터",
    "아파트 단지",
]
THINGS = [
    "그늘막",
    "CCTV",
    "가로등",
    "벤치",
    "쓰레기통",
    "화장실",
    "신호등",
    "과속방지턱",
    "안내판",
    "운동기구",
    "음수대",
    "와이파이",
    "전기차 충전기",
    "금연구역 표시",
    "미끄럼 방지 매트",
]
ASKS = [
    "설치해 주세요",
    "늘려 주세요",
    "고쳐 주세요",
    "교체를 요청합니다",
    "정비가 필요합니다",
    "새로 만들어 주세요",
    "확충을 제안합니다",
    "개선해 주세요",
]

# (proposal, queries for the same idea)
LABELLED = [
    (
        "반려견 놀이터를 만들어 주세요",
        [
            "반려견 놀이터 조성 요청",
            "강아지 놀이터 만들어주세요 반려견",
            "반려견놀이터 만들어 주세요",
            "반려겸 놀이터를 만들어 주세요",
        ],
    ),
    (
        "도서관 야간 운영 시간을 늘려 주세요",
        [
            "야간 운영 시간 늘려주세요 도서관",
            "도서관 야간운영 시간 연장",
            "도서간 야간 운영시간 늘려 주세요",
        ],
    ),
    (
        "폐건전지 수거함을 아파트마다 설치해 주세요",
        [
            "아파트마다 폐건전지 수거함 설치",
            "폐건전지수거함 아파트 설치 요청",
            "페건전지 수거함 아파트마다",
        ],
    ),
    (
        "광교호수공원에 자전거 대여소를 늘려 주세요",
        [
            "광교 호수공원 자전거 대여소 늘려주세요",
            "자전거 대여소 광교호수공원에 더 늘려 주세요",
            "광교호수공원 자전거 대어소 확충",
        ],
    ),
    (
        "수원천 산책로 야간 조명을 밝게 해 주세요",
        [
            "수원천 산책로 조명 밝게",
            "야간 조명 밝게 수원천 산책로",
            "수원천 산책로 야간 조멍 밝게 해주세요",
        ],
    ),
    (
        "어린이 보호구역 과속 단속 카메라를 설치해 주세요",
        [
            "어린이보호구역 과속단속카메라 설치",
            "과속 단속 카메라 어린이 보호구역 설치 요청",
            "어린이 보호구역 과속 단속 카메로 설치",
        ],
    ),
    (
        "마을버스 배차 간격을 줄여 주세요",
        [
            "마을버스 배차간격 줄여주세요",
            "배차 간격 줄여 주세요 마을버스",
            "마을 버스 배차 간겨 줄여 주세요",
        ],
    ),
    (
        "경로당에 무료 와이파이를 설치해 주세요",
        [
            "경로당 무료와이파이 설치",
            "무료 와이파이 경로당에 설치 요청",
            "경로당 무료 와이파이 설치해주세요",
        ],
    ),
    (
        "행궁동 골목길 주차 문제를 해결해 주세요",
        [
            "행궁동 골목 주차 문제 해결",
            "골목길 주차문제 행궁동 해결해주세요",
            "행궁동 골목길 주차 문제 해결 바랍니다",
        ],
    ),
    (
        "장애인 전용 주차구역 단속을 강화해 주세요",
        [
            "장애인전용 주차구역 단속 강화",
            "단속 강화 장애인 전용 주차구역",
            "장애인 전용 주처구역 단속 강화",
        ],
    ),
    (
        "공공 자전거 헬멧 대여를 시작해 주세요",
        [
            "공공자전거 헬멧 대여 시작",
            "헬멧 대여 공공 자전거 시작해 주세요",
            "공공 자전거 헬맷 대여",
        ],
    ),
    (
        "야간 약국 운영 정보를 알려 주세요",
        [
            "야간약국 운영정보 알려주세요",
            "운영 정보 야간 약국 알려 주세요",
            "야간 약국 운영 정보 안내 요청",
        ],
    ),
    (
        "청소년 문화공간을 늘려 주세요",
        [
            "청소년 문화 공간 늘려주세요",
            "문화공간 청소년 확충 요청",
            "청소년 문화공관 늘려 주세요",
        ],
    ),
    (
        "음식물 쓰레기 수거 횟수를 늘려 주세요",
        [
            "음식물쓰레기 수거횟수 늘려주세요",
            "수거 횟수 늘려 주세요 음식물 쓰레기",
            "음식물 쓰레기 수거 회수 늘려 주세요",
        ],
    ),
    (
        "노인 일자리 사업을 확대해 주세요",
        ["노인일자리 사업 확대", "일자리 사업 확대 노인", "노인 일지리 사업 확대해 주세요"],
    ),
    (
        "지하차도 침수 경보 시스템을 만들어 주세요",
        [
            "지하차도 침수경보 시스템",
            "침수 경보 시스템 지하차도에 만들어 주세요",
            "지하차도 침수 경보 시스탬",
        ],
    ),
    (
        "전통시장 주차장을 넓혀 주세요",
        [
            "전통 시장 주차장 넓혀주세요",
            "주차장 넓혀 주세요 전통시장",
            "전통시장 주차장 확장 요청",
        ],
    ),
    (
        "초등학교 앞 통학로에 보행 펜스를 설치해 주세요",
        [
            "초등학교 통학로 보행펜스 설치",
            "보행 펜스 초등학교 앞 통학로 설치 요청",
            "초등학교 앞 통학로 보행 팬스 설치",
        ],
    ),
    (
        "다문화 가정 한국어 교실을 열어 주세요",
        [
            "다문화가정 한국어교실 열어주세요",
            "한국어 교실 다문화 가정 개설 요청",
            "다문화 가정 한국어 교싷 열어 주세요",
        ],
    ),
    (
        "1인 가구 고독사 예방 프로그램을 만들어 주세요",
        [
            "1인가구 고독사 예방 프로그램",
            "고독사 예방 프로그램 1인 가구 대상",
            "1인 가구 고독사 예방 프로그렘",
        ],
    ),
    (
        "공원 운동기구를 새것으로 바꿔 주세요",
        [
            "공원 운동 기구 새것으로 교체",
            "운동기구 교체 공원",
            "공원 운동기구 새것으로 바꿔주세요",
        ],
    ),
    (
        "버스 도착 안내 전광판을 늘려 주세요",
        [
            "버스도착 안내전광판 늘려주세요",
            "안내 전광판 버스 도착 확충",
            "버스 도착 안내 전광팡 늘려 주세요",
        ],
    ),
    (
        "무더위 쉼터 운영 시간을 늘려 주세요",
        [
            "무더위쉼터 운영시간 연장",
            "운영 시간 늘려 주세요 무더위 쉼터",
            "무더위 쉼터 운영 시갼 늘려 주세요",
        ],
    ),
    (
        "길고양이 급식소를 관리해 주세요",
        ["길 고양이 급식소 관리", "급식소 관리 길고양이", "길고양이 급식쇼 관리해 주세요"],
    ),
    (
        "아이 돌봄 센터를 동마다 만들어 주세요",
        [
            "아이돌봄센터 동마다 만들어주세요",
            "동마다 아이 돌봄 센터 설치",
            "아이 돌봄 센타 동마다",
        ],
    ),
    (
        "하천 쓰레기를 자주 치워 주세요",
        [
            "하천쓰레기 자주 치워주세요",
            "쓰레기 하천 자주 청소 요청",
            "하천 쓰레기 자주 치워 주새요",
        ],
    ),
    (
        "스쿨존 불법 주정차를 단속해 주세요",
        [
            "스쿨존 불법주정차 단속",
            "불법 주정차 스쿨존 단속 요청",
            "스쿨존 불법 주정차 단속해주세요",
        ],
    ),
    (
        "시청 민원실 주말 운영을 해 주세요",
        ["시청민원실 주말 운영", "주말 운영 시청 민원실", "시청 민원실 주말 운형"],
    ),
    (
        "공공 와이파이 속도를 높여 주세요",
        [
            "공공와이파이 속도 높여주세요",
            "속도 높여 주세요 공공 와이파이",
            "공공 와이파이 속도 개선 요청",
        ],
    ),
    (
        "재활용 분리수거 교육을 해 주세요",
        ["재활용 분리 수거 교육", "분리수거 교육 재활용 요청", "재활용 분리수거 교욱"],
    ),
    (
        "화서역 환승 주차장을 만들어 주세요",
        ["화서역 환승주차장 만들어주세요", "환승 주차장 화서역 설치", "화서역 환승 주차쟝"],
    ),
    (
        "저소득층 난방비 지원을 늘려 주세요",
        [
            "저소득층 난방비지원 확대",
            "난방비 지원 저소득층 늘려 주세요",
            "저소득층 난방비 지윈 늘려 주세요",
        ],
    ),
    (
        "보도블록 파손 구간을 고쳐 주세요",
        [
            "보도 블록 파손구간 수리",
            "파손 구간 보도블록 고쳐주세요",
            "보도블록 파선 구간 고쳐 주세요",
        ],
    ),
    (
        "야외 공연장 소음을 줄여 주세요",
        [
            "야외공연장 소음 줄여주세요",
            "소음 줄여 주세요 야외 공연장",
            "야외 공연장 소움 줄여 주세요",
        ],
    ),
    (
        "시립 수영장 이용 요금을 낮춰 주세요",
        [
            "시립수영장 이용요금 인하",
            "이용 요금 낮춰 주세요 시립 수영장",
            "시립 수영장 이용 요굼 낮춰 주세요",
        ],
    ),
    (
        "전동킥보드 주차 구역을 만들어 주세요",
        [
            "전동 킥보드 주차구역 지정",
            "주차 구역 전동킥보드 만들어 주세요",
            "전동킥보드 주처 구역",
        ],
    ),
    (
        "농구장 바닥을 새로 깔아 주세요",
        ["농구장 바닥 교체", "바닥 새로 깔아 주세요 농구장", "농구장 바닦 새로 깔아 주세요"],
    ),
    (
        "장날 교통 혼잡을 해결해 주세요",
        ["장날 교통혼잡 해결", "교통 혼잡 장날 대책 요청", "장날 교통 혼잡 해결해주세요"],
    ),
    (
        "어르신 스마트폰 교육을 늘려 주세요",
        [
            "어르신 스마트폰교육 확대",
            "스마트폰 교육 어르신 늘려 주세요",
            "어르신 스마트퐁 교육 늘려 주세요",
        ],
    ),
    (
        "자원봉사 센터 홍보를 늘려 주세요",
        [
            "자원봉사센터 홍보 확대",
            "홍보 늘려 주세요 자원봉사 센터",
            "자원봉사 센터 홍보를 늘려주세여",
        ],
    ),
]
# Written after the key was tuned on LABELLED and measured once, before this matcher: its
# tuning saw them, so they count with LABELLED now.
EARLIER_HELD_OUT = [
    (
        "반려견 놀이터를 만들어 주세요",
        ["애견 놀이터 있었으면 좋겠어요 반려견", "반려견이 뛰어놀 놀이터"],
    ),
    (
        "도서관 야간 운영 시간을 늘려 주세요",
        ["밤에도 도서관 열어 주세요 야간 운영", "도서관 밤늦게까지 운영"],
    ),
    (
        "마을버스 배차 간격을 줄여 주세요",
        ["마을버스가 너무 안 와요 배차 간격", "마을버스 자주 다니게 해 주세요"],
    ),
    (
        "경로당에 무료 와이파이를 설치해 주세요",
        ["경로당 인터넷 와이파이 무료로", "어르신 경로당 와이파이"],
    ),
    (
        "음식물 쓰레기 수거 횟수를 늘려 주세요",
        ["음식물 쓰레기 너무 늦게 수거해요", "음쓰 수거 횟수 늘려주세요 음식물"],
    ),
    (
        "스쿨존 불법 주정차를 단속해 주세요",
        ["학교 앞 스쿨존에 불법 주차 차량", "스쿨존 주정차 단속 강화해 주세요"],
    ),
    (
        "전동킥보드 주차 구역을 만들어 주세요",
        ["킥보드 아무데나 세워져 있어요 주차 구역", "공유 전동킥보드 주차장"],
    ),
    (
        "어르신 스마트폰 교육을 늘려 주세요",
        ["노인 스마트폰 배우는 교육", "어르신들 휴대폰 스마트폰 사용법 교육"],
    ),
]
# Paraphrases written after the matcher and its threshold were tuned on the pair set, run
# once and reported as they came out: (proposal, the same idea in other words).
HELD_OUT_PAIRS: list[tuple[str, str]] = [
    ("영통역 앞 택시 승강장을 만들어 주세요", "영통역 앞에 택시 타는 곳 승강장이 필요해요"),
    ("광교산 등산로 안내 표지판 정비", "광교산 등산로에 표지판이 낡아서 안 보여요"),
    ("동네 공원에 반려견 배변 봉투함 설치", "공원에 강아지 배변 봉투함이 없어서 불편해요"),
    ("학교 앞 문구점 거리 불법 주정차 단속", "학교 앞 문구점 거리에 불법주차가 너무 많아요"),
    ("노인 복지관 점심 급식 확대", "어르신 복지관 점심 급식을 늘려 주세요"),
    ("아파트 단지 내 전기차 충전기 설치", "우리 아파트 단지에도 전기차 충전기 놓아 주세요"),
    ("버스정류장 온열 의자 설치", "겨울에 추워요 정류장에 온열의자 설치 부탁"),
    ("수원천 산책로 자전거 과속 단속", "수원천 산책로에서 자전거들이 과속해요 단속 좀"),
    ("행궁동 골목 쓰레기 무단 투기 단속", "행궁동 골목길에 쓰레기 무단투기가 심해요"),
    ("장애인 전용 주차구역 확대", "장애인 전용 주차 구역이 부족합니다 늘려 주세요"),
    ("청소년 독서실 무료 개방", "청소년들이 쓸 무료 독서실을 개방해 주세요"),
    ("지하차도 침수 경보 장치 설치", "비 오면 지하차도가 잠겨요 침수 경보 장치가 필요해요"),
    ("경로당 여름 냉방비 지원", "여름에 경로당 냉방비가 부족해요 지원해 주세요"),
    ("어린이집 등원 차량 안전 점검", "어린이집 등원차량 안전점검을 해 주세요"),
    ("공공 도서관 주말 운영 연장", "주말에 공공도서관을 더 늦게까지 열어 주세요"),
    ("전통시장 공공화장실 개선", "전통 시장 공중화장실이 너무 지저분해요"),
    ("초등학교 통학로 보도블록 교체", "초등학교 통학로 보도블럭이 깨져서 위험해요"),
    ("하천 산책로 야간 가로등 증설", "하천 산책로가 밤에 어두워요 보안등을 늘려 주세요"),
    ("무료 와이파이 공원 확대", "공원에서도 무료 와이파이가 되면 좋겠어요"),
    ("마을버스 막차 시간 연장", "마을버스 막차를 더 늦게까지 운행해 주세요"),
]
PAIRS = Path(__file__).resolve().parents[1] / "tests" / "conversations" / "similar_pairs.csv"


def generated(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [
        f"{rng.choice(DONGS)}동 {rng.choice(PLACES)} {rng.choice(THINGS)} {rng.choice(ASKS)}"
        for _ in range(count)
    ]


def percentiles(latencies: list[float]) -> tuple[float, float]:
    ordered = sorted(latencies)
    return statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))]


def lookups(
    search: Callable[[str], list[int]],
    targets: dict[str, int],
    labelled: list[tuple[str, list[str]]],
) -> tuple[list[float], float]:
    """Milliseconds per lookup, and the share of queries whose proposal is in the top 3."""
    latencies, found, total = [], 0, 0
    for proposal, queries in labelled:
        for query in queries:
            start = time.perf_counter()
            result = search(query)
            latencies.append((time.perf_counter() - start) * 1000)
            found += targets[proposal] in result
            total += 1
    return latencies, found / total


def pair_f1(half: str = "tune") -> tuple[float, float, float]:
    """Best threshold on one half of the pair set, its F1, and F1 at the shipped cutoff
    ("tune": what the lexicon and the cutoff were chosen on; "held": never tuned on)."""
    with PAIRS.open(encoding="utf-8") as file:
        rows = [row for row in csv.DictReader(file) if row["half"] == half]
    scored = [(similarity(row["a"], row["b"]), row["same"] == "1") for row in rows]

    def f1(threshold: float) -> float:
        true_pos = sum(score >= threshold and same for score, same in scored)
        wrong = sum((score >= threshold) != same for score, same in scored)
        return 2 * true_pos / (2 * true_pos + wrong) if true_pos else 0.0

    best = max((score for score, _ in scored), key=f1)
    return best, f1(best), f1(CUTOFF)


def start_up(size: int) -> None:
    """A process's start: reading `size` proposals from a database into the index
    (`ProposalIndex.warm`, before the first citizen's turn). DATABASE_URL or a SQLite file."""
    with tempfile.TemporaryDirectory() as directory:
        db = make_engine(fresh_database(directory))
        load(db, size, 0, 0)
        seconds = ProposalIndex().warm(db)
        print(f"start-up: {size:,} proposals read from {db.dialect.name} in {seconds:.1f} s")
        db.dispose()


def rss_mib() -> float:
    """This process's resident memory now (Linux)."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 2**20


def many_searches(size: int, searches: int, window: int = 1000) -> None:
    """One process's index over a long day: `size` proposals of the city's vocabulary in a
    database, then `searches` searches as turns run them (each with its catch-up query, in
    a transaction of its own), a new proposal filed every 10,000. Baseline: the first
    `window` searches of the same run. Goal: p95, postings (against an index built afresh
    from the same proposals) and memory flat within 5 %."""
    with tempfile.TemporaryDirectory() as directory:
        db = make_engine(fresh_database(directory))
        load(db, 0, 0, 0)  # the citizens who file them
        titles = generated(size, seed=11)
        with db.begin() as connection:
            for title in titles:
                proposals.submit(
                    connection, author_id=1, title=title, body="-", category="transport", dong=None
                )
        index = ProposalIndex()
        index.warm(db)
        queries = [q for _, qs in LABELLED for q in qs] + generated(200, seed=13)
        memory = rss_mib()
        first, last = [], []
        for n in range(searches):
            if n % 10_000 == 9_999:
                with db.begin() as connection:
                    proposals.submit(
                        connection,
                        author_id=1,
                        title=f"{n}번째 날 공원 벤치 새로 설치",
                        body="-",
                        category="transport",
                        dong=None,
                    )
            with db.connect() as connection:
                started = time.perf_counter()
                index.search(connection, queries[n % len(queries)])
                took = (time.perf_counter() - started) * 1000
            if n < window:
                first.append(took)
            elif n >= searches - window:
                last.append(took)
        fresh = ProposalIndex()
        fresh.warm(db)
        grown = rss_mib() - memory
        db.dispose()
    (_, p95_first), (_, p95_last) = percentiles(first), percentiles(last)
    print(f"after {searches:,} searches on one index of {size:,} ({db.dialect.name}):")
    print(f"  p95 first {window:,}: {p95_first:.2f} ms   last {window:,}: {p95_last:.2f} ms"
          f"   ratio {p95_last / p95_first:.2f}  (goal <= 1.05)")  # fmt: skip
    print(f"  postings: {index.index.postings():,}, an index built afresh: "
          f"{fresh.index.postings():,}  (goal: equal)")  # fmt: skip
    print(f"  memory: {grown:+.1f} MiB over the searches (an index built afresh beside it)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--searches", type=int, default=100_000)
    parser.add_argument("--search-size", type=int, default=10_000)
    parser.add_argument("--only-searches", action="store_true", help="just the long day")
    args = parser.parse_args()
    if args.only_searches:
        many_searches(args.search_size, args.searches)
        return
    titles = generated(args.size - len(LABELLED))
    targets = {}
    for proposal, _ in LABELLED:
        targets[proposal] = len(titles)
        titles.append(proposal)
    start = time.perf_counter()
    index = SimilarIndex()
    index.add_all(enumerate(titles))
    print(f"index: {len(index)} proposals, built in {time.perf_counter() - start:.1f} s")
    seen = LABELLED + EARLIER_HELD_OUT
    queries = sum(len(q) for _, q in seen)
    print(f"lookups: {queries} queries for {len(seen)} proposals; found = in the top 3")

    folded = [title.casefold() for title in titles]

    def full_scan(query: str) -> list[int]:
        found = process.extract(query.casefold(), folded, scorer=fuzz.WRatio, limit=3)
        return [slot for _, _, slot in found]

    baseline, baseline_recall = lookups(full_scan, targets, seen)
    ours, recall = lookups(index.search, targets, seen)
    (b50, b95), (o50, o95) = percentiles(baseline), percentiles(ours)
    print(f"{'':26} {'p50 ms':>8} {'p95 ms':>8} {'recall':>7}")
    print(f"{'baseline: full-scan WRatio':26} {b50:8.1f} {b95:8.1f} {baseline_recall:7.2f}")
    print(f"{'index (prefilter + terms)':26} {o50:8.1f} {o95:8.1f} {recall:7.2f}")
    print(f"speed-up: p50 {b50 / o50:.0f}x, p95 {b95 / o95:.0f}x  (goal >= 20x, p95 <= 50 ms)")
    for half in ("tune", "held"):
        best, best_f1, shipped_f1 = pair_f1(half)
        print(
            f"pair set, {half} half: best threshold {best:.1f} F1 {best_f1:.3f}; shipped cutoff "
            f"{CUTOFF:.0f} F1 {shipped_f1:.3f}  (goal >= 0.96, within 0.01 of the best)"
        )
    start_up(args.size)
    many_searches(args.search_size, args.searches)
    if HELD_OUT_PAIRS:
        same = sum(similarity(a, b) >= CUTOFF for a, b in HELD_OUT_PAIRS)
        print(
            f"held-out paraphrases: {same} of {len(HELD_OUT_PAIRS)} read as the same "
            f"(recall {same / len(HELD_OUT_PAIRS):.2f}, goal >= 0.9)"
        )


if __name__ == "__main__":
    main()
