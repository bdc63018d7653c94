"""Messages to people other than the one chatting: the outbox, its sender, and the bot's shared send rate."""
