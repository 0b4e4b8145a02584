"""Option lists shared by several flows and by staff screens: age bands, interests (the city's
policy areas), the reasons a citizen gives for a report."""

from conversations.model import Option

AGE_BANDS = tuple(
    Option(value, f"age.{value}") for value in ("u19", "20s", "30s", "40s", "50s", "60s", "70plus")
)
INTERESTS = tuple(
    Option(value, f"interest.{value}")
    for value in (
        "transport",
        "environment",
        "welfare",
        "safety",
        "culture",
        "education",
        "economy",
        "housing",
        "health",
    )
)
LANGUAGES = (Option("ko", "language.ko"), Option("en", "language.en"))
EASY_MODE = (Option("on", "easy_mode.on"), Option("off", "easy_mode.off"))
PRIVACY = (Option("agree", "privacy.agree"), Option("refuse", "privacy.refuse"))
REPORT_REASONS = tuple(
    Option(value, f"report.reason.{value}")
    for value in ("abuse", "personal", "advert", "false", "other")
)
