"""The action server in one process: `python -m actions.server --port 5055`.

`python -m rasa_sdk` serves through Sanic's worker manager, a main process that forks a worker.
Killing the main process leaves the worker holding the port (a restart fails with "address
already in use"); killing the worker leaves an open port that never answers, so Rasa waits
for its action timeout and the supervisor sees nothing wrong. One process has neither failure:
it answers, or it is gone and its port with it, and `/health` is served by the same event loop
that runs the actions.
"""

from __future__ import annotations

import argparse
import logging
import logging.config
import os

import yaml
from rasa_sdk.endpoint import create_app
from rasa_sdk.executor import ActionExecutor


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m actions.server", description=__doc__)
    parser.add_argument("--port", type=int, default=5055)
    parser.add_argument("--host", default=os.environ.get("SANIC_HOST", "0.0.0.0"))
    parser.add_argument("--logging-config-file", help="a logging.yml to apply (dictConfig)")
    args = parser.parse_args(argv)
    if args.logging_config_file:
        with open(args.logging_config_file, encoding="utf-8") as config:
            logging.config.dictConfig(yaml.safe_load(config))
    else:
        logging.basicConfig(
            level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s"
        )
    executor = ActionExecutor()
    executor.register_package("actions")
    app = create_app(executor)
    app.run(host=args.host, port=args.port, single_process=True, access_log=False, motd=False)


if __name__ == "__main__":
    main()
