"""Product search: analyzer, lexical (BM25) and vector retrieval, fusion, query understanding."""
