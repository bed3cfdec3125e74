"""The Quickscan lokale aanpak (seed 003) with the user's answers: progress and what needs attention.

The model holds the 26 questions in their groups with each question's explanation ("Uitleg vraag N").
The source gives the explanations, not the questions' own wording: a question without text is shown
as "Vraag N"; no question text is ever made up.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from desktop.core.search.repository import ModelRepository
from desktop.core.workspace.planning import ATTENTION_STATUSES, QUICKSCAN_STATUS_LABELS, QuickscanAnswer


@dataclass
class Question:
    number: int
    group_id: str
    group_name: str
    question: str | None
    explanation: str | None

    @property
    def title(self) -> str:
        """The question's text, or "Vraag N" when the model has none."""
        text = (self.question or "").strip()
        return f"Vraag {self.number}: {text}" if text else f"Vraag {self.number}"


@dataclass
class QuestionGroup:
    id: str
    name: str
    questions: list[Question] = field(default_factory=list)


@dataclass
class GroupProgress:
    group_id: str
    name: str
    answered: int
    total: int

    @property
    def label(self) -> str:
        return f"{self.answered} van {self.total} beantwoord"


@dataclass
class AttentionItem:
    number: int
    title: str
    group_name: str
    status: str
    note: str | None
    in_model: bool = True

    @property
    def status_label(self) -> str:
        return QUICKSCAN_STATUS_LABELS.get(self.status, self.status)


def quickscan_groups(repo: ModelRepository) -> list[QuestionGroup]:
    """The groups with their questions, in the model's order."""
    groups: dict[str, QuestionGroup] = {}
    for r in repo.conn.execute("SELECT id, name FROM quickscan_group ORDER BY position"):
        groups[r[0]] = QuestionGroup(r[0], r[1])
    for r in repo.conn.execute(
        "SELECT quickscan_group_id, number, question, explanation FROM quickscan_question "
        "ORDER BY quickscan_group_id, position, number"
    ):
        group = groups.get(r[0])
        if group is not None:
            group.questions.append(Question(int(r[1]), group.id, group.name, r[2], r[3]))
    for group in groups.values():
        group.questions.sort(key=lambda q: q.number)
    return [g for g in groups.values() if g.questions]


def questions(groups: list[QuestionGroup]) -> list[Question]:
    return sorted((q for g in groups for q in g.questions), key=lambda q: q.number)


def progress(groups: list[QuestionGroup], answers: dict[int, QuickscanAnswer]) -> list[GroupProgress]:
    return [GroupProgress(g.id, g.name, sum(1 for q in g.questions if _answered(answers, q.number)), len(g.questions))
            for g in groups]


def overall(groups: list[QuestionGroup], answers: dict[int, QuickscanAnswer]) -> tuple[int, int]:
    """(answered, total) over all questions."""
    all_questions = questions(groups)
    return sum(1 for q in all_questions if _answered(answers, q.number)), len(all_questions)


def _answered(answers: dict[int, QuickscanAnswer], number: int) -> bool:
    found = answers.get(number)
    return found is not None and found.status is not None


def attention(groups: list[QuestionGroup], answers: dict[int, QuickscanAnswer]) -> list[AttentionItem]:
    """The questions that need attention ("nog niet", then "deels", then "weet niet") with their notes.

    An answer to a question the model no longer has is listed too (it is the user's, never dropped)."""
    by_number = {q.number: q for q in questions(groups)}
    items: list[AttentionItem] = []
    for answer in answers.values():
        if answer.status not in ATTENTION_STATUSES:
            continue
        question = by_number.get(answer.question_number)
        if question is None:
            items.append(AttentionItem(answer.question_number, f"Vraag {answer.question_number}",
                                       "niet meer in de quickscan van dit model", answer.status or "", answer.note,
                                       in_model=False))
        else:
            items.append(AttentionItem(question.number, question.title, question.group_name, answer.status or "",
                                       answer.note))
    items.sort(key=lambda i: (ATTENTION_STATUSES.index(i.status), i.number))
    return items


def status_counts(answers: dict[int, QuickscanAnswer]) -> dict[str, int]:
    counts = {key: 0 for key in QUICKSCAN_STATUS_LABELS}
    for answer in answers.values():
        if answer.status in counts:
            counts[answer.status] += 1
    return counts
