"""Arabic dates as CLDR writes them for Morocco (ar-MA): "3 دجنبر 2026", "3‏/12‏/2026" (the marks
keep the short date's parts in order inside right-to-left text), 24-hour times. Django's own Arabic
formats follow the Middle East ("3 ديسمبر، 2026", "3:00 م"); the month names of Morocco (يناير … ماي،
يوليوز، غشت، شتنبر، نونبر، دجنبر) come from our catalogue (core/formatting.py, MONTHS)."""

DATE_FORMAT = "j F Y"
SHORT_DATE_FORMAT = "j\u200f/n\u200f/Y"
DATETIME_FORMAT = "j F Y H:i"
SHORT_DATETIME_FORMAT = "j\u200f/n\u200f/Y H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 1  # Monday
DECIMAL_SEPARATOR = ","
THOUSAND_SEPARATOR = "."
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%Y-%m-%d"]
DATETIME_INPUT_FORMATS = ["%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M"]
