import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "spark: runs the features on PySpark in local mode (needs Java 17)"
    )
