"""Per-site spiders. Each is a thin subclass of ProfileSpider naming its profile;
`profile` crawls any profile given with ``-a profile=NAME_OR_PATH``."""
