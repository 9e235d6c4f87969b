"""Scrapy settings for the budgetwatch crawl.

Government portals are shared public infrastructure and we revisit them
nightly, so the defaults are deliberately slow and identifiable; a profile may
only adjust the politeness knobs listed in ``spiders.profile.PROFILE_SETTINGS``.
"""

BOT_NAME = "budgetwatch"

SPIDER_MODULES = ["spiders.sites"]
NEWSPIDER_MODULE = "spiders.sites"

# Name the project and a contact so a portal's operators can reach us instead
# of blocking an anonymous client.
USER_AGENT = "budgetwatch/0.1 (+https://github.com/budgetwatch; fiscal-oversight research)"

ROBOTSTXT_OBEY = True

CONCURRENT_REQUESTS = 8
CONCURRENT_REQUESTS_PER_DOMAIN = 2
# Scrapy randomises each delay (0.5x-1.5x) so requests do not arrive in lockstep.
DOWNLOAD_DELAY = 1.0
DOWNLOAD_TIMEOUT = 60

# AutoThrottle backs off when a portal slows down (they often run on one small
# server); it never goes below DOWNLOAD_DELAY.
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 2.0
AUTOTHROTTLE_MAX_DELAY = 60.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0

# A budget PDF is 1-10 MB; anything far beyond that is not a disclosure and
# must not fill the disk. Warn early so odd files show up in the log.
DOWNLOAD_MAXSIZE = 64 * 1024 * 1024
DOWNLOAD_WARNSIZE = 16 * 1024 * 1024

RETRY_ENABLED = True
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]

# Cookies are never needed for public disclosures and only make runs differ.
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
LOGSTATS_INTERVAL = 30.0

EXTENSIONS = {
    "spiders.extensions.StatsDump": 500,
}
# spiders.run sets this per crawl; empty means "do not dump".
BUDGETWATCH_STATS_FILE = ""
