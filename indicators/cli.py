"""`python -m indicators`: evaluate, list, show, validate, recommend.

Exit codes: 0 success; 2 bad input (every problem on stderr, one per line, each naming its
key; nothing on stdout); 1 an unexpected internal error (a message, never a traceback).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from indicators.evaluation.engine import evaluate
from indicators.framework.loader import (
    list_frameworks,
    load_framework,
    load_framework_data,
)
from indicators.framework.model import Framework
from indicators.problems import InvalidFramework, InvalidInput

EXIT_OK, EXIT_ERROR, EXIT_BAD_INPUT = 0, 1, 2


class _Usage(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # argparse would exit; keep control here
        raise _Usage(message)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="python -m indicators", description="ChainGauge indicators (链衡)")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    ev = sub.add_parser("evaluate", help="evaluate an input document (JSON); - reads stdin")
    ev.add_argument("file")
    ev.add_argument("--framework", help="framework id or YAML file (e.g. a derived framework)")
    ev.add_argument("--cohorts", help="JSON file: indicator code -> list of peer values")
    ev.add_argument("--trace", action="store_true", help="add the explanation trace")
    ev.add_argument("--what-if", action="store_true", help="add what-if gains")
    ls = sub.add_parser("list", help="frameworks and indicators")
    ls.add_argument("--framework")
    ls.add_argument("--lang", choices=("zh", "en"), default="zh")
    sh = sub.add_parser("show", help="one indicator: definition, formula, bands, levels")
    sh.add_argument("code")
    sh.add_argument("--framework")
    sh.add_argument("--lang", choices=("zh", "en"), default="zh")
    va = sub.add_parser("validate", help="check a framework file")
    va.add_argument("file")
    re = sub.add_parser("recommend", help="evaluate FILE and recommend measures")
    re.add_argument("file")
    re.add_argument("--industry", required=True, help="industry code, e.g. C36")
    re.add_argument("--framework")
    re.add_argument("--limit", type=int, default=10)
    re.add_argument("--lang", choices=("zh", "en"), default="zh")
    return parser


# Integers longer than this are far beyond MAX_NUMBER anyway; Python refuses to convert
# strings of more than 4,300 digits, so they are read as a stand-in the validation refuses by
# name ("too large to compute with") instead of failing inside the JSON parser.
_MAX_INT_DIGITS = 400


def _parse_int(text: str) -> int:
    digits = len(text) - text.startswith("-")
    if digits > _MAX_INT_DIGITS:
        return (-1 if text.startswith("-") else 1) * 10**_MAX_INT_DIGITS
    return int(text)


def _read_json(name: str, stdin: TextIO) -> Any:
    try:
        text = stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise _Usage(f"{name}: cannot be read: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        return json.loads(text, parse_int=_parse_int)
    except json.JSONDecodeError as exc:
        raise _Usage(
            f"{name}: not valid JSON (line {exc.lineno}, column {exc.colno}): {exc.msg}"
        ) from None
    except RecursionError:
        raise _Usage(f"{name}: (document): nested too deeply to read") from None


def _framework(name: str | None) -> Framework | None:
    return None if name is None else load_framework(name)


def _safe(text: str) -> str:
    """Text any UTF-8 stream can take: a lone surrogate from the input becomes an escape."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")


def _dump(data: Any, out: TextIO) -> None:
    out.write(_safe(json.dumps(data, ensure_ascii=False, indent=2)) + "\n")


