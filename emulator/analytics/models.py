"""Project analytics: state and rules.

Every task action the workflow's handlers take (assign, release, submit, approve, reject, move) is recorded with who
took it, on which task and in which stage. Time spent is what the web app's editor measures while a collaborator
works on a task; the emulator has no editor, so time is added through the control API (for a user, a task and its
stage). It is reported per UTC day: time that runs past midnight counts on each day it was spent.
"""

from __future__ import annotations

import itertools
import uuid
from collections import defaultdict
from datetime import datetime, timedelta

from emulator.analytics import exceptions as exc
from emulator.auth.models import UserBackend, User, role_of
from emulator.core import timefmt
from emulator.core.store import Store
from emulator.datasets.models import DatasetBackend
from emulator.labels.models import LabelBackend
from emulator.projects.models import ProjectBackend, stage_by_uuid

TASK_ACTIONS = "task_action"
TIME_SPENT = "time_spent"
TASK_ACTION_TYPES = ("assign", "approve", "submit", "move", "reject", "release", "skip")
DATA_UNIT, PROJECT = "dataUnit", "project"
DAY = timedelta(days=1)


# -- the rules --------------------------------------------------------------------------------------------------------

def check_time_range(after: datetime, before: datetime | None) -> None:
    if before is not None and before <= after:
        raise exc.EmptyTimeRange(after.isoformat(), before.isoformat())


def check_task_action_types(action_types: list[str]) -> None:
    for action_type in action_types:
        if action_type not in TASK_ACTION_TYPES:
            raise exc.UnknownTaskActionType(action_type, TASK_ACTION_TYPES)


def check_group_by(group_by: str) -> None:
    if group_by not in (DATA_UNIT, PROJECT):
        raise exc.UnknownGroupBy(group_by, (DATA_UNIT, PROJECT))


def check_time_spent_positive(seconds: float) -> None:
    if seconds <= 0:
        raise exc.NotPositiveTime(seconds)


def daily_portions(started_at: datetime, seconds: float) -> list[tuple[datetime, datetime, float]]:
    """Time spent split at each UTC midnight it runs past: (day's start, portion's start, seconds) of each day."""
    portions, start, left = [], started_at, seconds
    while left > 0:
        day = start.replace(hour=0, minute=0, second=0, microsecond=0)
        spent = min(left, (day + DAY - start).total_seconds())
        portions.append((day, start, spent))
        start, left = day + DAY, left - spent
    return portions


def within(moment: datetime, after: datetime, before: datetime | None) -> bool:
    """In the window: from ``after`` (included) to ``before`` (excluded; now when not given)."""
    return after <= moment < (before or timefmt.now())


