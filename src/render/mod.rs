//! Output for people and machines: per-pass diffs, check lines, JSON Lines, rule lists.
