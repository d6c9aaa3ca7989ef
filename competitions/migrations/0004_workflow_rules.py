"""The competition workflow's rules, held by the database itself.

Like migration 0002, each trigger raises SQLSTATE 23514 (check_violation) with
a constraint name, so Django surfaces it as an IntegrityError naming the rule.

- Once an edition's vote has opened (`vote_rules_locked_at` set), its rules are
  fixed: the window, whether there is a vote at all, the categories, and which
  entries are laureates in which place (`edition_vote_rules_locked`,
  `category_vote_rules_locked`, `entry_vote_rules_locked`). Only changes that
  change something are refused, so re-loading the fixtures still works.
- A vote is cast only while its edition is in the public vote, inside the
  window (by the clock, not the transaction's start), for a laureate
  (`vote_within_window`, `vote_for_laureate`); a vote is never changed
  (`vote_is_final`).
- A score is given only during the jury review, and never changed once the
  juror has submitted their scores of that entry (`score_in_jury_review`,
  `score_submitted_is_final`).
- A tie is resolved for an entry of the category, a laureate
  (`tie_resolution_entry_in_category`).
- The decision log is never rewritten (`decision_log_append_only`).
"""

from django.db import migrations

FORWARD = r"""
CREATE FUNCTION competitions_edition_rules_locked() RETURNS trigger
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

CREATE TRIGGER edition_vote_rules_locked
    BEFORE UPDATE ON competitions_edition
    FOR EACH ROW EXECUTE FUNCTION competitions_edition_rules_locked();

CREATE FUNCTION competitions_edition_is_locked(edition bigint) RETURNS boolean
LANGUAGE sql STABLE AS $$
    SELECT vote_rules_locked_at IS NOT NULL FROM competitions_edition WHERE id = edition
$$;

CREATE FUNCTION competitions_category_rules_locked() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF competitions_edition_is_locked(NEW.edition_id) THEN
            RAISE EXCEPTION 'edition % is voting: no new categories', NEW.edition_id
                USING ERRCODE = 'check_violation', CONSTRAINT = 'category_vote_rules_locked';
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        IF competitions_edition_is_locked(OLD.edition_id) THEN
            RAISE EXCEPTION 'edition % is voting: category % stays', OLD.edition_id, OLD.id
                USING ERRCODE = 'check_violation', CONSTRAINT = 'category_vote_rules_locked';
        END IF;
        RETURN OLD;
    END IF;
    IF (NEW.edition_id IS DISTINCT FROM OLD.edition_id
        OR NEW.laureate_places IS DISTINCT FROM OLD.laureate_places)
       AND (competitions_edition_is_locked(OLD.edition_id)
            OR competitions_edition_is_locked(NEW.edition_id)) THEN
        RAISE EXCEPTION 'edition % is voting: category % cannot change', OLD.edition_id, OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'category_vote_rules_locked';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER category_vote_rules_locked
    BEFORE INSERT OR UPDATE OR DELETE ON competitions_category
    FOR EACH ROW EXECUTE FUNCTION competitions_category_rules_locked();

CREATE FUNCTION competitions_entry_rules_locked() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    locked boolean;
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.status = 'laureate' AND competitions_edition_is_locked(
            (SELECT edition_id FROM competitions_category WHERE id = NEW.category_id)
        ) THEN
            RAISE EXCEPTION 'the vote is open: no new laureates in category %', NEW.category_id
                USING ERRCODE = 'check_violation', CONSTRAINT = 'entry_vote_rules_locked';
        END IF;
        RETURN NEW;
    END IF;
    IF TG_OP = 'DELETE' THEN
        IF OLD.status = 'laureate' AND competitions_edition_is_locked(
            (SELECT edition_id FROM competitions_category WHERE id = OLD.category_id)
        ) THEN
            RAISE EXCEPTION 'the vote is open: laureate % stays', OLD.id
                USING ERRCODE = 'check_violation', CONSTRAINT = 'entry_vote_rules_locked';
        END IF;
        RETURN OLD;
    END IF;
    IF (OLD.status = 'laureate' OR NEW.status = 'laureate') AND (
           NEW.status IS DISTINCT FROM OLD.status
        OR NEW.laureate_place IS DISTINCT FROM OLD.laureate_place
        OR NEW.category_id IS DISTINCT FROM OLD.category_id
        OR NEW.practice_id IS DISTINCT FROM OLD.practice_id
    ) THEN
        SELECT bool_or(competitions_edition_is_locked(c.edition_id)) INTO locked
          FROM competitions_category c WHERE c.id IN (OLD.category_id, NEW.category_id);
        IF locked THEN
            RAISE EXCEPTION 'the vote is open: laureate % keeps its place and category', OLD.id
                USING ERRCODE = 'check_violation', CONSTRAINT = 'entry_vote_rules_locked';
        END IF;
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER entry_vote_rules_locked
    BEFORE INSERT OR UPDATE OR DELETE ON competitions_entry
    FOR EACH ROW EXECUTE FUNCTION competitions_entry_rules_locked();

CREATE FUNCTION competitions_vote_allowed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    ed record;
    status varchar;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'vote % is final', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'vote_is_final';
    END IF;
    SELECT e.phase, e.vote_opens_at, e.vote_closes_at INTO ed
      FROM competitions_edition e
      JOIN competitions_category c ON c.edition_id = e.id
     WHERE c.id = NEW.category_id;
    IF ed.phase IS DISTINCT FROM 'public_vote'
       OR ed.vote_opens_at IS NULL OR ed.vote_closes_at IS NULL
       OR clock_timestamp() < ed.vote_opens_at OR clock_timestamp() >= ed.vote_closes_at THEN
        RAISE EXCEPTION 'category % is not open for voting now', NEW.category_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'vote_within_window';
    END IF;
    SELECT e.status INTO status FROM competitions_entry e WHERE e.id = NEW.entry_id;
    IF status IS DISTINCT FROM 'laureate' THEN
        RAISE EXCEPTION 'entry % is not a laureate', NEW.entry_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'vote_for_laureate';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER vote_allowed
    BEFORE INSERT OR UPDATE ON competitions_vote
    FOR EACH ROW EXECUTE FUNCTION competitions_vote_allowed();

CREATE FUNCTION competitions_score_allowed() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM competitions_jurymember m
          JOIN competitions_edition e ON e.id = m.edition_id
         WHERE m.id = NEW.member_id AND e.phase = 'jury_review'
    ) THEN
        RAISE EXCEPTION 'scores are given only during the jury review'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'score_in_jury_review';
    END IF;
    IF EXISTS (
        SELECT 1 FROM competitions_jurysubmission
         WHERE member_id = NEW.member_id AND entry_id = NEW.entry_id
    ) OR (TG_OP = 'UPDATE' AND EXISTS (
        SELECT 1 FROM competitions_jurysubmission
         WHERE member_id = OLD.member_id AND entry_id = OLD.entry_id
    )) THEN
        RAISE EXCEPTION 'member % submitted the scores of entry %', NEW.member_id, NEW.entry_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'score_submitted_is_final';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER score_allowed
    BEFORE INSERT OR UPDATE ON competitions_score
    FOR EACH ROW EXECUTE FUNCTION competitions_score_allowed();

CREATE FUNCTION competitions_tie_resolution_consistent() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NOT EXISTS (
        SELECT 1 FROM competitions_entry
         WHERE id = NEW.entry_id AND category_id = NEW.category_id AND status = 'laureate'
    ) THEN
        RAISE EXCEPTION 'entry % is not a laureate of category %', NEW.entry_id, NEW.category_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'tie_resolution_entry_in_category';
    END IF;
    RETURN NEW;
END $$;

CREATE TRIGGER tie_resolution_entry_in_category
    BEFORE INSERT OR UPDATE ON competitions_tieresolution
    FOR EACH ROW EXECUTE FUNCTION competitions_tie_resolution_consistent();

CREATE FUNCTION competitions_decision_log_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'decision % is logged for good', OLD.id
        USING ERRCODE = 'check_violation', CONSTRAINT = 'decision_log_append_only';
END $$;

CREATE TRIGGER decision_log_append_only
    BEFORE UPDATE ON competitions_decisionlog
    FOR EACH ROW EXECUTE FUNCTION competitions_decision_log_append_only();
"""

