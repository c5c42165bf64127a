"""JUnit XML: a test suite per rule set, a test case per input and check."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from typing import TYPE_CHECKING

from compliance.model import Result, RunResult, Status

if TYPE_CHECKING:
    from compliance.report import RenderOptions

# Characters XML 1.0 cannot hold; page text may contain them.
_ILLEGAL = dict.fromkeys([*range(0, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF])


def _clean(text: str) -> str:
    return text.translate(_ILLEGAL)


def _suite(parent: ET.Element, name: str, cases: list[ET.Element]) -> None:
    suite = ET.SubElement(parent, "testsuite", name=name)
    counts = {"tests": len(cases), "failures": 0, "errors": 0, "skipped": 0}
    for case in cases:
        for element, counter in (
            ("failure", "failures"),
            ("error", "errors"),
            ("skipped", "skipped"),
        ):
            if case.find(element) is not None:
                counts[counter] += 1
        suite.append(case)
    for key, value in counts.items():
        suite.set(key, str(value))


def _case(result: Result, name: str) -> ET.Element:
    return ET.Element("testcase", classname=_clean(result.input), name=name)


def _cases_for(result: Result) -> list[ET.Element]:
    cases = []
    for finding in result.findings:
        case = _case(result, finding.rule)
        if finding.suppressed and not finding.passed:
            ET.SubElement(case, "skipped", message=_clean(finding.suppressed))
        elif not finding.judged:  # never a pass: the check could not judge
            message = finding.message
            if not message.startswith("not judged"):
                message = f"not judged: {message}"
            ET.SubElement(case, "skipped", message=_clean(message))
        elif not finding.passed:
            where = finding.location.describe() if finding.location else ""
            detail = "\n".join(
                part
                for part in (
                    f"evidence: {finding.evidence}" if finding.evidence else "",
                    f"where: {where}" if where else "",
                    f"terms: {finding.clause}" if finding.clause else "",
                    f"fix: {finding.fix}" if finding.fix else "",
                )
                if part
            )
            failure = ET.SubElement(
                case, "failure", type=finding.severity.value, message=_clean(finding.message)
            )
            failure.text = _clean(detail)
        cases.append(case)
    return cases


def render(run: RunResult, options: RenderOptions) -> str:
    """The JUnit document; suites and cases in name order so runs can be compared."""
    suites: dict[str, list[ET.Element]] = defaultdict(list)
    for result in run.sorted_results():
        if result.status is Status.ERROR:
            case = _case(result, "read")
            ET.SubElement(case, "error", message=_clean(result.error or "could not be read"))
            suites["unreadable"].append(case)
        elif result.status is Status.UNMATCHED:
            case = _case(result, "match")
            ET.SubElement(case, "skipped", message="not a copy of any known newswire's article")
            suites["unmatched"].append(case)
        else:
            suites[result.ruleset or "unknown"].extend(_cases_for(result))
    root = ET.Element("testsuites", name="compliance")
    for name in sorted(suites):
        _suite(root, name, suites[name])
    for key in ("tests", "failures", "errors", "skipped"):
        root.set(key, str(sum(int(s.get(key, "0")) for s in root)))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
