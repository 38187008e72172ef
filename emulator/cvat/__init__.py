"""CVAT import: a "CVAT for images 1.1" export turned into an Encord dataset, ontology, project and label rows."""
