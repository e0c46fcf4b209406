"""Reading a meeting report into proposals a coordinator confirms (``report.read_report``): its words and
sentences, dates, session numbers, kinds of meeting, places and parties, each in a module of its own."""
