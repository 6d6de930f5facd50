"""Joint census fit (raking) and balanced, prefix-stable sampling of persona cores."""
