from spiders.base import ProfileSpider


class AnyProfileSpider(ProfileSpider):
    """`scrapy crawl profile -a profile=NAME_OR_PATH`: any site, from data alone."""

    name = "profile"
