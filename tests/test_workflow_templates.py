"""Workflow templates and agent stages through the SDK: a project created with ``workflow_template_hash`` has the
template's workflow graph (``project.workflow.stages``), and a task agent, as Encord's documentation shows one, takes
the tasks of an agent stage, labels them on their label rows and sends each down a named pathway
(``AgentTask.proceed(pathway_name=...)`` / ``pathway_uuid=...``) to the pathway's destination stage."""

import json
import uuid

import pytest
from encord.exceptions import AuthorisationError, InvalidArgumentsError, ResourceNotFoundError
from encord.objects import Classification, OntologyStructure
from encord.objects.attributes import RadioAttribute
from encord.orm.dataset import StorageLocation
from encord.workflow import (AgentStage, AnnotationStage, ConsensusAnnotationStage, ConsensusReviewStage, FinalStage,
                             ReviewStage)
from encord.workflow.stages.agent import AgentTaskStatus
from encord.workflow.stages.consensus_review import ConsensusReviewTaskStatus
from encord.workflow.stages.review import ReviewTaskStatus

from emulator.testing import ControlError
from wire_tools import body_bytes, set_body, sign_v2

TITLES = ("a.png", "b.png")


def agent_first_graph() -> list[dict]:
    """Pre-label (agent) → "labelled" to Review / "skip" to Annotate; Annotate → Review → Complete."""
    agent, annotate, review, complete = (str(uuid.uuid4()) for _ in range(4))
    return [
        {"uuid": agent, "title": "Pre-label", "type": "AGENT", "pathways": [
            {"uuid": str(uuid.uuid4()), "name": "labelled", "destination_uuid": review},
            {"uuid": str(uuid.uuid4()), "name": "skip", "destination_uuid": annotate}]},
        {"uuid": annotate, "title": "Annotate", "type": "ANNOTATION"},
        {"uuid": review, "title": "Review", "type": "REVIEW"},
        {"uuid": complete, "title": "Complete", "type": "DONE"},
    ]


def templated_project(emulator, email="admin@example.com", graph=None):
    client = emulator.user_client(email)
    graph = graph or agent_first_graph()
    template = emulator.create_workflow_template("Pre-labelling", graph, email=email)
    dataset = client.create_dataset("agents", StorageLocation.AWS)
    emulator.register_data_rows(dataset.dataset_hash, [{"data_title": t, "data_type": "IMAGE", "width": 32,
                                                        "height": 32} for t in TITLES])
    structure = OntologyStructure()
    structure.add_classification().add_attribute(RadioAttribute, "Ripe").add_option("Yes")
    ontology = client.create_ontology("agents", structure=structure)
    project_hash = client.create_project("agents", [dataset.dataset_hash], ontology_hash=ontology.ontology_hash,
                                         workflow_template_hash=template["template_hash"])
    return client.get_project(project_hash), graph


def pre_label(project, task) -> None:
    """What a task agent does with a task: label its data unit on the task's label row."""
    label_row = project.list_label_rows_v2(data_hashes=[task.data_hash])[0]
    label_row.initialise_labels()
    ripe = label_row.ontology_structure.get_child_by_title("Ripe", type_=Classification).create_instance()
    ripe.set_answer(ripe.ontology_item.attributes[0].options[0])
    ripe.set_for_frames(frames=0)
    label_row.add_classification_instance(ripe)
    label_row.save()


def test_a_task_agent_labels_tasks_and_routes_them_down_pathways(emulator):
    project, graph = templated_project(emulator)
    assert [(str(s.uuid), s.title, s.stage_type.value) for s in project.workflow.stages] == [
        (s["uuid"], s["title"], s["type"]) for s in graph]
    agent_stage = project.workflow.get_stage(name="Pre-label", type_=AgentStage)
    assert [(str(p.uuid), p.name, str(p.destination_uuid)) for p in agent_stage.pathways] == [
        (p["uuid"], p["name"], p["destination_uuid"]) for p in graph[0]["pathways"]]
    skip = next(p for p in agent_stage.pathways if p.name == "skip")

    tasks = list(agent_stage.get_tasks())
    assert sorted((t.data_title, t.status) for t in tasks) == [("a.png", AgentTaskStatus.NEW),
                                                               ("b.png", AgentTaskStatus.NEW)]
    for task in tasks:
        if task.data_title == "a.png":
            pre_label(project, task)
            task.proceed(pathway_name="labelled")
        else:
            task.proceed(pathway_uuid=skip.uuid)

    assert list(agent_stage.get_tasks()) == []
    review = project.workflow.get_stage(name="Review", type_=ReviewStage)
    [reviewed] = review.get_tasks()
    assert (reviewed.data_title, reviewed.status) == ("a.png", ReviewTaskStatus.NEW)
    assert [r.label_type for r in reviewed.get_label_reviews()] == ["Classification"]
    annotate = project.workflow.get_stage(name="Annotate", type_=AnnotationStage)
    assert [t.data_title for t in annotate.get_tasks()] == ["b.png"]
    rows = {r.data_title: r.workflow_graph_node.title for r in project.list_label_rows_v2()}
    assert rows == {"a.png": "Review", "b.png": "Annotate"}


