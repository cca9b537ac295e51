"""Reading news reports: fetching them (fetch), their text and metadata (article), and the
statements, speakers and rebuttals they hold (extract). Plain Python with no database access, so
the API, the admin and the management command can all call it with plain data."""