class AnalyticsBackend:
    def __init__(self, store: Store, users: UserBackend, datasets: DatasetBackend, projects: ProjectBackend,
                 labels: LabelBackend):
        self.store = store
        self.users = users
        self.datasets = datasets
        self.projects = projects
        self.labels = labels
        store.index(TASK_ACTIONS, "project_hash")
        store.index(TIME_SPENT, "project_hash")
        self._sequence = itertools.count()  # orders the actions one request takes in the same microsecond
        labels.observe_task_actions(self.record_task_action)

    # -- task actions -------------------------------------------------------------------------------------------------

    def record_task_action(self, user: User, task: dict, stage_uuid: str, action_type: str) -> None:
        action = {"uuid": str(uuid.uuid4()), "project_hash": task["project_hash"], "action_type": action_type,
                  "stage_uuid": stage_uuid, "task_uuid": task["uuid"], "data_hash": task["data_hash"],
                  "actor_email": user.email, "timestamp": timefmt.now_iso(), "sequence": next(self._sequence)}
        self.store.put(TASK_ACTIONS, action["uuid"], action)

    def task_actions(self, user: User, project_hash: str, after: datetime, before: datetime | None,
                     actor_emails: list[str], action_types: list[str], stage_uuids: list[str],
                     data_hashes: list[str]) -> list[dict]:
        """A project's task actions in a time window, oldest first; each filter list, when given, keeps only what
        it names."""
        self.projects.get_project(user, project_hash)
        check_time_range(after, before)
        check_task_action_types(action_types)

        def wanted(action: dict) -> bool:
            return (within(timefmt.parse(action["timestamp"]), after, before)
                    and (not actor_emails or action["actor_email"] in actor_emails)
                    and (not action_types or action["action_type"] in action_types)
                    and (not stage_uuids or action["stage_uuid"] in stage_uuids)
                    and (not data_hashes or action["data_hash"] in data_hashes))

        found = self.store.find_by(TASK_ACTIONS, "project_hash", [project_hash], wanted)
        return sorted(found, key=lambda a: (a["timestamp"], a["sequence"]))

    # -- time spent ---------------------------------------------------------------------------------------------------

    def add_time_spent(self, project_hash: str, email: str, data_hash: str, seconds: float,
                       started_at: datetime | None, stage_uuid: str | None) -> dict:
        """Time a collaborator spent on a data unit's task (the editor's timer): in the task's current stage unless
        told which, from ``started_at`` (else ending now)."""
        check_time_spent_positive(seconds)
        with self.store.transaction() as tx:
            collaborator = self.users.member_by_email(email)
            project = self.projects.get_project(collaborator, project_hash)
            self.labels.data_row(project, data_hash)
            task = self.labels.task(project, data_hash)
            if stage_uuid is not None:
                stage_by_uuid(project, stage_uuid)
            start = started_at or timefmt.now() - timedelta(seconds=seconds)
            entry = {"uuid": str(uuid.uuid4()), "project_hash": project_hash, "user_email": email,
                     "user_role": role_of(collaborator, project), "data_hash": data_hash,
                     "task_uuid": task["uuid"] if task["stage_uuid"] is not None else None,
                     "stage_uuid": stage_uuid or task["stage_uuid"], "started_at": start.isoformat(),
                     "seconds": seconds}
            tx.put(TIME_SPENT, entry["uuid"], entry)
        return entry

    def _portions(self, project_hash: str, after: datetime, before: datetime | None):
        """Each entry's daily portions that fall in the window: (entry, day's start, seconds)."""
        for entry in self.store.find_by(TIME_SPENT, "project_hash", [project_hash]):
            for day, start, seconds in daily_portions(timefmt.parse(entry["started_at"]), entry["seconds"]):
                if within(start, after, before):
                    yield entry, day, seconds

    def time_spent(self, user: User, project_hash: str, after: datetime, before: datetime | None,
                   stage_uuids: list[str], user_emails: list[str], dataset_hashes: list[str],
                   data_hashes: list[str], data_title: str | None) -> list[dict]:
        """Time spent per UTC day, user, task and stage, in a time window; each filter, when given, keeps only what
        it names (the data title by a case-insensitive part of it)."""
        project = self.projects.get_project(user, project_hash)
        check_time_range(after, before)
        rows = {row["data_hash"]: row for row in self.labels.data_rows(project)}
        dataset_titles = self.datasets.titles(project["dataset_hashes"])
        stages = {s["uuid"]: s for s in (project["workflow"] or {"stages": []})["stages"]}
        totals: dict[tuple, float] = defaultdict(float)
        for entry, day, seconds in self._portions(project_hash, after, before):
            row = rows[entry["data_hash"]]
            if ((not stage_uuids or entry["stage_uuid"] in stage_uuids)
                    and (not user_emails or entry["user_email"] in user_emails)
                    and (not dataset_hashes or row["dataset_hash"] in dataset_hashes)
                    and (not data_hashes or row["data_hash"] in data_hashes)
                    and (data_title is None or data_title.lower() in row["data_title"].lower())):
                totals[(day, entry["user_email"], entry["user_role"], row["data_hash"], entry["task_uuid"],
                        entry["stage_uuid"])] += seconds
        return [{"period_start": day, "period_end": day + DAY, "seconds": round(seconds), "user_email": email,
                 "user_role": role, "data_hash": data_hash, "data_title": rows[data_hash]["data_title"],
                 "dataset_hash": rows[data_hash]["dataset_hash"],
                 "dataset_title": dataset_titles[rows[data_hash]["dataset_hash"]], "task_uuid": task_uuid,
                 "stage": stages.get(stage_uuid)}
                for (day, email, role, data_hash, task_uuid, stage_uuid), seconds
                in sorted(totals.items(), key=lambda item: (item[0][0], item[0][1], rows[item[0][3]]["data_title"]))]

    def collaborator_timers(self, user: User, project_hash: str, after: datetime, before: datetime | None,
                            group_by: str) -> list[dict]:
        """Each collaborator's time in a window: per data unit, or over the whole project."""
        project = self.projects.get_project(user, project_hash)
        check_time_range(after, before)
        check_group_by(group_by)
        titles = {row["data_hash"]: row["data_title"] for row in self.labels.data_rows(project)}
        totals: dict[tuple, float] = defaultdict(float)
        for entry, _, seconds in self._portions(project_hash, after, before):
            title = titles[entry["data_hash"]] if group_by == DATA_UNIT else None
            totals[(entry["user_email"], entry["user_role"], title)] += seconds
        return [{"user_email": email, "user_role": role, "data_title": title, "seconds": seconds}
                for (email, role, title), seconds in sorted(totals.items(), key=lambda i: (i[0][0], i[0][2] or ""))]
