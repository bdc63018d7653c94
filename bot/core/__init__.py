"""What every layer shares: settings, logging, the conversation's messages, texts and buttons."""
