"""Recommendations: candidate models, rules, blending, surfaces and experiments."""
