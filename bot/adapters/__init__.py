"""Messengers and terminals: each turns its input into the conversation's `Incoming` and sends its `Reply` back."""
