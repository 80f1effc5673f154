"""Review analytics: sentiment, aspect sentiment, needs mining and summaries."""
