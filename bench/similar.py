"""Similar-proposal lookup at 100,000 proposals: p50/p95 latency and recall, per scorer.

The index holds 100,000 generated proposal titles plus 40 hand-written ones. Each of the
hand-written ones has queries a citizen might type for the same idea: reworded, reordered,
respaced, with typos inside syllables. A query counts as found when its proposal is among
the 3 shown. Goal: p95 <= 50 ms with recall >= 0.9.

    python bench/similar.py [--size 100000]
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rapidfuzz import fuzz

import conversations.similar as similar
from conversations.similar import SimilarIndex

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
# Written after the key was tuned on LABELLED and measured once, untouched since: the honest
# figure for wording the tuning never saw.
HELD_OUT = [
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
SCORERS = {
    "ratio": fuzz.ratio,
    "token_sort_ratio": fuzz.token_sort_ratio,
    "token_set_ratio": fuzz.token_set_ratio,
    "WRatio": fuzz.WRatio,
}


def generated(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    return [
        f"{rng.choice(DONGS)}동 {rng.choice(PLACES)} {rng.choice(THINGS)} {rng.choice(ASKS)}"
        for _ in range(count)
    ]


def measure(
    index: SimilarIndex, targets: dict[str, int], labelled: list[tuple[str, list[str]]]
) -> tuple[float, float, float]:
    latencies, found, total = [], 0, 0
    for proposal, queries in labelled:
        for query in queries:
            start = time.perf_counter()
            result = index.search(query)
            latencies.append((time.perf_counter() - start) * 1000)
            found += targets[proposal] in result
            total += 1
    ordered = sorted(latencies)
    return statistics.median(ordered), ordered[int(0.95 * (len(ordered) - 1))], found / total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=100_000)
    args = parser.parse_args()
    start = time.perf_counter()
    index = SimilarIndex()
    index.add_all(enumerate(generated(args.size - len(LABELLED))))
    targets = {}
    for offset, (proposal, _) in enumerate(LABELLED):
        targets[proposal] = args.size + offset
        index.add(targets[proposal], proposal)
    print(f"index: {len(index)} proposals, built in {time.perf_counter() - start:.1f} s")
    queries = sum(len(q) for _, q in LABELLED)
    print(f"labelled: {len(LABELLED)} proposals, {queries} queries; found = in the top 3")
    print(f"{'scorer':18} {'p50 ms':>8} {'p95 ms':>8} {'recall':>7}")
    chosen = similar.SCORER
    for name, scorer in SCORERS.items():
        similar.SCORER = scorer
        p50, p95, recall = measure(index, targets, LABELLED)
        mark = "  <- used" if scorer is chosen else ""
        print(f"{name:18} {p50:8.1f} {p95:8.1f} {recall:7.2f}{mark}")
    similar.SCORER = chosen
    held = sum(len(q) for _, q in HELD_OUT)
    p50, p95, recall = measure(index, targets, HELD_OUT)
    print(
        f"held-out ({held} queries, scorer used): p50 {p50:.1f} ms, p95 {p95:.1f} ms, "
        f"recall {recall:.2f}"
    )


if __name__ == "__main__":
    main()
