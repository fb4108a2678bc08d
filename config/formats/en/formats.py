"""English dates written one way everywhere, day first and unambiguous: "14 Nov 2026". Django's own
English formats put the month first ("11/14/2026", "Nov. 14, 2026"), which readers in Morocco,
francophone Africa and Europe read the other way round. French keeps Django's ("14 novembre 2026",
"14/11/2026")."""

DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y H:i"
TIME_FORMAT = "H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
FIRST_DAY_OF_WEEK = 1  # Monday
