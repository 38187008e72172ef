"""DataGym's label-import API (projects, datasets, media, import, export), served under /datagym/."""
