-- Satisfaction follow-up and equality monitoring (issue 20 items 5 and 6; docs/hub-decisions.md "Satisfaction and
-- monitoring answers, apart from the report").
--
-- Neither table refers to a report. A row is keyed by `respondent_key`: SHA-256 of "ohr/respondent/1:" followed by the
-- report's status code, computed by the hub only while a request carrying that code is in hand. The reports table keeps
-- SHA-256 of the code alone, and the code (80 bits) is known only to the reporter, so nobody holding the database can
-- join an answer to a report; the two answers of one reporter share the key, so satisfaction can be counted by
-- community. No column holds a reference, a report id, a token hash or an exact time that could be matched against a
-- report's or an audit entry's: times are kept to the day (`answered_at`) and the month.

-- One answer per report: the key is the primary key. `comment` is the reporter's own words (personal content); the
-- retention purge clears it when it is as old as a closed report is kept (hub/domain/retention.ts).
CREATE TABLE satisfaction_answers (
  respondent_key text PRIMARY KEY CHECK (respondent_key ~ '^[0-9a-f]{64}$'),
  score          smallint NOT NULL CHECK (score BETWEEN 1 AND 5),  -- 1 very dissatisfied … 5 very satisfied
  comment        text NULL CHECK (length(comment) BETWEEN 1 AND 2000),
  answered_at    timestamptz NOT NULL,  -- the day (00:00 UTC), never the moment
  month          date NOT NULL CHECK (extract(day FROM month) = 1)
);
CREATE INDEX satisfaction_answers_month_idx ON satisfaction_answers (month);

-- Equality monitoring: every answer optional (NULL: skipped), each question with its own 'prefer_not_to_say'. Values are
-- the closed lists in lib/schema/monitoring.ts (ONS 2021 census categories); ethnic_group_broad is the high-level group
-- of ethnic_group, stored so counts need no mapping in SQL.
CREATE TABLE monitoring_answers (
  respondent_key     text PRIMARY KEY CHECK (respondent_key ~ '^[0-9a-f]{64}$'),
  ethnic_group       text NULL,
  ethnic_group_broad text NULL,
  religion           text NULL,
  sexual_orientation text NULL,
  gender_identity    text NULL,
  disability         text NULL,
  age_band           text NULL,
  month              date NOT NULL CHECK (extract(day FROM month) = 1)
);
CREATE INDEX monitoring_answers_month_idx ON monitoring_answers (month);
