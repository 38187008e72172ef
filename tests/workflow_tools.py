"""A workflow project (Annotate 1 → Review 1 → Complete) of a few images, and reaching its stages and tasks."""

from encord.orm.dataset import StorageLocation
from encord.workflow import AnnotationStage, FinalStage, ReviewStage


def make_project(emulator, client, titles: tuple[str, ...], title: str = "workflow"):
    dataset = client.create_dataset(title, StorageLocation.AWS)
    emulator.register_data_rows(dataset.dataset_hash, [{"data_title": t, "data_type": "IMAGE"} for t in titles])
    return client.get_project(client.create_project(title, [dataset.dataset_hash]))


def stages(project):
    return (project.workflow.get_stage(name="Annotate 1", type_=AnnotationStage),
            project.workflow.get_stage(name="Review 1", type_=ReviewStage),
            project.workflow.get_stage(name="Complete", type_=FinalStage))


def task_in(stage, title):
    return next(t for t in stage.get_tasks() if t.data_title == title)
