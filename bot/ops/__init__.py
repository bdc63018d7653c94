"""Running the bot for a district: is it well, and what is it doing.

- `job_watch`: each timed job (outbox, notices, check-ins, retention, weekly chart, the
  watchdog) records when it last finished; a job that has not finished for a few of its
  intervals is late.
- `health`: the answers of `/healthz` (late timed jobs, a database that does not answer) and
  `/readyz` (start-up done: catalog loaded, migrations checked, the application started).
- `watchdog`: staff of every district are told, through the outbox, when check-ins have
  stalled, and again when they go out again.
- `metrics`: figures for a monitoring system (`/metrics`, Prometheus' text format): backlogs
  counted in the database when scraped, and the process's own counts. No label ever names a
  person or a chat.

A domain package: it reads the store and queues outbox messages like the other domain
services, and knows no messenger; the adapters serve its answers over HTTP
(`bot.adapters.health_http`, `bot.adapters.webhook`).
"""
