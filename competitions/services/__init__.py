"""Writes to competitions, one module per area; import from the module itself.

- `phases`: an edition's phases and its vote window (the organiser, in admin);
- `jury`: a juror's scores and conflicts of interest (the jury's pages);
- `decisions`: the chair's decisions on entries and ties, the winners, the log;
- `ballots`: ballot codes (the organiser) and the public vote (the voter);
- `training`: the training edition to practise on (`manage.py create_training_edition`);
- `refusals`: what every one of them raises when the rules say no.
"""
