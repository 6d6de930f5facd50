"""Offline narration: planning (openings, constraints, anchors, cues) and the template narrator."""
