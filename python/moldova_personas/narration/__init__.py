"""Narration stage: settings, prompts, planning, the litellm gateway, validators, the response store and
attempt log, and the runtime that narrates persona cores. The offline narrator is a sub-package."""
