"""Recommendations: candidate models, rules, blending, surfaces and experiments.

What the edges call: `shopmind.recommend.service.RecommendService` (home feed, similar,
bought together, complete the cart, because you viewed; ``RecommendService.open`` loads the
promoted recommender) and the experiment functions beside it; `shopmind.recommend.trained`
trains and publishes the recommender. Models (`knn`, `factors`, `sasrec`, `popularity`,
`blend`) stay importable on their own, without the store, for the benchmarks.
"""
