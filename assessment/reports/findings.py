"""Written findings: a paragraph per dimension and one for the whole, generated from the
evaluation (pure: no Flask, no database, no request).

Every sentence is a :class:`Sentence`: its text and the keys of the figures it states, so a
test can check that each claim rests on a figure the evaluation holds. A key is
``"<kind>:<code>"`` where ``code`` is ``overall``, a dimension or an indicator code and
``kind`` is one of

- ``score``: the enterprise's score (``results``);
- ``coverage``: the share of a dimension's (or the index's) weight that was scored;
- ``percentile``: its percentile rank in the cohort (the benchmark position);
- ``median``: the cohort's median score (the benchmark statistics);
- ``previous``: last year's score (the previous finalised revision).

:func:`figure_values` lists every key an evaluation holds with its value. The wording varies
with the data (which indicators lead or lag, how far from the cohort and by how much the
score moved, how even the profile is), and every sentence states at least one of the
enterprise's own figures: two enterprises with different figures never read the same text.
Both languages are written here, side by side, rather than through the message catalogue:
the sentences are assembled from data-dependent parts that a catalogue entry cannot hold.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from assessment.reports import formatting as fmt

LEADING = 80.0  # a score at the top level (5) of the framework's bands
STRONG = 70.0
WEAK = 45.0
LOW_COVERAGE = 0.6


@dataclass(frozen=True)
class Sentence:
    text: str
    cites: tuple[str, ...]


@dataclass(frozen=True)
class Paragraph:
    scope: str  # "overall" or a dimension code
    title: str
    sentences: tuple[Sentence, ...]

    @property
    def text(self) -> str:
        return "".join(s.text if s.text.endswith("。") else s.text + " "
                       for s in self.sentences).strip()


@dataclass(frozen=True)
class Evaluation:
    """What the findings are drawn from: the engine's results, and where available the
    cohort's position and statistics and last year's results."""

    framework: Any
    results: Mapping[str, Any]
    percentiles: Mapping[str, float] = field(default_factory=dict)  # code -> rank 0-100
    medians: Mapping[str, float] = field(default_factory=dict)  # code -> cohort median score
    previous: Mapping[str, Any] | None = None  # last year's results
    previous_year: int | None = None


def _t(lang: str, zh: str, en: str, **values: Any) -> str:
    return (zh if lang != "en" else en).format(**values)


def _score_of(block: Mapping[str, Any] | None) -> float | None:
    if not block:
        return None
    value = block.get("score")
    return None if value is None else float(value)


def figure_values(evaluation: Evaluation) -> dict[str, float]:
    """Every figure a sentence may cite, by key (see the module's docstring)."""
    results = evaluation.results
    found: dict[str, float] = {}
    blocks: dict[str, Mapping[str, Any]] = {"overall": results.get("overall") or {}}
    blocks.update(results.get("dimensions") or {})
    blocks.update({code: entry for code, entry in (results.get("indicators") or {}).items()
                   if entry.get("status") == "ok"})
    for code, block in blocks.items():
        if (score := _score_of(block)) is not None:
            found[f"score:{code}"] = score
        if block.get("coverage") is not None:
            found[f"coverage:{code}"] = float(block["coverage"])
    for code, rank in evaluation.percentiles.items():
        if rank is not None:
            found[f"percentile:{code}"] = float(rank)
    for code, median in evaluation.medians.items():
        if median is not None:
            found[f"median:{code}"] = float(median)
    previous = evaluation.previous or {}
    before = {"overall": previous.get("overall") or {}, **(previous.get("dimensions") or {})}
    for code, block in before.items():
        if (score := _score_of(block)) is not None:
            found[f"previous:{code}"] = score
    return found


def _name(obj: Any, lang: str) -> str:
    return fmt.pick(lang, obj.name_zh, obj.name_en)


def _level(framework: Any, score: float, lang: str) -> str:
    level = 1
    for lowest, candidate in framework.level_from_score:
        if score >= lowest:
            level = candidate
    return str(framework.level_name(level, lang))


def _s(value: float) -> str:
    return fmt.score(value)


def _ordinal(n: int, lang: str) -> str:
    if lang != "en":
        return f"第{n}"
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _join(names: list[str], lang: str) -> str:
    if lang != "en":
        return "、".join(names)
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _against_median(score: float, median: float, rank: float | None, lang: str,
                    subject: str) -> str:
    """How far from the cohort median, in words that change with the gap and the rank."""
    gap = score - median
    size = abs(gap)
    if size < 1.5:
        text = _t(lang, "{subject}与同组中位数（{median}）基本持平",
                  "{subject} is level with the cohort median of {median}",
                  subject=subject, median=_s(median))
    elif gap > 0:
        text = _t(lang, "{subject}高出同组中位数（{median}）{gap} 分{how}",
                  "{subject} is {gap} points above the cohort median of {median}{how}",
                  subject=subject, median=_s(median), gap=_s(size),
                  how=(_t(lang, "，优势明显", ", a clear lead") if size >= 15 else
                       _t(lang, "，略占优势", ", a modest lead") if size < 6 else ""))
    else:
        text = _t(lang, "{subject}低于同组中位数（{median}）{gap} 分{how}",
                  "{subject} is {gap} points below the cohort median of {median}{how}",
                  subject=subject, median=_s(median), gap=_s(size),
                  how=(_t(lang, "，差距较大", ", a wide gap") if size >= 15 else
                       _t(lang, "，差距不大", ", a narrow gap") if size < 6 else ""))
    if rank is None:
        return text
    return text + _t(lang, "，{where}（百分位 P{rank}）", ", {where} (percentile P{rank})",
                     rank=round(rank), where=_rank_words(rank, lang))


def _rank_words(rank: float, lang: str) -> str:
    if rank >= 90:
        return _t(lang, "位居同组前十分之一", "in the top tenth of the cohort")
    if rank >= 75:
        return _t(lang, "位居同组前四分之一", "in the top quarter of the cohort")
    if rank >= 50:
        return _t(lang, "处于同组上半区", "in the upper half of the cohort")
    if rank >= 25:
        return _t(lang, "处于同组下半区", "in the lower half of the cohort")
    return _t(lang, "处于同组末四分之一", "in the bottom quarter of the cohort")


def _change(score: float, before: float, year: int | None, lang: str, subject: str) -> str:
    delta = round(score - before, 1)
    when = str(year) if year else _t(lang, "上一年度", "the previous year")
    if abs(delta) < 0.5:
        return _t(lang, "{subject}与{when}年（{before}）相比基本未变。",
                  "{subject} barely moved from {before} in {when}.",
                  subject=subject, when=when, before=_s(before))
    if delta > 0:
        how = (_t(lang, "大幅", "sharply ") if delta >= 10 else
               _t(lang, "小幅", "slightly ") if delta < 3 else "")
        return _t(lang, "{subject}较{when}年（{before}）{how}提升 {delta} 分。",
                  "{subject} rose {how}by {delta} points from {before} in {when}.",
                  subject=subject, when=when, before=_s(before), delta=_s(delta), how=how)
    how = (_t(lang, "明显", "markedly ") if delta <= -10 else
           _t(lang, "略有", "slightly ") if delta > -3 else "")
    return _t(lang, "{subject}较{when}年（{before}）{how}下降 {delta} 分，需关注原因。",
              "{subject} fell {how}by {delta} points from {before} in {when}; the cause "
              "deserves a look.",
              subject=subject, when=when, before=_s(before), delta=_s(-delta), how=how)


def _dimension_paragraph(evaluation: Evaluation, dimension: Any, rank_in_profile: int,
                         scored_dimensions: int, lang: str) -> Paragraph:
    framework, results = evaluation.framework, evaluation.results
    code = dimension.code
    block = (results.get("dimensions") or {}).get(code) or {}
    score = _score_of(block)
    name = _name(dimension, lang)
    indicators = results.get("indicators") or {}
    scored = [(float(indicators[i.code]["score"]), n, i) for n, i in enumerate(dimension.indicators)
              if (indicators.get(i.code) or {}).get("status") == "ok"
              and indicators[i.code].get("score") is not None]
    total = len(dimension.indicators)
    sentences: list[Sentence] = []
    coverage = block.get("coverage")
    if score is None:
        text = _t(lang, "{name}的 {total} 项指标均未计分（权重覆盖 {cov}），本维度无法评价；"
                  "补齐数据是第一步。",
                  "None of the {total} indicators of {name} could be scored ({cov} of the "
                  "weight), so the dimension has no finding yet; completing its data comes "
                  "first.", name=name, total=total,
                  cov=fmt.percent(float(coverage or 0) * 100, 0))
        cites: tuple[str, ...] = (f"coverage:{code}",) if coverage is not None else ()
        return Paragraph(code, name, (Sentence(text, cites),) if cites else ())
    where = (_t(lang, "为各维度最强", "the strongest of the dimensions") if rank_in_profile == 1
             else _t(lang, "为各维度最弱", "the weakest of the dimensions")
             if rank_in_profile == scored_dimensions and scored_dimensions > 1
             else _t(lang, "在 {n} 个维度中居{o}位", "{o} of {n} dimensions",
                     n=scored_dimensions, o=_ordinal(rank_in_profile, lang)))
    sentences.append(Sentence(_t(
        lang, "{name}得分 {score}，处于{level}，{where}。",
        "{name} scores {score}, at the {level} level, {where}.",
        name=name, score=_s(score), level=_level(framework, score, lang), where=where),
        (f"score:{code}",)))
    best = sorted(scored, key=lambda s: (-s[0], s[1]))
    strong = [s for s in best if s[0] >= STRONG]
    weak = [s for s in sorted(scored, key=lambda s: (s[0], s[1])) if s[0] < WEAK]
    if strong:
        top = strong[:2]
        if len(top) == 2 and top[0][0] == top[1][0]:
            text = _t(lang, "{names}均达到 {score} 分，是本维度的长处。",
                      "{names} both reach {score}, the dimension's strengths.",
                      names=_join([_name(s[2], lang) for s in top], lang), score=_s(top[0][0]))
        else:
            lead = top[0]
            text = _t(lang, "最突出的是{name}（{score} 分{extra}）。",
                      "Its strongest indicator is {name} at {score}{extra}.",
                      name=_name(lead[2], lang), score=_s(lead[0]),
                      extra=(_t(lang, "，已达最高级", ", the top level") if lead[0] >= 100
                             else ""))
        sentences.append(Sentence(text, tuple(f"score:{s[2].code}" for s in top)))
    elif best:
        lead = best[0]
        sentences.append(Sentence(_t(
            lang, "本维度没有突出长处：最高的{name}也仅 {score} 分。",
            "No indicator stands out: the best, {name}, scores only {score}.",
            name=_name(lead[2], lang), score=_s(lead[0])), (f"score:{lead[2].code}",)))
    if weak:
        low = weak[0]
        gap = (best[0][0] - low[0]) if best else 0.0
        if len(weak) >= 2:
            text = _t(lang, "短板在{names}，其中{name}仅 {score} 分，与本维度最高分相差 {gap} 分。",
                      "The weak points are {names}; {name} scores just {score}, {gap} points "
                      "behind the dimension's best.",
                      names=_join([_name(s[2], lang) for s in weak[:3]], lang),
                      name=_name(low[2], lang), score=_s(low[0]), gap=_s(gap))
            cites = tuple(f"score:{s[2].code}" for s in weak[:3])
            if best:
                cites += (f"score:{best[0][2].code}",)
        else:
            text = _t(lang, "唯一明显的短板是{name}（{score} 分）。",
                      "The one clear weak point is {name} at {score}.",
                      name=_name(low[2], lang), score=_s(low[0]))
            cites = (f"score:{low[2].code}",)
        sentences.append(Sentence(text, tuple(dict.fromkeys(cites))))
    elif len(scored) > 1 and best[0][0] - best[-1][0] < 15:
        sentences.append(Sentence(_t(
            lang, "各项指标较为均衡，最低的{name}也有 {score} 分。",
            "Its indicators are even: the lowest, {name}, still scores {score}.",
            name=_name(best[-1][2], lang), score=_s(best[-1][0])),
            (f"score:{best[-1][2].code}",)))
    median = evaluation.medians.get(code)
    rank = evaluation.percentiles.get(code)
    subject = _t(lang, "该维度", "The dimension")
    if median is not None:
        cites = (f"score:{code}", f"median:{code}") + ((f"percentile:{code}",) if rank is not None
                                                      else ())
        sentences.append(Sentence(_against_median(score, median, rank, lang, subject) +
                                  _t(lang, "。", "."), cites))
    elif rank is not None:
        sentences.append(Sentence(_t(lang, "在同组中{where}（百分位 P{rank}）。",
                                     "It stands {where} (percentile P{rank}).",
                                     where=_rank_words(rank, lang), rank=round(rank)),
                                  (f"percentile:{code}",)))
    before = _score_of(((evaluation.previous or {}).get("dimensions") or {}).get(code))
    if before is not None:
        sentences.append(Sentence(_change(score, before, evaluation.previous_year, lang,
                                          subject), (f"score:{code}", f"previous:{code}")))
    if coverage is not None and float(coverage) < LOW_COVERAGE:
        sentences.append(Sentence(_t(
            lang, "仅 {scored}/{total} 项指标有得分（权重覆盖 {cov}），结论需谨慎看待。",
            "Only {scored} of {total} indicators were scored ({cov} of the weight), so read "
            "this with care.", scored=len(scored), total=total,
            cov=fmt.percent(float(coverage) * 100, 0)), (f"coverage:{code}",)))
    return Paragraph(code, name, tuple(sentences))


def _overall_paragraph(evaluation: Evaluation, ranked: list[tuple[float, int, Any]],
                       lang: str) -> Paragraph:
    framework, results = evaluation.framework, evaluation.results
    overall = results.get("overall") or {}
    score = _score_of(overall)
    title = _t(lang, "总体评价", "Overall")
    if score is None:
        none_cites: tuple[str, ...] = (("coverage:overall",)
                                       if overall.get("coverage") is not None else ())
        return Paragraph("overall", title, (Sentence(_t(
            lang, "尚无可计分的指标（权重覆盖 {cov}），无法给出总体结论。",
            "No indicator could be scored ({cov} of the weight), so there is no overall "
            "finding.", cov=fmt.percent(float(overall.get("coverage") or 0) * 100, 0)),
            none_cites),)
            if none_cites else ())
    sentences: list[Sentence] = []
    high = [d for s, _n, d in ranked if s >= 60]
    sentences.append(Sentence(_t(
        lang, "综合指数为 {score}，处于{level}；{k} 个维度（共 {n} 个有得分）达到 60 分以上。",
        "The overall index is {score}, at the {level} level; {k} of the {n} scored dimensions "
        "reach 60 or more.", score=_s(score), level=_level(framework, score, lang),
        k=len(high), n=len(ranked)),
        ("score:overall", *(f"score:{d.code}" for _s2, _n, d in ranked))))
    if len(ranked) >= 2:
        (top, _a, best), (low, _b, worst) = ranked[0], ranked[-1]
        spread = top - low
        shape = (_t(lang, "整体较为均衡", "a balanced profile") if spread < 12 else
                 _t(lang, "发展很不均衡", "a very uneven profile") if spread >= 35 else
                 _t(lang, "存在明显落差", "a marked unevenness"))
        sentences.append(Sentence(_t(
            lang, "{best}（{top}）领先，{worst}（{low}）垫底，相差 {spread} 分，{shape}。",
            "{best} ({top}) leads and {worst} ({low}) trails, {spread} points apart: {shape}.",
            best=_name(best, lang), top=_s(top), worst=_name(worst, lang), low=_s(low),
            spread=_s(spread), shape=shape), (f"score:{best.code}", f"score:{worst.code}")))
    median = evaluation.medians.get("overall")
    rank = evaluation.percentiles.get("overall")
    subject = _t(lang, "综合指数", "The index")
    if median is not None:
        cited: list[str] = ["score:overall", "median:overall"] + (["percentile:overall"]
                                                       if rank is not None else [])
        text = _against_median(score, median, rank, lang, subject)
        above = [d for s, _n, d in ranked if (m := evaluation.medians.get(d.code)) is not None
                 and s > m]
        compared = [d for _s2, _n, d in ranked if evaluation.medians.get(d.code) is not None]
        if compared:
            text += _t(lang, "；{k}/{n} 个维度高于同组中位数", "; {k} of {n} dimensions are above "
                       "their cohort median", k=len(above), n=len(compared))
            for d in compared:
                cited += [f"score:{d.code}", f"median:{d.code}"]
        sentences.append(Sentence(text + _t(lang, "。", "."), tuple(dict.fromkeys(cited))))
    elif rank is not None:
        sentences.append(Sentence(_t(lang, "综合指数在同组中{where}（百分位 P{rank}）。",
                                     "The index stands {where} (percentile P{rank}).",
                                     where=_rank_words(rank, lang), rank=round(rank)),
                                  ("percentile:overall",)))
    before = _score_of((evaluation.previous or {}).get("overall"))
    if before is not None:
        sentences.append(Sentence(_change(score, before, evaluation.previous_year, lang, subject),
                                  ("score:overall", "previous:overall")))
        moves = []
        delta_from: dict[str, float] = {}
        delta_to: dict[str, float] = {}
        for s, _n, d in ranked:
            was = _score_of(((evaluation.previous or {}).get("dimensions") or {}).get(d.code))
            if was is not None:
                moves.append((s - was, d))
                delta_from[d.code], delta_to[d.code] = was, s
        if moves:
            delta, moved = max(moves, key=lambda m: abs(m[0]))
            if abs(delta) >= 0.5:
                sentences.append(Sentence(_t(
                    lang, "变化最大的是{name}（{was} → {now}，{sign}{delta} 分）。",
                    "The largest move is in {name} ({was} → {now}, {sign}{delta} points).",
                    name=_name(moved, lang), sign="+" if delta > 0 else "−",
                    was=_s(delta_from[moved.code]), now=_s(delta_to[moved.code]),
                    delta=_s(abs(delta))), (f"score:{moved.code}", f"previous:{moved.code}")))
    coverage = overall.get("coverage")
    if coverage is not None and float(coverage) < LOW_COVERAGE:
        sentences.append(Sentence(_t(
            lang, "本次评估仅覆盖 {cov} 的指标权重，结论为初步判断。",
            "The assessment covers only {cov} of the indicators' weight: the findings are "
            "provisional.", cov=fmt.percent(float(coverage) * 100, 0)), ("coverage:overall",)))
    return Paragraph("overall", title, tuple(sentences))


def findings(evaluation: Evaluation, lang: str) -> list[Paragraph]:
    """The overall paragraph first, then one per dimension in the framework's order."""
    dimensions = evaluation.results.get("dimensions") or {}
    ranked = sorted(((score, n, d) for n, d in enumerate(evaluation.framework.dimensions)
                     if (score := _score_of(dimensions.get(d.code))) is not None),
                    key=lambda r: (-r[0], r[1]))
    places = {d.code: place for place, (_s2, _n, d) in enumerate(ranked, start=1)}
    paragraphs = [_overall_paragraph(evaluation, ranked, lang)]
    for dimension in evaluation.framework.dimensions:
        paragraphs.append(_dimension_paragraph(evaluation, dimension,
                                               places.get(dimension.code, 0), len(ranked),
                                               lang))
    return paragraphs