def main(argv: list[str] | None = None, stdin: TextIO | None = None,
         stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    try:
        args = _parser().parse_args(argv)
        return _run(args, stdin, stdout)
    except _Usage as exc:
        stderr.write(_safe(f"error: {exc}\n"))
        return EXIT_BAD_INPUT
    except InvalidInput as exc:
        for p in exc.problems:
            # One problem per line, even when a key holds a line break or control character.
            line = str(p) if p.key.isprintable() else f"{json.dumps(p.key)[1:-1]}: " + str(
                p
            )[len(p.key) + 2:]
            stderr.write(_safe(f"{line}\n"))
        return EXIT_BAD_INPUT
    except InvalidFramework as exc:
        stderr.write(_safe(f"framework {exc.path}:\n"))
        for line in exc.problems:
            stderr.write(_safe(f"  {line}\n"))
        return EXIT_BAD_INPUT
    except SystemExit as exc:  # --help
        return int(exc.code or 0)
    except Exception as exc:  # never a traceback on the command line
        stderr.write(_safe(f"internal error: {type(exc).__name__}: {exc}\n"))
        return EXIT_ERROR


def _run(args: argparse.Namespace, stdin: TextIO, out: TextIO) -> int:
    if args.command == "evaluate":
        document = _read_json(args.file, stdin)
        cohorts = _read_json(args.cohorts, stdin) if args.cohorts else None
        result = evaluate(document, framework=_framework(args.framework), cohorts=cohorts)
        data = result.to_contract()
        if args.trace:
            data["trace"] = result.trace
        if args.what_if:
            data["what_if"] = result.what_if()
        _dump(data, out)
        return EXIT_OK
    if args.command == "list":
        return _list(args, out)
    if args.command == "show":
        return _show(args, out)
    if args.command == "validate":
        data = load_framework_data(Path(args.file))
        out.write(f"ok: {data['id']} {data['version']}\n")
        return EXIT_OK
    document = _read_json(args.file, stdin)
    result = evaluate(document, framework=_framework(args.framework))
    from indicators.recommendations import recommend  # the catalogue module, loaded on use

    items = recommend(result, args.industry, limit=args.limit)
    _dump([item.as_dict() for item in items], out)
    return EXIT_OK


def _list(args: argparse.Namespace, out: TextIO) -> int:
    en = args.lang == "en"
    for entry in list_frameworks():
        name = entry["name_en"] if en else entry["name_zh"]
        base = f" (base {entry['base']})" if entry["base"] else ""
        out.write(f"{entry['id']} {entry['version']}{base}  {name}\n")
    fw = load_framework(args.framework)
    out.write(f"\n{fw.id} {fw.version}:\n")
    for dim in fw.dimensions:
        out.write(f"{dim.code}  {dim.name_en if en else dim.name_zh}  (weight {dim.weight:g})\n")
        for ind in dim.indicators:
            off = "" if ind.applicable else "  [off]"
            name = ind.name_en if en else ind.name_zh
            out.write(f"  {ind.code}  {name}  [{ind.unit}]{off}\n")
    return EXIT_OK


def _show(args: argparse.Namespace, out: TextIO) -> int:
    fw = load_framework(args.framework)
    indicators = fw.indicators
    if args.code not in indicators:
        raise _Usage(f"{args.code}: unknown indicator code in {fw.id} {fw.version}")
    ind = indicators[args.code]
    en = args.lang == "en"
    allowed = 0
    if ind.formula.kind == "count_share":
        allowed = len(fw.inputs[str(ind.formula.input)].allowed)
    lines = [
        f"{ind.code}  {ind.name_en if en else ind.name_zh}",
        f"{'framework' if en else '框架'}: {fw.id} {fw.version}",
        f"{'definition' if en else '指标解释'}: {ind.explanation_en if en else ind.explanation_zh}",
        f"{'source' if en else '出处'}: seed lines {ind.source_lines[0]}-{ind.source_lines[1]}",
        f"{'formula' if en else '公式'}: {ind.formula.describe(ind.code, allowed)}",
        f"{'unit' if en else '单位'}: {ind.unit}",
        f"{'better' if en else '方向'}: {ind.direction}"
        + (f" {ind.target:g}" if ind.target is not None else ""),
        f"{'weight' if en else '权重'}: {ind.weight:g}",
        f"{'measures' if en else '提升举措'}: {', '.join(str(m) for m in ind.measures)}",
    ]
    for name in ind.formula.inputs_used(ind.code):
        spec = fw.inputs.get(name)
        if spec is not None:
            label = spec.name_en if en else spec.name_zh
            rule = f" ≤ {spec.max_input}" if spec.max_input else ""
            lines.append(f"  input {name}: {spec.type} {spec.unit} {label}{rule}".rstrip())
    if ind.qualitative:
        for level, text in sorted(ind.level_descriptors.items()):
            lines.append(f"  {level} {fw.level_name(level, args.lang)}: {text[args.lang]}")
    else:
        bands = ", ".join(f"{v:g}→{s:g}" for v, s in ind.bands)
        lines.append(f"{'bands' if en else '评分刻度'}: {bands}")
        lines.append(f"{'rationale' if en else '依据'}: {ind.rationale}")
        if ind.relative:
            lines.append("relative: scored by percentile within an industry cohort when given")
    out.write("\n".join(lines) + "\n")
    return EXIT_OK
