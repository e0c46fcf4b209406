"""What is read: lists now or as of an instant (queries, cursors), histories and timelines, figures and roll-ups,
exports and calendar feeds."""
