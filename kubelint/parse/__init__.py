"""Reading text: YAML documents with positions, Dockerfiles into the stage model, shell scripts into commands."""
