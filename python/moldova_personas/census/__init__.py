"""Census stage: input checks, census inputs, the joint fit (raking), the balanced sampler, fit statistics."""
