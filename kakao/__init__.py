"""The KakaoTalk channel: a skill server for Kakao i Open Builder, beside `bot/` over the
same engine and runtime."""
