"""Telegram without a public URL: long polling that feeds the local Rasa server's webhook.

For development: `make telegram-polling` (with TELEGRAM_BOT_TOKEN and TELEGRAM_SECRET_TOKEN
set and TELEGRAM_WEBHOOK_URL empty) while `make run` is running. It removes any webhook (Telegram
allows only one way of delivery), fetches updates with getUpdates and posts each one, with the
secret header, to the same webhook Telegram would call — so polling and webhook mode run exactly
the same code.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os

import httpx
from telegram import Bot
from telegram.error import NetworkError, RetryAfter

from connectors.telegram import DEFAULT_API_BASE_URL, SECRET_HEADER

log = logging.getLogger(__name__)


async def poll(bot: Bot, webhook: str, secret: str, rounds: int | None = None) -> None:
    """Forward updates until stopped (or for `rounds` getUpdates calls, in tests)."""
    await bot.initialize()
    await bot.delete_webhook()
    offset: int | None = None
    done = 0
    async with httpx.AsyncClient(timeout=60) as client:
        while rounds is None or done < rounds:
            done += 1
            try:
                updates = await bot.get_updates(
                    offset=offset, timeout=30, allowed_updates=["message", "callback_query"]
                )
            except RetryAfter as exc:
                await asyncio.sleep(float(getattr(exc, "retry_after", 5) or 5))
                continue
            except NetworkError:
                log.warning("Telegram unreachable; retrying", exc_info=True)
                await asyncio.sleep(5)
                continue
            for update in updates:
                response = await client.post(
                    webhook, json=update.to_dict(), headers={SECRET_HEADER: secret}
                )
                if response.status_code != 200:
                    log.error(
                        "webhook answered %s to update %s", response.status_code, update.update_id
                    )
                offset = update.update_id + 1


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rounds", type=int, help="stop after this many getUpdates calls")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    token = os.environ.get("TELEGRAM_BOT_TOKEN", "")
    secret = os.environ.get("TELEGRAM_SECRET_TOKEN", "")
    if not token or not secret:
        raise SystemExit("set TELEGRAM_BOT_TOKEN and TELEGRAM_SECRET_TOKEN (see README)")
    base = (os.environ.get("TELEGRAM_API_BASE_URL") or DEFAULT_API_BASE_URL).rstrip("/")
    # The same variables as the rest of the stack: FAQ_RASA_URL, else the local RASA_PORT.
    rasa = (
        os.environ.get("FAQ_RASA_URL") or f"http://127.0.0.1:{os.environ.get('RASA_PORT', '5005')}"
    )
    bot = Bot(token, base_url=f"{base}/bot", base_file_url=f"{base}/file/bot")
    log.info("polling Telegram, forwarding to %s", rasa)
    asyncio.run(poll(bot, f"{rasa}/webhooks/telegram/webhook", secret, args.rounds))


if __name__ == "__main__":
    main()
