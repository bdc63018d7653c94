"""The conversation: what the bot says and does, written once for every messenger.

Adapters (Telegram, the terminal) turn their input into `Incoming` and send the `Outgoing`
replies; nothing in this package imports `telegram`.
"""
