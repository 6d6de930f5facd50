"""Release stage: the release contract, export of the release files, dataset card and the HTML report."""
