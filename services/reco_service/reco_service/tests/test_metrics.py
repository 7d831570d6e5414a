from reco_service.metrics import MAX_FEED_TYPE_LABELS, feed_type_label


def test_feed_type_metric_labels_are_bounded() -> None:
    assert feed_type_label("") == "unspecified"
    assert feed_type_label("Home Feed!") == "other"
    labels = {feed_type_label(f"feed_{n}") for n in range(MAX_FEED_TYPE_LABELS * 2)}
    assert "other" in labels
    assert len(labels) <= MAX_FEED_TYPE_LABELS + 1
