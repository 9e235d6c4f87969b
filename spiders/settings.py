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
# A deployment sets BUDGETWATCH_CONTACT to its operator's e-mail or page.
from flows.settings import crawl_contact as _contact  # noqa: E402  (beside the setting it serves)

BUDGETWATCH_CONTACT = _contact()
USER_AGENT = f"budgetwatch/0.1 (+{BUDGETWATCH_CONTACT}; fiscal-oversight research)"

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

# At most 3 tries per request. 429/503 wait for Retry-After (a longer one than
# BUDGETWATCH_RETRY_AFTER_MAX is not retried this run rather than retried
# early); other retries back off exponentially (base * 2**(n-1) seconds).
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
BUDGETWATCH_RETRY_AFTER_MAX = 300.0
BUDGETWATCH_RETRY_BACKOFF_BASE = 2.0
BUDGETWATCH_RETRY_BACKOFF_MAX = 120.0
# This many 403/429 in a row, or one captcha page, stop the site (partial run).
BUDGETWATCH_BLOCK_BURST = 5

# See spiders/guards.py for why each sits where it does.
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
    "spiders.guards.AllowListMiddleware": 50,
    "scrapy.downloadermiddlewares.robotstxt.RobotsTxtMiddleware": None,
    "spiders.guards.SafeRobotsTxtMiddleware": 100,
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "spiders.guards.BackoffRetryMiddleware": 550,
    "spiders.guards.BlockDetectorMiddleware": 560,
    "spiders.guards.OffsiteRedirectMiddleware": 610,
}
# http(s) only, checked once more right before sending (spiders/handlers.py).
DOWNLOAD_HANDLERS = {
    "http": "spiders.handlers.GuardedHTTPDownloadHandler",
    "https": "spiders.handlers.GuardedHTTPDownloadHandler",
    "file": None, "data": None, "s3": None, "ftp": None,
}
# A CMS moves a page once or twice (http -> https, old column -> new); more
# hops than RFC 9309 allows for robots.txt is a loop or a trap.
REDIRECT_MAX_TIMES = 5
# A truncated body (fewer bytes than Content-Length) is an error, never a file.
DOWNLOAD_FAIL_ON_DATALOSS = True

# Cookies are never needed for public disclosures and only make runs differ.
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
# Scrapy's remote-control HTTP endpoint listens on a port and runs commands;
# a nightly crawler has no use for it.
REMOTE_CONTROL_ENABLED = False

FEED_EXPORT_ENCODING = "utf-8"
LOG_LEVEL = "INFO"
LOGSTATS_INTERVAL = 30.0

EXTENSIONS = {
    "spiders.extensions.StatsDump": 500,
    # Same policy, but a 304 may let the delay settle (spiders/throttle.py).
    "scrapy.extensions.throttle.AutoThrottle": None,
    "spiders.throttle.NotModifiedAwareAutoThrottle": 0,
}
# spiders.run sets this per crawl; empty means "do not dump".
BUDGETWATCH_STATS_FILE = ""