BACKWARD = r"""
DROP TRIGGER IF EXISTS decision_log_append_only ON competitions_decisionlog;
DROP FUNCTION IF EXISTS competitions_decision_log_append_only();
DROP TRIGGER IF EXISTS tie_resolution_entry_in_category ON competitions_tieresolution;
DROP FUNCTION IF EXISTS competitions_tie_resolution_consistent();
DROP TRIGGER IF EXISTS score_allowed ON competitions_score;
DROP FUNCTION IF EXISTS competitions_score_allowed();
DROP TRIGGER IF EXISTS vote_allowed ON competitions_vote;
DROP FUNCTION IF EXISTS competitions_vote_allowed();
DROP TRIGGER IF EXISTS entry_vote_rules_locked ON competitions_entry;
DROP FUNCTION IF EXISTS competitions_entry_rules_locked();
DROP TRIGGER IF EXISTS category_vote_rules_locked ON competitions_category;
DROP FUNCTION IF EXISTS competitions_category_rules_locked();
DROP FUNCTION IF EXISTS competitions_edition_is_locked(bigint);
DROP TRIGGER IF EXISTS edition_vote_rules_locked ON competitions_edition;
DROP FUNCTION IF EXISTS competitions_edition_rules_locked();
"""


class Migration(migrations.Migration):
    dependencies = [("competitions", "0003_workflow")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
