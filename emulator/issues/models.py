"""Task issues and issue tags: state and rules.

An issue is a comment thread a project member anchors to a data unit of the project: the whole unit, a frame, a
point on a frame (2D, or 3D in a scene) or one of its labels (an annotation). Issues carry issue tags, the
workspace's tags linked to the project by name. Project admins delete any issue; an author deletes their own, but
an annotation issue is deleted by admins only.
"""

from __future__ import annotations

import uuid

from emulator.auth.models import ADMIN, User, role_of
from emulator.core import timefmt
from emulator.core.store import Store
from emulator.issues import exceptions as exc
from emulator.labels.models import LabelBackend, frame_count
from emulator.projects.models import ProjectBackend

ISSUES = "issue"
ISSUE_TAGS = "issue_tag"
ANNOTATION = "annotation"
# The workspace's issue tags, each named once: linked to many projects, a tag keeps its uuid.
ISSUE_TAG_NAMESPACE = uuid.UUID("0b7e2c35-4f0e-4a49-9a3c-5d7f1b2c8e61")


# -- the rules --------------------------------------------------------------------------------------------------------

def check_may_link_issue_tags(role: str | None, project_hash: str) -> None:
    if role != ADMIN:
        raise exc.NotAllowedToLinkIssueTags(project_hash)


def check_frame_within_media(where: str, frame: int, frames: int) -> None:
    if not 0 <= frame < frames:
        raise exc.FrameOutsideMedia(where, frame, frames)


def check_may_delete_issue(issue: dict, user: User, role: str | None) -> None:
    """Admins delete any issue; its author a general one; an annotation issue (a label's) only an admin."""
    if role == ADMIN:
        return
    if issue["anchor_type"] == ANNOTATION:
        raise exc.NotAllowedToDeleteAnnotationIssue(issue["uuid"])
    if issue["author_email"] != user.email:
        raise exc.NotAllowedToDeleteIssue(issue["uuid"])


class IssueBackend:
    def __init__(self, store: Store, projects: ProjectBackend, labels: LabelBackend):
        self.store = store
        self.projects = projects
        self.labels = labels
        store.index(ISSUES, "project_hash")
        store.index(ISSUE_TAGS, "project_hash")

    # -- issue tags ---------------------------------------------------------------------------------------------------

    def link_issue_tags(self, user: User, project_hash: str, names: list[str]) -> None:
        """Link tags to a project by name; a name linked already stays as it is."""
        with self.store.transaction() as tx:
            project = self.projects.get_project(user, project_hash)
            check_may_link_issue_tags(role_of(user, project), project_hash)
            linked = {t["name"] for t in self._project_tags(project_hash)}
            for position, name in enumerate(dict.fromkeys(n for n in names if n not in linked), start=len(linked)):
                tag_uuid = str(uuid.uuid5(ISSUE_TAG_NAMESPACE, name))
                tx.put(ISSUE_TAGS, f"{project_hash}:{tag_uuid}", {"uuid": tag_uuid, "name": name,
                                                                  "project_hash": project_hash, "position": position})

    def issue_tags(self, user: User, project_hash: str) -> list[dict]:
        self.projects.get_project(user, project_hash)
        return self._project_tags(project_hash)

    def _project_tags(self, project_hash: str) -> list[dict]:
        return sorted(self.store.find_by(ISSUE_TAGS, "project_hash", [project_hash]), key=lambda t: t["position"])

    # -- issues -------------------------------------------------------------------------------------------------------

    def add_issues(self, user: User, project_hash: str, new_issues: list[dict]) -> list[dict]:
        """Each new issue: its anchor (``type``, ``data_hash`` and what the type anchors to), comment and tag
        names. Anchors must lie in a data unit of the project: a frame in the media, an annotation among its
        labels; tags must be linked to the project."""
        with self.store.transaction() as tx:
            project = self.projects.get_project(user, project_hash)
            tags = {t["name"]: t["uuid"] for t in self._project_tags(project_hash)}
            added = []
            for new in new_issues:
                anchor = new["anchor"]
                row = self.labels.data_row(project, anchor["data_hash"])
                self._check_anchor(project, row, anchor)
                for name in new["issue_tags"]:
                    if name not in tags:
                        raise exc.IssueTagNotLinked(name, project_hash)
                now = timefmt.now_iso()
                issue = {"uuid": str(uuid.uuid4()), "project_hash": project_hash, "anchor_type": anchor["type"],
                         "data_hash": anchor["data_hash"], "space_id": anchor.get("space_id"),
                         "frame_index": anchor.get("frame_index"), "coordinate": anchor.get("coordinate"),
                         "annotation_id": anchor.get("annotation_id"), "frame_ranges": anchor.get("frame_ranges"),
                         "author_email": user.email, "created_at": now,
                         "comments": [{"content": new["comment"], "author_email": user.email, "created_at": now}],
                         "tag_uuids": [tags[name] for name in dict.fromkeys(new["issue_tags"])]}
                tx.put(ISSUES, issue["uuid"], issue)
                added.append(issue)
        return added

    def _check_anchor(self, project: dict, row: dict, anchor: dict) -> None:
        if anchor.get("space_id") is not None:
            raise exc.DataUnitHasNoSpaces(anchor["space_id"], row["data_hash"])
        frames = frame_count(row)
        if anchor.get("frame_index") is not None:
            check_frame_within_media("anchor/frameIndex", anchor["frame_index"], frames)
        for frame_range in anchor.get("frame_ranges") or []:
            check_frame_within_media("anchor/frameRanges", frame_range["end"], frames)
        if anchor["type"] == ANNOTATION:
            labels = {label_id for _, label_id in self.labels.main_branch_labels(project, row["data_hash"])}
            if anchor["annotation_id"] not in labels:
                raise exc.AnnotationNotInLabels(anchor["annotation_id"], row["data_hash"])

    def issues_of(self, user: User, project_hash: str, data_hash: str) -> list[tuple[dict, list[dict]]]:
        """A data unit's issues, oldest first, each with its tags."""
        project = self.projects.get_project(user, project_hash)
        self.labels.data_row(project, data_hash)
        tags = {t["uuid"]: t for t in self._project_tags(project_hash)}
        found = self.store.find_by(ISSUES, "project_hash", [project_hash], lambda i: i["data_hash"] == data_hash)
        return [(issue, [tags[u] for u in issue["tag_uuids"]])
                for issue in sorted(found, key=lambda i: i["created_at"])]

    def delete_issues(self, user: User, project_hash: str, issue_uuids: list[str]) -> None:
        """The whole batch is checked before anything is deleted."""
        with self.store.transaction() as tx:
            project = self.projects.get_project(user, project_hash)
            role = role_of(user, project)
            for issue_uuid in issue_uuids:
                issue = tx.get(ISSUES, issue_uuid)
                if issue is None or issue["project_hash"] != project_hash:
                    raise exc.IssueNotFound(issue_uuid)
                check_may_delete_issue(issue, user, role)
            for issue_uuid in issue_uuids:
                tx.delete(ISSUES, issue_uuid)
