"""The `tanyakota` command line (also `python -m bot`).

Commands import their modules lazily, so `tanyakota ask` does not pay for the web server,
the database or python-telegram-bot at start-up.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="tanyakota", description="Tanya Kota: citizen chatbot for city governments")
    p.add_argument("-v", "--verbose", action="store_true", help="log debug messages")
    sub = p.add_subparsers(dest="command", required=True)

    sub.add_parser("serve", help="run the web server, web chat, admin page and enabled channels")
    sub.add_parser("chat", help="talk to the bot in this terminal")

    for name, what in (("ask", "answer questions"), ("route", "route complaints")):
        q = sub.add_parser(name, help=f"{what}: JSON lines {{\"text\": ...}} on stdin, JSON lines out")
        q.add_argument("--kb", help="knowledge-base folder (default: the shipped Padang KB)")

    kb = sub.add_parser("kb", help="validate, import or export a knowledge-base folder")
    kb_sub = kb.add_subparsers(dest="kb_command", required=True)
    for name, what in (("validate", "check a folder and print every problem"),
                       ("import", "load a folder into the database"),
                       ("export", "write the database's knowledge base to a folder")):
        k = kb_sub.add_parser(name, help=what)
        k.add_argument("dir")

    users = sub.add_parser("users", help="manage admin accounts")
    users_sub = users.add_subparsers(dest="users_command", required=True)
    add = users_sub.add_parser("add", help="create an admin account; the password is read from stdin")
    add.add_argument("name")
    add.add_argument("--role", choices=("opd", "kominfo"), required=True)
    add.add_argument("--opd", help="OPD slug (role opd)")

    complaints = sub.add_parser("complaints", help="operate on complaints")
    c_sub = complaints.add_subparsers(dest="complaints_command", required=True)
    st = c_sub.add_parser("set-status", help="change a complaint's status and tell the resident")
    st.add_argument("ticket")
    st.add_argument("status", choices=("baru", "diterima", "diproses", "selesai", "ditolak", "dialihkan"))
    st.add_argument("--note", default="")
    st.add_argument("--opd", help="new OPD slug (status dialihkan)")

    opd = sub.add_parser("opd", help="OPD settings")
    opd_sub = opd.add_subparsers(dest="opd_command", required=True)
    tg = opd_sub.add_parser("set-telegram-group", help="post this OPD's new complaints to a Telegram group")
    tg.add_argument("slug")
    tg.add_argument("chat_id")

    sub.add_parser("eval", help="run the matcher and router evaluation (same as part of `make bench`)")
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    if not args.verbose:
        # Migrations log every plugin and step at INFO: noise in an operator's terminal.
        logging.getLogger("alembic").setLevel(logging.WARNING)
    if args.command in ("ask", "route"):
        from bot import cli_knowledge

        try:
            return cli_knowledge.ask_or_route(args.command, args.kb, sys.stdin, sys.stdout)
        except BrokenPipeError:  # the reader stopped early (`tanyakota ask < q.jsonl | head`): no traceback
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # Python's own recipe
            return 1
    if args.command == "kb" and args.kb_command == "validate":
        from bot import cli_knowledge

        return cli_knowledge.validate(args.dir, sys.stdout)
    if args.command == "eval":
        from bench import evaluate

        return evaluate.main([])

    from bot import cli_admin
    from bot.settings import Settings, SettingsError

    try:
        settings = Settings.from_env(os.environ)
    except SettingsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return cli_admin.run(args, settings)


if __name__ == "__main__":
    sys.exit(main())
