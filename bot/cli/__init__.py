"""The `ddokddok` command: the bot, staff and provider tools, reports and benchmarks from a shell."""
