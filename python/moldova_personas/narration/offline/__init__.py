"""The offline narrator: a template writer of Romanian narratives behind litellm's CustomLLM interface."""
