"""The organiser may move the end of a running vote (extend it, or close it early).

Migration 0004 locked the whole vote window once the vote opened. The end may
now change while the edition is in its public vote, and only then: once the
results are published the vote never reopens. The start, whether there is a
vote at all, and the lock itself stay fixed as before. The service that moves
the end (`edition_change_vote_close`) requires a reason and logs it.
"""

from django.db import migrations

FORWARD = r"""
CREATE OR REPLACE FUNCTION competitions_edition_rules_locked() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.vote_rules_locked_at IS NOT NULL AND (
           NEW.vote_rules_locked_at IS DISTINCT FROM OLD.vote_rules_locked_at
        OR NEW.vote_opens_at IS DISTINCT FROM OLD.vote_opens_at
        OR (NEW.vote_closes_at IS DISTINCT FROM OLD.vote_closes_at
            AND NOT (OLD.phase = 'public_vote' AND NEW.phase = 'public_vote'))
        OR NEW.has_public_vote IS DISTINCT FROM OLD.has_public_vote
    ) THEN
        RAISE EXCEPTION 'the vote rules of edition % are locked since %',
            OLD.id, OLD.vote_rules_locked_at
            USING ERRCODE = 'check_violation', CONSTRAINT = 'edition_vote_rules_locked';
    END IF;
    RETURN NEW;
END $$;
"""

BACKWARD = r"""
CREATE OR REPLACE FUNCTION competitions_edition_rules_locked() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.vote_rules_locked_at IS NOT NULL AND (
           NEW.vote_rules_locked_at IS DISTINCT FROM OLD.vote_rules_locked_at
        OR NEW.vote_opens_at IS DISTINCT FROM OLD.vote_opens_at
        OR NEW.vote_closes_at IS DISTINCT FROM OLD.vote_closes_at
        OR NEW.has_public_vote IS DISTINCT FROM OLD.has_public_vote
    ) THEN
        RAISE EXCEPTION 'the vote rules of edition % are locked since %',
            OLD.id, OLD.vote_rules_locked_at
            USING ERRCODE = 'check_violation', CONSTRAINT = 'edition_vote_rules_locked';
    END IF;
    RETURN NEW;
END $$;
"""


class Migration(migrations.Migration):
    dependencies = [("competitions", "0006_laureate_stays_published")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
