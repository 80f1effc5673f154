"""Model layer: embedders, LLM clients, text-classifier training and the model registry."""