def test_an_approved_task_from_the_agent_pathway_completes(encord_emulator):
    project, _ = templated_project(encord_emulator)
    agent_stage = project.workflow.get_stage(name="Pre-label", type_=AgentStage)
    next(t for t in agent_stage.get_tasks() if t.data_title == "a.png").proceed(pathway_name="labelled")
    next(iter(project.workflow.get_stage(name="Review", type_=ReviewStage).get_tasks())).approve()
    complete = project.workflow.get_stage(name="Complete", type_=FinalStage)
    assert [t.data_title for t in complete.get_tasks()] == ["a.png"]


def test_an_unknown_pathway_is_refused_and_the_task_stays(encord_emulator):
    project, _ = templated_project(encord_emulator)
    agent_stage = project.workflow.get_stage(name="Pre-label", type_=AgentStage)
    task = next(iter(agent_stage.get_tasks()))
    with pytest.raises(InvalidArgumentsError) as e:
        task.proceed(pathway_name="accept")
    assert e.value.message == "pathway: agent stage 'Pre-label' has no pathway 'accept'; its pathways are 'labelled', " \
                           "'skip'."
    unknown = str(uuid.uuid4())
    with pytest.raises(InvalidArgumentsError) as e:
        task.proceed(pathway_uuid=unknown)
    assert e.value.message == f"pathway: agent stage 'Pre-label' has no pathway '{unknown}'; its pathways are " \
                           "'labelled', 'skip'."
    assert len(list(agent_stage.get_tasks())) == 2
    assert {r.workflow_graph_node.title for r in project.list_label_rows_v2()} == {"Pre-label"}


def test_only_agent_stages_take_pathway_actions(encord_emulator, forger):
    """An agent task's proceed sent as another stage's action (the SDK cannot send it so) is refused."""
    project, _ = templated_project(encord_emulator)
    user = encord_emulator._users["admin@example.com"]

    def as_submit(req):
        body = json.loads(body_bytes(req))
        body[0]["action"] = "SUBMIT"
        set_body(req, json.dumps(body).encode())
        sign_v2(req, user.private_key)

    forger.intercept(as_submit, path="/actions$")
    agent_stage = project.workflow.get_stage(name="Pre-label", type_=AgentStage)
    with pytest.raises(InvalidArgumentsError) as e:
        next(iter(agent_stage.get_tasks())).proceed(pathway_name="labelled")
    assert e.value.message == ("action: SUBMIT is not an action of AGENT stage 'Pre-label'; its tasks proceed down a "
                            "pathway (PATHWAY_ACTION).")


def test_an_unknown_template_is_not_found(encord_emulator):
    client = encord_emulator.user_client("admin@example.com")
    unknown = str(uuid.uuid4())
    with pytest.raises(ResourceNotFoundError) as e:
        client.create_project("agents", [], workflow_template_hash=unknown)
    assert e.value.message == f"Workflow template {unknown} does not exist."
    assert list(client.list_projects()) == []


def test_another_users_template_is_refused_until_shared(encord_emulator):
    template = encord_emulator.create_workflow_template("Pre-labelling", agent_first_graph(),
                                                        email=encord_emulator.register_user("owner@example.com").email)
    other = encord_emulator.user_client("other@example.com")
    with pytest.raises(AuthorisationError) as e:
        other.create_project("agents", [], workflow_template_hash=template["template_hash"])
    assert e.value.message == "You are not authorised to access this asset."  # the SDK's own words for the code
    encord_emulator.share("workflow_template", template["template_hash"], "other@example.com")
    project = other.get_project(other.create_project("agents", [], workflow_template_hash=template["template_hash"]))
    assert [s.title for s in project.workflow.stages] == ["Pre-label", "Annotate", "Review", "Complete"]


