"""The district office's board: a web page for staff, beside the chat.

Staff work at a desk with dozens of residents each; in the chat they see one message at a time.
The board shows a district's day at once: today's check-ins (who to call now), the request queue,
notices and their progress, and the statistics, with the chat's own actions behind its buttons.
Server-rendered HTML (Jinja2 templates) on Starlette, one small script for the live parts; it
runs on its own port (`ddokddok board`) or mounted inside `ddokddok serve` (`board_mount`).

Staff log in without a password, through a one-time link the bot sends on /board
(`bot.people.board_access`); pages are `bot.board.pages`, the guard and headers `bot.board.app`,
cookies and CSRF `bot.board.auth`.
"""

from bot.board.app import board_mount, board_routes, build_board_app

__all__ = ["board_mount", "board_routes", "build_board_app"]
