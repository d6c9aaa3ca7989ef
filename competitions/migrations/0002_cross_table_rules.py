"""Rules that span two tables, held by the database itself.

A CHECK constraint sees one row only, so these are triggers. Each raises
SQLSTATE 23514 (check_violation) with a constraint name, which psycopg and
Django surface as an IntegrityError, exactly like a CHECK constraint.
"""

from django.db import migrations

FORWARD = r"""
-- A laureate place lies between 1 and its category's number of places.
CREATE FUNCTION competitions_entry_place_within_category() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    places smallint;
BEGIN
    IF NEW.laureate_place IS NULL THEN
        RETURN NEW;
    END IF;
    -- FOR SHARE: the category cannot lose places while this entry is written.
    SELECT laureate_places INTO places
      FROM competitions_category WHERE id = NEW.category_id FOR SHARE;
    IF NEW.laureate_place < 1 OR NEW.laureate_place > places THEN
        RAISE EXCEPTION 'laureate place % is outside 1..% of category %',
            NEW.laureate_place, places, NEW.category_id
            USING ERRCODE = 'check_violation',
                  CONSTRAINT = 'entry_laureate_place_within_category';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER entry_laureate_place_within_category
    BEFORE INSERT OR UPDATE OF laureate_place, category_id ON competitions_entry
    FOR EACH ROW EXECUTE FUNCTION competitions_entry_place_within_category();

-- A category cannot shrink below a place already given.
CREATE FUNCTION competitions_category_places_cover_laureates() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM competitions_entry
         WHERE category_id = NEW.id AND laureate_place > NEW.laureate_places
    ) THEN
        RAISE EXCEPTION 'category % has a laureate above place %', NEW.id, NEW.laureate_places
            USING ERRCODE = 'check_violation',
                  CONSTRAINT = 'category_places_cover_laureates';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER category_places_cover_laureates
    BEFORE UPDATE OF laureate_places ON competitions_category
    FOR EACH ROW EXECUTE FUNCTION competitions_category_places_cover_laureates();

-- A vote is for an entry of its own category, on a ballot of that edition.
CREATE FUNCTION competitions_vote_consistent() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM competitions_entry e
          JOIN competitions_category c ON c.id = e.category_id
          JOIN competitions_ballot b ON b.edition_id = c.edition_id
         WHERE e.id = NEW.entry_id AND c.id = NEW.category_id AND b.id = NEW.ballot_id
    ) THEN
        RAISE EXCEPTION 'vote for entry % does not match category % and ballot %',
            NEW.entry_id, NEW.category_id, NEW.ballot_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'vote_entry_in_ballot_edition';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER vote_entry_in_ballot_edition
    BEFORE INSERT OR UPDATE ON competitions_vote
    FOR EACH ROW EXECUTE FUNCTION competitions_vote_consistent();

-- A score is given by a juror of the entry's edition, on a criterion of that
-- edition, within the criterion's scale, and never on a declared conflict.
CREATE FUNCTION competitions_score_consistent() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    crit record;
BEGIN
    SELECT cr.edition_id, cr.scale_min, cr.scale_max INTO crit
      FROM competitions_criterion cr WHERE cr.id = NEW.criterion_id;
    IF NOT EXISTS (
        SELECT 1 FROM competitions_entry e
          JOIN competitions_category c ON c.id = e.category_id
          JOIN competitions_jurymember m ON m.edition_id = c.edition_id
         WHERE e.id = NEW.entry_id AND m.id = NEW.member_id AND c.edition_id = crit.edition_id
    ) THEN
        RAISE EXCEPTION 'score of member % on entry % uses another edition''s criterion or juror',
            NEW.member_id, NEW.entry_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'score_same_edition';
    END IF;
    IF NEW.value < crit.scale_min OR NEW.value > crit.scale_max THEN
        RAISE EXCEPTION 'score % is outside the scale %..%', NEW.value, crit.scale_min, crit.scale_max
            USING ERRCODE = 'check_violation', CONSTRAINT = 'score_within_scale';
    END IF;
    IF EXISTS (
        SELECT 1 FROM competitions_conflictofinterest
         WHERE member_id = NEW.member_id AND entry_id = NEW.entry_id
    ) THEN
        RAISE EXCEPTION 'member % declared a conflict of interest on entry %',
            NEW.member_id, NEW.entry_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'score_not_conflicted';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER score_consistent
    BEFORE INSERT OR UPDATE ON competitions_score
    FOR EACH ROW EXECUTE FUNCTION competitions_score_consistent();
"""

BACKWARD = r"""
DROP TRIGGER IF EXISTS score_consistent ON competitions_score;
DROP FUNCTION IF EXISTS competitions_score_consistent();
DROP TRIGGER IF EXISTS vote_entry_in_ballot_edition ON competitions_vote;
DROP FUNCTION IF EXISTS competitions_vote_consistent();
DROP TRIGGER IF EXISTS category_places_cover_laureates ON competitions_category;
DROP FUNCTION IF EXISTS competitions_category_places_cover_laureates();
DROP TRIGGER IF EXISTS entry_laureate_place_within_category ON competitions_entry;
DROP FUNCTION IF EXISTS competitions_entry_place_within_category();
"""


class Migration(migrations.Migration):
    dependencies = [("competitions", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
