"""Reading meeting reports in processes of their own (see ``reader``)."""
