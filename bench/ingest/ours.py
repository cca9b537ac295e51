"""The adapter that plugs the service's extractor (ingest.extract) into score.py:

python bench/ingest/score.py --extractor bench.ingest.ours:extract
"""

from ingest.extract import extract_statements


def extract(text: str, language: str, published_on=None, title=None, outlet=None) -> dict:
    return extract_statements(text, language, published_on=published_on).as_dict()
