"""A laureate of a vote that is running stays published until the results.

Unpublishing a practice while it stands on an open ballot would leave voters a
choice whose page is gone (and a laureate nobody may read about). The rule is
held by a trigger on the practice table, like the rules of migrations 0002
and 0004: SQLSTATE 23514 with the name `practice_laureate_on_open_ballot`.
`practices.services.practice_change_status` turns it into a message for the
editor; the admin's bulk actions and buttons go through that service.
"""

from django.db import migrations

FORWARD = r"""
CREATE FUNCTION competitions_practice_on_open_ballot() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.status = 'published' AND NEW.status <> 'published' AND EXISTS (
        SELECT 1
          FROM competitions_entry e
          JOIN competitions_category c ON c.id = e.category_id
          JOIN competitions_edition d ON d.id = c.edition_id
         WHERE e.practice_id = OLD.id AND e.status = 'laureate' AND d.phase = 'public_vote'
    ) THEN
        RAISE EXCEPTION 'practice % is a laureate of a vote that has not ended', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'practice_laureate_on_open_ballot';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER practice_laureate_on_open_ballot
    BEFORE UPDATE OF status ON practices_practice
    FOR EACH ROW EXECUTE FUNCTION competitions_practice_on_open_ballot();
"""

BACKWARD = r"""
DROP TRIGGER IF EXISTS practice_laureate_on_open_ballot ON practices_practice;
DROP FUNCTION IF EXISTS competitions_practice_on_open_ballot();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("competitions", "0005_decision_announce"),
        ("practices", "0013_catalogue_type_indexes"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
