from reco_service.core_client import CorePost, TagPosts
from reco_service.ranking import RankedItem, merge, similar_by_tags


def lookup(tag: str, *posts: tuple[str, set[str] | None]) -> TagPosts:
    return TagPosts(
        tag, tuple(CorePost(pid, frozenset(t) if t is not None else None) for pid, t in posts), True
    )


def test_similar_score_is_the_share_of_context_tags_a_post_carries() -> None:
    scored = similar_by_tags(
        ["go", "rust", "db"],
        [
            lookup("go", ("p1", {"go", "rust", "db"}), ("p2", {"go"})),
            lookup("rust", ("p1", {"go", "rust", "db"}), ("p3", None)),
            lookup("db", ("p1", {"go", "rust", "db"})),
        ],
    )
    assert scored == [("p1", 1.0), ("p2", 1 / 3), ("p3", 1 / 3)]


def test_a_post_without_listed_tags_counts_the_tags_that_returned_it() -> None:
    scored = similar_by_tags(["a", "b"], [lookup("a", ("p", None)), lookup("b", ("p", None))])
    assert scored == [("p", 1.0)]


def test_no_context_tags_means_no_similar_posts() -> None:
    assert similar_by_tags([], [lookup("a", ("p", None))]) == []


def test_merge_puts_similar_first_then_24h_then_72h() -> None:
    items = merge([("s1", 1.0)], [("t1", 9)], [("t2", 20)], set(), 10)
    assert items == [
        RankedItem("s1", 1.0, "similar_by_tags"),
        RankedItem("t1", 9.0, "trending_views_24h"),
        RankedItem("t2", 20.0, "trending_views_72h"),
    ]


def test_merge_never_repeats_a_post_and_keeps_its_first_reason() -> None:
    items = merge([("p", 0.5)], [("p", 9), ("q", 3)], [("q", 4), ("r", 1)], set(), 10)
    assert [(i.post_id, i.reason) for i in items] == [
        ("p", "similar_by_tags"),
        ("q", "trending_views_24h"),
        ("r", "trending_views_72h"),
    ]


def test_merge_skips_excluded_posts_and_stops_at_the_limit() -> None:
    items = merge([("a", 1.0), ("b", 1.0)], [("c", 5), ("d", 4)], [("e", 9)], {"b", "c"}, 2)
    assert [i.post_id for i in items] == ["a", "d"]
