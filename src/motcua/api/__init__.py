"""The JSON API (`/api/v1/`): the catalogue, the dossiers and their legal actions as business
verbs, the public status lookup and the working calendar, for other systems and scripts."""