def graph_with(change):
    graph = agent_first_graph()
    change(graph)
    return graph


@pytest.mark.parametrize("change, message", [
    (lambda g: g.__setitem__(1, {**g[1], "uuid": g[0]["uuid"]}), "uuid {0} is used twice; every stage and pathway has "
                                                                 "its own."),
    (lambda g: g.insert(0, g.pop()), "stage 'Complete' is the first stage (where tasks start) and a final (DONE) "
                                     "stage."),
    (lambda g: g.pop(), "stage 'Review' is the last stage: its tasks have no next stage (the last stage is a DONE or "
                        "AGENT stage)."),
    (lambda g: g[0].__setitem__("pathways", []), "agent stage 'Pre-label' has no pathway for its tasks to take."),
    (lambda g: g[0]["pathways"][1].__setitem__("name", "labelled"), "agent stage 'Pre-label' has two pathways of "
                                                                     "one name."),
    (lambda g: g[0]["pathways"][0].__setitem__("destination_uuid", g[0]["uuid"]),
     "pathway 'labelled' of agent stage 'Pre-label' leads to {0}, which is no other stage of the workflow."),
    (lambda g: g[1].__setitem__("pathways", [{"uuid": str(uuid.uuid4()), "name": "on",
                                              "destination_uuid": g[2]["uuid"]}]),
     "stage 'Annotate' is of type ANNOTATION; only AGENT stages have pathways."),
])
def test_a_template_whose_graph_cannot_route_its_tasks_is_refused(encord_emulator, change, message):
    email = encord_emulator.register_user().email
    graph = graph_with(change)
    with pytest.raises(ControlError) as e:
        encord_emulator.create_workflow_template("bad", graph, email=email)
    assert (e.value.status, e.value.message) == (400, "stages: " + message.format(graph[0]["uuid"]))


def test_consensus_stages_hold_tasks_that_move_and_are_approved_to_complete(encord_emulator):
    consensus, review, complete = (str(uuid.uuid4()) for _ in range(3))
    project, _ = templated_project(encord_emulator, graph=[
        {"uuid": consensus, "title": "Consensus annotate", "type": "CONSENSUS_ANNOTATION"},
        {"uuid": review, "title": "Consensus review", "type": "CONSENSUS_REVIEW"},
        {"uuid": complete, "title": "Complete", "type": "DONE"}])
    annotate_stage = project.workflow.get_stage(uuid=consensus, type_=ConsensusAnnotationStage)
    tasks = list(annotate_stage.get_tasks())
    assert sorted((t.data_title, t.subtasks) for t in tasks) == [("a.png", []), ("b.png", [])]
    next(t for t in tasks if t.data_title == "a.png").move(destination_stage_uuid=review)
    review_stage = project.workflow.get_stage(uuid=review, type_=ConsensusReviewStage)
    [task] = review_stage.get_tasks()
    assert (task.data_title, task.status, task.options) == ("a.png", ConsensusReviewTaskStatus.NEW, [])
    task.assign("admin@example.com")
    [task] = review_stage.get_tasks(status=ConsensusReviewTaskStatus.ASSIGNED)
    task.approve()
    assert [t.data_title for t in project.workflow.get_stage(uuid=complete, type_=FinalStage).get_tasks()] == ["a.png"]


def test_a_copied_projects_agent_pathways_lead_to_the_copys_own_stages(encord_emulator):
    project, _ = templated_project(encord_emulator)
    copy = encord_emulator.user_client("admin@example.com").get_project(project.copy_project(new_title="copy"))
    stages = {str(s.uuid): s.title for s in copy.workflow.stages}
    assert set(stages).isdisjoint(str(s.uuid) for s in project.workflow.stages)
    agent_stage = copy.workflow.get_stage(name="Pre-label", type_=AgentStage)
    assert sorted((p.name, stages[str(p.destination_uuid)]) for p in agent_stage.pathways) == [
        ("labelled", "Review"), ("skip", "Annotate")]
