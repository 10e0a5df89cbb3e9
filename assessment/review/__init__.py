"""Review: comments per indicator, return or finalise, by the enterprise or a linked reviewer."""
