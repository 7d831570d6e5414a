"""A clock tests move by hand, for the parts that take `clock=`."""


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now
