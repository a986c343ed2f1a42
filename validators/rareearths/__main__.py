from rareearths.cli import app

app()
